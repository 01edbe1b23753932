/**
 * Reliability of status sync, end to end with real processes: the agency simulator (`sim/agency`) pushing
 * dossier lifecycles to a portal process, with every event delivered three times in shuffled order, the
 * simulator itself killed and resumed, the portal killed (SIGKILL) mid-batch and restarted while the
 * simulator retries, and PostgreSQL restarted mid-run. Afterwards every dossier's status, dates and
 * history equal the simulator's record — checked by the simulator reading each dossier back through the
 * API, and here directly in the database, history rows counted exactly: nothing lost, nothing doubled.
 *
 * The portal runs on a private PostgreSQL cluster made for this file (initdb in a temporary directory, a
 * free port) — never the shared server the rest of the suite uses, which must not be restarted — so the
 * file behaves the same whether the suite runs on PGlite or with DATABASE_URL. It therefore runs once, in
 * the embedded pass (DATABASE_URL unset): CI's PostgreSQL pass would repeat it for nothing.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedOf, generate } from '../sim/agency/generate.ts';
import { readJournal } from '../sim/agency/journal.ts';
import { registerOidcClient } from '../src/modules/identity/index.ts';
import { openDatabase } from '../src/platform/db/index.ts';
import { freePort, ROOT, type RunningPortal, startPortalProcess } from './helpers.ts';

const IDENTIFIER = '000.00.00.H26'; // Hà Nội, UBND-01
const CLIENT = { id: 'reliability-motcua-hanoi', secret: 'reliability-test-secret-0123456789abcdef' };

/** The newest PostgreSQL server binaries installed (Debian layout), or undefined. */
function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}
const BIN = postgresBin();

