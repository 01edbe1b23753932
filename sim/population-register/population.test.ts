import { describe, expect, it } from 'vitest';
import { parsePersonalId } from '../../src/modules/identity/domain/personal-id.ts';
import { affinePermutation, createPopulation, FIXED_CITIZENS } from './population.ts';

describe('the generated population', () => {
  const population = createPopulation({ seed: 'unit', size: 100_000 });

  it('holds at least 100,000 people by default, each with a valid number that matches their birth', () => {
    expect(createPopulation().size).toBeGreaterThanOrEqual(100_000);
    for (let i = 0; i < 100_000; i += 97) {
      const c = population.at(i);
      const parsed = parsePersonalId(c.personalId, { birthDate: c.birthDate, sex: c.sex });
      expect(parsed.ok, `${c.personalId} ${c.birthDate} ${c.sex}`).toBe(true);
      expect(c.fullName).toMatch(/^\p{Lu}\p{Ll}* .+ \p{Lu}\p{Ll}*$/u);
      if (c.phone) expect(c.phone).toMatch(/^0\d{9}$/);
    }
  });

  it('is the same for the same seed and different for another', () => {
    const again = createPopulation({ seed: 'unit', size: 100_000 });
    const other = createPopulation({ seed: 'other', size: 100_000 });
    expect(again.at(4242)).toEqual(population.at(4242));
    expect(other.at(4242).personalId).not.toBe(population.at(4242).personalId);
  });

  it('finds every person by number, and nobody by a number it did not issue', () => {
    const phones = new Set<string>();
    const ids = new Set<string>();
    for (let i = 0; i < 100_000; i += 7) {
      const c = population.at(i);
      expect(population.find(c.personalId)).toEqual(c);
      ids.add(c.personalId);
      if (c.phone) phones.add(c.phone);
      // The same six digits under another province or year: not issued.
      const other = `0${c.personalId.slice(1, 3) === '01' ? '79' : '01'}${c.personalId.slice(3)}`;
      if (!ids.has(other)) expect(population.find(other)).toBeUndefined();
    }
    expect(phones.size).toBeGreaterThan(13_000); // unique numbers (about 3% have none)
    expect(population.find('00108801234')).toBeUndefined();
  });

  it('has the dead, the revoked and people without a phone, in small shares', () => {
    const counts = { deceased: 0, revoked: 0, noPhone: 0 };
    for (let i = 0; i < 20_000; i++) {
      const c = population.at(i);
      if (c.status === 'deceased') counts.deceased++;
      if (c.status === 'revoked') counts.revoked++;
      if (!c.phone) counts.noPhone++;
    }
    expect(counts.deceased).toBeGreaterThan(100);
    expect(counts.deceased).toBeLessThan(350);
    expect(counts.revoked).toBeGreaterThan(10);
    expect(counts.revoked).toBeLessThan(100);
    expect(counts.noPhone).toBeGreaterThan(350);
    expect(counts.noPhone).toBeLessThan(900);
  });

  it('always holds the fixed people (the demo citizen first), with valid numbers', () => {
    for (const c of FIXED_CITIZENS) {
      expect(parsePersonalId(c.personalId, { birthDate: c.birthDate, sex: c.sex }).ok).toBe(true);
      expect(population.find(c.personalId)).toEqual(c);
    }
    expect(population.find('001088012345')).toMatchObject({
      fullName: 'Nguyễn Văn Minh',
      birthDate: '1988-05-12',
      phone: '0911000001',
    });
  });

  it('answers a check: match, mismatch by field, not found, deceased, revoked', () => {
    const c = population.search((p) => p.status === 'alive');
    const q = { personalId: c.personalId, fullName: c.fullName, birthDate: c.birthDate };
    expect(population.check(q)).toEqual({ result: 'match', citizen: c });
    // Case and spaces do not matter; diacritics do.
    expect(population.check({ ...q, fullName: `  ${c.fullName.toUpperCase()} ` }).result).toBe('match');
    const folded = c.fullName.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (folded !== c.fullName)
      expect(population.check({ ...q, fullName: folded })).toEqual({
        result: 'mismatch',
        fields: ['fullName'],
      });
    expect(population.check({ ...q, birthDate: '1900-01-01' })).toEqual({
      result: 'mismatch',
      fields: ['birthDate'],
    });
    expect(population.check({ ...q, personalId: '001099999999' }).result).toBe('not-found');
    const dead = population.search((p) => p.status === 'deceased');
    expect(
      population.check({ personalId: dead.personalId, fullName: dead.fullName, birthDate: dead.birthDate }),
    ).toEqual({ result: 'deceased' });
    const revoked = FIXED_CITIZENS.find((p) => p.status === 'revoked')!;
    expect(population.check({ ...revoked }).result).toBe('revoked');
  });
});

describe('affinePermutation', () => {
  it('is a bijection with its inverse', () => {
    const p = affinePermutation(1_000_000, 'x');
    const seen = new Set<number>();
    for (let i = 0; i < 1_000_000; i += 13) {
      const x = p.apply(i);
      expect(p.invert(x)).toBe(i);
      seen.add(x);
    }
    expect(seen.size).toBe(Math.ceil(1_000_000 / 13));
  });
});
