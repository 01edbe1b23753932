/**
 * A mail sink: an SMTP server (smtp-server) that takes every message, with login and optionally
 * STARTTLS (its own self-signed certificate), and keeps the last messages parsed (mailparser) — headers,
 * plain-text and HTML parts, the raw source — for the demo's /dev/tin-nhan and for tests. It delivers
 * nothing further. Runs in the process that starts it.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
  envelopeFrom: string;
  envelopeTo: string[];
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Header names in lower case; the first value of each, as text. */
  headers: Record<string, string>;
  raw: string;
  receivedAt: Date;
}

export interface SmtpSinkOptions {
  port?: number;
  host?: string;
  /** Required login; without it the sink takes mail without one. */
  auth?: { user: string; pass: string };
  /** Offer STARTTLS (self-signed); default off (plain SMTP on this machine). */
  starttls?: boolean;
  /** How many messages are kept (default 500). */
  keep?: number;
}

export interface RunningSmtpSink {
  port: number;
  /** The SMTP_URL that reaches it (with the login). */
  url: string;
  messages(): SinkMessage[];
  close(): Promise<void>;
}

const headerText = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text);
  if (value && typeof value === 'object' && 'value' in value) {
    const v = value as { value: unknown; params?: Record<string, string> };
    const params = Object.entries(v.params ?? {})
      .map(([k, p]) => `; ${k}=${p}`)
      .join('');
    return `${String(v.value)}${params}`;
  }
  return JSON.stringify(value);
};

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<RunningSmtpSink> {
  const kept: SinkMessage[] = [];
  const keep = options.keep ?? 500;
  const server = new SMTPServer({
    secure: false,
    ...(options.starttls ? {} : { disabledCommands: ['STARTTLS'] }),
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass)
        return callback(null, { user: auth.username });
      return callback(new Error('Sai tên đăng nhập hoặc mật khẩu / invalid login'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((mail) => {
            const headers: Record<string, string> = {};
            for (const [k, v] of mail.headers) headers[k.toLowerCase()] = headerText(v);
            kept.push({
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              from: mail.from?.text ?? '',
              to: Array.isArray(mail.to) ? mail.to.map((t) => t.text).join(', ') : (mail.to?.text ?? ''),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              headers,
              raw: raw.toString('utf8'),
              receivedAt: new Date(),
            });
            while (kept.length > keep) kept.shift();
            callback();
          })
          .catch((e: Error) => callback(e));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  const login = options.auth
    ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@`
    : '';
  return {
    port,
    url: `smtp://${login}${options.host ?? '127.0.0.1'}:${port}`,
    messages: () => [...kept],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
