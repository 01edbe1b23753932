/**
 * Configuration, read once from the environment and validated before anything starts.
 * A missing or malformed value stops the process with a message that names the variable and what it
 * expects (issue #2 §2). Every other part of the app receives a typed `Config`, never `process.env`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  nodeEnv: NodeEnv;
  host: string;
  port: number;
  /** Public base URL, used in links, e-mails and the OpenID Connect issuer later. */
  publicUrl: string;
  /** PostgreSQL connection string; absent means the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  databasePoolMax: number;
  /** Portal processes sharing the port (node:cluster); more than one needs PostgreSQL. */
  processes: number;
  dataDir: string;
  logLevel: LogLevel;
  /** Fastify's trustProxy: false, a hop count, or the addresses/CIDRs of the proxies. */
  trustProxy: boolean | number | string[];
  outboxPollMs: number;
  /** How long a claimed outbox message is the dispatcher's; a crashed process's come back after it. */
  outboxLeaseMs: number;
  shutdownTimeoutMs: number;
  /** The operator's CSV of agency identifier codes, applied over the shipped list. */
  agencyIdentifiersFile: string | undefined;
  /** Largest file a person may upload (bytes). */
  uploadMaxBytes: number;
  /** An S3-compatible object store for uploaded and issued files; absent: `DATA_DIR/blobs`. */
  s3: S3Config | undefined;
  /** Outbound webhooks to agency systems (docs/sync.md). */
  webhooks: WebhookConfig;
  /** Who runs this portal, shown in every page's footer (required in production). */
  operator: OperatorConfig;
  /** The national registers identity proofing asks (required in production). */
  registers: RegistersConfig;
  /** Who may read the Prometheus metrics (one of the two is required in production). */
  metrics: MetricsConfig;
  /** Agency systems the payments talk to: the traffic police (paid fines) and VSS (contributions). */
  agencySystems: AgencySystemsConfig;
  /** How messages reach people: e-mail over SMTP, SMS through a brand-name gateway (required in production). */
  notifications: NotificationsConfig;
  /**
   * Tests only (`test/payments-crash.test.ts`): the point of a payment callback's path where the process
   * kills itself with SIGKILL (PAYMENTS_CRASH_AT); refused when NODE_ENV=production.
   */
  paymentsCrashAt: PaymentsCrashPoint | undefined;
}

/**
 * after-receive: a CONFIRM received and its checksum verified, before the transaction that applies it;
 * after-ledger: the payment's transaction committed (ledger, receipts, outbox), before an effect runs.
 */
export type PaymentsCrashPoint = 'after-receive' | 'after-ledger';

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

/**
 * The metrics tell how busy the portal is, its routes and its database: not for anyone. With a token,
 * `/metrics` on the portal's port asks for it as a bearer token; with a listen address, the metrics are
 * served there only (a port the monitoring network reaches), not on the portal's port. With neither
 * (development only), `/metrics` answers only connections from this machine.
 */
export interface MetricsConfig {
  token: string | undefined;
  listen: { host: string; port: number } | undefined;
}

/** Where a national register's API is and the portal's key to it. */
export interface RegisterEndpointConfig {
  url: string;
  apiKey: string;
}

export interface RegistersConfig {
  /** The national population database (citizens' identity); absent: proofing unavailable. */
  population: RegisterEndpointConfig | undefined;
  /** The national business registration database; absent: businesses cannot be proven. */
  business: RegisterEndpointConfig | undefined;
  /** Deadline of one request to a register (milliseconds). */
  timeoutMs: number;
}

/** The traffic police's system of penalty decisions: where paid notices go and the secret they are signed with. */
export interface PoliceSystemConfig {
  url: string;
  webhookSecret: string;
}

export interface AgencySystemsConfig {
  /** POLICE_URL, POLICE_WEBHOOK_SECRET; absent: paid notices wait in the outbox. */
  police: PoliceSystemConfig | undefined;
  /** SOCIAL_INSURANCE_URL, SOCIAL_INSURANCE_API_KEY; absent: voluntary social insurance cannot be paid. */
  socialInsurance: RegisterEndpointConfig | undefined;
}

