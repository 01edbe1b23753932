import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPortal } from '../../../test/helpers/portal.ts';
import type { Portal } from '../../bootstrap.ts';
import { fixedClock } from '../../platform/clock/index.ts';
import { applyReferenceData, type ReferenceDataSet } from '../../platform/db/index.ts';
import { foldVietnamese } from '../../platform/i18n/index.ts';
import { agenciesReferenceData, readReferenceSources } from './agencies.reference.ts';
import { type AgenciesService, createAgenciesService } from './agencies.service.ts';

let portal: Portal;
let agencies: AgenciesService;
const clock = fixedClock('2026-11-29T03:00:00Z');
beforeAll(async () => {
  portal = await testPortal({ clock });
  agencies = createAgenciesService({ db: portal.database.db as never, clock });
});
afterAll(async () => {
  await portal.close();
});

const get = async (url: string) => {
  const r = await portal.app.inject(url);
  return { status: r.statusCode, body: r.json(), headers: r.headers };
};
const page = async (url: string) => {
  const r = await portal.app.inject({ url, headers: { accept: 'text/html' } });
  return { status: r.statusCode, body: r.body };
};
type Unit = { code: string; name: string; level: string; parent: string | null; province: string };
/** A load forced to run again (same data, another checksum). */
const forced = (set: ReferenceDataSet): ReferenceDataSet => ({ ...set, sources: [...set.sources, 'again'] });

