/**
 * A fresh, empty database per test file: in-memory PGlite by default; with DATABASE_URL set, a new
 * PostgreSQL database created for the file and dropped afterwards (the same suite runs on both).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { type Database, type DatabaseOptions, openDatabase } from '../../src/platform/db/index.ts';
import { templatePath } from './template.ts';

export const onPostgres = Boolean(process.env.DATABASE_URL);

export interface TestDatabase {
  options: DatabaseOptions;
  /** Drops the PostgreSQL database (no-op on PGlite). Close every connection first. */
  drop(): Promise<void>;
}

/**
 * `prepared`: start from the migrated template with reference data (PGlite) — what a running portal
 * sees. Without it the database is empty (for tests of migrations themselves).
 */
export async function createTestDatabase(options: { prepared?: boolean } = {}): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const template = options.prepared ? templatePath() : undefined;
    return {
      options: { memory: true, ...(template && fs.existsSync(template) ? { pgliteTemplate: template } : {}) },
      drop: async () => undefined,
    };
  }
  const name = `cong_dvc_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    options: { databaseUrl: u.toString(), poolMax: 5 },
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Opens a fresh database; `close()` closes and drops it. */
export async function freshDatabase(): Promise<Database & { dispose(): Promise<void> }> {
  const t = await createTestDatabase();
  const db = await openDatabase(t.options);
  return Object.assign(db, {
    async dispose() {
      await db.close();
      await t.drop();
    },
  });
}
