/**
 * The ledger in the database: a posting set is written in the caller's transaction, once per key (the
 * unique key refuses a second posting of the same movement, whoever races), and the database refuses a
 * set that does not balance at commit and any change to a posting. Accounts are created on first use
 * from their code.
 */
import { sql } from 'kysely';
import type { AnyDb, AnyTransaction } from '../../platform/db/index.ts';
import { accountInfo } from './domain/ledger.ts';

export interface Posting {
  account: string;
  debit: number;
  credit: number;
}

export type SetKind =
  | 'payment-succeeded'
  | 'unmatched-transfer'
  | 'refund-requested'
  | 'refund-succeeded'
  | 'refund-failed'
  | 'settlement'
  | 'correction';

export interface PostingSet {
  kind: SetKind;
  /** What the set records, once (payment-succeeded:<id>, transfer:<intermediary>:<txn>…). */
  key: string;
  paymentId?: string | undefined;
  refundId?: string | undefined;
  memo?: string;
  postings: Posting[];
}

/** The Vietnamese name of an account (its side and floor: the domain's `accountInfo`). */
export function accountName(code: string): string {
  const [head, a, b] = code.split(':');
  switch (head) {
    case 'receivable':
      return `Phải thu trung gian thanh toán ${a}`;
    case 'cash':
      return `Tiền mặt thu tại quầy ${a}`;
    case 'treasury':
      return 'Tài khoản thu tại Kho bạc Nhà nước';
    case 'payer-clearing':
      return 'Tiền của người nộp chờ xử lý';
    case 'fees':
      return `Phí thu được ${a}`;
    case 'budget':
      return `Thu ngân sách nhà nước ${a}, chương ${b}`;
    case 'payable':
      return `Phải trả ${a}`;
    case 'refunds':
      return `Hoàn trả người nộp ${a}`;
    default:
      return 'Phải hoàn trả người nộp';
  }
}

/**
 * Writes a posting set in `trx`; false (and nothing written) when a set with this key exists already.
 */
export async function postSet(trx: AnyTransaction, set: PostingSet, at: Date): Promise<boolean> {
  if (!trx.isTransaction) throw new Error('postSet must be called inside the business transaction');
  const accounts = [...new Set(set.postings.map((p) => p.account))].map((code) => {
    const info = accountInfo(code);
    if (!info) throw new Error(`unknown ledger account ${code}`);
    return sql`(${code}, ${accountName(code)}, ${info.normal}, ${!info.floor})`;
  });
  await sql`insert into payments.accounts (code, name, normal, may_go_negative) values ${sql.join(accounts)}
            on conflict (code) do nothing`.execute(trx);
  // The set and its postings in one statement: nothing at all when the key was posted before.
  const values = set.postings.map((p) => sql`(${p.account}, ${p.debit}::bigint, ${p.credit}::bigint)`);
  const r = await sql<{ n: number }>`
    with s as (
      insert into payments.posting_sets (kind, key, payment_id, refund_id, at, memo)
      values (${set.kind}, ${set.key}, ${set.paymentId ?? null}, ${set.refundId ?? null}, ${at}, ${set.memo ?? ''})
      on conflict (key) do nothing
      returning id),
    p as (
      insert into payments.postings (set_id, account, debit, credit)
      select s.id, v.account, v.debit, v.credit from s, (values ${sql.join(values)}) as v (account, debit, credit)
      returning 1)
    select count(*)::int as n from p`.execute(trx);
  if (Number(r.rows[0]?.n ?? 0) === 0) return false;
  return true;
}

export interface StoredSet {
  id: number;
  kind: SetKind;
  key: string;
  paymentId: string | null;
  at: Date;
  postings: Posting[];
}

/** Every set in order, a page at a time (for ledger:verify). */
export async function* readSets(db: AnyDb, pageSize = 5000): AsyncGenerator<StoredSet> {
  let after = 0;
  for (;;) {
    const r = await sql<{
      id: string;
      kind: SetKind;
      key: string;
      payment_id: string | null;
      at: Date;
      postings: Array<{ account: string; debit: string | number; credit: string | number }>;
    }>`
      select s.id, s.kind, s.key, s.payment_id, s.at,
             coalesce((select jsonb_agg(jsonb_build_object('account', p.account, 'debit', p.debit, 'credit', p.credit) order by p.id)
                         from payments.postings p where p.set_id = s.id), '[]'::jsonb) as postings
        from payments.posting_sets s
       where s.id > ${after}
       order by s.id
       limit ${pageSize}`.execute(db);
    if (r.rows.length === 0) return;
    for (const row of r.rows) {
      after = Number(row.id);
      yield {
        id: after,
        kind: row.kind,
        key: row.key,
        paymentId: row.payment_id,
        at: row.at,
        postings: row.postings.map((p) => ({
          account: p.account,
          debit: Number(p.debit),
          credit: Number(p.credit),
        })),
      };
    }
  }
}

/** Balances per account (debit − credit), for the accountant's page and the checks. */
export async function balances(db: AnyDb): Promise<Map<string, number>> {
  const r = await sql<{ account: string; balance: string }>`
    select account, sum(debit) - sum(credit) as balance from payments.postings group by account`.execute(db);
  return new Map(r.rows.map((x) => [x.account, Number(x.balance)]));
}
