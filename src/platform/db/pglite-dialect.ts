/**
 * A Kysely dialect over PGlite's own transaction API.
 *
 * PGlite is one connection inside this process. The driver therefore hands out that single connection
 * to one user at a time (a FIFO mutex), and runs Kysely transactions through `pglite.transaction()`, so
 * that PGlite defers its file-system sync to the commit and rolls back on error. (The `kysely-pglite`
 * package issues raw BEGIN/COMMIT and loses writes made inside transactions on Node 20; see
 * docs/decisions/0001-database-and-dialect.md.)
 */
import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/** A fair mutex: waiters are served in arrival order. */
export class Mutex {
  #locked = false;
  #waiters: Array<() => void> = [];

  get waiting(): number {
    return this.#waiters.length;
  }

  get locked(): boolean {
    return this.#locked;
  }

  async lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}

type Outcome = 'commit' | 'rollback';

interface OpenTransaction {
  tx: PGliteTransaction;
  finish: (outcome: Outcome) => void;
  done: Promise<unknown>;
}

class PGliteConnection implements DatabaseConnection {
  #open: OpenTransaction | undefined;

  constructor(private readonly pg: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const target = this.#open?.tx ?? this.pg;
    const result = await target.query<R>(compiled.sql, compiled.parameters as unknown[], {
      rowMode: 'object',
    });
    const affected = result.affectedRows;
    return {
      rows: result.rows,
      ...(affected !== undefined && isMutation(compiled) ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }

  async *streamQuery<R>(compiled: CompiledQuery, _chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(compiled);
  }

  async begin(settings: TransactionSettings): Promise<void> {
    if (this.#open) throw new Error('PGlite: a transaction is already open on this connection');
    let gotTx!: (tx: PGliteTransaction) => void;
    let failedToStart!: (e: unknown) => void;
    const started = new Promise<PGliteTransaction>((resolve, reject) => {
      gotTx = resolve;
      failedToStart = reject;
    });
    let finish!: (outcome: Outcome) => void;
    const outcome = new Promise<Outcome>((resolve) => {
      finish = resolve;
    });
    const done = this.pg
      .transaction(async (tx) => {
        gotTx(tx);
        if ((await outcome) === 'rollback' && !tx.closed) await tx.rollback();
      })
      .catch((e: unknown) => {
        failedToStart(e);
        throw e;
      });
    // If the transaction never started, `started` rejects and nobody awaits `done`: keep that quiet.
    done.catch(() => undefined);
    const tx = await started;
    this.#open = { tx, finish, done };
    if (settings.isolationLevel) {
      await tx.query(`set transaction isolation level ${settings.isolationLevel}`);
    }
    if (settings.accessMode) await tx.query(`set transaction ${settings.accessMode}`);
  }

  async end(outcome: Outcome): Promise<void> {
    const open = this.#open;
    if (!open) return;
    this.#open = undefined;
    open.finish(outcome);
    if (outcome === 'commit') await open.done;
    else await open.done.catch(() => undefined);
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const MUTATION_NODES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

/** Like Kysely's pg driver, report affected rows for INSERT / UPDATE / DELETE / MERGE only. */
function isMutation(compiled: CompiledQuery): boolean {
  if (MUTATION_NODES.has(compiled.query.kind)) return true;
  return compiled.query.kind === 'RawNode' && /^\s*(insert|update|delete|merge)\b/i.test(compiled.sql);
}

class PGliteDriver implements Driver {
  readonly mutex = new Mutex();
  readonly #connection: PGliteConnection;

  constructor(private readonly pg: PGlite) {
    this.#connection = new PGliteConnection(pg);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await (connection as PGliteConnection).begin(settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).end('commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).end('rollback');
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(name)}`));
  }

  async releaseConnection(): Promise<void> {
    this.mutex.unlock();
  }

  async destroy(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
  }
}

export class PGliteDialect implements Dialect {
  readonly driver: PGliteDriver;

  constructor(pg: PGlite) {
    this.driver = new PGliteDriver(pg);
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return this.driver;
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's own signature
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}