/** The configuration with the embedded demo's police and social-insurance simulators where the environment set none. */
export function withDemoAgencySystems(config: Config, systems: AgencySystemsConfig): Config {
  return {
    ...config,
    agencySystems: {
      police: config.agencySystems.police ?? systems.police,
      socialInsurance: config.agencySystems.socialInsurance ?? systems.socialInsurance,
    },
  };
}

/** The configuration with the embedded demo's register simulators where the environment set none. */
export function withDemoRegisters(
  config: Config,
  registers: { population: RegisterEndpointConfig; business: RegisterEndpointConfig },
): Config {
  return {
    ...config,
    registers: {
      ...config.registers,
      population: config.registers.population ?? registers.population,
      business: config.registers.business ?? registers.business,
    },
  };
}

/** The operating agency's contact details; each absent one is simply not shown. */
export interface OperatorConfig {
  name: string | undefined;
  /** As the operator writes it, e.g. "1900 1234" or "024 3825 1234". */
  hotline: string | undefined;
  email: string | undefined;
  address: string | undefined;
  /** Example values of the embedded demo, marked as such where they are shown. */
  example: boolean;
}

/**
 * The embedded demo's operator (`npm start` without DATABASE_URL, not in production): plainly example
 * values, so that the footer shows what a configured portal looks like.
 */
export const DEMO_OPERATOR: OperatorConfig = {
  name: 'Đơn vị vận hành Cổng (ví dụ)',
  hotline: '1800 0000',
  email: 'hotro.demo@example.vn',
  address: 'Số 1 phố Ví Dụ, phường Ba Đình, Hà Nội (ví dụ)',
  example: true,
};

/** The demo's operator where the environment set none (the operator's own values always win). */
export function withDemoOperator(config: Config): Config {
  const o = config.operator;
  if (o.name || o.hotline || o.email || o.address) return config;
  return { ...config, operator: DEMO_OPERATOR };
}

/** The digits to dial (`tel:`): "+84" numbers keep their plus; spaces, dots, dashes and brackets go. */
export function dialable(phone: string): string {
  return phone.replace(/[\s.()-]/g, '');
}

export interface WebhookConfig {
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** Endpoints on loopback and private networks (default: allowed except in production). */
  allowPrivate: boolean;
}

