/**
 * `sim/sms-gateway`: a brand-name SMS gateway as its own process. See README.md.
 *
 *   node --import tsx sim/sms-gateway/main.ts --port 4300 --api-key … --brand-name CONGDVC \
 *     --report-url http://localhost:3000/api/v1/notifications/sms-reports --report-secret …
 */
import { parseArgs } from 'node:util';
import { REPORT_FAULTS, type ReportFault, SEND_FAULTS, type SendFault, startSmsGateway } from './server.ts';

const HELP = `Mô phỏng cổng SMS thương hiệu (brandname): nhận tin, trả mã tin, gửi báo cáo trạng thái.
A brand-name SMS gateway (simulated): takes messages, answers ids, posts delivery reports.

  node --import tsx sim/sms-gateway/main.ts [options]

  --port N             port (env PORT; 0 picks a free one; default 4300)
  --host H             address to listen on (env HOST; default 127.0.0.1)
  --api-key KEY        the key callers send as Authorization: Bearer, 8+ characters (env SMS_GATEWAY_API_KEY; required)
  --brand-name NAME    the registered brand name (env SMS_BRAND_NAME; default CONGDVC)
  --report-url URL     where delivery reports are POSTed (env SMS_REPORT_URL; none: no reports)
  --report-secret S    the secret reports are signed with (env SMS_GATEWAY_REPORT_SECRET)
  --report-delay-ms N  wait before a message's report (env REPORT_DELAY_MS; default 2000)
  --fault F            ${SEND_FAULTS.join(' | ')}: what goes wrong with send requests (env FAULT; default none)
  --fault-rate P       share of send requests that fail that way, 0–1 (env FAULT_RATE; default 1)
  --report-fault F     ${REPORT_FAULTS.join(' | ')}: what goes wrong with reports (env REPORT_FAULT; default none)
  --report-fault-rate P  share of reports (env REPORT_FAULT_RATE; default 1)
  --exit-with-stdin    stop when standard input closes (the parent process that started it has gone)
  --quiet              no line per request

Prints "sms-gateway at http://…" once listening; its page at that address lists the messages received.`;

const fail = (message: string): never => {
  process.stderr.write(`sms-gateway: ${message}\n`);
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
      'api-key': value,
      'brand-name': value,
      'report-url': value,
      'report-secret': value,
      'report-delay-ms': value,
      fault: value,
      'fault-rate': value,
      'report-fault': value,
      'report-fault-rate': value,
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
const text = (key: string, envName: string) => {
  const v = args[key];
  return typeof v === 'string' ? v : process.env[envName];
};
const number = (key: string, envName: string, fallback: number) => {
  const raw = text(key, envName);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) fail(`--${key} must be a number (got "${raw}")`);
  return n;
};
const apiKey = text('api-key', 'SMS_GATEWAY_API_KEY') ?? '';
if (apiKey.length < 8) fail('--api-key (or SMS_GATEWAY_API_KEY) of at least 8 characters is required');
const reportUrl = text('report-url', 'SMS_REPORT_URL');
const reportSecret = text('report-secret', 'SMS_GATEWAY_REPORT_SECRET');
if (reportUrl && !reportSecret) fail('--report-url needs --report-secret (or SMS_GATEWAY_REPORT_SECRET)');
try {
  const running = await startSmsGateway({
    apiKey,
    brandName: text('brand-name', 'SMS_BRAND_NAME') ?? 'CONGDVC',
    port: number('port', 'PORT', 4300),
    host: text('host', 'HOST') ?? '127.0.0.1',
    ...(reportUrl ? { reportUrl } : {}),
    ...(reportSecret ? { reportSecret } : {}),
    faults: {
      send: (text('fault', 'FAULT') ?? 'none') as SendFault,
      sendRate: number('fault-rate', 'FAULT_RATE', 1),
      reports: (text('report-fault', 'REPORT_FAULT') ?? 'none') as ReportFault,
      reportsRate: number('report-fault-rate', 'REPORT_FAULT_RATE', 1),
      reportDelayMs: number('report-delay-ms', 'REPORT_DELAY_MS', 2000),
    },
    ...(args.quiet ? {} : { log: (line: string) => process.stdout.write(`${line}\n`) }),
  });
  process.stdout.write(
    `sms-gateway at ${running.url} (brand name ${text('brand-name', 'SMS_BRAND_NAME') ?? 'CONGDVC'})\n`,
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
