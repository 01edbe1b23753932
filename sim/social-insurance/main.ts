/**
 * `sim/social-insurance`: Vietnam Social Security's voluntary social insurance register, as its own
 * process. See README.md.
 *
 *   SI_API_KEY=… node --import tsx sim/social-insurance/main.ts --port 4600 [--seed 1] [--size 20000]
 */
import { parseArgs } from 'node:util';
import { parseFaults, startSocialInsurance } from './server.ts';

const HELP = `Mô phỏng hệ thống Bảo hiểm xã hội Việt Nam: người tham gia BHXH tự nguyện, ghi nhận khoản đóng.
Vietnam Social Security's voluntary social insurance register (simulated).

  SI_API_KEY=… node --import tsx sim/social-insurance/main.ts [options]

  --port N           port (env PORT; 0 picks a free one; default 4600)
  --host H           address to listen on (env HOST; default 127.0.0.1)
  --seed S           seed of the generated participants (env SEED; default 1)
  --size N           how many participants are generated (env SIZE; default 20000)
  --exit-with-stdin  stop when standard input closes (the parent process that started it has gone)
  --quiet            no line per request

Environment:
  SI_API_KEY         the key callers send in x-api-key, 8 characters or more (required)
  SI_FAULTS          faults on purpose: unavailable[:rate], timeout[:rate], latency:ms, comma-separated

Prints "social-insurance at http://…" once listening.`;

const fail = (message: string): never => {
  process.stderr.write(`social-insurance: ${message}\n`);
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
      size: value,
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
const apiKey = process.env.SI_API_KEY ?? '';
if (apiKey.length < 8) fail('SI_API_KEY of at least 8 characters is required');
try {
  const running = await startSocialInsurance({
    apiKey,
    port: number('port', 'PORT', 4600),
    host: text('host', 'HOST') ?? '127.0.0.1',
    seed: text('seed', 'SEED') ?? '1',
    size: number('size', 'SIZE', 20_000),
    faults: parseFaults(process.env.SI_FAULTS),
    ...(args.quiet ? {} : { log: (line: string) => process.stdout.write(`${line}\n`) }),
  });
  process.stdout.write(
    `social-insurance at ${running.url} (seed ${running.register.seed}, ${running.register.size} participants)\n`,
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
