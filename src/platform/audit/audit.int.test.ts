import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/helpers/database.ts';
import type { Database } from '../db/index.ts';
import { migrate } from '../db/index.ts';
import { appendAudit, canonicalJson, GENESIS_HASH, verifyAuditChain } from './audit.ts';

let database: Database & { dispose(): Promise<void> };

beforeAll(async () => {
  database = await freshDatabase();
  await migrate(database);
});
afterAll(async () => {
  await database.dispose();
});

const entry = (i: number) => ({
  actor: 'system:test',
  action: 'test.write',
  subject: `thing:${i}`,
  data: { i, tên: 'Hà Giang', nested: { b: 2, a: 1 } },
});

describe('audit log', () => {
  it('chains rows, including rows appended concurrently', async () => {
    const first = await database.db.transaction().execute((trx) => appendAudit(trx, entry(0)));
    expect(first.prev_hash).toBe(GENESIS_HASH);
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        database.db.transaction().execute((trx) => appendAudit(trx, entry(i + 1))),
      ),
    );
    const v = await verifyAuditChain(database.db, 7);
    expect(v).toMatchObject({ ok: true, rows: 26 });
  });

  it('is written with the business transaction: a rollback leaves no row', async () => {
    const before = await verifyAuditChain(database.db);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await appendAudit(trx, entry(99));
        throw new Error('business failure');
      }),
    ).rejects.toThrow();
    expect((await verifyAuditChain(database.db)).rows).toBe(before.rows);
  });

  it('refuses a snapshot isolation level, under which the chain could fork', async () => {
    await expect(
      database.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute((trx) => appendAudit(trx, entry(7))),
    ).rejects.toThrow(/READ COMMITTED/);
  });

  it('refuses to append outside a transaction', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong call
    await expect(appendAudit(database.db as any, entry(1))).rejects.toThrow(
      /inside the business transaction/,
    );
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(sql`update platform.audit_log set actor = 'x'`.execute(database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from platform.audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate platform.audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
  });

  it('names the first broken link when a row is altered or deleted behind its back', async () => {
    const ids = (
      await sql<{ id: number }>`select id from platform.audit_log order by id`.execute(database.db)
    ).rows.map((r) => r.id);
    const victim = ids[10]!;
    // Someone with superuser rights bypasses the trigger:
    await sql`alter table platform.audit_log disable trigger audit_log_no_update_delete`.execute(database.db);
    await sql`update platform.audit_log set data = jsonb_set(data, '{i}', '1000') where id = ${victim}`.execute(
      database.db,
    );
    let v = await verifyAuditChain(database.db, 4);
    expect(v).toMatchObject({ ok: false, brokenAt: victim, reason: 'content-altered' });
    // Restore it, then delete a row instead.
    await sql`update platform.audit_log set data = jsonb_set(data, '{i}', '10') where id = ${victim}`.execute(
      database.db,
    );
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
    await sql`delete from platform.audit_log where id = ${ids[5]!}`.execute(database.db);
    await sql`alter table platform.audit_log enable trigger audit_log_no_update_delete`.execute(database.db);
    v = await verifyAuditChain(database.db);
    expect(v).toMatchObject({ ok: false, brokenAt: ids[6], reason: 'link-broken' });
    if (!v.ok) expect(v.message).toMatch(new RegExp(`does not follow row ${ids[4]}`));
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"x":2,"z":1}]},"b":1}',
    );
  });
});