describe('districts and communes as versions', () => {
  it('counts 3,321 communes from 1 July 2025, 696 districts and 10,035 communes before', async () => {
    const count = async (query: string) => {
      const { status, body } = await get(`/api/v1/admin-units?${query}&limit=20000`);
      expect(status, query).toBe(200);
      expect(body.items, query).toHaveLength(body.total);
      return body.total as number;
    };
    expect(await count('level=commune&date=2025-07-01')).toBe(3_321);
    expect(await count('level=commune')).toBe(3_321);
    expect(await count('level=commune&date=2025-03-01')).toBe(10_035);
    expect(await count('level=commune&date=2025-06-30')).toBe(10_035);
    expect(await count('level=district&date=2025-03-01')).toBe(696);
    expect(await count('level=district&date=2025-07-01')).toBe(0);
    expect(await count('level=province&date=2025-03-01')).toBe(63);
  });

  it('answers a reused code differently by date: 00004 is Phường Trúc Bạch, then Phường Ba Đình', async () => {
    const before = (await get('/api/v1/admin-units/00004?date=2025-03-01')).body;
    expect(before).toMatchObject({
      code: '00004',
      level: 'commune',
      name: 'Phường Trúc Bạch',
      kind: 'ward',
      parent: '001',
      parentCode: '001',
      province: '01',
      validFrom: null,
      validTo: '2025-06-30',
      parentUnit: { code: '001', name: 'Quận Ba Đình', level: 'district', kind: 'urban-district' },
      provinceUnit: { code: '01', name: 'Hà Nội' },
    });
    expect(before.versions.map((v: Unit) => v.name)).toEqual(['Phường Trúc Bạch', 'Phường Ba Đình']);
    const after = (await get('/api/v1/admin-units/00004?date=2025-07-01')).body;
    expect(after).toMatchObject({
      name: 'Phường Ba Đình',
      nameEn: 'Ba Dinh Ward',
      parent: '01',
      province: '01',
      validFrom: '2025-07-01',
      validTo: null,
      parentUnit: { code: '01', name: 'Hà Nội' },
      provinceUnit: { code: '01' },
    });
    expect((await get('/api/v1/admin-units/00004')).body.name).toBe('Phường Ba Đình');
    // No succession map for communes exists: nothing is made up.
    expect(before.became).toEqual([]);
    expect(after.formedFrom).toEqual([]);
  });

  it('answers a district for its dates only, and its communes through parent or province', async () => {
    const district = await get('/api/v1/admin-units/001?date=2025-03-01');
    expect(district.body).toMatchObject({
      level: 'district',
      name: 'Quận Ba Đình',
      kind: 'urban-district',
      parent: '01',
      province: '01',
      validTo: '2025-06-30',
    });
    expect((await get('/api/v1/admin-units/001')).body.validTo).toBe('2025-06-30');
    expect((await get('/api/v1/admin-units/001?date=2025-07-01')).status).toBe(404);
    const underDistrict = (await get('/api/v1/admin-units?level=commune&date=2025-03-01&parent=001')).body;
    expect(underDistrict.total).toBe(13);
    expect(underDistrict.items.map((u: Unit) => u.name)).toContain('Phường Trúc Bạch');
    const march = (await get('/api/v1/admin-units?level=commune&date=2025-03-01&province=01&limit=20000'))
      .body;
    expect(march.total).toBe(526);
    expect(march.items.every((u: Unit) => u.province === '01' && u.parent?.length === 3)).toBe(true);
    const july = (await get('/api/v1/admin-units?level=commune&date=2025-07-01&province=01')).body;
    expect(july.total).toBe(126);
    expect((await get('/api/v1/admin-units?level=district&date=2025-03-01&parent=01')).body.total).toBe(30);
  });

  it('gives each 2025 commune a People’s Committee under its province’s, with a generated identifier', async () => {
    const pc = (await get('/api/v1/agencies/UBND-00004')).body;
    expect(pc).toMatchObject({
      code: 'UBND-00004',
      name: 'Ủy ban nhân dân phường Ba Đình, thành phố Hà Nội',
      nameEn: "People's Committee of Ba Dinh Ward, Ha Noi City",
      kind: 'people-committee',
      level: 'commune',
      parentCode: 'UBND-01',
      adminUnitCode: '00004',
      validFrom: '2025-07-01',
      parent: { code: 'UBND-01' },
      adminUnit: { code: '00004', name: 'Phường Ba Đình' },
    });
    expect(pc.identifiers).toEqual([
      expect.objectContaining({ identifier: '000.A0.04.H26', validFrom: '2025-07-01', verified: false }),
    ]);
    expect((await get('/api/v1/agencies/000.A0.04.H26')).body.code).toBe('UBND-00004');
    expect((await get('/api/v1/agencies/000.A0.04.H26?date=2025-06-30')).status).toBe(404);
    expect((await get('/api/v1/agencies/UBND-00004?date=2025-06-30')).status).toBe(404);
    const hanoi = (await get('/api/v1/agencies?parent=UBND-01&level=commune')).body.items;
    expect(hanoi).toHaveLength(126);
    expect(
      hanoi.every((a: { identifiers: string[] }) => /^000\.[A-C].\...\.H26$/.test(a.identifiers[0]!)),
    ).toBe(true);
    // A province whose committee has no known identifier: committees, but no identifiers made up.
    const haiPhong = (await get('/api/v1/agencies?parent=UBND-31&level=commune')).body.items;
    expect(haiPhong.length).toBeGreaterThan(100);
    expect(haiPhong.every((a: { identifiers: string[] }) => a.identifiers.length === 0)).toBe(true);
    const count = await sql<{ n: number }>`
      select count(*)::int as n from agencies.agencies where level = 'commune' and kind = 'people-committee'`.execute(
      portal.database.db,
    );
    expect(count.rows[0]!.n).toBe(3_321);
  });

  it('lets the operator’s identifiers replace the generated ones of the agency they name', async () => {
    const sources = readReferenceSources();
    const operatorIdentifiers = [
      'identifier,agency_code,valid_from,valid_to,verified,source',
      '000.00.07.H26,UBND-00004,2025-07-01,,true,Quyết định của UBND thành phố Hà Nội (thử)',
    ].join('\n');
    try {
      expect(
        await applyReferenceData(
          portal.database.db,
          agenciesReferenceData(undefined, { ...sources, operatorIdentifiers }),
        ),
      ).toBe(true);
      const pc = (await get('/api/v1/agencies/UBND-00004')).body;
      expect(pc.identifiers.map((i: { identifier: string }) => i.identifier)).toEqual(['000.00.07.H26']);
      expect((await get('/api/v1/agencies/000.A0.04.H26')).status).toBe(404);
      const origin = await sql<{ origin: string }>`
        select origin from agencies.agency_identifiers where identifier = '000.00.07.H26'`.execute(
        portal.database.db,
      );
      expect(origin.rows).toEqual([{ origin: 'operator' }]);
      // Its neighbour keeps its generated identifier.
      expect((await get('/api/v1/agencies/000.A0.08.H26')).body.code).toBe('UBND-00008');
    } finally {
      expect(await applyReferenceData(portal.database.db, agenciesReferenceData())).toBe(true);
    }
    expect((await get('/api/v1/agencies/000.A0.04.H26')).body.code).toBe('UBND-00004');
    expect((await get('/api/v1/agencies/000.00.07.H26')).status).toBe(404);
  });

  it('reloads idempotently: the same ids, nothing duplicated, an operator’s own unit kept', async () => {
    const db = portal.database.db;
    const snapshot = async () =>
      (
        await sql<{ t: string }>`
          select (select string_agg(id || ':' || level || ':' || code || ':' || coalesce(valid_from::text, ''), ',' order by id) from agencies.admin_units)
              || '|' || (select string_agg(id || ':' || code || ':' || coalesce(valid_from::text, ''), ',' order by id) from agencies.agencies)
              || '|' || (select string_agg(predecessor_id || '>' || successor_id, ',' order by predecessor_id, successor_id) from agencies.admin_unit_successions)
              || '|' || (select string_agg(predecessor_id || '>' || successor_id, ',' order by predecessor_id, successor_id) from agencies.agency_successions)
              || '|' || (select string_agg(identifier || '@' || agency_code || '@' || id, ',' order by identifier, valid_from) from agencies.agency_identifiers) as t`.execute(
          db,
        )
      ).rows[0]!.t;
    await sql`insert into agencies.admin_units (code, level, name, name_folded, kind, parent_code, province_code)
              values ('99999', 'commune', 'Xã Của Đơn Vị Vận Hành', 'xa cua don vi van hanh', 'commune', '01', '01')`.execute(
      db,
    );
    try {
      const before = await snapshot();
      expect(await applyReferenceData(db, forced(agenciesReferenceData()))).toBe(true);
      expect(await snapshot()).toBe(before);
      const counts = await sql<{ units: number; agencies: number; ids: number; dup: number }>`
        select (select count(*)::int from agencies.admin_units where from_reference) as units,
               (select count(*)::int from agencies.agencies where from_reference) as agencies,
               (select count(*)::int from agencies.agency_identifiers) as ids,
               (select count(*)::int from (select level, code, valid_from from agencies.admin_units
                                            group by 1, 2, 3 having count(*) > 1) d) as dup`.execute(db);
      expect(counts.rows[0]).toMatchObject({ units: 87 + 696 + 10_035 + 3_321, dup: 0 });
      expect(counts.rows[0]!.agencies).toBeGreaterThan(3_321 + 1_500);
    } finally {
      await sql`delete from agencies.admin_units where code = '99999'`.execute(db);
    }
  });
});

