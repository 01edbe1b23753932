/**
 * The payments ledger (the contract, "Ledger"): double entry in integer đồng, append-only. A posting set is
 * one business event; a correction is a new set, never an update.
 *
 * Accounts (normal side):
 *   receivable:<intermediary>  debit   money an intermediary holds for the portal; never below 0
 *   cash:<agency>              debit   counter cash; never below 0
 *   treasury                   debit   money settled into the State Treasury collection account
 *   payer-clearing             credit  money in that matches no payment (or another amount); never below 0
 *   fees:<agency>              credit  phí; never below 0
 *   budget:<agency>:<chapter>  credit  lệ phí, fines, surcharges; never below 0
 *   payable:social-insurance   credit  voluntary social insurance for VSS; never below 0
 *   refunds:<agency>           debit   contra-revenue
 *   refunds-payable            credit  refunds promised, not yet paid out; never below 0
 *
 * "Never below 0" means the balance never crosses to the other side of its normal one after any prefix of
 * the sequence (`checkBooks`). The contract names receivable, refunds-payable, fees, budget and payable;
 * cash and payer-clearing are held to the same rule here because money cannot be negative there either.
 */

export type PostingSetKind =
  | 'payment-succeeded'
  | 'unmatched-transfer'
  | 'refund-requested'
  | 'refund-succeeded'
  | 'settlement'
  | 'correction';

export interface Posting {
  account: string;
  debit: number;
  credit: number;
}

export interface PostingSet {
  kind: PostingSetKind;
  paymentId?: string;
  postings: Posting[];
}

export type LineKind = 'phi' | 'le-phi' | 'fine' | 'surcharge' | 'social-insurance';

export interface PaymentLine {
  kind: LineKind;
  code: string;
  name: string;
  amount: number;
}

/** What the ledger needs of a payment. */
export interface LedgerPayment {
  id: string;
  amount: number;
  /** The agency the revenue belongs to (fees, budget, refunds). */
  agency: string;
  /** The State budget chapter (chương) lệ phí, fines and surcharges go to. */
  budgetChapter: string;
  lines: readonly PaymentLine[];
}

/** Where the money came in: through an intermediary, or cash at an agency's counter. */
export type Via = { intermediary: string } | { cashAgency: string };

// ---------------------------------------------------------------------------------------------------------
// Accounts

const CODE = /^[A-Za-z0-9._-]+$/;

function code(value: string, what: string): string {
  if (!CODE.test(value)) throw new RangeError(`Mã ${what} không hợp lệ: "${value}" / invalid ${what} code`);
  return value;
}

export const TREASURY = 'treasury';
export const PAYER_CLEARING = 'payer-clearing';
export const SOCIAL_INSURANCE_PAYABLE = 'payable:social-insurance';
export const REFUNDS_PAYABLE = 'refunds-payable';

export const accounts = {
  receivable: (intermediary: string) => `receivable:${code(intermediary, 'intermediary')}`,
  cash: (agency: string) => `cash:${code(agency, 'agency')}`,
  fees: (agency: string) => `fees:${code(agency, 'agency')}`,
  budget: (agency: string, chapter: string) => `budget:${code(agency, 'agency')}:${code(chapter, 'chapter')}`,
  refunds: (agency: string) => `refunds:${code(agency, 'agency')}`,
  treasury: TREASURY,
  payerClearing: PAYER_CLEARING,
  socialInsurance: SOCIAL_INSURANCE_PAYABLE,
  refundsPayable: REFUNDS_PAYABLE,
} as const;

export interface AccountInfo {
  /** The family: `receivable`, `budget`, `treasury`… */
  family: string;
  normal: 'debit' | 'credit';
  /** The balance must stay on the normal side (≥ 0 there). */
  floor: boolean;
}

