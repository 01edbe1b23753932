/**
 * How messages reach people (NotificationsConfig): e-mail over SMTP (with DKIM) and SMS through a
 * brand-name gateway, each configured, `off`, or — outside production only — absent.
 */
import fs from 'node:fs';
import type { Config } from './config.ts';
import {
  apiKeyField,
  displayText,
  type Env,
  emailAddress,
  existingFile,
  type Field,
  given,
  httpUrl,
  integer,
  type Read,
} from './fields.ts';

/**
 * Each channel is configured, explicitly switched off (`off`: its messages fail, visibly), or — outside
 * production only — absent, when its messages are recorded and shown at /dev/tin-nhan.
 */
export interface NotificationsConfig {
  smtp: SmtpConfig | 'off' | undefined;
  sms: SmsGatewayConfig | 'off' | undefined;
  /** Tries of a message before it is failed (the outbox itself gives up after 10). */
  maxAttempts: number;
  /** Deadline of one SMTP step or one gateway request. */
  timeoutMs: number;
}

export interface SmtpConfig {
  /** smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465 (TLS). */
  url: string;
  from: { address: string; name: string };
  /** Refuse to send without STARTTLS (production, for smtp:// to anything but this machine). */
  requireTls: boolean;
  dkim: { domainName: string; keySelector: string; privateKey: string } | undefined;
}

export interface SmsGatewayConfig {
  url: string;
  apiKey: string;
  /** The brand name registered with the operators (the sender shown on the phone). */
  brandName: string;
  /** Shared with the gateway: it signs its delivery reports with it. */
  reportSecret: string;
}

/** The configuration with the embedded demo's mail sink and SMS gateway where the environment set none. */
export function withDemoNotifications(
  config: Config,
  sinks: { smtp?: SmtpConfig; sms?: SmsGatewayConfig },
): Config {
  const n = config.notifications;
  return {
    ...config,
    notifications: {
      ...n,
      smtp: n.smtp ?? sinks.smtp,
      sms: n.sms ?? sinks.sms,
    },
  };
}

/** NOTIFY_MAX_ATTEMPTS and NOTIFY_TIMEOUT_MS; the channels are read by `readNotifications`, later. */
export function readNotificationLimits(read: Read): NotificationsConfig {
  return {
    smtp: undefined,
    sms: undefined,
    maxAttempts: read('NOTIFY_MAX_ATTEMPTS', integer(1, 10), 8),
    timeoutMs: read('NOTIFY_TIMEOUT_MS', integer(100, 120_000), 10_000),
  };
}

