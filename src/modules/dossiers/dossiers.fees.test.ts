import { describe, expect, it } from 'vitest';
import { billKeyOf, feeLinesOf, parseBillKey, requestLines } from './dossiers.fees.ts';
import type { FeeLineRef } from './dossiers.payment.ts';

const CERTIFIED_COPY: FeeLineRef = {
  kind: 'le-phi',
  name: 'Lệ phí chứng thực bản sao',
  formula: {
    type: 'tiered',
    unit: 'trang',
    item: 'bản',
    tiers: [
      { from: 1, rate: 2_000 },
      { from: 3, rate: 1_000 },
    ],
    capPerItem: 200_000,
  },
};
const SERVICE_FEE: FeeLineRef = {
  kind: 'phi',
  name: 'Phí cung cấp thông tin',
  formula: { type: 'fixed', amount: 200_000 },
};
const FREE: FeeLineRef = { kind: 'le-phi', name: 'Không thu', formula: { type: 'free' } };

describe('feeLinesOf', () => {
  it('works out the certified copy per page and copy, with its cap, as integer đồng', () => {
    expect(feeLinesOf('2.000815', [CERTIFIED_COPY], { soTrang: 5, soBan: 2 })).toEqual([
      { kind: 'le-phi', code: '2.000815.le-phi.1', name: 'Lệ phí chứng thực bản sao', amount: 14_000 },
    ]);
    // 2 × 2,000 + 998 × 1,000 = 1,002,000 a copy, capped at 200,000; 3 copies.
    expect(feeLinesOf('2.000815', [CERTIFIED_COPY], { soTrang: 1000, soBan: 3 })?.[0]?.amount).toBe(600_000);
  });

  it('leaves free lines out, keeps phí and lệ phí apart, and cannot say without the pages', () => {
    const lines = feeLinesOf('9.1', [FREE, SERVICE_FEE, CERTIFIED_COPY], { soTrang: 1 });
    expect(lines?.map((l) => [l.kind, l.code, l.amount])).toEqual([
      ['phi', '9.1.phi.2', 200_000],
      ['le-phi', '9.1.le-phi.3', 2_000],
    ]);
    expect(feeLinesOf('2.000815', [CERTIFIED_COPY], {})).toBeUndefined();
    expect(feeLinesOf('1.1', [FREE], {})).toEqual([]);
  });
});

describe('requestLines', () => {
  const lines = feeLinesOf('9.1', [SERVICE_FEE, CERTIFIED_COPY], { soTrang: 1 });

  it('keeps the fee lines when they add up to the amount asked', () => {
    expect(requestLines('9.1', 1, lines, [SERVICE_FEE, CERTIFIED_COPY], 202_000, 'x')).toEqual(lines);
  });

  it('else one line of the amount, of the kind of the largest fee line, named as the processor wrote', () => {
    expect(
      requestLines('9.1', 2, lines, [SERVICE_FEE, CERTIFIED_COPY], 150_000, 'Phí theo quyết định'),
    ).toEqual([{ kind: 'phi', code: '9.1.yeu-cau.2', name: 'Phí theo quyết định', amount: 150_000 }]);
    expect(requestLines('9.2', 1, [], [], 30_000, 'Lệ phí')).toEqual([
      { kind: 'le-phi', code: '9.2.yeu-cau.1', name: 'Lệ phí', amount: 30_000 },
    ]);
    expect(requestLines('9.2', 1, [], [], 0, 'Không thu')).toEqual([]);
  });
});

describe('bill keys', () => {
  it('name the dossier and the request, and read back', () => {
    expect(billKeyOf('000.00.01.H26-250701-0001', 2)).toBe('dossier-fee:000.00.01.H26-250701-0001:2');
    expect(parseBillKey('dossier-fee:000.00.01.H26-250701-0001:2')).toEqual({
      code: '000.00.01.H26-250701-0001',
      requestNo: 2,
    });
    expect(parseBillKey('fine:123/QĐ:1')).toBeUndefined();
    expect(parseBillKey('dossier-fee:X:0')).toBeUndefined();
  });
});
