/**
 * The transactional outbox. `enqueue` writes a message in the caller's business transaction; the
 * dispatcher delivers it after commit, at least once: it leases a batch (moving `available_at` past
 * the lease), runs the topic's handler outside any transaction, and marks the row delivered, or
 * schedules a retry with exponential backoff, or, after the last attempt, marks it dead (the dead
 * letter, visible in metrics and requeued by an operator). A process that dies mid-delivery leaves the
 * lease to expire and another dispatcher delivers again — receivers must be idempotent.
 */
import { type RawBuilder, sql } from 'kysely';
import type { AnyDb } from '../db/index.ts';

export interface OutboxMessage<P = unknown> {
  id: number;
  topic: string;
  payload: P;
  attempts: number;
  createdAt: Date;
}

export type OutboxHandler = (message: OutboxMessage) => Promise<void>;

export interface EnqueueOptions {
  /** The same (topic, dedupeKey) is enqueued once; a repeat is ignored. */
  dedupeKey?: string;
  /** Deliver no earlier than this many milliseconds after commit. */
  delayMs?: number;
}

interface OutboxRow {
  id: number;
  topic: string;
  payload: unknown;
  attempts: number;
  created_at: Date;
}

/** Writes a message in the given transaction (or connection, for work that needs no transaction). */
export async function enqueue(trx: AnyDb, topic: string, payload: unknown, options: EnqueueOptions = {}) {
  const delay = Math.max(0, Math.floor(options.delayMs ?? 0));
  await sql`
    insert into platform.outbox (topic, payload, dedupe_key, available_at)
    values (${topic}, ${JSON.stringify(payload)}::jsonb, ${options.dedupeKey ?? null},
            now() + ${`${delay} milliseconds`}::interval)
    on conflict (topic, dedupe_key) do nothing`.execute(trx);
}

/**
 * The insert `enqueue` makes, for a set of messages at once: one message per row of `payloads` (a query
 * of one jsonb column), due now. For a data-modifying CTE, where the messages must commit with the rows
 * they are about.
 */
export function enqueueEach(topic: string, payloads: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`insert into platform.outbox (topic, payload, available_at)
             select ${topic}, p.payload, now() from (${payloads}) as p(payload)`;
}

export interface DispatcherOptions {
  pollMs: number;
  batchSize?: number;
  /** Lease on a claimed message; a crashed dispatcher's messages come back after it. */
  leaseMs?: number;
  maxAttempts?: number;
  /** Backoff base: attempt n waits base × 2^(n−1), capped, with ±20% jitter. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Delivered rows older than this are deleted. */
  retainDeliveredMs?: number;
  onError?: (error: unknown, message?: OutboxMessage) => void;
}

export interface OutboxStats {
  pending: number;
  dead: number;
  /** Age in seconds of the oldest pending message (0 when none): the outbox lag. */
  lagSeconds: number;
}

export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

export interface Dispatcher {
  register(topic: string, handler: OutboxHandler): void;
  /** Start polling. */
  start(): void;
  /** Look for work now (after a commit that enqueued something). */
  kick(): void;
  /** Deliver everything that is due, once; returns the number of messages handled. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
  stats(): Promise<OutboxStats>;
  /** Put dead messages back in the queue (all, or the given ids). */
  requeueDead(ids?: number[]): Promise<number>;
}

