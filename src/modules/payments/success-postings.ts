/**
 * The postings of a successful payment: the money in (the intermediary owes it, or it is cash at the
 * counter) against what it is for, line by line — phí to the agency's fees, lệ phí, fines and their
 * surcharge to the State budget under the agency's chapter, social-insurance contributions owed on to
 * Vietnam Social Security. Lines of one account are summed.
 */
import type { Posting } from './ledger.store.ts';
import type { LineKind, PaymentLine } from './payments.repository.ts';
import type { Payee } from './registry.repository.ts';

export function creditAccountOf(kind: LineKind, payee: Pick<Payee, 'agencyCode' | 'budgetChapter'>): string {
  switch (kind) {
    case 'phi':
      return `fees:${payee.agencyCode}`;
    case 'le-phi':
    case 'fine':
    case 'surcharge':
      return `budget:${payee.agencyCode}:${payee.budgetChapter}`;
    case 'social-insurance':
      return 'payable:social-insurance';
  }
}

export function successPostings(input: {
  debitAccount: string;
  lines: readonly PaymentLine[];
  payee: Pick<Payee, 'agencyCode' | 'budgetChapter'>;
}): Posting[] {
  const credits = new Map<string, number>();
  let total = 0;
  for (const l of input.lines) {
    const account = creditAccountOf(l.kind, input.payee);
    credits.set(account, (credits.get(account) ?? 0) + l.amount);
    total += l.amount;
  }
  return [
    { account: input.debitAccount, debit: total, credit: 0 },
    ...[...credits].map(([account, credit]) => ({ account, debit: 0, credit })),
  ];
}
