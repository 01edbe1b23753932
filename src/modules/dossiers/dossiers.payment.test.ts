import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CERTIFIED_COPY_FORMULA } from '../catalogue/domain/fees.ts';
import { dong, parseAmount, suggestPayment } from './dossiers.payment.ts';

describe('suggestPayment', () => {
  it("counts the certified copy's fee from the pages and copies declared (2,000 đ a page to 2, then 1,000)", () => {
    const fees = [{ kind: 'le-phi' as const, name: 'Lệ phí chứng thực', formula: CERTIFIED_COPY_FORMULA }];
    expect(suggestPayment(fees, { soTrang: 3, soBan: 2 })).toEqual({
      amount: 10_000,
      items: 'Lệ phí chứng thực',
    });
    // capped at 200,000 đ a copy
    expect(suggestPayment(fees, { soTrang: 500, soBan: 1 }).amount).toBe(200_000);
    // pages not declared: the processor enters the amount
    expect(suggestPayment(fees, { soBan: 1 }).amount).toBeUndefined();
  });

  it('adds fixed lines, counts free ones as nothing, and cannot count an amount set by a decision', () => {
    expect(
      suggestPayment(
        [
          { kind: 'le-phi', name: 'Lệ phí', formula: { type: 'fixed', amount: 30_000 } },
          { kind: 'phi', name: 'Miễn', formula: { type: 'free' } },
        ],
        {},
      ),
    ).toEqual({ amount: 30_000, items: 'Lệ phí' });
    expect(
      suggestPayment([{ kind: 'phi', name: 'Phạt', formula: { type: 'as-decided', description: 'x' } }], {})
        .amount,
    ).toBeUndefined();
    expect(suggestPayment([], {})).toEqual({ amount: 0, items: '' });
  });
});

describe('parseAmount', () => {
  it('reads integer đồng as people write them, and nothing else', () => {
    expect(parseAmount('200.000')).toBe(200_000);
    expect(parseAmount('200 000 đ')).toBe(200_000);
    expect(parseAmount('10000')).toBe(10_000);
    expect(parseAmount('mười nghìn')).toBeUndefined();
    expect(parseAmount('-5')).toBeUndefined();
    expect(parseAmount('1,5')).toBeUndefined(); // a decimal comma: đồng are whole
    expect(parseAmount('')).toBeUndefined();
    expect(parseAmount(undefined)).toBeUndefined();
  });

  it('reads back every amount it writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (n) => {
        expect(parseAmount(dong(n))).toBe(n);
      }),
    );
  });
});