const SEG = '[A-Za-z0-9._-]+';
const FAMILIES: ReadonlyArray<{ pattern: RegExp; info: AccountInfo }> = [
  {
    pattern: new RegExp(`^receivable:${SEG}$`),
    info: { family: 'receivable', normal: 'debit', floor: true },
  },
  { pattern: new RegExp(`^cash:${SEG}$`), info: { family: 'cash', normal: 'debit', floor: true } },
  { pattern: /^treasury$/, info: { family: 'treasury', normal: 'debit', floor: false } },
  { pattern: /^payer-clearing$/, info: { family: 'payer-clearing', normal: 'credit', floor: true } },
  { pattern: new RegExp(`^fees:${SEG}$`), info: { family: 'fees', normal: 'credit', floor: true } },
  {
    pattern: new RegExp(`^budget:${SEG}:${SEG}$`),
    info: { family: 'budget', normal: 'credit', floor: true },
  },
  { pattern: /^payable:social-insurance$/, info: { family: 'payable', normal: 'credit', floor: true } },
  { pattern: new RegExp(`^refunds:${SEG}$`), info: { family: 'refunds', normal: 'debit', floor: false } },
  { pattern: /^refunds-payable$/, info: { family: 'refunds-payable', normal: 'credit', floor: true } },
];

/** What an account name is, or undefined when it is none of the ledger's. */
export function accountInfo(account: string): AccountInfo | undefined {
  return FAMILIES.find((f) => f.pattern.test(account))?.info;
}

const viaAccount = (via: Via) =>
  'intermediary' in via ? accounts.receivable(via.intermediary) : accounts.cash(via.cashAgency);

// ---------------------------------------------------------------------------------------------------------
// Builders

const dr = (account: string, amount: number): Posting => ({ account, debit: amount, credit: 0 });
const cr = (account: string, amount: number): Posting => ({ account, debit: 0, credit: amount });

function positive(amount: number, what: string): number {
  if (!Number.isSafeInteger(amount) || amount <= 0)
    throw new RangeError(`${what} phải là số đồng nguyên dương: ${amount} / ${what}: must be whole đồng > 0`);
  return amount;
}

/** The credit account of a payment line. */
export function lineAccount(
  payment: Pick<LedgerPayment, 'agency' | 'budgetChapter'>,
  line: PaymentLine,
): string {
  switch (line.kind) {
    case 'phi':
      return accounts.fees(payment.agency);
    case 'le-phi':
    case 'fine':
    case 'surcharge':
      return accounts.budget(payment.agency, payment.budgetChapter);
    case 'social-insurance':
      return accounts.socialInsurance;
  }
}

/** Dr receivable:<i> (or cash:<agency>) the amount; Cr one posting per line (lines of 0 đồng left out). */
export function paymentSucceeded(payment: LedgerPayment, via: Via): PostingSet {
  positive(payment.amount, 'Số tiền thanh toán');
  let sum = 0;
  const credits: Posting[] = [];
  for (const line of payment.lines) {
    if (!Number.isSafeInteger(line.amount) || line.amount < 0)
      throw new RangeError(
        `Khoản ${line.code}: số tiền ${line.amount} không hợp lệ / line ${line.code}: bad amount`,
      );
    sum += line.amount;
    if (line.amount > 0) credits.push(cr(lineAccount(payment, line), line.amount));
  }
  if (sum !== payment.amount)
    throw new RangeError(
      `Tổng các khoản (${sum}) khác số tiền thanh toán (${payment.amount}) / lines sum to ${sum}, not ${payment.amount}`,
    );
  return {
    kind: 'payment-succeeded',
    paymentId: payment.id,
    postings: [dr(viaAccount(via), payment.amount), ...credits],
  };
}

/** Money in that matches no payment (or differs in amount): Dr receivable:<i>, Cr payer-clearing. */
export function unmatchedTransfer(input: {
  intermediary: string;
  amount: number;
  paymentId?: string;
}): PostingSet {
  positive(input.amount, 'Số tiền chuyển khoản');
  const set: PostingSet = {
    kind: 'unmatched-transfer',
    postings: [dr(accounts.receivable(input.intermediary), input.amount), cr(PAYER_CLEARING, input.amount)],
  };
  if (input.paymentId !== undefined) set.paymentId = input.paymentId;
  return set;
}

