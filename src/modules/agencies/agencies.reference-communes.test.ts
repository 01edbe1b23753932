import { describe, expect, it } from 'vitest';
import { buildAll, buildProvinces, readReferenceSources } from './agencies.reference.ts';
import {
  buildCommuneCommittees,
  buildCommunes,
  buildCommunesBefore,
  buildDistricts,
  parseUnitName,
} from './agencies.reference-communes.ts';
import { validOn } from './agencies.reference-records.ts';

const sources = readReferenceSources();
const data = buildAll(sources);
const provinces = buildProvinces(sources.provinces2020, sources.provinces2025).units;
const on = (level: string, date: string) => data.units.filter((u) => u.level === level && validOn(u, date));
const unit = (code: string, date: string) => data.units.find((u) => u.code === code && validOn(u, date));

describe('districts and communes', () => {
  it('has 696 districts and 10,035 communes until 30 June 2025, 3,321 communes and no district after', () => {
    expect(on('district', '2025-03-01')).toHaveLength(696);
    expect(on('district', '2025-06-30')).toHaveLength(696);
    expect(on('district', '2025-07-01')).toHaveLength(0);
    expect(on('commune', '2025-03-01')).toHaveLength(10_035);
    expect(on('commune', '2025-06-30')).toHaveLength(10_035);
    expect(on('commune', '2025-07-01')).toHaveLength(3_321);
    expect(on('commune', '2030-01-01')).toHaveLength(3_321);
  });

  it('reuses a statistical code: 00004 is Phường Trúc Bạch, then Phường Ba Đình', () => {
    expect(unit('00004', '2025-06-30')).toMatchObject({
      name: 'Phường Trúc Bạch',
      kind: 'ward',
      parentCode: '001',
      provinceCode: '01',
      validFrom: null,
      validTo: '2025-06-30',
    });
    expect(unit('00004', '2025-07-01')).toMatchObject({
      name: 'Phường Ba Đình',
      nameEn: 'Ba Dinh Ward',
      kind: 'ward',
      parentCode: '01',
      provinceCode: '01',
      validFrom: '2025-07-01',
      validTo: null,
    });
    expect(unit('001', '2025-03-01')).toMatchObject({
      name: 'Quận Ba Đình',
      nameEn: 'Ba Dinh District',
      kind: 'urban-district',
      parentCode: '01',
      provinceCode: '01',
    });
  });

  it('derives kinds and English names from the name prefix, and keeps numbered names meaningful', () => {
    expect(parseUnitName('Phường Ba Đình', 'commune')).toMatchObject({
      kind: 'ward',
      nameEn: 'Ba Dinh Ward',
    });
    expect(parseUnitName('Xã Tân Phú', 'commune')).toMatchObject({
      kind: 'commune',
      nameEn: 'Tan Phu Commune',
    });
    expect(parseUnitName('Thị trấn Đông Anh', 'commune')).toMatchObject({ kind: 'township' });
    expect(parseUnitName('Đặc khu Phú Quốc', 'commune')).toMatchObject({
      kind: 'special-zone',
      nameEn: 'Phu Quoc Special Zone',
    });
    expect(parseUnitName('Quận 1', 'district')).toMatchObject({
      kind: 'urban-district',
      nameEn: 'District 1',
    });
    expect(parseUnitName('Huyện Gia Lâm', 'district')).toMatchObject({ kind: 'district' });
    expect(parseUnitName('Thị xã Sơn Tây', 'district')).toMatchObject({
      kind: 'town',
      nameEn: 'Son Tay Town',
    });
    expect(parseUnitName('Thành phố Thủ Đức', 'district')).toMatchObject({
      kind: 'city',
      nameEn: 'Thu Duc City',
    });
    expect(parseUnitName('Phường', 'commune')).toBeUndefined();
    expect(parseUnitName('Quận Ba Đình', 'commune')).toBeUndefined();
    const kinds = (level: string, date: string) => [...new Set(on(level, date).map((u) => u.kind))].sort();
    expect(kinds('commune', '2025-07-01')).toEqual(['commune', 'special-zone', 'ward']);
    expect(kinds('commune', '2025-03-01')).toEqual(['commune', 'township', 'ward']);
    expect(kinds('district', '2025-03-01')).toEqual(['city', 'district', 'town', 'urban-district']);
  });

  it('puts every unit in a province that exists on its dates, and every March commune in its district’s', () => {
    for (const u of data.units.filter((x) => x.level !== 'province')) {
      const day = u.validFrom ?? u.validTo!;
      const province = unit(u.provinceCode, day);
      expect(province?.level, `${u.code} ${u.name} → ${u.provinceCode} on ${day}`).toBe('province');
      const parent = unit(u.parentCode!, day);
      expect(parent, `${u.code} parent ${u.parentCode}`).toBeDefined();
      if (parent!.level === 'district') expect(parent!.provinceCode).toBe(u.provinceCode);
    }
    expect(new Set(on('commune', '2025-07-01').map((u) => u.provinceCode)).size).toBe(34);
    expect(new Set(on('commune', '2025-03-01').map((u) => u.provinceCode)).size).toBe(63);
  });

  it('stores names as published: NFC, prefix included, unique codes per version', () => {
    for (const u of data.units) {
      expect(u.name).toBe(u.name.normalize('NFC'));
      if (u.level !== 'province')
        expect(u.name).toMatch(/^(Phường|Xã|Thị trấn|Đặc khu|Quận|Huyện|Thị xã|Thành phố) /);
    }
    const keys = data.units.map((u) => `${u.level}:${u.key}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('the builders refuse bad data, naming the row', () => {
  const communes = sources.communes;
  const replaceLine = (csv: string, from: string, to: string) => {
    expect(csv).toContain(from);
    return csv.replace(from, to);
  };

  it('a commune in a province that does not exist from 1 July 2025', () => {
    // 02 Hà Giang ended on 30 June 2025.
    const bad = replaceLine(communes, '00004,Phường Ba Đình,01', '00004,Phường Ba Đình,02');
    expect(() => buildCommunes(bad, provinces)).toThrow(
      /communes-2025\.csv line 2 \(00004 Phường Ba Đình\): province 02 is not one of the provinces/,
    );
  });

  it('a code listed twice, a name without a known kind, a malformed code', () => {
    expect(() =>
      buildCommunes(replaceLine(communes, '00008,Phường Ngọc Hà', '00004,Phường Ngọc Hà'), provinces),
    ).toThrow(/line 3 \(00004 Phường Ngọc Hà\): code 00004 is listed twice/);
    expect(() =>
      buildCommunes(replaceLine(communes, '00008,Phường Ngọc Hà', '00008,Ngọc Hà'), provinces),
    ).toThrow(/line 3 \(00008 Ngọc Hà\): the name does not start with a known commune kind/);
    expect(() =>
      buildCommunes(replaceLine(communes, '00008,Phường Ngọc Hà', '8,Phường Ngọc Hà'), provinces),
    ).toThrow(/line 3 \(8 Phường Ngọc Hà\): malformed code/);
  });

  it('a March commune whose district is unknown or in another province', () => {
    const districts = buildDistricts(sources.districts, provinces);
    expect(() =>
      buildCommunesBefore(
        replaceLine(sources.communesBefore, '00004,Phường Trúc Bạch,001,01', '00004,Phường Trúc Bạch,999,01'),
        districts,
      ),
    ).toThrow(
      /communes-2025-03\.csv line 3 \(00004 Phường Trúc Bạch\): district 999 is not in districts-2025-03\.csv/,
    );
    expect(() =>
      buildCommunesBefore(
        replaceLine(sources.communesBefore, '00004,Phường Trúc Bạch,001,01', '00004,Phường Trúc Bạch,001,79'),
        districts,
      ),
    ).toThrow(/province 79 differs from the province of district 001 \(01\)/);
  });

  it('a district in a province that does not exist in March 2025', () => {
    expect(() =>
      buildDistricts(replaceLine(sources.districts, '001,Quận Ba Đình,01', '001,Quận Ba Đình,03'), provinces),
    ).toThrow(/districts-2025-03\.csv line 2 \(001 Quận Ba Đình\): province 03 does not exist on 2025-03-01/);
  });

  it('a list of the wrong size', () => {
    const cut = communes.split('\n').slice(0, -3).join('\n');
    expect(() => buildCommunes(cut, provinces)).toThrow(/communes-2025\.csv: 3319 communes, expected 3321/);
    expect(() => buildCommunes(communes, provinces, 3_000)).toThrow(/expected 3000/);
  });
});

describe('communes’ People’s Committees', () => {
  const committees = data.agencies.filter((a) => a.level === 'commune');

  it('gives every 2025 commune one, directly under its province’s committee', () => {
    expect(committees).toHaveLength(3_321);
    expect(committees.filter((a) => validOn(a, '2025-06-30'))).toHaveLength(0);
    const ba = committees.find((a) => a.code === 'UBND-00004');
    expect(ba).toEqual({
      key: 'UBND-00004@2025-07-01',
      code: 'UBND-00004',
      shortName: 'UBND phường Ba Đình',
      name: 'Ủy ban nhân dân phường Ba Đình, thành phố Hà Nội',
      nameEn: "People's Committee of Ba Dinh Ward, Ha Noi City",
      kind: 'people-committee',
      level: 'commune',
      parentCode: 'UBND-01',
      adminUnitCode: '00004',
      validFrom: '2025-07-01',
      validTo: null,
      note: expect.stringContaining('thanglequoc/vietnamese-provinces-database'),
    });
    for (const c of committees) {
      expect(c.code).toMatch(/^[A-Z][A-Z0-9-]{1,39}$/);
      const parent = data.agencies.find((a) => a.code === c.parentCode && validOn(a, c.validFrom!));
      expect(parent?.kind, c.code).toBe('people-committee');
      expect(parent?.adminUnitCode).toBe(unit(c.adminUnitCode!, '2025-07-01')?.provinceCode);
    }
  });

  it('names the province, lower-cases the kind word, and disambiguates repeated commune names', () => {
    const names = committees.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n.startsWith('Ủy ban nhân dân xã Tân Tiến,'))).toHaveLength(7);
    const zone = committees.find((a) => a.name.startsWith('Ủy ban nhân dân đặc khu Phú Quốc'));
    expect(zone?.name).toBe('Ủy ban nhân dân đặc khu Phú Quốc, tỉnh An Giang');
  });

  it('refuses a commune whose province has no People’s Committee on 1 July 2025', () => {
    const communes = buildCommunes(sources.communes, provinces);
    const withoutHanoi = data.agencies.filter((a) => a.code !== 'UBND-01');
    expect(() => buildCommuneCommittees(communes, withoutHanoi)).toThrow(
      /commune 00004 Phường Ba Đình: no UBND-01/,
    );
  });
});
