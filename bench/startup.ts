/**
 * Start-up time of the portal process, to ready (`/health/ready` = 200), on an empty and on an
 * initialised `./data`, against the floor measured in the same run: a process that only opens PGlite
 * on the same kind of directory and listens with a bare Fastify.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Row } from './run.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function timeToReady(script: string, dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
    child.on('exit', (code) => reject(new Error(`${script} exited ${code}: ${out}`)));
  });
  for (;;) {
    const r = await fetch(`${url}/health/ready`).catch(() => undefined);
    if (r?.status === 200) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const elapsed = performance.now() - started;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  return elapsed;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function startup(): Promise<Row[]> {
  const fresh = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
  const oursEmpty: number[] = [];
  const oursInit: number[] = [];
  const floorEmpty: number[] = [];
  const floorInit: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const a = fresh();
    oursEmpty.push(await timeToReady('src/main.ts', a));
    oursInit.push(await timeToReady('src/main.ts', a));
    const b = fresh();
    floorEmpty.push(await timeToReady('bench/startup-floor.ts', b));
    floorInit.push(await timeToReady('bench/startup-floor.ts', b));
    fs.rmSync(a, { recursive: true, force: true });
    fs.rmSync(b, { recursive: true, force: true });
  }
  return [
    {
      figure: `start-up to ready, empty ./data (median of ${RUNS})`,
      ours: median(oursEmpty),
      limit: median(floorEmpty),
      unit: 'ms',
      better: 'lower',
      note: 'floor: PGlite + bare Fastify',
    },
    {
      figure: `start-up to ready, initialised ./data (median of ${RUNS})`,
      ours: median(oursInit),
      limit: median(floorInit),
      unit: 'ms',
      better: 'lower',
      note: 'floor: PGlite + bare Fastify',
    },
  ];
}
