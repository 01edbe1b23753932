import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountInfo,
  accounts,
  balances,
  checkBooks,
  checkSet,
  correction,
  type LedgerPayment,
  type LineKind,
  type PostingSet,
  paymentSucceeded,
  refundRequested,
  refundSucceeded,
  settlement,
  unmatchedTransfer,
  type Via,
} from './ledger.ts';

const params = { seed: 17 };

const fee: LedgerPayment = {
  id: 'p1',
  amount: 180_000,
  agency: 'H12.34',
  budgetChapter: '418',
  lines: [
    { kind: 'phi', code: 'P1', name: 'Phí thẩm định', amount: 100_000 },
    { kind: 'le-phi', code: 'L1', name: 'Lệ phí cấp giấy', amount: 80_000 },
  ],
};
const bank: Via = { intermediary: 'SIMBANK' };

describe('posting-set builders, exactly as the contract', () => {
  it('payment-succeeded: Dr receivable, Cr per line (phí → fees, lệ phí → budget)', () => {
    expect(paymentSucceeded(fee, bank)).toEqual({
      kind: 'payment-succeeded',
      paymentId: 'p1',
      postings: [
        { account: 'receivable:SIMBANK', debit: 180_000, credit: 0 },
        { account: 'fees:H12.34', debit: 0, credit: 100_000 },
        { account: 'budget:H12.34:418', debit: 0, credit: 80_000 },
      ],
    });
  });

  it('fine + surcharge → budget, social insurance → payable:social-insurance, counter cash → cash:<agency>', () => {
    const set = paymentSucceeded(
      {
        id: 'p2',
        amount: 4_264_000,
        agency: 'CA-HN',
        budgetChapter: '018',
        lines: [
          { kind: 'fine', code: 'F', name: 'Tiền phạt', amount: 4_000_000 },
          { kind: 'surcharge', code: 'S', name: 'Tiền chậm nộp', amount: 0 },
          { kind: 'social-insurance', code: 'SI', name: 'BHXH tự nguyện', amount: 264_000 },
        ],
      },
      { cashAgency: 'CA-HN' },
    );
    expect(set.postings).toEqual([
      { account: 'cash:CA-HN', debit: 4_264_000, credit: 0 },
      { account: 'budget:CA-HN:018', debit: 0, credit: 4_000_000 },
      { account: 'payable:social-insurance', debit: 0, credit: 264_000 },
    ]);
  });

  it('unmatched transfer, refund requested / succeeded, settlement', () => {
    expect(unmatchedTransfer({ intermediary: 'SIMBANK', amount: 5 }).postings).toEqual([
      { account: 'receivable:SIMBANK', debit: 5, credit: 0 },
      { account: 'payer-clearing', debit: 0, credit: 5 },
    ]);
    expect(refundRequested({ paymentId: 'p1', agency: 'H12.34', amount: 7 })).toEqual({
      kind: 'refund-requested',
      paymentId: 'p1',
      postings: [
        { account: 'refunds:H12.34', debit: 7, credit: 0 },
        { account: 'refunds-payable', debit: 0, credit: 7 },
      ],
    });
    expect(refundSucceeded({ paymentId: 'p1', via: bank, amount: 7 })).toEqual({
      kind: 'refund-succeeded',
      paymentId: 'p1',
      postings: [
        { account: 'refunds-payable', debit: 7, credit: 0 },
        { account: 'receivable:SIMBANK', debit: 0, credit: 7 },
      ],
    });
    expect(settlement({ intermediary: 'SIMBANK', amount: 9 })).toEqual({
      kind: 'settlement',
      postings: [
        { account: 'treasury', debit: 9, credit: 0 },
        { account: 'receivable:SIMBANK', debit: 0, credit: 9 },
      ],
    });
  });

  it('refuses lines that do not sum to the amount, bad amounts, bad codes and unbalanced corrections', () => {
    expect(() => paymentSucceeded({ ...fee, amount: 180_001 }, bank)).toThrow(/180001/);
    expect(() => paymentSucceeded({ ...fee, amount: 0, lines: [] }, bank)).toThrow(RangeError);
    expect(() =>
      paymentSucceeded({ ...fee, lines: [{ kind: 'phi', code: 'x', name: 'x', amount: 180_000.5 }] }, bank),
    ).toThrow(RangeError);
    expect(() => settlement({ intermediary: 'SIMBANK', amount: -1 })).toThrow(RangeError);
    expect(() => settlement({ intermediary: 'SIM:BANK', amount: 1 })).toThrow(RangeError);
    expect(() => accounts.budget('H12', 'a b')).toThrow(RangeError);
    expect(() =>
      correction({
        postings: [
          { account: 'payer-clearing', debit: 5, credit: 0 },
          { account: 'fees:H12', debit: 0, credit: 4 },
        ],
      }),
    ).toThrow(/không cân/);
    expect(
      correction({
        paymentId: 'p1',
        postings: [
          { account: 'payer-clearing', debit: 5, credit: 0 },
          { account: 'fees:H12', debit: 0, credit: 5 },
        ],
      }).kind,
    ).toBe('correction');
  });

  it('knows every account family and nothing else', () => {
    expect(accountInfo('receivable:SIMBANK')).toMatchObject({ normal: 'debit', floor: true });
    expect(accountInfo('budget:H12:418')).toMatchObject({ normal: 'credit', floor: true });
    expect(accountInfo('treasury')).toMatchObject({ normal: 'debit', floor: false });
    expect(accountInfo('refunds:H12')).toMatchObject({ normal: 'debit', floor: false });
    for (const bad of [
      'receivable:',
      'budget:H12',
      'payable:other',
      'fees',
      'treasury:x',
      'refund-payable',
      'Treasury',
    ])
      expect(accountInfo(bad), bad).toBeUndefined();
  });
});

