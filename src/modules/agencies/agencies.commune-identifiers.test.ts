import { describe, expect, it } from 'vitest';
import {
  buildCommuneIdentifiers,
  communeGroups,
  communeIdentifier,
  parseCommuneIdentifier,
} from './agencies.commune-identifiers.ts';
import { buildAll, buildIdentifiers, readReferenceSources } from './agencies.reference.ts';
import { validOn } from './agencies.reference-records.ts';

/** The sync module's grammar of an agency identifier (QCVN 102:2016, four groups). */
const GRAMMAR = /^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$/;

const sources = readReferenceSources();
const data = buildAll(sources);
const committees = data.agencies.filter((a) => a.level === 'commune');
const communeCodes = committees.map((a) => a.adminUnitCode!);

describe('generated identifiers of communes’ People’s Committees', () => {
  it('derives the two middle groups from the statistical code', () => {
    expect(communeGroups('00004')).toEqual(['A0', '04']);
    expect(communeIdentifier('000.00.00.H26', '00004')).toBe('000.A0.04.H26');
    expect(communeIdentifier('000.00.00.H29', '26740')).toBe('000.AK.MS.H29');
    expect(communeIdentifier('000.00.00.H26', '00000')).toBe('000.A0.00.H26');
    expect(communeIdentifier('000.00.00.H26', '99999')).toBe('000.C5.5R.H26');
    // Only under a province's own code.
    expect(communeIdentifier('000.00.18.G12', '00004')).toBeUndefined();
    expect(communeIdentifier('H26.170', '00004')).toBeUndefined();
    expect(() => communeGroups('0004')).toThrow(/not a commune code/);
  });

  it('is one-to-one over all 3,321 communes, fits the grammar, starts its level-3 group with a letter', () => {
    const ids = communeCodes.map((c) => communeIdentifier('000.00.00.H26', c)!);
    expect(new Set(ids).size).toBe(3_321);
    for (const [i, id] of ids.entries()) {
      expect(id).toMatch(GRAMMAR);
      expect(id.length).toBeLessThanOrEqual(35);
      // Published codes of departments are digits (000.00.18.G12): a letter cannot collide with them.
      expect(id.split('.')[1]).toMatch(/^[A-C][0-9A-Z]$/);
      expect(parseCommuneIdentifier(id)).toEqual({ communeCode: communeCodes[i], level1: 'H26' });
    }
    // Every five-digit code reads back (the whole range, not only today's list).
    for (let n = 0; n <= 99_999; n += 7) {
      const code = String(n).padStart(5, '0');
      expect(parseCommuneIdentifier(communeIdentifier('000.00.00.H29', code)!)?.communeCode).toBe(code);
    }
    expect(parseCommuneIdentifier('000.00.18.G12')).toBeUndefined();
    expect(parseCommuneIdentifier('000.00.00.H26')).toBeUndefined();
  });

  it('depends on the code, not on the position in the list', () => {
    const reversed = buildCommuneIdentifiers([...committees].reverse(), data.identifiers, []);
    const key = (i: { identifier: string; agencyCode: string }) => `${i.agencyCode}=${i.identifier}`;
    expect(reversed.map(key).sort()).toEqual(data.generatedIdentifiers.map(key).sort());
    const withoutFirst = buildCommuneIdentifiers(committees.slice(1), data.identifiers, []);
    expect(withoutFirst.find((i) => i.agencyCode === 'UBND-00008')?.identifier).toBe('000.A0.08.H26');
  });

  it('is generated only under provinces whose committee has an identifier valid from 1 July 2025', () => {
    const provinces = new Set(data.generatedIdentifiers.map((i) => i.identifier.slice(-3)));
    // Hà Nội, Hồ Chí Minh City, and the others the shipped list knows after the merger.
    expect([...provinces].sort()).toEqual([
      'H14',
      'H19',
      'H20',
      'H26',
      'H29',
      'H38',
      'H41',
      'H48',
      'H49',
      'H50',
      'H55',
      'H56',
      'H57',
    ]);
    // H30 (Hậu Giang) and H54 (Thái Bình) ended on 30 June 2025: nothing under them.
    expect(data.generatedIdentifiers.some((i) => /\.H(30|54)$/.test(i.identifier))).toBe(false);
    const hanoi = data.generatedIdentifiers.filter((i) => i.identifier.endsWith('.H26'));
    expect(hanoi).toHaveLength(126);
    expect(data.generatedIdentifiers.find((i) => i.agencyCode === 'UBND-00004')).toEqual({
      identifier: '000.A0.04.H26',
      agencyCode: 'UBND-00004',
      validFrom: '2025-07-01',
      validTo: null,
      verified: false,
      source: expect.stringContaining('Do Cổng tạo khi chưa có mã được công bố'),
    });
  });

  it('follows the dates of the province’s identifier, never before 1 July 2025', () => {
    const committee = committees.find((a) => a.code === 'UBND-00004')!;
    const shipped = buildIdentifiers(
      [
        'identifier,agency_code,valid_from,valid_to,verified,source',
        '000.00.00.H26,UBND-01,,2025-12-31,true,test',
        '000.00.00.H99,UBND-01,2026-01-01,,false,test',
        '000.00.00.H98,UBND-01,,2025-06-30,false,test',
      ].join('\n'),
    );
    const made = buildCommuneIdentifiers([committee], shipped, []);
    expect(made.map((i) => [i.identifier, i.validFrom, i.validTo])).toEqual([
      ['000.A0.04.H26', '2025-07-01', '2025-12-31'],
      ['000.A0.04.H99', '2026-01-01', null],
    ]);
    // Even for a committee recorded from an earlier date, nothing before the two-level government.
    const older = buildCommuneIdentifiers([{ ...committee, validFrom: null }], shipped, []);
    expect(older[0]).toMatchObject({ identifier: '000.A0.04.H26', validFrom: '2025-07-01' });
    for (const i of data.generatedIdentifiers) {
      const owner = committees.find((a) => a.code === i.agencyCode)!;
      expect(validOn(owner, i.validFrom!), i.identifier).toBe(true);
      expect(i.validFrom! >= '2025-07-01').toBe(true);
    }
  });

  it('yields to the operator’s file: an agency it names gets no generated identifier', () => {
    const operator = buildIdentifiers(
      [
        'identifier,agency_code,valid_from,valid_to,verified,source',
        '000.00.07.H26,UBND-00004,2025-07-01,,true,Quyết định của UBND thành phố Hà Nội',
        // A code the generator would have made for 00008, given by the operator to another agency.
        '000.A0.08.H26,STP-01,,,false,test',
      ].join('\n'),
    );
    const made = buildCommuneIdentifiers(committees, data.identifiers, operator);
    expect(made.filter((i) => i.agencyCode === 'UBND-00004')).toEqual([]);
    expect(made.some((i) => i.identifier === '000.A0.08.H26')).toBe(false);
    expect(made.find((i) => i.agencyCode === 'UBND-00025')?.identifier).toBe('000.A0.0P.H26');
    // An operator's identifier for a province's committee yields identifiers for its communes.
    const province = buildIdentifiers(
      'identifier,agency_code,valid_from,valid_to,verified,source\n000.00.00.H27,UBND-31,,,true,test',
    );
    const haiPhong = buildCommuneIdentifiers(committees, data.identifiers, province).filter((i) =>
      i.identifier.endsWith('.H27'),
    );
    expect(haiPhong.length).toBeGreaterThan(100);
    expect(haiPhong.every((i) => i.validFrom === '2025-07-01')).toBe(true);
  });
});
