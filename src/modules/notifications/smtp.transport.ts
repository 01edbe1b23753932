/**
 * E-mail over SMTP with nodemailer: `SMTP_URL` (smtp:// upgrades with STARTTLS, smtps:// is TLS from
 * the first byte; user and password in the URL; nodemailer's options as query parameters, e.g.
 * `?requireTLS=true`), a pool of connections, the sender's address and name, DKIM signing when a key is
 * configured. A 5xx answer to the message itself (its sender, recipient or content) is permanent;
 * anything else (connection refused, timeout, 4xx, a refused login that the operator will fix) is tried
 * again by the outbox.
 */
import nodemailer from 'nodemailer';
import { type EmailSender, PermanentDeliveryError } from './delivery.ports.ts';

export interface SmtpSettings {
  url: string;
  from: { address: string; name: string };
  /** STARTTLS required (no plain-text fallback); production sets it for smtp:// unless on loopback. */
  requireTls: boolean;
  dkim?: { domainName: string; keySelector: string; privateKey: string };
  timeoutMs: number;
}

export function smtpSender(settings: SmtpSettings): EmailSender {
  const transporter = nodemailer.createTransport({
    url: settings.url,
    pool: true,
    maxConnections: 4,
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs * 3,
    ...(settings.requireTls ? { requireTLS: true } : {}),
    ...(settings.dkim ? { dkim: settings.dkim } : {}),
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    transport: 'smtp',
    async send(mail) {
      try {
        const info = await transporter.sendMail({
          from: { address: settings.from.address, name: settings.from.name },
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          headers: mail.headers,
          textEncoding: 'quoted-printable',
        });
        return { providerId: info.messageId ?? mail.messageId };
      } catch (e) {
        const { responseCode: code, command } = e as { responseCode?: number; command?: string };
        const text = e instanceof Error ? e.message : String(e);
        const aboutMessage = command === 'RCPT TO' || command === 'MAIL FROM' || command === 'DATA';
        if (typeof code === 'number' && code >= 500 && code < 600 && aboutMessage)
          throw new PermanentDeliveryError(`SMTP ${code}: ${text}`);
        throw e;
      }
    },
    async close() {
      transporter.close();
    },
  };
}