describe('the administrative units API', () => {
  it('answers the documented shape, ordered by code', async () => {
    const { body } = await get('/api/v1/admin-units?level=commune&province=79&date=2026-01-01&limit=5');
    expect(body).toMatchObject({ date: '2026-01-01', total: 168 });
    expect(body.items).toHaveLength(5);
    expect(Object.keys(body.items[0]).sort()).toEqual(
      [
        'code',
        'name',
        'level',
        'parent',
        'province',
        'kind',
        'nameEn',
        'region',
        'validFrom',
        'validTo',
        'legalBasis',
        'note',
        'parentCode',
      ].sort(),
    );
    const codes = (await get('/api/v1/admin-units?level=commune&province=79&limit=200')).body.items.map(
      (u: Unit) => u.code,
    );
    expect(codes).toEqual([...codes].sort());
    expect((await get('/api/v1/admin-units?level=commune&date=2025-03-01')).body.items).toHaveLength(1000);
  });

  it('finds names without diacritics, every word required, or the exact code', async () => {
    for (const q of ['ba dinh', 'Ba Đình', 'BA  ĐÌNH']) {
      const { body } = await get(`/api/v1/admin-units?level=commune&q=${encodeURIComponent(q)}`);
      expect(body.items.map((u: Unit) => u.code)).toContain('00004');
      for (const u of body.items as Unit[]) expect(foldVietnamese(u.name)).toMatch(/ba.*dinh|dinh.*ba/);
    }
    const inHanoi = (await get('/api/v1/admin-units?level=commune&province=01&q=ba%20dinh')).body;
    expect(inHanoi.items.map((u: Unit) => u.name)).toEqual(['Phường Ba Đình']);
    const byCode = (await get('/api/v1/admin-units?q=00004')).body;
    expect(byCode.items.map((u: Unit) => `${u.code} ${u.name}`)).toEqual(['00004 Phường Ba Đình']);
    expect((await get('/api/v1/admin-units?level=commune&q=ba%20dinh%20khong%20co')).body.total).toBe(0);
  });

  it('refuses bad input with a 400 problem, never a 500', async () => {
    const long = 'a'.repeat(101);
    for (const url of [
      '/api/v1/admin-units?q=%00',
      '/api/v1/admin-units?q=ba%00dinh',
      `/api/v1/admin-units?q=${long}`,
      '/api/v1/admin-units?date=2025-13-01',
      '/api/v1/admin-units?date=x',
      '/api/v1/admin-units?limit=0',
      '/api/v1/admin-units?limit=20001',
      '/api/v1/admin-units?limit=abc',
      '/api/v1/admin-units?province=1',
      '/api/v1/admin-units?parent=0001',
      '/api/v1/admin-units?level=ward',
      '/api/v1/admin-units/0004',
      '/api/v1/admin-units/00004?date=2025-02-30',
      '/api/v1/agencies?q=%00',
    ]) {
      const r = await get(url);
      expect(r.status, url).toBe(400);
      expect(r.headers['content-type'], url).toContain('application/problem+json');
    }
    expect((await page('/don-vi-hanh-chinh/01?q=%00')).status).toBe(400);
    expect((await page('/co-quan?q=%00')).status).toBe(400);
  });

  it('keeps the other modules’ calls meaning what they meant', async () => {
    const provinces = await agencies.listAdminUnits({ level: 'province' });
    expect(provinces).toMatchObject({ date: '2026-11-29', total: 34 });
    const hanoi = await agencies.listAdminUnits({ level: 'commune', parent: '01' });
    expect(hanoi.items).toHaveLength(126);
    expect(hanoi.items[0]).toMatchObject({ provinceCode: '01', parentCode: '01', level: 'commune' });
    expect((await agencies.listAdminUnits({ level: 'commune' })).items).toHaveLength(3_321);
    await expect(agencies.listAdminUnits({ level: 'commune', q: 'a\u0000' })).rejects.toThrow(/không hợp lệ/);
  });
});

