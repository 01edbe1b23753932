/**
 * Accounts with a live session, made directly in the database, for tests about what a signed-in
 * caller may do (sign-in itself is tested through the real forms in the identity tests).
 *
 * Citizens and businesses are proven by default (as if the national register had matched them:
 * `proofing_method` population-register or business-register, reference `test`), since what the tests
 * look at — synced dossiers under a number, its release to relying parties, LoA2 — is for proven
 * accounts; `proven: false` makes a declared-only account.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Portal } from '../../src/bootstrap.ts';

export interface TestAccount {
  id: string;
  /** The session token: the `sid` cookie's value. */
  token: string;
}

let serial = 0;

export async function accountWithSession(
  portal: Portal,
  kind: 'citizen' | 'business' | 'organisation' | 'officer',
  options: {
    displayName?: string;
    personalId?: string;
    taxCode?: string;
    phone?: string;
    email?: string;
    /** Officers: where they work, and roles as [agency, role] pairs. */
    agency?: string;
    title?: string;
    grants?: Array<[string, string]>;
    assurance?: 1 | 2;
    /** Citizens and businesses: proven against the national register (default true). */
    proven?: boolean;
  } = {},
): Promise<TestAccount> {
  const db = portal.database.db;
  const n = ++serial;
  const a = await sql<{ id: string }>`
    insert into identity.accounts (kind, display_name, personal_id, tax_code, organisation_type, phone, phone_verified_at, email, email_verified_at)
    values (${kind}, ${options.displayName ?? `Tài khoản thử ${n}`},
            ${kind === 'citizen' ? (options.personalId ?? `0011900${String(n).padStart(5, '0')}`) : null},
            ${kind === 'business' || kind === 'organisation' ? (options.taxCode ?? `0109${String(n).padStart(6, '0')}`) : null},
            ${kind === 'organisation' ? 'other' : null},
            ${options.phone ?? null}, ${options.phone ? new Date() : null},
            ${options.email ?? `thu.${n}.${randomBytes(3).toString('hex')}@example.vn`}, now())
    returning id`.execute(db);
  if ((kind === 'citizen' || kind === 'business') && options.proven !== false)
    await sql`update identity.accounts set proofed_at = now(), proofing_level = 1, proofing_reference = 'test',
                proofing_method = ${kind === 'citizen' ? 'population-register' : 'business-register'}
              where id = ${a.rows[0]!.id}`.execute(db);
  const id = a.rows[0]!.id;
  if (kind === 'officer') {
    await sql`insert into identity.officers (account_id, agency_code, title) values (${id}, ${options.agency ?? 'TTPVHCC-01'}, ${options.title ?? null})`.execute(
      db,
    );
    for (const [agency, role] of options.grants ?? [])
      await sql`insert into identity.role_grants (account_id, agency_code, role) values (${id}, ${agency}, ${role})`.execute(
        db,
      );
  }
  const token = randomBytes(32).toString('base64url');
  await sql`insert into identity.sessions (token_hash, account_id, expires_at, idle_timeout_seconds, assurance)
            values (${createHash('sha256').update(token).digest('hex')}, ${id}, now() + interval '1 hour', 3600,
                    ${options.assurance ?? (kind === 'officer' ? 2 : 1)})`.execute(db);
  return { id, token };
}
