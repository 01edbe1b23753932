/**
 * The command line shared by the register simulators: options (or environment variables), start, print
 * the address, stop on SIGTERM/SIGINT or — with --exit-with-stdin — when the parent that started it goes.
 */
import { parseArgs } from 'node:util';
import { FAULTS, type Fault, type RegisterServerOptions, type RunningRegister } from './http.ts';

export interface CliSettings extends RegisterServerOptions {
  seed: string;
  size: number | undefined;
}

export const COMMON_HELP = `  --port N          port (env PORT; 0 picks a free one)
  --host H          address to listen on (env HOST; default 127.0.0.1)
  --api-key KEY     the key callers send in X-Api-Key, 8 characters or more (env REGISTER_API_KEY; required)
  --seed S          seed of the generated data (env SEED; default 1)
  --size N          how many people or businesses are generated (env SIZE)
  --latency-ms N    wait before every answer (env LATENCY_MS; default 0)
  --fault F         ${FAULTS.join(' | ')} (env FAULT; default none)
  --fault-rate P    share of requests that fail that way, 0–1 (env FAULT_RATE; default 1)
  --exit-with-stdin stop when standard input closes (the parent process that started it has gone)
  --quiet           no line per request`;

export async function runRegisterCli(
  name: string,
  help: string,
  defaultPort: number,
  start: (settings: CliSettings) => Promise<RunningRegister & { describe: string }>,
): Promise<void> {
  const fail = (message: string): never => {
    process.stderr.write(`${name}: ${message}\n`);
    process.exit(2);
  };
  let args: Record<string, string | boolean | undefined> = {};
  try {
    args = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'api-key': { type: 'string' },
        seed: { type: 'string' },
        size: { type: 'string' },
        'latency-ms': { type: 'string' },
        fault: { type: 'string' },
        'fault-rate': { type: 'string' },
        'exit-with-stdin': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    fail((e as Error).message);
  }
  if (args.help) {
    process.stdout.write(`${help}\n`);
    process.exit(0);
  }
  const env = process.env;
  const text = (key: string, envName: string) => {
    const v = args[key];
    return typeof v === 'string' ? v : env[envName];
  };
  const number = (key: string, envName: string, fallback: number | undefined) => {
    const raw = text(key, envName);
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n)) fail(`--${key} must be a number (got "${raw}")`);
    return n;
  };
  const apiKey = text('api-key', 'REGISTER_API_KEY') ?? '';
  if (apiKey.length < 8) fail('--api-key (or REGISTER_API_KEY) of at least 8 characters is required');
  const fault = (text('fault', 'FAULT') ?? 'none') as Fault;
  if (!FAULTS.includes(fault)) fail(`--fault must be one of ${FAULTS.join(', ')}`);
  try {
    const running = await start({
      apiKey,
      port: number('port', 'PORT', defaultPort)!,
      host: text('host', 'HOST') ?? '127.0.0.1',
      seed: text('seed', 'SEED') ?? '1',
      size: number('size', 'SIZE', undefined),
      faults: {
        latencyMs: number('latency-ms', 'LATENCY_MS', 0)!,
        fault,
        faultRate: number('fault-rate', 'FAULT_RATE', 1)!,
      },
      ...(args.quiet ? {} : { log: (line: string) => process.stdout.write(`${line}\n`) }),
    });
    process.stdout.write(`${name} at ${running.url} (${running.describe})\n`);
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
}
