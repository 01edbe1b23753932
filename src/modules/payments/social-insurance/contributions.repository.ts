/** payments.contributions: paid voluntary social-insurance contributions and VSS's acknowledgement. */
import { sql } from 'kysely';
import type { AnyDb } from '../../../platform/db/index.ts';

export interface ContributionRow {
  payment_id: string;
  code: string;
  period_from: string;
  period_to: string;
  months: number;
  income: string | number;
  gross: string | number;
  support: string | number;
  supported_months: number;
  amount: string | number;
  created_at: Date;
  vss_record_id: string | null;
  vss_acknowledged_at: Date | null;
  vss_answer: { status: number; body: unknown } | null;
}

export interface NewContribution {
  paymentId: string;
  code: string;
  from: string;
  to: string;
  months: number;
  income: number;
  gross: number;
  support: number;
  supportedMonths: number;
  amount: number;
}

/** Records a paid contribution once (by its payment); answers the row. */
export async function recordContribution(db: AnyDb, c: NewContribution, at: Date): Promise<ContributionRow> {
  await sql`
    insert into payments.contributions (payment_id, code, period_from, period_to, months, income, gross, support,
      supported_months, amount, created_at)
    values (${c.paymentId}, ${c.code}, ${c.from}, ${c.to}, ${c.months}, ${c.income}, ${c.gross}, ${c.support},
      ${c.supportedMonths}, ${c.amount}, ${at})
    on conflict (payment_id) do nothing`.execute(db);
  const r = await sql<ContributionRow>`
    select * from payments.contributions where payment_id = ${c.paymentId}`.execute(db);
  return r.rows[0]!;
}

export async function acknowledge(
  db: AnyDb,
  paymentId: string,
  answer: { status: number; body: unknown },
  recordId: string | null,
  at: Date,
): Promise<void> {
  await sql`
    update payments.contributions
       set vss_acknowledged_at = ${at}, vss_answer = ${JSON.stringify(answer)}::jsonb, vss_record_id = ${recordId}
     where payment_id = ${paymentId}`.execute(db);
}

export async function contributionsOf(db: AnyDb, code: string): Promise<ContributionRow[]> {
  const r = await sql<ContributionRow>`
    select * from payments.contributions where code = ${code} order by period_from`.execute(db);
  return r.rows;
}
