import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNEL_CODES, CHANNELS, channelOfCode } from './channel.ts';
import { type DocumentRef, documentsOf } from './documents.ts';
import { DEFAULT_OFFICE_HOURS } from './office-hours.ts';
import { isStatusCode, STATUS, STATUS_CODES, STATUS_NAMES, statusName } from './status.ts';

describe('status codes', () => {
  it('are 1 to 10, each named in Vietnamese and English, and named by meaning', () => {
    expect([...STATUS_CODES]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const s of STATUS_CODES) {
      expect(STATUS_NAMES[s].vi.length).toBeGreaterThan(0);
      expect(STATUS_NAMES[s].en.length).toBeGreaterThan(0);
      expect(statusName(s)).toBe(STATUS_NAMES[s].vi);
    }
    expect(new Set(Object.values(STATUS)).size).toBe(STATUS_CODES.length);
    expect(STATUS_NAMES[STATUS.returned].vi).toBe('Đã trả kết quả');
  });

  it('name a number from outside, or give it back', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double()), (n) => {
        expect(isStatusCode(n)).toBe((STATUS_CODES as readonly number[]).includes(n));
        expect(statusName(n)).toBe(isStatusCode(n) ? STATUS_NAMES[n].vi : String(n));
      }),
    );
  });
});

describe('channels', () => {
  it('have distinct KenhThucHien codes that map back', () => {
    expect(CHANNEL_CODES).toEqual({ 'in-person': 1, online: 2, postal: 3 });
    for (const c of CHANNELS) expect(channelOfCode(CHANNEL_CODES[c])).toBe(c);
    fc.assert(
      fc.property(fc.integer(), (n) => {
        const c = channelOfCode(n);
        if (c === undefined) expect([1, 2, 3]).not.toContain(n);
        else expect(CHANNEL_CODES[c]).toBe(n);
      }),
    );
  });
});

describe("a procedure's documents", () => {
  const doc = fc.record({
    code: fc.constantFrom('A', 'B', 'C', 'D', 'E'),
    name: fc.string({ maxLength: 5 }),
    required: fc.boolean(),
  });
  const cases = fc.array(fc.record({ documents: fc.array(doc, { maxLength: 6 }) }), { maxLength: 5 });

  it('are each document once, by code, in the order first met, required when a case requires it', () => {
    fc.assert(
      fc.property(cases, (cs) => {
        const docs = documentsOf({ cases: cs });
        const all: DocumentRef[] = cs.flatMap((c) => c.documents);
        expect(docs.map((d) => d.code)).toEqual([...new Set(all.map((d) => d.code))]);
        for (const d of docs) {
          const same = all.filter((a) => a.code === d.code);
          expect(d.name).toBe(same[0]!.name);
          expect(d.required).toBe(same.some((a) => a.required));
        }
      }),
    );
  });
});

describe('default office hours', () => {
  it('are 8 hours, Monday to Friday, and cannot be changed by a caller', () => {
    const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
    expect(DEFAULT_OFFICE_HOURS.sessions.reduce((m, s) => m + minutes(s.end) - minutes(s.start), 0)).toBe(
      480,
    );
    expect(DEFAULT_OFFICE_HOURS.weekdays).toEqual([1, 2, 3, 4, 5]);
    expect(Object.isFrozen(DEFAULT_OFFICE_HOURS.sessions[0])).toBe(true);
    expect(Object.isFrozen(DEFAULT_OFFICE_HOURS.weekdays)).toBe(true);
  });
});
