import fs from 'node:fs';
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

  it('refuses a malformed setting, naming the variable and what it expects', async () => {
    const p = await startPortalProcess({ PORT: 'eighty' }, { expectFailure: true });
    expect(await p.stop()).toBe(1);
    expect(p.output()).toContain('PORT must be an integer from 0 to 65535 (got "eighty")');
  });
});
