import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countFacetKey } from './search.repository.ts';

/** The plain reading: split on `|`, then on spaces, skipping empty values. */
function reference(key: string, n: number, counts: Array<Map<string, number>>) {
  key.split('|').forEach((part, facet) => {
    if (facet >= counts.length) return;
    for (const v of part.split(' ')) if (v !== '') counts[facet]!.set(v, (counts[facet]!.get(v) ?? 0) + n);
  });
}

describe('facet keys', () => {
  it('counts each value of each facet', () => {
    const counts = Array.from({ length: 6 }, () => new Map<string, number>());
    countFacetKey('G03 G05|UBND-01||province commune|1 2|2', 3, counts);
    countFacetKey('G03|UBND-01 UBND-79|79|province|1|1', 2, counts);
    expect(counts.map((m) => Object.fromEntries(m))).toEqual([
      { G03: 5, G05: 3 },
      { 'UBND-01': 5, 'UBND-79': 2 },
      { '79': 2 },
      { province: 5, commune: 3 },
      { '1': 5, '2': 3 },
      { '2': 3, '1': 2 },
    ]);
  });

  it('agrees with splitting the key, whatever the key', () => {
    const value = fc.stringMatching(/^[A-Z0-9-]{0,4}$/);
    const part = fc.array(value, { maxLength: 4 }).map((vs) => vs.join(' '));
    const key = fc.array(part, { minLength: 1, maxLength: 8 }).map((ps) => ps.join('|'));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer({ min: 1, max: 50 })), { maxLength: 6 }), (rows) => {
        const ours = Array.from({ length: 6 }, () => new Map<string, number>());
        const theirs = Array.from({ length: 6 }, () => new Map<string, number>());
        for (const [k, n] of rows) {
          countFacetKey(k, n, ours);
          reference(k, n, theirs);
        }
        expect(ours.map((m) => [...m].sort())).toEqual(theirs.map((m) => [...m].sort()));
      }),
    );
  });
});
