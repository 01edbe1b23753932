/**
 * The whole ledger checked by the pure checker (`domain/ledger.ts` `checkBooks`): every posting set in
 * order, each set's shape and balance, no account on its wrong side after any set, never more settled
 * than posted. `checkBooks` takes an array, so the sets are collected (a few hundred bytes each) and
 * checked once; the answer names the first wrong set by its id and key (`npm run ledger:verify`).
 */
import type { AnyDb } from '../../platform/db/index.ts';
import { checkBooks, type PostingSet as DomainSet, type LedgerProblem } from './domain/ledger.ts';
import { readSets } from './ledger.store.ts';

export type LedgerVerdict =
  | { ok: true; sets: number }
  | {
      ok: false;
      sets: number;
      problem: LedgerProblem;
      at: { id: number; kind: string; key: string } | undefined;
    };

export async function verifyLedger(db: AnyDb): Promise<LedgerVerdict> {
  const sets: DomainSet[] = [];
  const ids: Array<{ id: number; kind: string; key: string }> = [];
  for await (const s of readSets(db)) {
    // The store's `refund-failed` is not in the domain's union of kinds; the checker reads a kind only to
    // recognise `settlement` sets.
    sets.push({ kind: s.kind as DomainSet['kind'], postings: s.postings });
    ids.push({ id: s.id, kind: s.kind, key: s.key });
  }
  const problem = checkBooks(sets);
  return problem
    ? { ok: false, sets: sets.length, problem, at: ids[problem.set] }
    : { ok: true, sets: sets.length };
}