describe('finding a province’s department by the name a procedure gives', () => {
  it('in Hà Nội after the 2025 mergers', async () => {
    const on = async (name: string) => (await agencies.findDepartment('01', name, '2026-12-01'))?.code;
    expect(await on('Sở Tư pháp')).toBe('STP-01');
    expect(await on('Cơ sở giáo dục, Sở Giáo dục và Đào tạo đang quản lý sổ gốc')).toBe('SGDDT-01');
    expect(await on('Phòng Đăng ký kinh doanh thuộc Sở Tài chính')).toBe('STC-01');
    // Merged away on 1 March 2025: its successor in the province.
    expect(await on('Sở Kế hoạch và Đầu tư')).toBe('STC-01');
    expect(await on('Sở Tài nguyên và Môi trường')).toBe('SNNMT-01');
    expect(await on('Sở Lao động - Thương binh và Xã hội')).toBe('SNV-01');
    expect(await on('Công an cấp tỉnh')).toBeUndefined();
    const stp = await agencies.findDepartment('01', 'Sở Tư pháp', '2026-12-01');
    expect(stp).toMatchObject({
      kind: 'department',
      name: 'Sở Tư pháp thành phố Hà Nội',
      parentCode: 'UBND-01',
    });
  });

  it('in Hà Nội before them, and nowhere for a province that no longer exists', async () => {
    const on = async (name: string) => (await agencies.findDepartment('01', name, '2025-01-15'))?.code;
    expect(await on('Sở Kế hoạch và Đầu tư')).toBe('SKHDT-01');
    expect(await on('Phòng Đăng ký kinh doanh thuộc Sở Kế hoạch và Đầu tư')).toBe('SKHDT-01');
    expect(await on('Sở Tài chính')).toBe('STC-01');
    expect(await on('Sở Nông nghiệp và Môi trường')).toBeUndefined();
    expect((await agencies.findDepartment('02', 'Sở Tư pháp', '2025-01-15'))?.code).toBe('STP-02');
    expect(await agencies.findDepartment('02', 'Sở Tư pháp', '2026-12-01')).toBeUndefined();
    expect((await agencies.findDepartment('01', 'Sở Tư pháp'))?.code).toBe('STP-01');
    await expect(agencies.findDepartment('1', 'Sở Tư pháp')).rejects.toThrow(/không hợp lệ/);
  });
});