/** SMTP_URL and SMS_GATEWAY_URL with what each needs; required (or `off`) in production. */
export function readNotifications(env: Env, config: Config, read: Read, problems: string[]): void {
  const production = config.nodeEnv === 'production';
  const off = (name: string) => (env[name] ?? '').trim().toLowerCase() === 'off';
  if (off('SMTP_URL')) config.notifications.smtp = 'off';
  else if (given(env, 'SMTP_URL')) {
    const url = read('SMTP_URL', smtpUrl);
    const address = read('MAIL_FROM', emailAddress);
    if (!given(env, 'MAIL_FROM'))
      problems.push('MAIL_FROM is needed with SMTP_URL (the sender address of e-mails)');
    const name = read('MAIL_FROM_NAME', displayText(100)) ?? 'Cổng Dịch vụ công';
    const dkimNames = ['DKIM_DOMAIN', 'DKIM_SELECTOR', 'DKIM_PRIVATE_KEY_FILE'] as const;
    const dkimGiven = dkimNames.filter((n) => given(env, n));
    let dkim: SmtpConfig['dkim'];
    if (dkimGiven.length > 0 && dkimGiven.length < dkimNames.length)
      problems.push(
        `DKIM needs all of ${dkimNames.join(', ')} (missing: ${dkimNames.filter((n) => !dkimGiven.includes(n)).join(', ')})`,
      );
    else if (dkimGiven.length === dkimNames.length) {
      const domainName = read('DKIM_DOMAIN', domainField);
      const keySelector = read('DKIM_SELECTOR', selectorField);
      const keyFile = read('DKIM_PRIVATE_KEY_FILE', existingFile);
      const privateKey = keyFile ? fs.readFileSync(keyFile, 'utf8') : undefined;
      if (privateKey !== undefined && !/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(privateKey))
        problems.push('DKIM_PRIVATE_KEY_FILE must hold a PEM private key (-----BEGIN PRIVATE KEY-----)');
      else if (domainName && keySelector && privateKey) dkim = { domainName, keySelector, privateKey };
    }
    if (url && address) {
      const u = new URL(url);
      const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
      config.notifications.smtp = {
        url,
        from: { address, name },
        requireTls: production && u.protocol === 'smtp:' && !loopback,
        dkim,
      };
    }
  } else if (production) {
    problems.push(
      'SMTP_URL is required when NODE_ENV=production (the mail server e-mails leave through, e.g. smtp://user:password@mail.example.vn:587), or SMTP_URL=off to send no e-mail',
    );
  }

  if (off('SMS_GATEWAY_URL')) config.notifications.sms = 'off';
  else if (given(env, 'SMS_GATEWAY_URL')) {
    const needed = ['SMS_GATEWAY_API_KEY', 'SMS_BRAND_NAME', 'SMS_GATEWAY_REPORT_SECRET'];
    for (const n of needed)
      if (!given(env, n)) problems.push(`${n} is needed with SMS_GATEWAY_URL (${SMS_VARIABLES[n]})`);
    const url = read('SMS_GATEWAY_URL', httpUrl);
    const apiKey = read('SMS_GATEWAY_API_KEY', apiKeyField);
    const brandName = read('SMS_BRAND_NAME', brandNameField);
    const reportSecret = read('SMS_GATEWAY_REPORT_SECRET', secretField);
    if (url && apiKey && brandName && reportSecret)
      config.notifications.sms = { url, apiKey, brandName, reportSecret };
  } else if (production) {
    problems.push(
      'SMS_GATEWAY_URL (with SMS_GATEWAY_API_KEY, SMS_BRAND_NAME and SMS_GATEWAY_REPORT_SECRET) is required when NODE_ENV=production (the brand-name SMS gateway one-time codes and status messages go through), or SMS_GATEWAY_URL=off to send no SMS',
    );
  }
}

const SMS_VARIABLES: Record<string, string> = {
  SMS_GATEWAY_API_KEY: 'the portal key to the gateway',
  SMS_BRAND_NAME: 'the brand name registered with the operators',
  SMS_GATEWAY_REPORT_SECRET: 'the secret the gateway signs its delivery reports with',
};

const smtpUrl: Field<string> = {
  expects: 'smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (TLS), or off',
  parse: (raw) => {
    try {
      const u = new URL(raw);
      return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '' ? raw : undefined;
    } catch {
      return undefined;
    }
  },
};

const domainField: Field<string> = {
  expects: 'a domain name, e.g. dichvucong.example.vn',
  parse: (raw) =>
    /^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}$/.test(raw) ? raw.toLowerCase() : undefined,
};

const selectorField: Field<string> = {
  expects: 'a DKIM selector (letters, digits, dots, dashes), e.g. mail2026',
  parse: (raw) => (/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/.test(raw) ? raw : undefined),
};

/** Brand names are registered as up to 11 characters of A–Z, 0–9, space, dot and dash. */
const brandNameField: Field<string> = {
  expects: 'the registered brand name: 1 to 11 characters A-Z a-z 0-9 space . -, e.g. CONGDVC',
  parse: (raw) => (/^[A-Za-z0-9][A-Za-z0-9 .-]{0,10}$/.test(raw) ? raw : undefined),
};

const secretField: Field<string> = {
  expects: 'a secret of 32 to 500 printable characters without spaces',
  parse: (raw) => (/^[\x21-\x7e]{32,500}$/.test(raw) ? raw : undefined),
};
