import fs from 'node:fs';
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { portalEnv, type RunningPortal, startPortalProcess } from './helpers.ts';

const onPostgres = Boolean(process.env.DATABASE_URL);
const running: RunningPortal[] = [];
const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const p of running) await p.stop('SIGKILL');
  for (const d of drops) await d();
});

describe('the portal process', () => {
  it('starts on a fresh data directory, prints its URL, and is ready', async () => {
    const { env, drop } = await portalEnv();
    drops.push(drop);
    const p = await startPortalProcess(env);
    running.push(p);
    expect(p.output()).toMatch(/Cổng DVC đang chạy tại/);
    const ready = await fetch(`${p.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok' });
    if (!onPostgres) expect(fs.existsSync(`${p.dataDir}/pglite`)).toBe(true);

    if (!onPostgres) {
      // A second process on the same ./data stops with a clear message.
      const second = await startPortalProcess({}, { dataDir: p.dataDir, expectFailure: true });
      const code = await second.stop();
      expect(code).toBe(1);
      expect(second.output()).toMatch(/in use by another Cổng DVC process \(pid \d+/);
    }

    // SIGTERM: graceful exit, lock released, and a restart on the initialised data works.
    expect(await p.stop('SIGTERM')).toBe(0);
    if (!onPostgres) expect(fs.existsSync(`${p.dataDir}/portal.lock`)).toBe(false);
    const again = await startPortalProcess(env, { dataDir: p.dataDir });
    running.push(again);
    const agencies = await fetch(`${again.url}/api/v1/admin-units?date=2025-07-01&level=province`);
    expect((await agencies.json()).items).toHaveLength(34);
    expect(await again.stop('SIGTERM')).toBe(0);
  });

  it.skipIf(!onPostgres)(
    'runs as several processes on one port, replaces one that dies, and stops them all on SIGTERM',
    async () => {
      const { env, drop } = await portalEnv();
      drops.push(drop);
      const p = await startPortalProcess({ ...env, PORTAL_PROCESSES: '2' });
      running.push(p);
      expect(p.output()).toMatch(/2 tiến trình/);
      const workers = () =>
        fs
          .readdirSync('/proc')
          .filter((d) => /^\d+$/.test(d))
          .filter((d) => {
            try {
              return (
                Number(fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) ===
                p.process.pid
              );
            } catch {
              return false;
            }
          })
          .map(Number);
      const first = workers();
      expect(first).toHaveLength(2);
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${p.url}/health/ready`)));
      expect(answers.every((a) => a.status === 200)).toBe(true);

      process.kill(first[0]!, 'SIGKILL');
      // The survivor keeps serving while a replacement starts (on a new connection: a kept-alive one
      // to the dead process is gone with it).
      const fresh = (url: string) =>
        new Promise<number>((resolve) => {
          const req = http.get(url, { agent: false, timeout: 2000 }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('timeout', () => req.destroy());
          req.on('error', () => resolve(0));
        });
      let served = 0;
      for (let i = 0; i < 20 && served !== 200; i++) served = await fresh(`${p.url}/health/live`);
      expect(served).toBe(200);
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const now = workers();
        if (now.length === 2 && !now.includes(first[0]!)) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const after = workers();
      expect(after).toHaveLength(2);
      expect(after).not.toContain(first[0]);
      expect(p.output()).toMatch(/đã dừng \(SIGKILL\)/);

      expect(await p.stop('SIGTERM')).toBe(0);
      expect(workers()).toHaveLength(0);
    },
    240_000,
  );

  it.skipIf(!onPostgres)('stops with exit code 1 when its processes cannot start', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = '/cong_dvc_no_such_database';
    const p = await startPortalProcess(
      { DATABASE_URL: url.toString(), PORTAL_PROCESSES: '2' },
      { expectFailure: true },
    );
    expect(await p.stop()).toBe(1);
    expect(p.output()).toContain('Một tiến trình không khởi động được');
  });

  it.skipIf(onPostgres)('refuses several processes on the embedded database', async () => {
    const p = await startPortalProcess({ PORTAL_PROCESSES: '2' }, { expectFailure: true });
    expect(await p.stop()).toBe(1);
    expect(p.output()).toContain('PORTAL_PROCESSES above 1 needs PostgreSQL');
  });

  it('refuses a malformed setting, naming the variable and what it expects', async () => {
    const p = await startPortalProcess({ PORT: 'eighty' }, { expectFailure: true });
    expect(await p.stop()).toBe(1);
    expect(p.output()).toContain('PORT must be an integer from 0 to 65535 (got "eighty")');
  });
});
