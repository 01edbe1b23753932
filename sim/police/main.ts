/**
 * `sim/police`: the traffic police's penalty-decision system, as its own process. See README.md.
 *
 *   PORTAL_URL=http://localhost:3000 POLICE_CLIENT_ID=… POLICE_CLIENT_SECRET=… POLICE_WEBHOOK_SECRET=… \
 *   POLICE_REGISTER_ON_START=1 node --import tsx sim/police/main.ts --port 4700
 */
import { parseArgs } from 'node:util';
import { startPolice } from './server.ts';

const HELP = `Mô phỏng hệ thống xử phạt của Cảnh sát giao thông: quyết định xử phạt, đăng ký với Cổng, nhận báo đã nộp.
The traffic police's penalty-decision system (simulated): decisions, registered with the portal, paid notices.

  node --import tsx sim/police/main.ts [options]

  --port N           port (env PORT; 0 picks a free one; default 4700)
  --host H           address to listen on (env HOST; default 127.0.0.1)
  --seed S           seed of the generated decisions (env SEED; default 1)
  --count N          how many decisions are generated besides the demo ones (env COUNT; default 300)
  --exit-with-stdin  stop when standard input closes (the parent process that started it has gone)
  --quiet            no line per request (problems still go to standard error)

Environment:
  POLICE_WEBHOOK_SECRET     the secret the portal signs paid notices with, 8+ characters (required)
  PORTAL_URL                the portal (none: nothing is registered)
  POLICE_CLIENT_ID          the police system's OAuth client at the portal
  POLICE_CLIENT_SECRET      its secret (HTTP Basic at {PORTAL_URL}/oidc/token)
  POLICE_ADMIN_KEY          Bearer key of /_sim/* (default: POLICE_CLIENT_SECRET)
  POLICE_REGISTER_ON_START  1: register every decision once listening
  POLICE_AGENCY_CODE        the issuing unit's code (default BCA)
  POLICE_AGENCY_NAME        its name (default Phòng Cảnh sát giao thông Công an TP Hà Nội)
  POLICE_TREASURY_ACCOUNT, POLICE_TREASURY_BANK_BIN, POLICE_TREASURY_NAME
                            the State Treasury collection account (default: test data, README.md)

Prints "police at http://…" once listening.`;

const fail = (message: string): never => {
  process.stderr.write(`police: ${message}\n`);
  process.exit(2);
};
let args: Record<string, string | boolean | undefined> = {};
try {
  const value = { type: 'string' } as const;
  const flag = { type: 'boolean' } as const;
  args = parseArgs({
    options: {
      port: value,
      host: value,
      seed: value,
      count: value,
      'exit-with-stdin': flag,
      quiet: flag,
      help: flag,
    },
  }).values;
} catch (e) {
  fail((e as Error).message);
}
if (args.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
const env = process.env;
const text = (key: string, envName: string) => {
  const v = args[key];
  return typeof v === 'string' ? v : env[envName];
};
const number = (key: string, envName: string, fallback: number) => {
  const raw = text(key, envName);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) fail(`--${key} must be a number (got "${raw}")`);
  return n;
};
const set = (name: string) => (env[name] ? env[name] : undefined);
const webhookSecret = env.POLICE_WEBHOOK_SECRET ?? '';
if (webhookSecret.length < 8) fail('POLICE_WEBHOOK_SECRET of at least 8 characters is required');
const portalUrl = set('PORTAL_URL');
const registerOnStart = env.POLICE_REGISTER_ON_START === '1' || env.POLICE_REGISTER_ON_START === 'true';
if (registerOnStart && !portalUrl) fail('POLICE_REGISTER_ON_START=1 needs PORTAL_URL');
try {
  const running = await startPolice({
    port: number('port', 'PORT', 4700),
    host: text('host', 'HOST') ?? '127.0.0.1',
    seed: text('seed', 'SEED') ?? '1',
    count: number('count', 'COUNT', 300),
    webhookSecret,
    ...(portalUrl ? { portalUrl } : {}),
    ...(set('POLICE_CLIENT_ID') ? { clientId: set('POLICE_CLIENT_ID')! } : {}),
    ...(set('POLICE_CLIENT_SECRET') ? { clientSecret: set('POLICE_CLIENT_SECRET')! } : {}),
    ...(set('POLICE_ADMIN_KEY') ? { adminKey: set('POLICE_ADMIN_KEY')! } : {}),
    agency: {
      code: set('POLICE_AGENCY_CODE') ?? 'BCA',
      ...(set('POLICE_AGENCY_NAME') ? { name: set('POLICE_AGENCY_NAME')! } : {}),
    },
    treasury: {
      ...(set('POLICE_TREASURY_ACCOUNT') ? { account: set('POLICE_TREASURY_ACCOUNT')! } : {}),
      ...(set('POLICE_TREASURY_BANK_BIN') ? { bankBin: set('POLICE_TREASURY_BANK_BIN')! } : {}),
      ...(set('POLICE_TREASURY_NAME') ? { name: set('POLICE_TREASURY_NAME')! } : {}),
    },
    registerOnStart,
    ...(args.quiet ? {} : { log: (line: string) => process.stdout.write(`${line}\n`) }),
    warn: (line: string) => process.stderr.write(`police: ${line}\n`),
  });
  process.stdout.write(
    `police at ${running.url} (${running.decisions().length} decisions${portalUrl ? `, portal ${portalUrl}` : ', no portal'})\n`,
  );
  const stop = () => void running.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (args['exit-with-stdin']) {
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
    process.stdin.resume();
  }
} catch (e) {
  fail((e as Error).message);
}
