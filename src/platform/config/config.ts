/**
 * Configuration, read once from the environment and validated before anything starts.
 * A missing or malformed value stops the process with a message that names the variable and what it
 * expects (issue #2 §2). Every other part of the app receives a typed `Config`, never `process.env`.
 */
import os from 'node:os';
import path from 'node:path';
import { type AgencySystemsConfig, readAgencySystems } from './agency-systems.ts';
import {
  createReader,
  directory,
  type Env,
  existingFile,
  hostname,
  httpUrl,
  integer,
  oneOf,
  postgresUrl,
  proxies,
} from './fields.ts';
import { checkMetrics, type MetricsConfig, readMetrics } from './metrics.ts';
import { type NotificationsConfig, readNotificationLimits, readNotifications } from './notifications.ts';
import { checkOperatorRequired, type OperatorConfig, readOperator } from './operator.ts';
import { type RegistersConfig, readRegisterEndpoints, readRegisterTimeout } from './registers.ts';
import { readS3, type S3Config } from './s3.ts';
import { readWebhooks, type WebhookConfig } from './webhooks.ts';

// The sections, each in its file with its types, its variables and their checks: webhooks.ts, operator.ts,
// registers.ts, metrics.ts, agency-systems.ts, notifications.ts, s3.ts; fields.ts holds the kinds of value
// and the reader, variables.ts the list of variables. This file reads the server's own settings and
// composes the sections; the order of the calls is the order of the problems in a ConfigError.

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

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cấu hình không hợp lệ / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; throws a ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = createReader(env, problems);

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
    webhooks: readWebhooks(read, nodeEnv === 'production'),
    operator: readOperator(read),
    registers: readRegisterTimeout(read),
    metrics: readMetrics(read),
    agencySystems: { police: undefined, socialInsurance: undefined },
    notifications: readNotificationLimits(read),
    paymentsCrashAt: read('PAYMENTS_CRASH_AT', oneOf(['after-receive', 'after-ledger'] as const)),
  };
  const production = nodeEnv === 'production';
  if (production && (env.PAYMENTS_CRASH_AT ?? '').trim() !== '') {
    problems.push(
      'PAYMENTS_CRASH_AT is a test hook (it kills the process) and is refused when NODE_ENV=production',
    );
    config.paymentsCrashAt = undefined;
  }
  checkMetrics(config.metrics, production, problems);
  readRegisterEndpoints(env, config.registers, production, read, problems);
  config.agencySystems = readAgencySystems(env, read, problems);
  config.s3 = readS3(env, read, problems);
  if (config.processes > 1 && databaseUrl === undefined) {
    problems.push(
      'PORTAL_PROCESSES above 1 needs PostgreSQL (DATABASE_URL): the embedded database belongs to one process',
    );
  }
  if (production && !config.publicUrl.startsWith('https://')) {
    problems.push('PUBLIC_URL must be the https:// address of the portal when NODE_ENV=production');
  }
  if (production) checkOperatorRequired(env, problems);
  readNotifications(env, config, read, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