/** Dr refunds:<agency>, Cr refunds-payable. */
export function refundRequested(input: { paymentId: string; agency: string; amount: number }): PostingSet {
  positive(input.amount, 'Số tiền hoàn');
  return {
    kind: 'refund-requested',
    paymentId: input.paymentId,
    postings: [dr(accounts.refunds(input.agency), input.amount), cr(REFUNDS_PAYABLE, input.amount)],
  };
}

/** Dr refunds-payable, Cr receivable:<i> (or cash:<agency> for a counter payment). */
export function refundSucceeded(input: { paymentId: string; via: Via; amount: number }): PostingSet {
  positive(input.amount, 'Số tiền hoàn');
  return {
    kind: 'refund-succeeded',
    paymentId: input.paymentId,
    postings: [dr(REFUNDS_PAYABLE, input.amount), cr(viaAccount(input.via), input.amount)],
  };
}

/** The intermediary's settled amount: Dr treasury, Cr receivable:<i>. */
export function settlement(input: { intermediary: string; amount: number }): PostingSet {
  positive(input.amount, 'Số tiền đối soát');
  return {
    kind: 'settlement',
    postings: [dr(TREASURY, input.amount), cr(accounts.receivable(input.intermediary), input.amount)],
  };
}

/** A correction: any balanced postings on the ledger's accounts. Throws when the set itself is wrong. */
export function correction(input: { postings: Posting[]; paymentId?: string }): PostingSet {
  const set: PostingSet = { kind: 'correction', postings: input.postings.map((p) => ({ ...p })) };
  if (input.paymentId !== undefined) set.paymentId = input.paymentId;
  const problem = checkSet(set, 0);
  if (problem) throw new RangeError(problem.message);
  return set;
}

// ---------------------------------------------------------------------------------------------------------
// Invariants

export type LedgerProblemCode =
  | 'empty'
  | 'unknown-account'
  | 'amount'
  | 'sides'
  | 'unbalanced'
  | 'wrong-side'
  | 'over-settled';

export interface LedgerProblem {
  code: LedgerProblemCode;
  /** Index of the posting set in the sequence. */
  set: number;
  /** Index of the posting in the set, when one posting is at fault. */
  posting?: number;
  account?: string;
  /** Vietnamese, then English. */
  message: string;
}

/** The first problem of one set on its own (shape and balance), or null. */
export function checkSet(set: PostingSet, index: number): LedgerProblem | null {
  if (set.postings.length === 0)
    return {
      code: 'empty',
      set: index,
      message: `Bút toán ${index} không có dòng nào / set ${index} has no postings`,
    };
  let debit = 0;
  let credit = 0;
  for (const [j, p] of set.postings.entries()) {
    const where = { set: index, posting: j, account: p.account };
    if (!accountInfo(p.account))
      return {
        code: 'unknown-account',
        ...where,
        message: `Bút toán ${index}, dòng ${j}: tài khoản "${p.account}" không có trong sổ / set ${index}, posting ${j}: unknown account`,
      };
    if (!Number.isSafeInteger(p.debit) || !Number.isSafeInteger(p.credit) || p.debit < 0 || p.credit < 0)
      return {
        code: 'amount',
        ...where,
        message: `Bút toán ${index}, dòng ${j}: số tiền phải là số đồng nguyên không âm / set ${index}, posting ${j}: amounts must be whole đồng ≥ 0`,
      };
    if (p.debit > 0 === p.credit > 0)
      return {
        code: 'sides',
        ...where,
        message: `Bút toán ${index}, dòng ${j}: phải có đúng một bên Nợ hoặc Có / set ${index}, posting ${j}: exactly one of debit and credit`,
      };
    debit += p.debit;
    credit += p.credit;
  }
  if (debit !== credit)
    return {
      code: 'unbalanced',
      set: index,
      message: `Bút toán ${index} (${set.kind}) không cân: Nợ ${debit}, Có ${credit} / set ${index} (${set.kind}) unbalanced: debit ${debit}, credit ${credit}`,
    };
  return null;
}

