/**
 * Who money moves through and to: intermediaries (banks, e-wallets), partners (agency systems speaking
 * protocol 1.0.6) and payees (agencies onboarded to collect online).
 */
import { sql } from 'kysely';
import type { AnyDb } from '../../platform/db/index.ts';

export interface Intermediary {
  code: string;
  name: string;
  kind: 'bank' | 'e-wallet';
  baseUrl: string;
  secret: string;
  partnerCode: string;
  qr: { bin: string; account: string; accountName: string | null } | null;
  active: boolean;
}

export interface Partner {
  code: string;
  name: string;
  agencyCode: string;
  secret: string;
  confirmUrl: string | null;
  active: boolean;
}

export interface Payee {
  agencyCode: string;
  name: string;
  budgetChapter: string;
  treasuryAccount: string;
  treasuryName: string;
  receiptSeries: string;
  taxCode: string | null;
}

interface IntermediaryRow {
  code: string;
  name: string;
  kind: 'bank' | 'e-wallet';
  base_url: string;
  secret: string;
  partner_code: string;
  qr_bin: string | null;
  qr_account: string | null;
  qr_account_name: string | null;
  active: boolean;
}

const toIntermediary = (r: IntermediaryRow): Intermediary => ({
  code: r.code,
  name: r.name,
  kind: r.kind,
  baseUrl: r.base_url.replace(/\/$/, ''),
  secret: r.secret,
  partnerCode: r.partner_code,
  qr:
    r.qr_bin && r.qr_account
      ? { bin: r.qr_bin, account: r.qr_account, accountName: r.qr_account_name }
      : null,
  active: r.active,
});

export async function intermediaries(db: AnyDb, activeOnly = true): Promise<Intermediary[]> {
  const r = await sql<IntermediaryRow>`
    select * from payments.intermediaries where ${activeOnly ? sql`active` : sql`true`} order by name`.execute(
    db,
  );
  return r.rows.map(toIntermediary);
}

export async function intermediary(db: AnyDb, code: string): Promise<Intermediary | undefined> {
  const r = await sql<IntermediaryRow>`select * from payments.intermediaries where code = ${code}`.execute(
    db,
  );
  return r.rows[0] ? toIntermediary(r.rows[0]) : undefined;
}

export async function upsertIntermediary(db: AnyDb, i: Omit<Intermediary, 'active'> & { active?: boolean }) {
  await sql`
    insert into payments.intermediaries (code, name, kind, base_url, secret, partner_code, qr_bin, qr_account, qr_account_name, active)
    values (${i.code}, ${i.name}, ${i.kind}, ${i.baseUrl}, ${i.secret}, ${i.partnerCode}, ${i.qr?.bin ?? null},
            ${i.qr?.account ?? null}, ${i.qr?.accountName ?? null}, ${i.active ?? true})
    on conflict (code) do update set name = excluded.name, kind = excluded.kind, base_url = excluded.base_url,
      secret = excluded.secret, partner_code = excluded.partner_code, qr_bin = excluded.qr_bin,
      qr_account = excluded.qr_account, qr_account_name = excluded.qr_account_name, active = excluded.active`.execute(
    db,
  );
}

interface PartnerRow {
  code: string;
  name: string;
  agency_code: string;
  secret: string;
  confirm_url: string | null;
  active: boolean;
}

export async function partner(db: AnyDb, code: string): Promise<Partner | undefined> {
  const r = await sql<PartnerRow>`select * from payments.partners where code = ${code}`.execute(db);
  const p = r.rows[0];
  return p
    ? {
        code: p.code,
        name: p.name,
        agencyCode: p.agency_code,
        secret: p.secret,
        confirmUrl: p.confirm_url,
        active: p.active,
      }
    : undefined;
}

export async function upsertPartner(db: AnyDb, p: Omit<Partner, 'active'>) {
  await sql`
    insert into payments.partners (code, name, agency_code, secret, confirm_url)
    values (${p.code}, ${p.name}, ${p.agencyCode}, ${p.secret}, ${p.confirmUrl})
    on conflict (code) do update set name = excluded.name, agency_code = excluded.agency_code,
      secret = excluded.secret, confirm_url = excluded.confirm_url`.execute(db);
}

interface PayeeRow {
  agency_code: string;
  name: string;
  budget_chapter: string;
  treasury_account: string;
  treasury_name: string;
  receipt_series: string;
  tax_code: string | null;
}

const toPayee = (r: PayeeRow): Payee => ({
  agencyCode: r.agency_code,
  name: r.name,
  budgetChapter: r.budget_chapter,
  treasuryAccount: r.treasury_account,
  treasuryName: r.treasury_name,
  receiptSeries: r.receipt_series,
  taxCode: r.tax_code,
});

export async function payee(db: AnyDb, agencyCode: string): Promise<Payee | undefined> {
  const r = await sql<PayeeRow>`select * from payments.payees where agency_code = ${agencyCode}`.execute(db);
  return r.rows[0] ? toPayee(r.rows[0]) : undefined;
}

/** The nearest onboarded payee among an agency and its ancestors (nearest first). */
export async function payeeAmong(db: AnyDb, lineage: readonly string[]): Promise<Payee | undefined> {
  if (lineage.length === 0) return undefined;
  const r = await sql<PayeeRow>`
    select * from payments.payees where agency_code in (${sql.join(lineage)})`.execute(db);
  const found = new Map(r.rows.map((x) => [x.agency_code, x]));
  for (const code of lineage) {
    const row = found.get(code);
    if (row) return toPayee(row);
  }
  return undefined;
}

export async function upsertPayee(db: AnyDb, p: Payee) {
  await sql`
    insert into payments.payees (agency_code, name, budget_chapter, treasury_account, treasury_name, receipt_series, tax_code)
    values (${p.agencyCode}, ${p.name}, ${p.budgetChapter}, ${p.treasuryAccount}, ${p.treasuryName}, ${p.receiptSeries}, ${p.taxCode})
    on conflict (agency_code) do update set name = excluded.name, budget_chapter = excluded.budget_chapter,
      treasury_account = excluded.treasury_account, treasury_name = excluded.treasury_name,
      receipt_series = excluded.receipt_series, tax_code = excluded.tax_code`.execute(db);
}
