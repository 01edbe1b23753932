/**
 * The audit log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE) and hash-chained. Each
 * row's hash is SHA-256 over the previous row's hash and the row's own content in canonical JSON, so
 * altering, deleting or reordering any row breaks the chain from that row on; `verifyAuditChain` (and
 * `npm run audit:verify`) names the first broken link.
 *
 * `appendAudit` must run inside the business transaction that makes the change. It takes a
 * transaction-scoped advisory lock so that rows chain in commit order; call it last in the transaction
 * to keep the lock short.
 */
import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { AnyTransaction } from '../db/index.ts';

export const GENESIS_HASH = '0'.repeat(64);
const LOCK_KEY = 7_482_113_903;

export interface AuditEntry {
  /** user:<id>, officer:<id>, client:<id>, system:<job> */
  actor: string;
  /** module.verb, e.g. agency.update */
  action: string;
  /** kind:id */
  subject: string;
  data?: Record<string, unknown>;
}

export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  action: string;
  subject: string;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** JSON with object keys sorted at every level: the same value always serialises to the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function auditHash(prevHash: string, row: Omit<AuditRow, 'id' | 'prev_hash' | 'hash'>): string {
  const content = canonicalJson({
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    data: row.data,
  });
  return createHash('sha256').update(`${prevHash}\n${content}`, 'utf8').digest('hex');
}

export async function appendAudit(
  trx: AnyTransaction,
  entry: AuditEntry,
  now = new Date(),
): Promise<AuditRow> {
  if (!trx.isTransaction) throw new Error('appendAudit must be called inside the business transaction');
  const at = new Date(Math.floor(now.getTime()));
  await sql`select pg_advisory_xact_lock(${sql.lit(LOCK_KEY)})`.execute(trx);
  // The head must be read after the lock is held: under REPEATABLE READ or SERIALIZABLE the snapshot
  // predates the lock and two transactions could chain onto the same row.
  const iso = await sql<{ level: string }>`select current_setting('transaction_isolation') as level`.execute(
    trx,
  );
  if (iso.rows[0]?.level !== 'read committed') {
    throw new Error(`appendAudit needs a READ COMMITTED transaction (got ${iso.rows[0]?.level})`);
  }
  const last = await sql<{
    hash: string;
  }>`select hash from platform.audit_log order by id desc limit 1`.execute(trx);
  const prev = last.rows[0]?.hash ?? GENESIS_HASH;
  const data = JSON.parse(JSON.stringify(entry.data ?? {})) as Record<string, unknown>;
  const hash = auditHash(prev, {
    at,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    data,
  });
  const r = await sql<AuditRow>`
    insert into platform.audit_log (at, actor, action, subject, data, prev_hash, hash)
    values (${at}, ${entry.actor}, ${entry.action}, ${entry.subject}, ${JSON.stringify(data)}::jsonb, ${prev}, ${hash})
    returning id, at, actor, action, subject, data, prev_hash, hash`.execute(trx);
  return r.rows[0]!;
}

export type ChainVerdict =
  | { ok: true; rows: number; lastHash: string }
  | {
      ok: false;
      rows: number;
      brokenAt: number;
      reason: 'content-altered' | 'link-broken';
      message: string;
    };

/** Walks the whole chain in id order, in pages, and stops at the first broken link. */
// biome-ignore lint/suspicious/noExplicitAny: platform table
export async function verifyAuditChain(db: Kysely<any>, pageSize = 5000): Promise<ChainVerdict> {
  let prev = GENESIS_HASH;
  let prevId: number | undefined;
  let after = 0;
  let rows = 0;
  for (;;) {
    const page = await sql<AuditRow>`
      select id, at, actor, action, subject, data, prev_hash, hash from platform.audit_log
       where id > ${after} order by id limit ${pageSize}`.execute(db);
    for (const row of page.rows) {
      if (row.prev_hash !== prev) {
        return {
          ok: false,
          rows,
          brokenAt: row.id,
          reason: 'link-broken',
          message:
            `audit row ${row.id} (${row.action} ${row.subject}) does not follow ` +
            `${prevId === undefined ? 'the start of the chain' : `row ${prevId}`}: ` +
            'a row before it was deleted, inserted or reordered',
        };
      }
      const expected = auditHash(prev, row);
      if (expected !== row.hash) {
        return {
          ok: false,
          rows,
          brokenAt: row.id,
          reason: 'content-altered',
          message: `audit row ${row.id} (${row.action} ${row.subject}) was altered: its content no longer matches its hash`,
        };
      }
      prev = row.hash;
      prevId = row.id;
      rows++;
    }
    if (page.rows.length < pageSize) break;
    after = page.rows.at(-1)!.id;
  }
  return { ok: true, rows, lastHash: prev };
}
