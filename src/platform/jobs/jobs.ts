/**
 * Recurring jobs shared by all portal processes. Each job has a row in `platform.scheduled_jobs`; a
 * process claims a due job with one conditional UPDATE (next run passed, no live lease), runs it, then
 * sets the next run. Two processes never run the same job at once; a process that dies mid-run leaves a
 * lease that expires, and the job runs again. Jobs must be idempotent (they may run again after a crash).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Clock } from '../clock/index.ts';
import type { AnyDb } from '../db/index.ts';

export interface JobDefinition {
  /** Unique name, e.g. `identity.purge-expired`. */
  name: string;
  everySeconds: number;
  /** How long one run may take before another process may take it over. */
  leaseSeconds?: number;
  run(now: Date): Promise<void>;
}

export interface JobState {
  name: string;
  everySeconds: number;
  nextRunAt: Date;
  lastStartedAt: Date | null;
  lastFinishedAt: Date | null;
  lastError: string | null;
  runs: number;
  failures: number;
}

export interface Scheduler {
  register(job: JobDefinition): void;
  start(): void;
  /** Run every job that is due now, once; returns the names of the jobs this process ran. */
  runDue(): Promise<string[]>;
  stop(): Promise<void>;
  states(): Promise<JobState[]>;
}

export function createScheduler(
  db: AnyDb,
  options: { clock: Clock; pollMs?: number; onError?: (job: string, error: unknown) => void },
): Scheduler {
  const jobs = new Map<string, JobDefinition>();
  const worker = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const pollMs = options.pollMs ?? 15_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<string[]> | undefined;
  let stopped = true;
  const ensured = new Set<string>();

  async function ensureRow(job: JobDefinition, now: Date) {
    if (ensured.has(job.name)) return;
    await sql`
      insert into platform.scheduled_jobs (name, every_seconds, next_run_at) values (${job.name}, ${job.everySeconds}, ${now})
      on conflict (name) do update set every_seconds = excluded.every_seconds`.execute(db);
    ensured.add(job.name);
  }

  async function runOne(job: JobDefinition): Promise<boolean> {
    const now = options.clock.now();
    await ensureRow(job, now);
    const lease = new Date(now.getTime() + (job.leaseSeconds ?? 600) * 1000);
    const claimed = await sql<{ name: string }>`
      update platform.scheduled_jobs
         set locked_until = ${lease}, locked_by = ${worker}, last_started_at = ${now}
       where name = ${job.name} and next_run_at <= ${now} and (locked_until is null or locked_until < ${now})
      returning name`.execute(db);
    if (claimed.rows.length === 0) return false;
    let error: string | null = null;
    try {
      await job.run(now);
    } catch (e) {
      error = (e instanceof Error ? e.message : String(e)).slice(0, 2000);
      options.onError?.(job.name, e);
    }
    const finished = options.clock.now();
    await sql`
      update platform.scheduled_jobs
         set locked_until = null, locked_by = null, last_finished_at = ${finished}, last_error = ${error},
             next_run_at = ${new Date(now.getTime() + job.everySeconds * 1000)},
             runs = runs + 1, failures = failures + ${error ? 1 : 0}
       where name = ${job.name} and locked_by = ${worker}`.execute(db);
    return true;
  }

  async function runDue(): Promise<string[]> {
    const ran: string[] = [];
    for (const job of jobs.values()) if (await runOne(job)) ran.push(job.name);
    return ran;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(async () => {
      running = runDue().catch((e) => {
        options.onError?.('scheduler', e);
        return [];
      });
      await running;
      running = undefined;
      schedule();
    }, pollMs);
    timer.unref();
  }

  return {
    register(job) {
      if (jobs.has(job.name)) throw new Error(`job ${job.name} is registered twice`);
      jobs.set(job.name, job);
    },
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    runDue,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    async states() {
      const r = await sql<{
        name: string;
        every_seconds: number;
        next_run_at: Date;
        last_started_at: Date | null;
        last_finished_at: Date | null;
        last_error: string | null;
        runs: number;
        failures: number;
      }>`select * from platform.scheduled_jobs order by name`.execute(db);
      return r.rows.map((x) => ({
        name: x.name,
        everySeconds: x.every_seconds,
        nextRunAt: x.next_run_at,
        lastStartedAt: x.last_started_at,
        lastFinishedAt: x.last_finished_at,
        lastError: x.last_error,
        runs: Number(x.runs),
        failures: Number(x.failures),
      }));
    },
  };
}
