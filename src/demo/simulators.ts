/**
 * The embedded demo's outside world: a simulator of `sim/<name>` started as a child process on a free
 * port, with its keys in its environment (never on the command line). It stops with the portal, and by
 * itself if the portal dies (its standard input closes).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export interface RunningSimulator {
  name: string;
  url: string;
  stop(): void;
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export function startSimulator(name: string, env: Record<string, string>): Promise<RunningSimulator> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'sim', name, 'main.ts'),
        '--port',
        '0',
        '--quiet',
        '--exit-with-stdin',
      ],
      { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const stop = () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    };
    let out = '';
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${name} did not start in 30 s:\n${out}`));
    }, 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ name, url: m[1]!, stop });
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${out}`));
    });
  });
}

/** Several at once; if one fails, the others are stopped. */
export async function startSimulators(
  specs: ReadonlyArray<{ name: string; env: Record<string, string> }>,
): Promise<RunningSimulator[]> {
  const started = await Promise.allSettled(specs.map((s) => startSimulator(s.name, s.env)));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    for (const s of started) if (s.status === 'fulfilled') s.value.stop();
    throw (failed as PromiseRejectedResult).reason;
  }
  return started.map((s) => (s as PromiseFulfilledResult<RunningSimulator>).value);
}
