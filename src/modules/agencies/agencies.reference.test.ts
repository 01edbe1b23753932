import { describe, expect, it } from 'vitest';
import { assertNoOverlap, buildAll, englishPlaceName, readReferenceSources } from './agencies.reference.ts';

const data = buildAll(readReferenceSources());
const provinces = data.units.filter((u) => u.level === 'province');
const validOn = (v: { validFrom: string | null; validTo: string | null }, d: string) =>
  (v.validFrom === null || v.validFrom <= d) && (v.validTo === null || v.validTo >= d);

describe('reference data of administrative units', () => {
  it('has 63 provinces until 30 June 2025 and 34 from 1 July 2025, with no gap or overlap', () => {
    expect(provinces.filter((u) => validOn(u, '2025-06-30'))).toHaveLength(63);
    expect(provinces.filter((u) => validOn(u, '2025-07-01'))).toHaveLength(34);
    expect(provinces.filter((u) => validOn(u, '2024-12-31')).find((u) => u.code === '46')?.name).toBe(
      'Thừa Thiên Huế',
    );
  });

  it('maps every 2020 province to exactly one 2025 unit', () => {
    const old = provinces.filter((u) => validOn(u, '2025-06-30'));
    for (const u of old) {
      const key = `${u.code}@${u.validFrom ?? ''}`;
      const next = data.unitSuccessions.filter((s) => s.from === key);
      const stillValid = validOn(u, '2025-07-01');
      expect(next.length, `${u.code} ${u.name}`).toBe(stillValid ? 0 : 1);
    }
  });

  it('spells names in NFC with Vietnamese diacritics and English names without them', () => {
    for (const u of data.units) expect(u.name).toBe(u.name.normalize('NFC'));
    expect(englishPlaceName('Hồ Chí Minh', 'city')).toBe('Ho Chi Minh City');
    expect(englishPlaceName('Đắk Lắk', 'province')).toBe('Dak Lak Province');
  });

  it('refuses overlapping versions of a code', () => {
    expect(() =>
      assertNoOverlap('unit', [
        { code: '01', validFrom: null, validTo: '2025-07-01' },
        { code: '01', validFrom: '2025-07-01', validTo: null },
      ]),
    ).toThrow(/overlap/);
  });
});

describe('reference data of agencies', () => {
  it('has 22 ministries and ministerial-level agencies until 28 Feb 2025 and 17 from 1 March 2025', () => {
    const count = (d: string) =>
      data.agencies.filter((a) => validOn(a, d) && (a.kind === 'ministry' || a.kind === 'ministerial-level'))
        .length;
    expect(count('2025-02-28')).toBe(22);
    expect(count('2025-03-01')).toBe(17);
  });

  it('gives every identifier an agency that exists while the identifier is valid', () => {
    for (const i of data.identifiers) {
      const day = i.validFrom ?? i.validTo ?? '2026-01-01';
      const owner = data.agencies.find((a) => a.code === i.agencyCode && validOn(a, day));
      expect(owner, `${i.identifier} → ${i.agencyCode} on ${day}`).toBeDefined();
    }
  });

  it('never assigns one identifier to two agencies on the same day', () => {
    for (const a of data.identifiers) {
      for (const b of data.identifiers) {
        if (a === b || a.identifier !== b.identifier) continue;
        const overlap =
          (a.validFrom ?? '') <= (b.validTo ?? '9999') && (b.validFrom ?? '') <= (a.validTo ?? '9999');
        expect(overlap, a.identifier).toBe(false);
      }
    }
  });
});

describe('provincial departments (sở)', () => {
  const depts = (d: string, province: string) =>
    data.agencies
      .filter((a) => a.kind === 'department' && a.adminUnitCode === province && validOn(a, d))
      .map((a) => a.code.split('-')[0])
      .sort();
  const succ = (fromCode: string, toCode: string) =>
    data.agencySuccessions.filter((s) => s.from.startsWith(`${fromCode}@`) && s.to.startsWith(`${toCode}@`));

  it('has the common set before 1 March 2025 and the merged set after, in every province', () => {
    expect(depts('2025-02-28', '01')).toEqual([
      'SCT',
      'SGDDT',
      'SGTVT',
      'SKHCN',
      'SKHDT',
      'SLDTBXH',
      'SNNPTNT',
      'SNV',
      'STC',
      'STNMT',
      'STP',
      'STTTT',
      'SVHTTDL',
      'SXD',
      'SYT',
      'TTR',
      'VPUBND',
    ]);
    expect(depts('2025-03-01', '01')).toEqual([
      'SCT',
      'SGDDT',
      'SKHCN',
      'SNNMT',
      'SNV',
      'STC',
      'STP',
      'SVHTTDL',
      'SXD',
      'SYT',
      'TTR',
      'VPUBND',
    ]);
    for (const u of provinces.filter((x) => validOn(x, '2025-07-01')))
      expect(depts('2025-07-01', u.code), u.name).toHaveLength(12);
    const stp = data.agencies.find((a) => a.code === 'STP-79' && validOn(a, '2026-01-01'))!;
    expect(stp.name).toBe('Sở Tư pháp thành phố Hồ Chí Minh');
    expect(stp.parentCode).toBe('UBND-79');
  });

  it('records the 2025 department mergers and follows each province into its successor', () => {
    expect(succ('STNMT-01', 'SNNMT-01')).toEqual([
      expect.objectContaining({ effectiveDate: '2025-03-01', kind: 'merge' }),
    ]);
    expect(succ('SNNPTNT-01', 'SNNMT-01')).toHaveLength(1);
    expect(succ('SLDTBXH-01', 'SNV-01')).toEqual([expect.objectContaining({ kind: 'split' })]);
    expect(succ('SLDTBXH-01', 'SYT-01')).toHaveLength(1);
    // Hà Giang (02) merged into Tuyên Quang (08) on 1 July 2025: its departments follow.
    expect(succ('STP-02', 'STP-08')).toEqual([
      expect.objectContaining({ effectiveDate: '2025-07-01', kind: 'merge' }),
    ]);
    // Thừa Thiên Huế became Huế on 1 January 2025.
    expect(succ('STP-46', 'STP-46')).toEqual([
      expect.objectContaining({ effectiveDate: '2025-01-01', kind: 'rename' }),
    ]);
    // No succession twice; every succession joins versions that exist.
    const pairs = data.agencySuccessions.map((s) => `${s.from}>${s.to}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    const byKey = new Map(data.agencies.map((a) => [`${a.code}@${a.validFrom ?? ''}`, a]));
    for (const s of data.agencySuccessions) {
      const from = byKey.get(s.from);
      const to = byKey.get(s.to);
      expect(from && to, `${s.from} → ${s.to}`).toBeTruthy();
      expect(validOn(to!, s.effectiveDate), `${s.to} on ${s.effectiveDate}`).toBe(true);
    }
  });
});