export interface CheckOptions {
  /** Balances before the first set (debit positive, credit negative), e.g. when checking one day's sets. */
  opening?: Readonly<Record<string, number>>;
  /**
   * true (default): no account may be on its wrong side after any prefix of the sequence; false: only at the
   * end (a settlement file imported before the day's callbacks were applied).
   */
  prefixes?: boolean;
}

/** The first problem of a sequence of posting sets, in order, or null when the books are right. */
export function checkBooks(sets: readonly PostingSet[], opts: CheckOptions = {}): LedgerProblem | null {
  const prefixes = opts.prefixes ?? true;
  /** Debit-positive balance per account. */
  const balance = new Map<string, number>(Object.entries(opts.opening ?? {}));
  const lastTouched = new Map<string, number>();
  const posted = new Map<string, number>();
  const settled = new Map<string, number>();
  for (const [account, b] of balance)
    if (account.startsWith('receivable:')) posted.set(account, Math.max(0, b));

  const wrongSide = (account: string, index: number): LedgerProblem | null => {
    const info = accountInfo(account);
    const b = balance.get(account) ?? 0;
    if (!info?.floor || (info.normal === 'debit' ? b >= 0 : b <= 0)) return null;
    const side = b > 0 ? 'Nợ' : 'Có';
    return {
      code: 'wrong-side',
      set: index,
      account,
      message: `Tài khoản ${account} sang bên ${side} (${Math.abs(b)}) sau bút toán ${index} / account ${account} went to the wrong side (${b}) after set ${index}`,
    };
  };

  for (const [i, set] of sets.entries()) {
    const shape = checkSet(set, i);
    if (shape) return shape;
    for (const p of set.postings) {
      balance.set(p.account, (balance.get(p.account) ?? 0) + p.debit - p.credit);
      lastTouched.set(p.account, i);
      if (p.account.startsWith('receivable:')) {
        if (p.debit > 0) posted.set(p.account, (posted.get(p.account) ?? 0) + p.debit);
        if (set.kind === 'settlement' && p.credit > 0) {
          const s = (settled.get(p.account) ?? 0) + p.credit;
          settled.set(p.account, s);
          const in_ = posted.get(p.account) ?? 0;
          if (prefixes && s > in_)
            return {
              code: 'over-settled',
              set: i,
              account: p.account,
              message: `Đối soát ${p.account} (${s}) vượt số đã ghi nhận (${in_}) / ${p.account} settled ${s}, more than the ${in_} posted`,
            };
        }
      }
    }
    if (prefixes)
      for (const p of set.postings) {
        const problem = wrongSide(p.account, i);
        if (problem) return problem;
      }
  }
  if (!prefixes) {
    for (const [account, s] of settled) {
      const in_ = posted.get(account) ?? 0;
      if (s > in_)
        return {
          code: 'over-settled',
          set: lastTouched.get(account) ?? -1,
          account,
          message: `Đối soát ${account} (${s}) vượt số đã ghi nhận (${in_}) / ${account} settled ${s}, more than the ${in_} posted`,
        };
    }
    for (const account of balance.keys()) {
      const problem = wrongSide(account, lastTouched.get(account) ?? -1);
      if (problem) return problem;
    }
  }
  return null;
}

/** Debit-positive balances after the sets (for reports and tests). */
export function balances(sets: readonly PostingSet[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const set of sets)
    for (const p of set.postings) out.set(p.account, (out.get(p.account) ?? 0) + p.debit - p.credit);
  return out;
}