export function createDispatcher(db: AnyDb, options: DispatcherOptions): Dispatcher {
  const handlers = new Map<string, OutboxHandler>();
  const batchSize = options.batchSize ?? 50;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 10;
  const baseMs = options.backoffBaseMs ?? 2_000;
  const maxMs = options.backoffMaxMs ?? 3_600_000;
  const retainMs = options.retainDeliveredMs ?? 7 * 24 * 3_600_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;
  let closing = false;
  let again = false;
  let lastCleanup = 0;

  async function claim(): Promise<OutboxRow[]> {
    const topics = [...handlers.keys()];
    if (topics.length === 0) return [];
    const r = await sql<OutboxRow>`
      update platform.outbox o
         set available_at = now() + ${`${leaseMs} milliseconds`}::interval, attempts = o.attempts + 1
       where o.id in (
         select id from platform.outbox
          where status = 'pending' and available_at <= now() and topic = any(${topics}::text[])
          order by available_at, id
          limit ${batchSize}
          for update skip locked)
      returning o.id, o.topic, o.payload, o.attempts, o.created_at`.execute(db);
    return r.rows;
  }

  async function deliver(row: OutboxRow): Promise<void> {
    const handler = handlers.get(row.topic);
    const message: OutboxMessage = {
      id: row.id,
      topic: row.topic,
      payload: row.payload,
      attempts: row.attempts,
      createdAt: row.created_at,
    };
    try {
      if (!handler) throw new Error(`no handler for topic ${row.topic}`);
      await handler(message);
      await sql`update platform.outbox set status = 'delivered', delivered_at = now(), last_error = null
                 where id = ${row.id}`.execute(db);
    } catch (e) {
      options.onError?.(e, message);
      const error = (e instanceof Error ? e.message : String(e)).slice(0, 2000);
      if (row.attempts >= maxAttempts) {
        await sql`update platform.outbox set status = 'dead', last_error = ${error} where id = ${row.id}`.execute(
          db,
        );
      } else {
        const wait = backoffMs(row.attempts, baseMs, maxMs);
        await sql`update platform.outbox
                     set available_at = now() + ${`${wait} milliseconds`}::interval, last_error = ${error}
                   where id = ${row.id}`.execute(db);
      }
    }
  }

  async function cleanup(): Promise<void> {
    if (Date.now() - lastCleanup < 60_000) return;
    lastCleanup = Date.now();
    await sql`delete from platform.outbox where status = 'delivered'
               and delivered_at < now() - ${`${retainMs} milliseconds`}::interval`.execute(db);
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await claim();
      // Claimed oldest first; the messages of one batch are independent and delivered concurrently.
      await Promise.all(rows.map(deliver));
      total += rows.length;
      if (rows.length < batchSize || closing) break;
    }
    await cleanup();
    return total;
  }

  function runOnce(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = drain().finally(() => {
      running = undefined;
      if (again && !closing) {
        again = false;
        void runOnce().catch((e) => options.onError?.(e));
      }
    });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((e) => options.onError?.(e))
        .finally(schedule);
    }, options.pollMs);
    timer.unref();
  }

  return {
    register(topic, handler) {
      if (handlers.has(topic)) throw new Error(`outbox: a handler for ${topic} is already registered`);
      handlers.set(topic, handler);
    },
    start() {
      if (!stopped) return;
      stopped = false;
      closing = false;
      schedule();
    },
    kick() {
      if (stopped) return;
      void runOnce().catch((e) => options.onError?.(e));
    },
    runOnce,
    async stop() {
      stopped = true;
      closing = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
    async stats() {
      const r = await sql<{ pending: number; dead: number; lag: number | null }>`
        select count(*) filter (where status = 'pending') as pending,
               count(*) filter (where status = 'dead') as dead,
               extract(epoch from now() - min(created_at) filter (where status = 'pending'))::float8 as lag
          from platform.outbox where status in ('pending', 'dead')`.execute(db);
      const row = r.rows[0];
      return {
        pending: Number(row?.pending ?? 0),
        dead: Number(row?.dead ?? 0),
        lagSeconds: Math.max(0, row?.lag ?? 0),
      };
    },
    async requeueDead(ids) {
      const r = ids
        ? await sql`update platform.outbox set status = 'pending', attempts = 0, available_at = now()
                     where status = 'dead' and id = any(${ids}::bigint[])`.execute(db)
        : await sql`update platform.outbox set status = 'pending', attempts = 0, available_at = now()
                     where status = 'dead'`.execute(db);
      return Number(r.numAffectedRows ?? 0);
    },
  };
}
