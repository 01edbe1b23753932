import { describe, expect, it } from 'vitest';
import { parseTaxCode } from '../../src/modules/identity/domain/tax-code.ts';
import { createPopulation } from '../population-register/population.ts';
import { createBusinessRegistry, FIXED_BUSINESSES, taxCheckDigit } from './businesses.ts';

describe('the generated business register', () => {
  const population = createPopulation({ seed: 'unit' });
  const registry = createBusinessRegistry(population, { size: 5_000 });

  it('issues valid tax codes, finds every business by its code, and their representatives are people', () => {
    let n = 0;
    for (let j = 0; j < 5_000; j += 3) {
      const b = registry.at(j);
      if (!b) continue;
      n++;
      expect(parseTaxCode(b.taxCode).ok, b.taxCode).toBe(true);
      expect(registry.find(b.taxCode)).toEqual(b);
      const rep = population.find(b.representative.personalId);
      expect(rep?.fullName).toBe(b.representative.fullName);
      expect(rep?.status).toBe('alive');
    }
    expect(n).toBeGreaterThan(1_400);
    expect(registry.find('0100233480')).toBeUndefined();
  });

  it('computes the check digit as validators do', () => {
    expect(taxCheckDigit('010023348')).toBe(8);
    expect(parseTaxCode('0100233488').ok).toBe(true);
    for (const b of FIXED_BUSINESSES) expect(parseTaxCode(b.taxCode).ok, b.taxCode).toBe(true);
  });

  it('answers a check: match, mismatch by field, not found, suspended, dissolved', () => {
    const demo = FIXED_BUSINESSES[0]!;
    const q = { taxCode: demo.taxCode, name: demo.name, representativeId: demo.representative.personalId };
    expect(registry.check(q)).toEqual({ result: 'match', business: demo });
    expect(registry.check({ ...q, name: 'Công ty khác' })).toEqual({ result: 'mismatch', fields: ['name'] });
    expect(registry.check({ ...q, representativeId: '001090012004' })).toEqual({
      result: 'mismatch',
      fields: ['representative'],
    });
    expect(registry.check({ ...q, taxCode: '0100233488' }).result).toBe('not-found');
    for (const status of ['suspended', 'dissolved'] as const) {
      const b = FIXED_BUSINESSES.find((x) => x.status === status)!;
      expect(
        registry.check({ taxCode: b.taxCode, name: b.name, representativeId: b.representative.personalId })
          .result,
      ).toBe(status);
    }
  });
});
