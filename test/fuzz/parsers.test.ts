/**
 * Every parser of outside input, fed anything: it answers (a value or its own refusal), it never throws
 * anything else, never hangs, and what it accepts is well-formed. The edge rule's JSON reader agrees
 * with JSON.parse on what it accepts and refuses only for the reasons it names.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLayThuTuc } from '../../src/modules/catalogue/domain/lay-thu-tuc.ts';
import { normalizeEmail, normalizePhone } from '../../src/modules/identity/domain/contact.ts';
import { parsePersonalId } from '../../src/modules/identity/domain/personal-id.ts';
import { parseTaxCode } from '../../src/modules/identity/domain/tax-code.ts';
import {
  checkDossier,
  checkHistory,
  formatDvcqgDate,
  parseDvcqgDate,
} from '../../src/modules/sync/domain/records.ts';
import { csvField, parseCsv } from '../../src/platform/csv/index.ts';
import { isDatabaseUnavailable } from '../../src/platform/db/index.ts';
import { ValidationError } from '../../src/platform/errors/index.ts';
import {
  cleanValue,
  isCleanText,
  MAX_JSON_DEPTH,
  parseJsonBody,
  RefusedItem,
  scanDepth,
} from '../../src/platform/input/index.ts';
import { formatDossierCode, parseDossierCode } from '../../src/platform/kernel/index.ts';
import { hostileJson, hostileString } from './arbitraries.ts';
import { fuzzParameters } from './settings.ts';

const NOW = new Date('2025-11-20T09:00:00Z');

function depthOf(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + children.reduce<number>((m, c) => Math.max(m, depthOf(c)), 0);
}

/** Every string and key of a value is storable text. */
function allClean(v: unknown): boolean {
  if (typeof v === 'string') return isCleanText(v);
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'object' || v === null) return true;
  return Object.entries(v).every(([k, x]) => isCleanText(k) && allClean(x));
}

describe('the edge rule’s JSON reader', () => {
  it('measures depth on the raw text exactly as the parsed value has it', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ depthSize: 'large', maxDepth: 12 }),
        fc.integer({ min: 1, max: 10 }),
        (v, max) => {
          const scan = scanDepth(JSON.stringify(v), max);
          expect(scan.ok).toBe(depthOf(v) <= max);
        },
      ),
      fuzzParameters(),
    );
  });

  it('accepts what JSON.parse accepts when it is clean, refuses the rest with a 400 naming the field', () => {
    fc.assert(
      fc.property(hostileJson(), (v) => {
        const raw = JSON.stringify(v) ?? 'null';
        try {
          const parsed = parseJsonBody(raw);
          expect(allClean(parsed)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
          expect((e as ValidationError).extras.errors?.[0]?.path).toMatch(/^body/);
        }
      }),
      fuzzParameters(),
    );
  });

  it('refuses arbitrary text that is not JSON with a 400, and 100,000-deep nesting without a stack overflow', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (raw) => {
        try {
          parseJsonBody(raw);
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
        }
      }),
      fuzzParameters(),
    );
    expect(() => parseJsonBody(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)).toThrow(
      ValidationError,
    );
  });

  it('in a list checked item by item, turns exactly the bad items into refusals and keeps the others', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            hostileJson(),
            fc.nat(40).map((n) => ({ deep: JSON.parse(`${'['.repeat(n + 40)}${']'.repeat(n + 40)}`) })),
          ),
          {
            maxLength: 8,
          },
        ),
        (items) => {
          const raw = `{"dossiers":[${items.map((i) => JSON.stringify(i) ?? 'null').join(',')}]}`;
          const body = parseJsonBody(raw, ['dossiers']) as { dossiers: unknown[] };
          expect(body.dossiers).toHaveLength(items.length);
          body.dossiers.forEach((got, i) => {
            const depth = depthOf(items[i]);
            const clean = depth <= MAX_JSON_DEPTH - 2 && cleanValue(structuredClone(items[i])).ok;
            if (clean) expect(allClean(got)).toBe(true);
            else expect(got).toBeInstanceOf(RefusedItem);
          });
        },
      ),
      fuzzParameters(),
    );
  });
});