export interface S3Config {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  prefix: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cấu hình không hợp lệ / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

interface Field<T> {
  expects: string;
  parse: (raw: string) => T | undefined;
}

const integer = (min: number, max: number): Field<number> => ({
  expects: `an integer from ${min} to ${max}`,
  parse: (raw) => {
    if (!/^\d+$/.test(raw)) return undefined;
    const n = Number(raw);
    return n >= min && n <= max ? n : undefined;
  },
});

const oneOf = <T extends string>(values: readonly T[]): Field<T> => ({
  expects: `one of ${values.join(', ')}`,
  parse: (raw) => ((values as readonly string[]).includes(raw) ? (raw as T) : undefined),
});

const boolean: Field<boolean> = {
  expects: 'true or false (also 1/0, yes/no)',
  parse: (raw) => {
    const v = raw.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    return undefined;
  },
};

const proxies: Field<boolean | number | string[]> = {
  expects: 'false, true, the number of proxy hops, or a comma-separated list of proxy addresses/CIDRs',
  parse: (raw) => {
    const b = boolean.parse(raw);
    if (b !== undefined) return b;
    if (/^\d{1,2}$/.test(raw)) return Number(raw);
    const list = raw.split(',').map((x) => x.trim());
    return list.every((x) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(x)) ? list : undefined;
  },
};

const hostname: Field<string> = {
  expects: 'a host name or IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0',
  parse: (raw) => (/^[A-Za-z0-9.:_-]{1,253}$/.test(raw) ? raw : undefined),
};

const httpUrl: Field<string> = {
  expects: 'an absolute http(s) URL without a trailing slash, e.g. https://dichvucong.example.vn',
  parse: (raw) => {
    try {
      const u = new URL(raw);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
      return raw.replace(/\/+$/, '');
    } catch {
      return undefined;
    }
  },
};

const postgresUrl: Field<string> = {
  expects: 'a PostgreSQL connection URL, e.g. postgres://user:password@127.0.0.1:5432/portal',
  parse: (raw) => {
    try {
      const u = new URL(raw);
      return u.protocol === 'postgres:' || u.protocol === 'postgresql:' ? raw : undefined;
    } catch {
      return undefined;
    }
  },
};

const directory: Field<string> = {
  expects: 'a directory path',
  parse: (raw) => (raw.trim() === '' ? undefined : path.resolve(raw)),
};

/**
 * A Vietnamese telephone number as people write it (spaces, dots, dashes allowed): a 1800/1900 service
 * number (8 or 10 digits), a four-digit short number such as 1022, a mobile (0 + 9 digits) or a
 * landline (02x + 8 digits), also with +84 instead of the leading 0.
 */
const vietnamesePhone: Field<string> = {
  expects:
    'a Vietnamese phone number, e.g. 1900 1234, 1800 1234 56, 1022, 024 3825 1234, 0912 345 678 or +84 24 3825 1234',
  parse: (raw) => {
    if (!/^[+(0-9][0-9 .()-]{2,24}$/.test(raw)) return undefined;
    const digits = dialable(raw);
    const national = digits.startsWith('+84') ? `0${digits.slice(3)}` : digits;
    if (digits.startsWith('+84') && !/^0[2-9]/.test(national)) return undefined;
    const ok =
      /^1[89]00\d{4}(\d{2})?$/.test(national) ||
      /^10\d{2}$/.test(national) ||
      /^0[35789]\d{8}$/.test(national) ||
      /^02\d{9}$/.test(national);
    return ok ? raw.replace(/\s+/g, ' ') : undefined;
  },
};

const emailAddress: Field<string> = {
  expects: 'an e-mail address, e.g. hotro@dichvucong.example.vn',
  parse: (raw) =>
    raw.length <= 254 && /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(raw)
      ? raw
      : undefined,
};

/** Free text shown on every page: one line, bounded, NFC. */
const displayText = (max: number): Field<string> => ({
  expects: `text of at most ${max} characters on one line`,
  parse: (raw) => {
    const text = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    return text !== '' && text.length <= max && !/[\u0000-\u001f\u007f]/.test(text) ? text : undefined;
  },
});

const existingFile: Field<string> = {
  expects: 'the path of an existing, readable file',
  parse: (raw) => {
    const p = path.resolve(raw);
    try {
      fs.accessSync(p, fs.constants.R_OK);
      return fs.statSync(p).isFile() ? p : undefined;
    } catch {
      return undefined;
    }
  },
};

/** Reads and validates the configuration; throws a ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  function read<T>(name: string, field: Field<T>, fallback: T): T;
  function read<T>(name: string, field: Field<T>, fallback?: T): T | undefined;
  function read<T>(name: string, field: Field<T>, fallback?: T): T | undefined {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = field.parse(raw.trim());
    if (value === undefined) {
      const shown = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
      problems.push(
        `${name} must be ${field.expects} (got "${name === 'DATABASE_URL' || name === 'SMTP_URL' ? redactUrl(shown) : /_API_KEY$|_TOKEN$|_SECRET$/.test(name) ? '***' : shown}")`,
      );
    }
    return value ?? fallback;
  }

  const nodeEnv = read('NODE_ENV', oneOf(['development', 'production', 'test'] as const), 'development');
  const port = read('PORT', integer(0, 65535), 3000);
  const host = read('HOST', hostname, '127.0.0.1');
  const databaseUrl = read('DATABASE_URL', postgresUrl);
  const config: Config = {
    nodeEnv,
    host,
    port,
    publicUrl: read(
      'PUBLIC_URL',
      httpUrl,
      `http://${host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host}:${port}`,
    ),
    databaseUrl,
    databasePoolMax: read('DATABASE_POOL_MAX', integer(1, 1000), 10),
    processes: read(
      'PORTAL_PROCESSES',
      {
        expects: 'an integer from 1 to 64, or auto (one per CPU core)',
        parse: (raw) => {
          if (raw === 'auto') return Math.min(64, os.availableParallelism());
          const n = integer(1, 64).parse(raw);
          return n;
        },
      },
      1,
    ),
    dataDir: read('DATA_DIR', directory, path.resolve('data')),
    logLevel: read(
      'LOG_LEVEL',
      oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
      'info',
    ),
    trustProxy: read('TRUST_PROXY', proxies, false),
    outboxPollMs: read('OUTBOX_POLL_MS', integer(10, 600_000), 1000),
    outboxLeaseMs: read('OUTBOX_LEASE_MS', integer(1000, 3_600_000), 60_000),
    shutdownTimeoutMs: read('SHUTDOWN_TIMEOUT_MS', integer(100, 600_000), 10_000),
    agencyIdentifiersFile: read('AGENCY_IDENTIFIERS_FILE', existingFile),
    uploadMaxBytes: read('UPLOAD_MAX_MB', integer(1, 1024), 20) * 1024 * 1024,
    s3: undefined,
    webhooks: {
      timeoutMs: read('WEBHOOK_TIMEOUT_MS', integer(100, 120_000), 10_000),
      maxAttempts: read('WEBHOOK_MAX_ATTEMPTS', integer(1, 50), 12),
      retryBaseMs: read('WEBHOOK_RETRY_BASE_MS', integer(1, 3_600_000), 30_000),
      allowPrivate: read('WEBHOOK_ALLOW_PRIVATE', boolean, nodeEnv !== 'production'),
    },
    operator: {
      name: read('OPERATOR_NAME', displayText(200)),
      hotline: read('OPERATOR_HOTLINE', vietnamesePhone),
      email: read('OPERATOR_EMAIL', emailAddress),
      address: read('OPERATOR_ADDRESS', displayText(300)),
      example: false,
    },
    registers: {
      population: undefined,
      business: undefined,
      timeoutMs: read('REGISTER_TIMEOUT_MS', integer(100, 60_000), 5000),
    },
    metrics: {
      token: read('METRICS_TOKEN', metricsToken),
      listen: read('METRICS_LISTEN', listenAddress),
    },
    agencySystems: { police: undefined, socialInsurance: undefined },
    notifications: {
      smtp: undefined,
      sms: undefined,
      maxAttempts: read('NOTIFY_MAX_ATTEMPTS', integer(1, 10), 8),
      timeoutMs: read('NOTIFY_TIMEOUT_MS', integer(100, 120_000), 10_000),
    },
    paymentsCrashAt: read('PAYMENTS_CRASH_AT', oneOf(['after-receive', 'after-ledger'] as const)),
  };
  if (nodeEnv === 'production' && (env.PAYMENTS_CRASH_AT ?? '').trim() !== '') {
    problems.push(
      'PAYMENTS_CRASH_AT is a test hook (it kills the process) and is refused when NODE_ENV=production',
    );
    config.paymentsCrashAt = undefined;
  }
  if (nodeEnv === 'production' && !config.metrics.token && !config.metrics.listen) {
    problems.push(
      'METRICS_TOKEN or METRICS_LISTEN is required when NODE_ENV=production (who may read the metrics: a bearer token, or an address only the monitoring network reaches)',
    );
  }
  // Each national register: its URL and the portal's API key, both or neither; both in production.
  for (const [key, prefix, what] of REGISTERS) {
    const urlName = `${prefix}_URL`;
    const keyName = `${prefix}_API_KEY`;
    const hasUrl = (env[urlName] ?? '').trim() !== '';
    const hasKey = (env[keyName] ?? '').trim() !== '';
    if (hasUrl !== hasKey) {
      problems.push(`${hasUrl ? keyName : urlName} is needed with ${hasUrl ? urlName : keyName} (${what})`);
    } else if (hasUrl) {
      const url = read(urlName, httpUrl);
      const apiKey = read(keyName, apiKeyField);
      if (url && apiKey) config.registers[key] = { url, apiKey };
    } else if (nodeEnv === 'production') {
      problems.push(
        `${urlName} and ${keyName} are required when NODE_ENV=production (${what}: identity proofing at registration)`,
      );
    }
  }
  // Fines and social insurance: each agency system's URL and its secret, both or neither.
  for (const [urlName, keyName, what] of AGENCY_SYSTEMS) {
    const hasUrl = (env[urlName] ?? '').trim() !== '';
    const hasKey = (env[keyName] ?? '').trim() !== '';
    if (hasUrl !== hasKey) {
      problems.push(`${hasUrl ? keyName : urlName} is needed with ${hasUrl ? urlName : keyName} (${what})`);
    } else if (hasUrl) {
      const url = read(urlName, httpUrl);
      const secret = read(keyName, apiKeyField);
      if (url && secret) {
        if (urlName === 'POLICE_URL') config.agencySystems.police = { url, webhookSecret: secret };
        else config.agencySystems.socialInsurance = { url, apiKey: secret };
      }
    }
  }
  // S3: all of endpoint, bucket, region and keys, or none of them.
  const s3Names = [
    'S3_ENDPOINT',
    'S3_BUCKET',
    'S3_REGION',
    'S3_ACCESS_KEY_ID',
    'S3_SECRET_ACCESS_KEY',
  ] as const;
  const given = s3Names.filter((n) => (env[n] ?? '') !== '');
  if (given.length > 0 && given.length < s3Names.length) {
    problems.push(
      `S3 needs all of ${s3Names.join(', ')} (missing: ${s3Names.filter((n) => !given.includes(n)).join(', ')})`,
    );
  } else if (given.length === s3Names.length) {
    const text: Field<string> = { expects: 'a non-empty value', parse: (raw) => raw || undefined };
    config.s3 = {
      endpoint: read('S3_ENDPOINT', httpUrl, ''),
      bucket: read(
        'S3_BUCKET',
        {
          expects: 'an S3 bucket name (3–63 characters a-z 0-9 . -)',
          parse: (raw) => (/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(raw) ? raw : undefined),
        },
        '',
      ),
      region: read(
        'S3_REGION',
        {
          expects: 'a region such as ap-southeast-1',
          parse: (raw) => (/^[a-z0-9-]{2,40}$/.test(raw) ? raw : undefined),
        },
        '',
      ),
      accessKeyId: read('S3_ACCESS_KEY_ID', text, ''),
      secretAccessKey: read('S3_SECRET_ACCESS_KEY', text, ''),
      prefix: read('S3_PREFIX', text),
    };
  }
  if (config.processes > 1 && databaseUrl === undefined) {
    problems.push(
      'PORTAL_PROCESSES above 1 needs PostgreSQL (DATABASE_URL): the embedded database belongs to one process',
    );
  }
  if (nodeEnv === 'production' && !config.publicUrl.startsWith('https://')) {
    problems.push('PUBLIC_URL must be the https:// address of the portal when NODE_ENV=production');
  }
  if (nodeEnv === 'production') {
    // A public portal says who runs it and how to reach them (the footer of every page).
    for (const name of OPERATOR_REQUIRED) {
      if ((env[name] ?? '').trim() === '')
        problems.push(
          `${name} is required when NODE_ENV=production (${OPERATOR_VARIABLES[name]}, shown in the footer of every page)`,
        );
    }
  }
  readNotifications(env, config, read, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

type Reader = <T>(name: string, field: Field<T>) => T | undefined;

const given = (env: Env, name: string) => (env[name] ?? '').trim() !== '';

/** SMTP_URL and SMS_GATEWAY_URL with what each needs; required (or `off`) in production. */
function readNotifications(env: Env, config: Config, read: Reader, problems: string[]): void {
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

const REGISTERS = [
  ['population', 'POPULATION_REGISTER', 'the national population database'],
  ['business', 'BUSINESS_REGISTER', 'the national business registration database'],
] as const;

const AGENCY_SYSTEMS = [
  ['POLICE_URL', 'POLICE_WEBHOOK_SECRET', 'the traffic police system told of paid fines'],
  ['SOCIAL_INSURANCE_URL', 'SOCIAL_INSURANCE_API_KEY', 'Vietnam Social Security, voluntary social insurance'],
] as const;

const metricsToken: Field<string> = {
  expects: 'a token of 32 to 500 printable characters without spaces',
  parse: (raw) => (/^[\x21-\x7e]{32,500}$/.test(raw) ? raw : undefined),
};

const listenAddress: Field<{ host: string; port: number }> = {
  expects: 'host:port, such as 127.0.0.1:9464 or [::1]:9464',
  parse: (raw) => {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9._-]{1,253})):(\d{1,5})$/.exec(raw);
    const port = m ? Number(m[3]) : Number.NaN;
    return m && port >= 1 && port <= 65535 ? { host: (m[1] ?? m[2]) as string, port } : undefined;
  },
};

