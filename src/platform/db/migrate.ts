/**
 * Plain SQL migrations (`db/migrations/NNNN_<module>_<verb-name>.sql`), applied in order, each in its
 * own transaction, recorded with a SHA-256 checksum. An applied migration whose file has changed (or
 * disappeared) stops start-up with a message naming it: a migration is never edited once shipped.
 * Several processes starting at once on PostgreSQL serialise on an advisory lock.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './database.ts';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../../db/migrations');
const FILE_PATTERN = /^(\d{4})_([a-z0-9-]+)_([a-z0-9-]+)\.sql$/;
/** Same key on every process: `select hashtext('cong-dvc:migrate')` computed once. */
const LOCK_KEY = 7_482_113_901;

export interface MigrationFile {
  version: number;
  name: string;
  file: string;
  checksum: string;
  sql: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function checksumOf(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const seen = new Map<number, string>();
  return files.map((file) => {
    const m = FILE_PATTERN.exec(file);
    if (!m) {
      throw new MigrationError(`Migration file ${file} does not follow NNNN_<module>_<verb-name>.sql`);
    }
    const version = Number(m[1]);
    const other = seen.get(version);
    if (other) throw new MigrationError(`Migrations ${other} and ${file} share the number ${m[1]}`);
    seen.set(version, file);
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    return { version, name: file.replace(/\.sql$/, ''), file, checksum: checksumOf(text), sql: text };
  });
}

const BOOTSTRAP = `
create schema if not exists platform;
create table if not exists platform.schema_migrations (
  version integer not null,
  name text not null,
  checksum text not null,
  applied_at timestamptz not null default now(),
  constraint schema_migrations_pk primary key (version)
);
comment on table platform.schema_migrations is 'SQL migrations applied to this database, with the checksum of the file as applied';
`;

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<MigrationReport> {
  const files = readMigrations(dir);
  await database.scriptTransaction(async (q) => {
    await q.query(`select pg_advisory_xact_lock(${LOCK_KEY})`);
    await q.query(BOOTSTRAP);
  });
  const applied: string[] = [];
  let alreadyApplied = 0;
  const rows = await database.scriptTransaction((q) =>
    q.query<AppliedRow>('select version, name, checksum from platform.schema_migrations order by version'),
  );
  verifyApplied(files, rows, true);
  const done = new Set(rows.map((r) => r.version));
  for (const m of files) {
    if (done.has(m.version)) {
      alreadyApplied++;
      continue;
    }
    const ran = await database.scriptTransaction(async (q) => {
      await q.query(`select pg_advisory_xact_lock(${LOCK_KEY})`);
      // Another process may have applied it while we waited for the lock.
      const existing = await q.query<AppliedRow>(
        'select version, name, checksum from platform.schema_migrations where version = $1',
        [m.version],
      );
      if (existing[0]) {
        verifyApplied([m], existing, false);
        return false;
      }
      try {
        await q.query(m.sql);
      } catch (e) {
        throw new MigrationError(`Migration ${m.file} failed: ${(e as Error).message}`);
      }
      await q.query('insert into platform.schema_migrations (version, name, checksum) values ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ]);
      return true;
    });
    if (ran) applied.push(m.name);
    else alreadyApplied++;
  }
  return { applied, alreadyApplied };
}

/** `complete`: `files` is the whole folder, so an applied row without a file is an error. */
function verifyApplied(files: MigrationFile[], rows: AppliedRow[], complete: boolean): void {
  const byVersion = new Map(files.map((f) => [f.version, f]));
  for (const row of rows) {
    const file = byVersion.get(row.version);
    if (!file) {
      if (complete) {
        throw new MigrationError(
          `Migration ${row.name} is recorded as applied to this database but its file is missing from db/migrations. ` +
            'Restore the file (migrations are never deleted once shipped).',
        );
      }
      continue;
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${file.file} has changed since it was applied to this database ` +
          `(checksum ${row.checksum.slice(0, 12)}… then, ${file.checksum.slice(0, 12)}… now). ` +
          'Applied migrations must not be edited: restore the file and add a new migration for the change.',
      );
    }
  }
}