describe('pages of districts and communes', () => {
  it('list a province’s communes from July 2025, with a search', async () => {
    const hn = await page('/don-vi-hanh-chinh/01');
    expect(hn.status).toBe(200);
    expect(hn.body).toContain('Đơn vị hành chính cấp xã (126)');
    expect(hn.body).toContain('href="/don-vi-hanh-chinh/00004?ngay=2026-11-29"');
    expect(hn.body).toContain('<input type="search" id="q" name="q"');
    const found = await page('/don-vi-hanh-chinh/01?q=ba+dinh');
    expect(found.body).toContain('Phường Ba Đình');
    expect(found.body).not.toContain('Phường Hoàn Kiếm');
  });

  it('list a province’s districts before July 2025, each leading to its communes', async () => {
    const hn = await page('/don-vi-hanh-chinh/01?ngay=2025-03-01');
    expect(hn.body).toContain('Đơn vị hành chính cấp huyện (30)');
    expect(hn.body).toContain('href="/don-vi-hanh-chinh/001?ngay=2025-03-01"');
    const district = await page('/don-vi-hanh-chinh/001?ngay=2025-03-01');
    expect(district.status).toBe(200);
    expect(district.body).toContain('Quận Ba Đình');
    expect(district.body).toContain('Phường Trúc Bạch');
    const search = await page('/don-vi-hanh-chinh/01?ngay=2025-03-01&q=truc+bach');
    expect(search.body).toContain('Phường Trúc Bạch');
    expect(search.body).toContain('Quận Ba Đình');
  });

  it('show a commune with its province, district and People’s Committee', async () => {
    const now = await page('/don-vi-hanh-chinh/00004');
    expect(now.status).toBe(200);
    expect(now.body).toContain('Phường Ba Đình');
    expect(now.body).toContain('href="/co-quan/UBND-00004?ngay=2026-11-29"');
    expect(now.body).toContain('Phường Trúc Bạch');
    const before = await page('/don-vi-hanh-chinh/00004?ngay=2025-03-01');
    expect(before.body).toContain('Phường Trúc Bạch');
    expect(before.body).toContain('Quận Ba Đình');
    expect(before.body).not.toContain('/co-quan/UBND-00004');
    const en = await page('/don-vi-hanh-chinh/00004?lang=en');
    expect(en.body).toContain('Ba Dinh Ward');
  });

  it('keep the agencies list short, and list a province’s communes’ committees on request', async () => {
    const all = await page('/co-quan');
    expect(all.status).toBe(200);
    expect(all.body).not.toContain('phường Ba Đình');
    const hn = await page('/co-quan?tinh=01');
    expect(hn.body).toContain('Ủy ban nhân dân phường Ba Đình, thành phố Hà Nội');
    expect(hn.body).toContain('Sở Tư pháp thành phố Hà Nội');
    expect(hn.body).toContain('000.A0.04.H26');
    const search = await page('/co-quan?q=phuong+ba+dinh');
    expect(search.body).toContain('Ủy ban nhân dân phường Ba Đình, thành phố Hà Nội');
    const detail = await page('/co-quan/UBND-00004');
    expect(detail.body).toContain('000.A0.04.H26');
    expect(detail.body).toContain('href="/co-quan/UBND-01');
    const province = await page('/co-quan/UBND-01');
    expect(province.body).toContain('Ủy ban nhân dân cấp xã trực thuộc (126)');
  });
});