const apiKeyField: Field<string> = {
  expects: 'an API key of 8 to 500 printable characters without spaces',
  parse: (raw) => (/^[\x21-\x7e]{8,500}$/.test(raw) ? raw : undefined),
};

const OPERATOR_VARIABLES = {
  OPERATOR_NAME: 'the name of the agency operating the portal',
  OPERATOR_HOTLINE: 'its support hotline',
  OPERATOR_EMAIL: 'its support e-mail address',
} as const;
const OPERATOR_REQUIRED = Object.keys(OPERATOR_VARIABLES) as Array<keyof typeof OPERATOR_VARIABLES>;

function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

/** The variables, for the README and `--help`. */
export const CONFIG_VARIABLES: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  { name: 'PORT', default: '3000', meaning: 'HTTP port' },
  { name: 'HOST', default: '127.0.0.1', meaning: 'address to listen on (0.0.0.0 in a container)' },
  {
    name: 'PUBLIC_URL',
    default: 'http://localhost:$PORT',
    meaning: 'public base URL (https, required in production)',
  },
  { name: 'DATABASE_URL', default: '(none: embedded PGlite)', meaning: 'postgres:// URL of PostgreSQL 15+' },
  { name: 'DATABASE_POOL_MAX', default: '10', meaning: 'PostgreSQL connections per process' },
  {
    name: 'PORTAL_PROCESSES',
    default: '1',
    meaning:
      'processes serving the port (node:cluster), or auto for one per CPU core; above 1 needs DATABASE_URL',
  },
  { name: 'DATA_DIR', default: './data', meaning: 'embedded database and local files' },
  { name: 'LOG_LEVEL', default: 'info', meaning: 'fatal, error, warn, info, debug, trace or silent' },
  { name: 'NODE_ENV', default: 'development', meaning: 'development, production or test' },
  {
    name: 'TRUST_PROXY',
    default: 'false',
    meaning: 'trust X-Forwarded-*: true, a hop count, or proxy addresses/CIDRs',
  },
  { name: 'OUTBOX_POLL_MS', default: '1000', meaning: 'how often the outbox dispatcher looks for work' },
  {
    name: 'OUTBOX_LEASE_MS',
    default: '60000',
    meaning:
      'how long a message being delivered is held; longer than the slowest delivery (a crashed process’s messages are delivered again after it)',
  },
  {
    name: 'WEBHOOK_TIMEOUT_MS',
    default: '10000',
    meaning: 'deadline of one webhook POST to an agency system',
  },
  { name: 'WEBHOOK_MAX_ATTEMPTS', default: '12', meaning: 'tries of a webhook before its dead letter' },
  {
    name: 'WEBHOOK_RETRY_BASE_MS',
    default: '30000',
    meaning: 'first retry wait; doubles per try (±20%), at most 6 hours',
  },
  {
    name: 'WEBHOOK_ALLOW_PRIVATE',
    default: 'true (false in production)',
    meaning: 'allow webhook endpoints on loopback and private networks',
  },
  {
    name: 'SHUTDOWN_TIMEOUT_MS',
    default: '10000',
    meaning: 'grace period for in-flight requests on SIGTERM',
  },
  { name: 'UPLOAD_MAX_MB', default: '20', meaning: 'largest file a person may upload, in MB' },
  {
    name: 'S3_ENDPOINT, S3_BUCKET, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_PREFIX',
    default: '(none: files in DATA_DIR/blobs)',
    meaning: 'an S3-compatible object store for files (all but the prefix, or none)',
  },
  {
    name: 'OPERATOR_NAME',
    default: '(none; required in production)',
    meaning: 'the operating agency, shown in the footer',
  },
  {
    name: 'OPERATOR_HOTLINE',
    default: '(none; required in production)',
    meaning: 'support hotline, a Vietnamese number (1900 1234, 024 3825 1234…), shown as a tel: link',
  },
  {
    name: 'OPERATOR_EMAIL',
    default: '(none; required in production)',
    meaning: 'support e-mail address, shown as a mailto: link',
  },
  { name: 'OPERATOR_ADDRESS', default: '(none)', meaning: 'postal address of the operator, in the footer' },
  {
    name: 'POPULATION_REGISTER_URL, POPULATION_REGISTER_API_KEY',
    default: '(none; required in production; the embedded demo starts a simulator)',
    meaning:
      'the national population database that proves citizens at registration, and the portal key to it',
  },
  {
    name: 'BUSINESS_REGISTER_URL, BUSINESS_REGISTER_API_KEY',
    default: '(none; required in production; the embedded demo starts a simulator)',
    meaning: 'the national business registration database that proves businesses, and the portal key to it',
  },
  {
    name: 'REGISTER_TIMEOUT_MS',
    default: '5000',
    meaning: 'deadline of one request to a national register',
  },
  {
    name: 'POLICE_URL, POLICE_WEBHOOK_SECRET',
    default: '(none; the embedded demo starts a simulator)',
    meaning:
      'the traffic police system of penalty decisions, told when a fine is paid (POST /api/v1/fines/paid), and the secret (8+ characters) the notices are signed with (HMAC-SHA256)',
  },
  {
    name: 'SOCIAL_INSURANCE_URL, SOCIAL_INSURANCE_API_KEY',
    default: '(none; the embedded demo starts a simulator)',
    meaning:
      'Vietnam Social Security: voluntary social-insurance participants and contributions, and the portal key to it',
  },
  {
    name: 'METRICS_TOKEN',
    default: '(none; this or METRICS_LISTEN required in production)',
    meaning: 'bearer token the monitoring system sends to read /metrics on the portal port',
  },
  {
    name: 'METRICS_LISTEN',
    default: '(none)',
    meaning:
      'host:port where the metrics are served instead of the portal port (only what the monitoring network reaches); with neither, /metrics answers this machine only',
  },
  {
    name: 'SMTP_URL',
    default: '(none; required in production, or off; the embedded demo starts a mail sink)',
    meaning:
      'the mail server e-mails leave through: smtp://user:password@host:587 (STARTTLS, required in production) or smtps://…:465 (TLS); off sends no e-mail',
  },
  { name: 'MAIL_FROM', default: '(none; required with SMTP_URL)', meaning: 'the sender address of e-mails' },
  { name: 'MAIL_FROM_NAME', default: 'Cổng Dịch vụ công', meaning: 'the sender name of e-mails' },
  {
    name: 'DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY_FILE',
    default: '(none: not signed)',
    meaning:
      'DKIM signing of e-mails: the signing domain, the selector and a PEM private key file (all or none)',
  },
  {
    name: 'SMS_GATEWAY_URL',
    default: '(none; required in production, or off; the embedded demo starts a simulator)',
    meaning: 'the brand-name SMS gateway (HTTP API); off sends no SMS',
  },
  {
    name: 'SMS_GATEWAY_API_KEY, SMS_BRAND_NAME, SMS_GATEWAY_REPORT_SECRET',
    default: '(none; required with SMS_GATEWAY_URL)',
    meaning:
      'the portal key to the gateway, the brand name registered with the operators, and the secret (32+ characters) the gateway signs delivery reports with',
  },
  { name: 'NOTIFY_MAX_ATTEMPTS', default: '8', meaning: 'tries of a message before it is failed (1–10)' },
  {
    name: 'NOTIFY_TIMEOUT_MS',
    default: '10000',
    meaning: 'deadline of one SMTP step or SMS gateway request',
  },
  {
    name: 'PAYMENTS_CRASH_AT',
    default: '(none; refused in production)',
    meaning:
      'tests only: after-receive or after-ledger, where a payment callback kills the process (SIGKILL), for the crash tests',
  },
  {
    name: 'AGENCY_IDENTIFIERS_FILE',
    default: '(none)',
    meaning:
      'CSV of agency identifier codes (identifier,agency_code,valid_from,valid_to,verified,source) that overrides the shipped list',
  },
];
