/**
 * A bounded gate in front of ingestion, per process: at most `concurrent` batches run at once and at
 * most `queued` wait; beyond that the caller is told to come back (429 with Retry-After) instead of
 * piling work onto the database pool. Each process has its own gate, so N processes admit N × concurrent
 * batches: size it to the connection pool (PostgreSQL) — with PGlite everything is serialised anyway.
 */
export interface Gate {
  /** Runs `fn` when a slot is free; undefined (without running it) when the queue is full. */
  run<T>(fn: () => Promise<T>): Promise<{ value: T } | undefined>;
  stats(): { running: number; waiting: number };
}

export function createGate(options: { concurrent: number; queued: number }): Gate {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    async run(fn) {
      if (running >= options.concurrent) {
        if (waiting.length >= options.queued) return undefined;
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else running++;
      try {
        return { value: await fn() };
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
    stats: () => ({ running, waiting: waiting.length }),
  };
}
