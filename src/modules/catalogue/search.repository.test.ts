import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countFacets } from './search.repository.ts';

const FACETS = ['sector', 'agency', 'province', 'level', 'audience', 'online'];

/** The plain reading: split on `|`, then on spaces, skipping empty values; facets past the sixth ignored. */
function reference(groups: Array<{ key: string; n: number }>) {
  const counts = new Map<string, number>();
  for (const { key, n } of groups)
    key.split('|').forEach((part, facet) => {
      if (facet >= FACETS.length) return;
      for (const v of part.split(' '))
        if (v !== '') counts.set(`${FACETS[facet]}=${v}`, (counts.get(`${FACETS[facet]}=${v}`) ?? 0) + n);
    });
  return [...counts].sort();
}

const flat = (rows: Array<{ facet: string; value: string; n: number }>) =>
  rows.map((r): [string, number] => [`${r.facet}=${r.value}`, r.n]).sort();

describe('facet keys', () => {
  it('counts each value of each facet', () => {
    const rows = countFacets([
      { key: 'G03 G05|UBND-01||province commune|1 2|2', n: 3 },
      { key: 'G03|UBND-01 UBND-79|79|province|1|1', n: 2 },
    ]);
    expect(Object.fromEntries(flat(rows))).toEqual({
      'sector=G03': 5,
      'sector=G05': 3,
      'agency=UBND-01': 5,
      'agency=UBND-79': 2,
      'province=79': 2,
      'level=province': 5,
      'level=commune': 3,
      'audience=1': 5,
      'audience=2': 3,
      'online=2': 3,
      'online=1': 2,
    });
  });

  it('agrees with splitting the keys, whatever the keys, call after call', () => {
    const value = fc.stringMatching(/^[A-Z0-9-]{0,4}$/);
    const part = fc.array(value, { maxLength: 4 }).map((vs) => vs.join(' '));
    const key = fc.array(part, { minLength: 1, maxLength: 8 }).map((ps) => ps.join('|'));
    const groups = fc.array(fc.record({ key, n: fc.integer({ min: 1, max: 50 }) }), { maxLength: 6 });
    // Several calls in a row: the ids and the reused counts of one call must not leak into the next.
    fc.assert(
      fc.property(fc.array(groups, { minLength: 1, maxLength: 3 }), (calls) => {
        for (const g of calls) expect(flat(countFacets(g))).toEqual(reference(g));
      }),
    );
  });
});