describe('checkBooks: the problems, each named', () => {
  const ok = [paymentSucceeded(fee, bank), settlement({ intermediary: 'SIMBANK', amount: 100_000 })];

  it('passes a right history', () => {
    expect(checkBooks(ok)).toBeNull();
    expect(checkBooks([])).toBeNull();
  });

  it('a set not balanced', () => {
    const bad: PostingSet = { kind: 'correction', postings: [{ account: 'treasury', debit: 1, credit: 0 }] };
    expect(checkBooks([...ok, bad])).toMatchObject({ code: 'unbalanced', set: 2 });
  });

  it('a posting with both sides or neither, a non-integer or negative amount, an unknown account, no postings', () => {
    const p = (debit: number, credit: number, account = 'treasury'): PostingSet => ({
      kind: 'correction',
      postings: [{ account, debit, credit }],
    });
    expect(checkBooks([p(1, 1)])).toMatchObject({ code: 'sides', set: 0, posting: 0 });
    expect(checkBooks([p(0, 0)])).toMatchObject({ code: 'sides', set: 0, posting: 0 });
    expect(checkBooks([p(0.5, 0)])).toMatchObject({ code: 'amount', posting: 0 });
    expect(checkBooks([p(-1, 0)])).toMatchObject({ code: 'amount', posting: 0 });
    expect(checkBooks([p(1, 0, 'bank')])).toMatchObject({ code: 'unknown-account', account: 'bank' });
    expect(checkBooks([{ kind: 'correction', postings: [] }])).toMatchObject({ code: 'empty', set: 0 });
  });

  it('settling more than was posted for the intermediary', () => {
    expect(checkBooks([...ok, settlement({ intermediary: 'SIMBANK', amount: 80_001 })])).toMatchObject({
      code: 'over-settled',
      set: 2,
      account: 'receivable:SIMBANK',
    });
    expect(checkBooks([settlement({ intermediary: 'OTHER', amount: 1 }), ...ok])).toMatchObject({
      code: 'over-settled',
      set: 0,
    });
  });

  it('an account on its wrong side at some prefix', () => {
    // Refund paid before it was requested: refunds-payable goes to the debit side.
    expect(checkBooks([...ok, refundSucceeded({ paymentId: 'p1', via: bank, amount: 1 })])).toMatchObject({
      code: 'wrong-side',
      set: 2,
      account: 'refunds-payable',
    });
    // Revenue reversed by more than was earned.
    const reverse = (amount: number) =>
      correction({
        postings: [
          { account: 'fees:H12.34', debit: amount, credit: 0 },
          { account: 'payer-clearing', debit: 0, credit: amount },
        ],
      });
    expect(checkBooks([...ok, reverse(100_000)])).toBeNull();
    expect(checkBooks([...ok, reverse(100_001)])).toMatchObject({
      code: 'wrong-side',
      account: 'fees:H12.34',
    });
    // Each floored family, pushed one đồng over from zero.
    for (const [account, side] of [
      ['receivable:X', 'credit'],
      ['cash:A', 'credit'],
      ['payer-clearing', 'debit'],
      ['fees:A', 'debit'],
      ['budget:A:1', 'debit'],
      ['payable:social-insurance', 'debit'],
      ['refunds-payable', 'debit'],
    ] as const) {
      const set: PostingSet = {
        kind: 'correction',
        postings:
          side === 'credit'
            ? [
                { account: 'treasury', debit: 1, credit: 0 },
                { account, debit: 0, credit: 1 },
              ]
            : [
                { account, debit: 1, credit: 0 },
                { account: 'refunds:A', debit: 0, credit: 1 },
              ],
      };
      expect(checkBooks([set]), account).toMatchObject({ code: 'wrong-side', account });
    }
  });

  it('only the end counts with prefixes: false; opening balances carry in', () => {
    const early = [settlement({ intermediary: 'SIMBANK', amount: 100_000 }), paymentSucceeded(fee, bank)];
    expect(checkBooks(early)).toMatchObject({ code: 'over-settled', set: 0 });
    expect(checkBooks(early, { prefixes: false })).toBeNull();
    expect(
      checkBooks([settlement({ intermediary: 'SIMBANK', amount: 200_000 }), paymentSucceeded(fee, bank)], {
        prefixes: false,
      }),
    ).toMatchObject({
      code: 'over-settled',
    });
    expect(
      checkBooks([settlement({ intermediary: 'SIMBANK', amount: 100_000 })], {
        opening: { 'receivable:SIMBANK': 100_000 },
      }),
    ).toBeNull();
    expect(
      checkBooks([settlement({ intermediary: 'SIMBANK', amount: 100_001 })], {
        opening: { 'receivable:SIMBANK': 100_000 },
      }),
    ).toMatchObject({
      code: 'over-settled',
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties

const INTERMEDIARIES = ['SIMBANK', 'SIMWALLET'];
const AGENCIES = ['H12.34', 'CA-HN', 'G01'];
const KINDS: LineKind[] = ['phi', 'le-phi', 'fine', 'surcharge', 'social-insurance'];

const viaArb: fc.Arbitrary<Via> = fc.oneof(
  fc.constantFrom(...INTERMEDIARIES).map((intermediary) => ({ intermediary })),
  fc.constantFrom(...AGENCIES).map((cashAgency) => ({ cashAgency })),
);
const paymentArb = (id: string): fc.Arbitrary<LedgerPayment> =>
  fc
    .record({
      agency: fc.constantFrom(...AGENCIES),
      budgetChapter: fc.constantFrom('018', '418', '599'),
      lines: fc.array(
        fc.record({ kind: fc.constantFrom(...KINDS), amount: fc.integer({ min: 0, max: 50_000_000 }) }),
        { minLength: 1, maxLength: 6 },
      ),
    })
    .filter((p) => p.lines.some((l) => l.amount > 0))
    .map((p) => ({
      id,
      agency: p.agency,
      budgetChapter: p.budgetChapter,
      amount: p.lines.reduce((s, l) => s + l.amount, 0),
      lines: p.lines.map((l, i) => ({ ...l, code: `L${i}`, name: `Khoản ${i}` })),
    }));

const sums = (set: PostingSet) => ({
  debit: set.postings.reduce((s, p) => s + p.debit, 0),
  credit: set.postings.reduce((s, p) => s + p.credit, 0),
});

describe('builders: every output balances', () => {
  it('payment-succeeded for any lines: Σ debit = Σ credit = amount, one side per posting', () => {
    fc.assert(
      fc.property(paymentArb('p'), viaArb, (payment, via) => {
        const set = paymentSucceeded(payment, via);
        expect(checkSet(set, 0)).toBeNull();
        expect(sums(set)).toEqual({ debit: payment.amount, credit: payment.amount });
        expect(set.postings.filter((p) => p.debit > 0)).toHaveLength(1);
      }),
      params,
    );
  });

  it('the other builders for any amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        viaArb,
        fc.constantFrom(...INTERMEDIARIES),
        (amount, via, i) => {
          for (const set of [
            unmatchedTransfer({ intermediary: i, amount }),
            refundRequested({ paymentId: 'p', agency: 'G01', amount }),
            refundSucceeded({ paymentId: 'p', via, amount }),
            settlement({ intermediary: i, amount }),
          ]) {
            expect(checkSet(set, 0)).toBeNull();
            expect(sums(set)).toEqual({ debit: amount, credit: amount });
          }
        },
      ),
      params,
    );
  });
});

/**
 * A random valid history: operations drawn at random, each applied only when the business allows it
 * (refund at most what is refundable and what the intermediary still holds, settle at most what it holds).
 * The model tracks money, not the ledger's invariants, so checkBooks is tested against it, not itself.
 */
const op = fc.record({
  type: fc.constantFrom('pay', 'unmatched', 'refund', 'refund-done', 'refund-failed', 'settle'),
  payment: paymentArb('x'),
  via: viaArb,
  pick: fc.nat(),
  amount: fc.integer({ min: 1, max: 60_000_000 }),
});
const historyArb = fc.array(op, { minLength: 5, maxLength: 40, size: 'medium' }).map((ops) => {
  const sets: PostingSet[] = [];
  const held = new Map<string, number>(); // money each intermediary (or counter) holds for us
  const viaKey = (via: Via) => ('intermediary' in via ? `i:${via.intermediary}` : `c:${via.cashAgency}`);
  const paid: Array<{ id: string; agency: string; via: Via; left: number }> = [];
  const pending: Array<{ paymentId: string; agency: string; via: Via; amount: number }> = [];
  for (const o of ops) {
    if (o.type === 'pay') {
      const p = { ...o.payment, id: `p${sets.length}` };
      sets.push(paymentSucceeded(p, o.via));
      held.set(viaKey(o.via), (held.get(viaKey(o.via)) ?? 0) + p.amount);
      paid.push({ id: p.id, agency: p.agency, via: o.via, left: p.amount });
    } else if (o.type === 'unmatched') {
      const i = INTERMEDIARIES[o.pick % 2]!;
      sets.push(unmatchedTransfer({ intermediary: i, amount: o.amount }));
      held.set(`i:${i}`, (held.get(`i:${i}`) ?? 0) + o.amount);
    } else if (o.type === 'refund' && paid.length > 0) {
      const p = paid[o.pick % paid.length]!;
      if (p.left === 0) continue;
      const amount = 1 + (o.amount % p.left);
      p.left -= amount;
      sets.push(refundRequested({ paymentId: p.id, agency: p.agency, amount }));
      pending.push({ paymentId: p.id, agency: p.agency, via: p.via, amount });
    } else if ((o.type === 'refund-done' || o.type === 'refund-failed') && pending.length > 0) {
      const [r] = pending.splice(o.pick % pending.length, 1);
      if (!r) continue;
      if (o.type === 'refund-done') {
        if ((held.get(viaKey(r.via)) ?? 0) < r.amount) {
          pending.push(r);
          continue;
        }
        sets.push(refundSucceeded({ paymentId: r.paymentId, via: r.via, amount: r.amount }));
        held.set(viaKey(r.via), held.get(viaKey(r.via))! - r.amount);
      } else {
        sets.push(
          correction({
            paymentId: r.paymentId,
            postings: [
              { account: accounts.refundsPayable, debit: r.amount, credit: 0 },
              { account: accounts.refunds(r.agency), debit: 0, credit: r.amount },
            ],
          }),
        );
        const p = paid.find((x) => x.id === r.paymentId)!;
        p.left += r.amount;
      }
    } else if (o.type === 'settle') {
      const i = INTERMEDIARIES[o.pick % 2]!;
      const h = held.get(`i:${i}`) ?? 0;
      if (h === 0) continue;
      const amount = 1 + (o.amount % h);
      sets.push(settlement({ intermediary: i, amount }));
      held.set(`i:${i}`, h - amount);
    }
  }
  return { sets, held };
});

describe('checkBooks on random histories', () => {
  it('a valid history passes, and the receivables equal what the intermediaries still hold', () => {
    fc.assert(
      fc.property(historyArb, ({ sets, held }) => {
        expect(checkBooks(sets)).toBeNull();
        const b = balances(sets);
        for (const i of INTERMEDIARIES) expect(b.get(`receivable:${i}`) ?? 0).toBe(held.get(`i:${i}`) ?? 0);
      }),
      params,
    );
  });

  type Corruption = 'amount' | 'both' | 'neither' | 'fraction' | 'negative' | 'account';
  const corrupt = (sets: PostingSet[], k: number, j: number, how: Corruption, delta: number): PostingSet[] =>
    sets.map((set, i) =>
      i !== k
        ? set
        : {
            ...set,
            postings: set.postings.map((p, n) => {
              if (n !== j) return p;
              const side = p.debit > 0 ? 'debit' : 'credit';
              const value = p[side];
              if (how === 'amount')
                return { ...p, [side]: Math.max(1, value + (value + delta > 0 ? delta : -delta)) };
              if (how === 'both') return { ...p, debit: value, credit: value };
              if (how === 'neither') return { ...p, debit: 0, credit: 0 };
              if (how === 'fraction') return { ...p, [side]: value + 0.5 };
              if (how === 'negative') return { ...p, [side]: -value };
              return { ...p, account: `${p.account}x:` };
            }),
          },
    );

  it('a single corrupted posting is always found, at its set (and its posting when the posting alone is wrong)', () => {
    fc.assert(
      fc.property(
        historyArb.filter((h) => h.sets.length > 0),
        fc.nat(),
        fc.nat(),
        fc.constantFrom<Corruption>('amount', 'both', 'neither', 'fraction', 'negative', 'account'),
        fc.integer({ min: -1_000, max: 1_000 }).filter((d) => d !== 0),
        ({ sets }, a, b, how, delta) => {
          const k = a % sets.length;
          const j = b % sets[k]!.postings.length;
          const broken = corrupt(sets, k, j, how, delta);
          fc.pre(JSON.stringify(broken) !== JSON.stringify(sets));
          const problem = checkBooks(broken);
          expect(problem).not.toBeNull();
          expect(problem!.set).toBe(k);
          const expected = {
            amount: 'unbalanced',
            both: 'sides',
            neither: 'sides',
            fraction: 'amount',
            negative: 'amount',
            account: 'unknown-account',
          }[how];
          expect(problem!.code).toBe(expected);
          if (how !== 'amount') expect(problem!.posting).toBe(j);
          expect(problem!.message).toMatch(/ \/ /);
        },
      ),
      params,
    );
  });
});
