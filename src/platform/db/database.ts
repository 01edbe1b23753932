/**
 * The one place that knows whether the portal runs on PGlite (embedded, `./data`) or PostgreSQL.
 * Everything else sees a Kysely instance with identical types on both:
 *  - int8 (bigint, count(*)) → number (bigint only past 2^53, which our data never reaches),
 *  - numeric → string (money is integer đồng in int8; numeric is for ratios),
 *  - date → 'YYYY-MM-DD' string (no time-zone shift), timestamptz → Date, json/jsonb → parsed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { type DataDirLock, lockDataDir } from './data-lock.ts';
import { PGliteDialect } from './pglite-dialect.ts';

const INT8 = 20;
const DATE = 1082;

function parseInt8(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

// biome-ignore lint/suspicious/noExplicitAny: the full schema is typed per module (see `scoped`)
export type AnyDb = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: as above, for a transaction
export type AnyTransaction = Transaction<any>;

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** A query runner for plain SQL scripts (migrations, reference loads), one transaction at a time. */
export interface ScriptRunner {
  /** Runs one statement with parameters, or a whole script (several statements) without. */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /** A human-readable location, without credentials. */
  readonly location: string;
  readonly db: AnyDb;
  /** Runs `fn` in one transaction on a raw connection (for multi-statement SQL scripts). */
  scriptTransaction<T>(fn: (runner: ScriptRunner) => Promise<T>): Promise<T>;
  ping(timeoutMs?: number): Promise<boolean>;
  poolStats(): PoolStats;
  /** PGlite only: a dump of the data directory (for test templates and backups of the embedded database). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** For the embedded database: the directory; `undefined` with `memory: true` for tests. */
  dataDir?: string | undefined;
  memory?: boolean;
  /**
   * PGlite only: start from this data-directory dump (made with `dumpDataDir`) instead of running
   * initdb — the test suite's migrated template, which opens in a third of the time.
   */
  pgliteTemplate?: string | undefined;
  poolMax?: number;
  applicationName?: string;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPGlite(options);
}

async function openPGlite(options: DatabaseOptions): Promise<Database> {
  let lock: DataDirLock | undefined;
  let dir: string | undefined;
  if (!options.memory) {
    if (!options.dataDir) throw new Error('openDatabase: dataDir is required for the embedded database');
    lock = lockDataDir(options.dataDir);
    dir = path.join(options.dataDir, 'pglite');
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dir, {
      parsers: { [INT8]: parseInt8, [DATE]: (text: string) => text },
      ...(options.pgliteTemplate ? { loadDataDir: new Blob([fs.readFileSync(options.pgliteTemplate)]) } : {}),
    });
  } catch (e) {
    lock?.release();
    throw e;
  }
  const dialect = new PGliteDialect(pglite);
  const db: AnyDb = new Kysely({ dialect });
  const mutex = dialect.driver.mutex;
  return {
    kind: 'pglite',
    location: dir ? `PGlite ${dir}` : 'PGlite (in memory)',
    db,
    async scriptTransaction(fn) {
      // Hold the connection so no Kysely query interleaves with the script's transaction.
      await mutex.lock();
      try {
        return await pglite.transaction((tx) =>
          fn({
            async query<R>(text: string, params?: unknown[]) {
              if (params && params.length > 0) return (await tx.query<R>(text, params)).rows;
              const results = await tx.exec(text);
              return (results.at(-1)?.rows ?? []) as R[];
            },
          }),
        );
      } finally {
        mutex.unlock();
      }
    },
    async ping(timeoutMs = 2000) {
      // Simple protocol, one round trip into the engine (the extended protocol takes five).
      const once = async () => {
        await mutex.lock();
        try {
          await pglite.exec('select 1');
          return true;
        } finally {
          mutex.unlock();
        }
      };
      return withTimeout(once(), timeoutMs);
    },
    poolStats: () => ({ total: 1, idle: mutex.locked ? 0 : 1, waiting: mutex.waiting }),
    async dumpDataDir() {
      await mutex.lock();
      try {
        return (await pglite.dumpDataDir('none')) as Blob;
      } finally {
        mutex.unlock();
      }
    },
    async close() {
      try {
        await db.destroy();
      } finally {
        lock?.release();
      }
    },
  };
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    application_name: options.applicationName ?? 'cong-dvc',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return parseInt8;
        if (oid === DATE) return (text: string) => text;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server (restart, failover) must not crash the process.
  pool.on('error', () => undefined);
  // Nor one that is checked out (inside a transaction, between two statements): its query fails, and the
  // pool discards it on release (it is no longer queryable). Without a listener, 'error' would be thrown.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db: AnyDb = new Kysely({ dialect: new PostgresDialect({ pool }) });
  const u = new URL(url);
  return {
    kind: 'postgres',
    location: `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`,
    db,
    async scriptTransaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({
          async query<R>(text: string, params?: unknown[]) {
            const r = await client.query(text, params);
            const last = Array.isArray(r) ? r.at(-1) : r;
            return (last?.rows ?? []) as R[];
          },
        });
        await client.query('commit');
        return result;
      } catch (e) {
        await client.query('rollback').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async ping(timeoutMs = 2000) {
      return withTimeout(
        sql`select 1 as ok`.execute(db).then(() => true),
        timeoutMs,
      );
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await db.destroy();
    },
  };
}

async function withTimeout(p: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A module sees only its own tables: `scoped<AgenciesTables>(database.db)`. The Kysely instance is the
 * same; the type narrows what the module's queries may name.
 */
export function scoped<T>(db: AnyDb): Kysely<T> {
  return db as Kysely<T>;
}