describe('parsers of the national exchange', () => {
  it('dossier codes: anything parses or is refused, and a code made is the code read', () => {
    fc.assert(
      fc.property(hostileString(), (s) => {
        parseDossierCode(s);
      }),
      fuzzParameters(),
    );
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$/),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 9999 }),
        (identifier, date, seq) => {
          const day = date.toISOString().slice(0, 10);
          const code = formatDossierCode(identifier, day, seq);
          expect(parseDossierCode(code)).toMatchObject({ identifier, day, sequence: seq });
        },
      ),
      fuzzParameters(),
    );
  });

  it('yyyyMMddHHmmss dates: anything is a date or undefined; a date written is the date read', () => {
    fc.assert(
      fc.property(hostileString(), (s) => {
        const d = parseDvcqgDate(s);
        if (d) expect(Number.isFinite(d.getTime())).toBe(true);
      }),
      fuzzParameters(),
    );
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-02'), max: new Date('2999-12-31'), noInvalidDate: true }),
        (d) => {
          const whole = new Date(Math.floor(d.getTime() / 1000) * 1000);
          expect(parseDvcqgDate(formatDvcqgDate(whole))?.getTime()).toBe(whole.getTime());
        },
      ),
      fuzzParameters(),
    );
  });

  it('DongBoHoSoMC and CapNhatTienDoHoSoMC records: any value is an item or a reason, never an exception', () => {
    fc.assert(
      fc.property(hostileJson(), (v) => {
        const c = checkDossier(v, NOW);
        if (!c.ok) expect(c.reason.length).toBeGreaterThan(0);
        const h = checkHistory(v, NOW, 'fuzz');
        if (!h.ok) expect(h.reason.length).toBeGreaterThan(0);
      }),
      fuzzParameters(),
    );
  });

  it('LayThuTuc imports: any value is a procedure or an Error with a message', () => {
    fc.assert(
      fc.property(hostileJson(), (v) => {
        try {
          fromLayThuTuc(v, { level: 'province' });
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message.length).toBeGreaterThan(0);
        }
      }),
      fuzzParameters(),
    );
  });
});

describe('parsers of people’s identifiers and contacts', () => {
  it('ID numbers, tax codes, phones and e-mail addresses: anything gets an answer', () => {
    fc.assert(
      fc.property(hostileString(), (s) => {
        for (const parse of [parsePersonalId, parseTaxCode, normalizePhone, normalizeEmail] as Array<
          (x: string) => unknown
        >) {
          const r = parse(s);
          expect(typeof r).toBe('object');
        }
      }),
      fuzzParameters(),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^0[0-9]{11}$/), (s) => {
        parsePersonalId(s);
      }),
      fuzzParameters(),
    );
  });
});

describe('CSV imports', () => {
  it('any text parses or is refused with an Error; rows written with csvField are the rows read', () => {
    fc.assert(
      fc.property(hostileString(400), (s) => {
        try {
          parseCsv(s);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
        }
      }),
      fuzzParameters(),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 5 }),
        fc.array(fc.array(fc.string({ maxLength: 20 }), { minLength: 5, maxLength: 5 }), { maxLength: 6 }),
        (header, rows) => {
          const body = rows
            .map((r) => header.map((_, j) => r[j]!.normalize('NFC')))
            .filter((r) => !(r.length === 1 && r[0] === ''));
          const text = [header, ...body].map((r) => r.map(csvField).join(',')).join('\r\n');
          expect(parseCsv(text)).toEqual(
            body.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]]))),
          );
        },
      ),
      fuzzParameters(),
    );
  });
});

describe('the database-down classifier', () => {
  it('answers for any value', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        expect(typeof isDatabaseUnavailable(v)).toBe('boolean');
      }),
      fuzzParameters(),
    );
  });
});
