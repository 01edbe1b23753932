import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  centurySexDigit,
  formatPersonalId,
  PERSONAL_ID_PROVINCE_CODES,
  parsePersonalId,
} from './personal-id.ts';

const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const validId = fc
  .tuple(fc.constantFrom(...PERSONAL_ID_PROVINCE_CODES), fc.integer({ min: 0, max: 9 }), digits(2), digits(6))
  .map(([p, g, yy, r]) => `0${p}${g}${yy}${r}`);

describe('parsePersonalId', () => {
  it('reads province, sex and year of birth', () => {
    expect(parsePersonalId('001085012345')).toEqual({
      ok: true,
      value: '001085012345',
      provinceCode: '01',
      sex: 'male',
      birthYearFrom: 1985,
      birthYearTo: 1985,
    });
    const r = parsePersonalId('079 3 05 123456');
    expect(r).toMatchObject({ ok: true, value: '079305123456', provinceCode: '79', sex: 'female' });
    expect(r.ok && [r.birthYearFrom, r.birthYearTo]).toEqual([2005, 2005]);
  });

  it('maps every century digit', () => {
    const expected = [
      [1900, 'male'],
      [1900, 'female'],
      [2000, 'male'],
      [2000, 'female'],
      [2100, 'male'],
      [2100, 'female'],
      [2200, 'male'],
      [2200, 'female'],
      [2300, 'male'],
      [2300, 'female'],
    ] as const;
    expected.forEach(([century, sex], g) => {
      const r = parsePersonalId(`096${g}99000001`);
      expect(r).toMatchObject({ ok: true, sex, birthYearFrom: century + 99, birthYearTo: century + 99 });
    });
  });

  it('refuses anything but 12 digits once spaces are removed', () => {
    for (const bad of [
      '',
      '00108501234',
      '0010850123456',
      '001-085-012345',
      '00108501234a',
      '００１０８５０１２３４５',
    ])
      expect(parsePersonalId(bad)).toMatchObject({ ok: false, code: 'format' });
    expect(parsePersonalId(' 001 085\t012345 ').ok).toBe(true);
  });

  it('refuses unknown province codes, including ones in the gaps of the list', () => {
    for (const bad of ['003085012345', '097085012345', '100085012345', '000085012345', '101085012345'])
      expect(parsePersonalId(bad)).toMatchObject({ ok: false, code: 'province' });
    const r = parsePersonalId('003085012345');
    expect(!r.ok && r.message).toBe(
      'Ba chữ số đầu của số định danh cá nhân không phải là mã tỉnh, thành phố hợp lệ.',
    );
  });

  it('checks the century digit, the year and the sex against what is known', () => {
    expect(parsePersonalId('001085012345', { birthDate: '1985-07-14', sex: 'male' }).ok).toBe(true);
    expect(parsePersonalId('001085012345', { birthDate: '2085-07-14' })).toMatchObject({ code: 'century' });
    expect(parsePersonalId('001085012345', { birthDate: '1986-01-01' })).toMatchObject({
      code: 'birth-date',
    });
    expect(parsePersonalId('001085012345', { sex: 'female' })).toMatchObject({ code: 'sex' });
    expect(parsePersonalId('001305012345', { birthDate: '2005-02-28', sex: 'female' }).ok).toBe(true);
    expect(parsePersonalId('001205012345', { birthDate: '2005-02-28', sex: 'female' })).toMatchObject({
      code: 'sex',
    });
    expect(parsePersonalId('001085012345', { birthDate: '1885-01-01' })).toMatchObject({ code: 'century' });
  });

  it('refuses a known date of birth that is not a calendar date, with its own message', () => {
    for (const birthDate of ['1985-02-30', '14/07/1985', '1985-13-01', ''])
      expect(parsePersonalId('001085012345', { birthDate }), birthDate).toMatchObject({
        ok: false,
        code: 'birth-date',
        message: 'Ngày sinh không hợp lệ, nên không thể đối chiếu với số định danh cá nhân.',
      });
    expect(parsePersonalId('001000012345', { birthDate: '2000-02-29' })).toMatchObject({ code: 'century' });
    expect(parsePersonalId('001200012345', { birthDate: '2000-02-29' }).ok).toBe(true);
  });

  it('gives Vietnamese messages in NFC and English ones', () => {
    const r = parsePersonalId('x');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toBe('Số định danh cá nhân phải gồm đúng 12 chữ số.');
      expect(r.message).toBe(r.message.normalize('NFC'));
      expect(r.messageEn).toMatch(/12 digits/);
    }
  });

  it('embeds the same 63 codes as db/reference/provinces-2020.csv', () => {
    const csv = fs.readFileSync(
      path.resolve(import.meta.dirname, '../../../../db/reference/provinces-2020.csv'),
      'utf8',
    );
    const codes = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect([...PERSONAL_ID_PROVINCE_CODES].sort()).toEqual(codes.sort());
    expect(PERSONAL_ID_PROVINCE_CODES).toHaveLength(63);
  });

  it('property: a number built from a known birth date and sex is accepted with them', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PERSONAL_ID_PROVINCE_CODES),
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2399-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom('male' as const, 'female' as const),
        digits(6),
        (p, date, sex, rest) => {
          const year = date.getUTCFullYear();
          const id = `0${p}${centurySexDigit(year, sex)}${String(year % 100).padStart(2, '0')}${rest}`;
          const birthDate = date.toISOString().slice(0, 10);
          const r = parsePersonalId(id, { birthDate, sex });
          expect(r).toMatchObject({ ok: true, provinceCode: p, sex, birthYearFrom: year, birthYearTo: year });
          const other = sex === 'male' ? 'female' : 'male';
          expect(parsePersonalId(id, { sex: other })).toMatchObject({ ok: false, code: 'sex' });
        },
      ),
    );
  });

  it('property: parse ∘ format is the identity, and parsing is idempotent', () => {
    fc.assert(
      fc.property(validId, (id) => {
        const r = parsePersonalId(formatPersonalId(id));
        expect(r.ok && r.value).toBe(id);
        expect(parsePersonalId(id)).toEqual(r);
      }),
    );
  });

  it('property: any string that is not 12 digits after removing spaces is refused as format', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!/^\d{12}$/.test(s.replace(/\s+/g, '')));
        expect(parsePersonalId(s)).toMatchObject({ ok: false, code: 'format' });
      }),
    );
  });
});
