import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Facet, facetOrder, ranksOf } from './catalogue.service.ts';

const LABELS = [
  'Thành phố Hà Nội',
  'Thành phố Hồ Chí Minh',
  'Tỉnh An Giang',
  'Tỉnh Đắk Lắk',
  'Tỉnh Điện Biên',
  'Tỉnh Đồng Nai',
  'Tỉnh Bắc Ninh',
  'Tỉnh Cà Mau',
  'Tỉnh Ðồng Tháp',
  'Bộ Tư pháp',
  'Bộ Công an',
  'Ủy ban nhân dân tỉnh Lạng Sơn',
  'Uỷ ban nhân dân tỉnh Lào Cai',
  'Cấp xã',
  'Cấp tỉnh',
];
const VIETNAMESE = new Intl.Collator('vi');

describe('facet order', () => {
  it('is by count, then the label in Vietnamese order, whether the label was ranked or not', () => {
    fc.assert(
      fc.property(
        fc.subarray(LABELS),
        fc.uniqueArray(fc.constantFrom(...LABELS), { minLength: 1 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: LABELS.length, maxLength: LABELS.length }),
        (directory, shown, counts) => {
          const ranks = ranksOf([...directory], () => directory);
          const facets: Facet[] = shown.map((label, i) => ({ value: `v${i}`, label, count: counts[i]! }));
          const ours = [...facets].sort(facetOrder(ranks)).map((f) => [f.count, f.label]);
          const plain = [...facets]
            .sort((a, b) => b.count - a.count || VIETNAMESE.compare(a.label, b.label))
            .map((f) => [f.count, f.label]);
          expect(ours).toEqual(plain);
        },
      ),
    );
  });
});