/** A PostgreSQL cluster of our own: initdb refuses root, so as root it runs as the `postgres` user. */
class PrivateCluster {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cong-dvc-pg-'));
  readonly data = path.join(this.dir, 'data');
  port = 0;
  private asOwner(cmd: string, args: string[]) {
    const root = process.getuid?.() === 0;
    return execFileSync(root ? 'runuser' : cmd, root ? ['-u', 'postgres', '--', cmd, ...args] : args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
  }
  async init() {
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      fs.chownSync(this.dir, uid, gid);
    }
    this.port = await freePort();
    this.asOwner(path.join(BIN!, 'initdb'), [
      '-D',
      this.data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    this.start();
  }
  start() {
    this.asOwner(path.join(BIN!, 'pg_ctl'), [
      '-D',
      this.data,
      '-l',
      path.join(this.dir, 'server.log'),
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`,
      '-w',
      '-t',
      '60',
      'start',
    ]);
  }
  /** `immediate`: like a crash (no checkpoint, every connection cut); recovery from WAL on the next start. */
  stop(mode: 'fast' | 'immediate' = 'fast') {
    this.asOwner(path.join(BIN!, 'pg_ctl'), ['-D', this.data, '-m', mode, '-w', '-t', '60', 'stop']);
  }
  url(database: string) {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }
  destroy() {
    try {
      this.stop('immediate');
    } catch {
      // already stopped
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

interface SimRun {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the simulator as its own process, as a user would (`npm run sim:agency`'s entry point). */
function startSim(portal: string, args: string[]): SimRun {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'sim/agency/main.ts',
      '--url',
      portal,
      '--client-id',
      CLIENT.id,
      '--client-secret',
      CLIENT.secret,
      '--identifier',
      IDENTIFIER,
      '--progress-every',
      '1',
      '--give-up-after',
      '90',
      ...args,
    ],
    { cwd: ROOT, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, output: () => out, exited };
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` holds (polling), or fails with `what` and the simulator's output. */
async function until(check: () => boolean, what: string, sim: SimRun, timeoutMs = 60_000) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}\n${sim.output()}`);
    if (sim.process.exitCode !== null)
      throw new Error(`the simulator exited before ${what}\n${sim.output()}`);
    await sleep(50);
  }
}

const acked = (state: string) => readJournal(state)?.acks.size ?? 0;
const planned = (state: string) => readJournal(state)?.header.plan.batches ?? Number.POSITIVE_INFINITY;

/**
 * Straight from the database: each dossier of the run has the status of the simulator's record and
 * exactly as many history rows (the rows themselves are compared by the simulator's --verify).
 */
async function checkDatabase(url: string, state: string) {
  const journal = readJournal(state)!;
  const o = journal.header.options;
  const { dossiers } = generate({
    seed: o.seed,
    dossiers: o.dossiers,
    identifiers: o.identifiers,
    days: o.days,
    anchor: new Date(journal.header.anchor),
    procedures: journal.header.procedures,
    calendar: journal.header.calendar!,
    extras: o.mode === 'rest',
    codeOffset: o.codeOffset,
  });
  const expected = dossiers.map((d) => expectedOf(d)!);
  const codes = expected.map((e) => e.code);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await client.query<{ code: string; status: number; history: number }>(
      `select d.code, d.status,
              (select count(*)::int from sync.history h where h.dossier_code = d.code) as history
         from sync.dossiers d where d.code = any($1::text[])`,
      [codes],
    );
    const pending = await client.query<{ n: number }>(
      'select count(*)::int as n from sync.pending_history where dossier_code = any($1::text[])',
      [codes],
    );
    const held = new Map(rows.rows.map((r) => [r.code, r]));
    const wrong = expected.filter((e) => {
      const h = held.get(e.code);
      return !h || String(h.status) !== e.TrangThaiHoSo || h.history !== e.history.length;
    });
    expect(
      wrong.map((e) => ({
        code: e.code,
        expected: [e.TrangThaiHoSo, e.history.length],
        held: held.get(e.code),
      })),
    ).toEqual([]);
    expect(rows.rows).toHaveLength(expected.length);
    expect(rows.rows.reduce((s, r) => s + r.history, 0)).toBe(
      expected.reduce((s, e) => s + e.history.length, 0),
    );
    expect(pending.rows[0]!.n).toBe(0);
    // Some of the run's variety actually happened (the checks above are not over trivial data).
    const statuses = new Set(expected.map((e) => e.TrangThaiHoSo));
    expect(statuses.has('10')).toBe(true);
    expect(statuses.size).toBeGreaterThanOrEqual(4);
  } finally {
    await client.end();
  }
}

describe.skipIf(!BIN || Boolean(process.env.DATABASE_URL))(
  'sync reliability: simulator against a portal process (private PostgreSQL)',
  () => {
    const cluster = new PrivateCluster();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cong-dvc-sim-'));
    let portal: RunningPortal;
    let portalEnv: Record<string, string>;
    let databaseUrl: string;
    const sims: SimRun[] = [];

    beforeAll(async () => {
      await cluster.init();
      const admin = new pg.Client({ connectionString: cluster.url('postgres') });
      await admin.connect();
      await admin.query('create database cong_dvc');
      await admin.end();
      databaseUrl = cluster.url('cong_dvc');
      portalEnv = { DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: '8', PORT: String(await freePort()) };
      portal = await startPortalProcess(portalEnv);
      // The agency's machine client, with the identity module's own helper (the portal has migrated).
      const database = await openDatabase({ databaseUrl, poolMax: 1 });
      try {
        await registerOidcClient(database.db, {
          clientId: CLIENT.id,
          clientSecret: CLIENT.secret,
          name: 'Hệ thống một cửa Hà Nội (kiểm thử)',
          machine: true,
          agencyCodes: ['UBND-01'],
          scope: 'sync',
        });
      } finally {
        await database.close();
      }
    });

    afterAll(async () => {
      for (const s of sims) if (s.process.exitCode === null) s.process.kill('SIGKILL');
      await portal?.stop('SIGKILL');
      cluster.destroy();
      fs.rmSync(work, { recursive: true, force: true });
      if (portal) fs.rmSync(portal.dataDir, { recursive: true, force: true });
    });

    it('every event three times, shuffled across batches, the simulator killed and resumed: nothing lost, nothing doubled', async () => {
      const state = path.join(work, 'triple.jsonl');
      const args = words(
        `--dossiers 200 --seed 11 --duplicates 3 --shuffle --batch 150 --concurrency 3 --state ${state}`,
      );
      const first = startSim(portal.url, args);
      sims.push(first);
      await until(() => acked(state) >= 4, 'four acknowledged batches', first);
      first.process.kill('SIGKILL');
      await first.exited;
      const done = acked(state);
      expect(done).toBeLessThan(planned(state));

      const second = startSim(portal.url, [...args, '--report', `${state}.report`]);
      sims.push(second);
      expect(await second.exited, second.output()).toBe(0);
      expect(second.output()).toContain(`resuming ${state}: ${done}/`);
      const report = JSON.parse(fs.readFileSync(`${state}.report`, 'utf8'));
      expect(report).toMatchObject({ ok: true, rejected: 0, mismatches: 0, verified: 200 });
      expect(report.acknowledged).toBe(report.batches);
      // Every history row delivered three times: at least two of the three answered "duplicate" (a record
      // older than the stored one is answered "accepted", though it changes nothing: see docs/sync.md).
      expect(report.duplicate).toBeGreaterThanOrEqual(2 * report.historyRows);
      await checkDatabase(databaseUrl, state);
    });

    it('the portal killed with SIGKILL mid-batch and restarted: the simulator retries and the run completes', async () => {
      const state = path.join(work, 'sigkill.jsonl');
      const sim = startSim(
        portal.url,
        words(
          `--dossiers 200 --seed 12 --duplicates 2 --shuffle --batch 100 --concurrency 4 --state ${state} --report ${state}.report`,
        ),
      );
      sims.push(sim);
      await until(() => acked(state) >= 5, 'five acknowledged batches', sim);
      // Four batches are in flight nearly all the time: the kill lands in the middle of some.
      const mark = sim.output().length;
      expect(await portal.stop('SIGKILL')).toBeNull();
      await until(() => /retrying \(/.test(sim.output().slice(mark)), 'the simulator to retry', sim);
      expect(acked(state)).toBeLessThan(planned(state));
      portal = await startPortalProcess(portalEnv, { dataDir: portal.dataDir });
      expect(await sim.exited, sim.output()).toBe(0);
      const report = JSON.parse(fs.readFileSync(`${state}.report`, 'utf8'));
      expect(report).toMatchObject({ ok: true, rejected: 0, mismatches: 0, verified: 200 });
      expect(report.acknowledged).toBe(report.batches);
      await checkDatabase(databaseUrl, state);
    });

    it('PostgreSQL restarted mid-run (an immediate stop, then recovery), through the DVCQG adapter: the run completes and matches', async () => {
      const state = path.join(work, 'pg-restart.jsonl');
      const sim = startSim(
        portal.url,
        words(
          `--mode dvcqg --dossiers 200 --seed 13 --duplicates 2 --shuffle --batch 100 --concurrency 4 --state ${state} --report ${state}.report`,
        ),
      );
      sims.push(sim);
      await until(() => acked(state) >= 5, 'five acknowledged batches', sim);
      const mark = sim.output().length;
      cluster.stop('immediate');
      // The portal answers 500/503 while its database is gone; the simulator keeps retrying.
      await until(() => /retrying \(/.test(sim.output().slice(mark)), 'the simulator to retry', sim);
      expect(acked(state)).toBeLessThan(planned(state));
      await sleep(500);
      cluster.start();
      expect(await sim.exited, sim.output()).toBe(0);
      const report = JSON.parse(fs.readFileSync(`${state}.report`, 'utf8'));
      expect(report).toMatchObject({ ok: true, rejected: 0, mismatches: 0, verified: 200 });
      expect(report.acknowledged).toBe(report.batches);
      await checkDatabase(databaseUrl, state);
      // The portal process lived through it, and is ready again.
      expect(portal.process.exitCode).toBeNull();
      expect((await fetch(`${portal.url}/health/ready`)).status).toBe(200);
    });
  },
);
