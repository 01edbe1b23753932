import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPortal } from '../../../test/helpers/portal.ts';
import type { Portal } from '../../bootstrap.ts';
import { fixedClock } from '../../platform/clock/index.ts';
import { findAgencyOn } from './agencies.repository.ts';
import { createAgenciesService } from './agencies.service.ts';

let portal: Portal;
beforeAll(async () => {
  portal = await testPortal({ clock: fixedClock('2026-11-29T03:00:00Z') });
});
afterAll(async () => {
  await portal.close();
});

const get = async (url: string) => {
  const r = await portal.app.inject(url);
  return { status: r.statusCode, body: r.json(), headers: r.headers };
};

describe('administrative units API', () => {
  it('lists 63 provinces until 30 June 2025 and 34 from 1 July 2025', async () => {
    expect((await get('/api/v1/admin-units?date=2020-01-01&level=province')).body.items).toHaveLength(63);
    expect((await get('/api/v1/admin-units?date=2025-06-30&level=province')).body.items).toHaveLength(63);
    expect((await get('/api/v1/admin-units?date=2025-07-01&level=province')).body.items).toHaveLength(34);
    expect((await get('/api/v1/admin-units?level=province')).body).toMatchObject({ date: '2026-11-29' });
    expect((await get('/api/v1/admin-units?level=province')).body.items).toHaveLength(34);
  });

  it('answers what a unit was on a date, and what it became', async () => {
    const { status, body } = await get('/api/v1/admin-units/02?date=2020-05-01');
    expect(status).toBe(200);
    expect(body).toMatchObject({ code: '02', name: 'Hà Giang', validTo: '2025-06-30' });
    expect(body.became).toEqual([
      expect.objectContaining({ code: '08', name: 'Tuyên Quang', validFrom: '2025-07-01', change: 'merge' }),
    ]);
    expect(body.nowPartOf.map((u: { code: string }) => u.code)).toEqual(['08']);
    expect((await get('/api/v1/admin-units/02?date=2025-07-01')).status).toBe(404);
  });

  it('answers which units formed a unit', async () => {
    const { body } = await get('/api/v1/admin-units/37?date=2025-07-01');
    expect(body.name).toBe('Ninh Bình');
    expect(body.formedFrom.map((u: { code: string; name: string }) => `${u.code} ${u.name}`).sort()).toEqual([
      '35 Hà Nam',
      '36 Nam Định',
      '37 Ninh Bình',
    ]);
    // The same code before the merger is the old, smaller Ninh Bình.
    const before = (await get('/api/v1/admin-units/37?date=2024-01-01')).body;
    expect(before.validTo).toBe('2025-06-30');
    expect(before.versions).toHaveLength(2);
  });

  it('keeps a code whose name moved: Yên Bái (15) became part of the new Lào Cai (15)', async () => {
    expect((await get('/api/v1/admin-units/15?date=2024-01-01')).body.name).toBe('Yên Bái');
    const now = (await get('/api/v1/admin-units/15')).body;
    expect(now.name).toBe('Lào Cai');
    expect(now.formedFrom.map((u: { name: string }) => u.name).sort()).toEqual(['Lào Cai', 'Yên Bái']);
  });

  it('knows Thừa Thiên Huế became the city of Huế on 1 January 2025', async () => {
    expect((await get('/api/v1/admin-units/46?date=2024-12-31')).body.name).toBe('Thừa Thiên Huế');
    const hue = (await get('/api/v1/admin-units/46?date=2025-01-01')).body;
    expect(hue).toMatchObject({ name: 'Huế', kind: 'city' });
    expect(hue.formedFrom[0]).toMatchObject({ name: 'Thừa Thiên Huế', change: 'reclassify' });
  });

  it('searches names without diacritics', async () => {
    const { body } = await get('/api/v1/admin-units?q=dak%20lak&date=2020-01-01');
    expect(body.items.map((u: { name: string }) => u.name)).toEqual(['Đắk Lắk']);
  });

  it('rejects a malformed date and an unknown code clearly', async () => {
    const bad = await get('/api/v1/admin-units?date=2025-02-30');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.detail).toContain('2025-02-30');
    expect((await get('/api/v1/admin-units/99')).status).toBe(404);
    expect((await get('/api/v1/admin-units/abc')).status).toBe(400);
  });
});

describe('agencies API', () => {
  it('lists the ministries and ministerial-level agencies before and after the 2025 restructuring', async () => {
    const count = async (date: string) => {
      const items = (await get(`/api/v1/agencies?date=${date}&level=central`)).body.items as Array<{
        kind: string;
      }>;
      return items.filter((a) => a.kind === 'ministry' || a.kind === 'ministerial-level').length;
    };
    expect(await count('2025-02-28')).toBe(22);
    expect(await count('2025-03-01')).toBe(17);
  });

  it('tells what a merged ministry became, and the tree', async () => {
    const { body } = await get('/api/v1/agencies/BKHDT?date=2024-06-01');
    expect(body).toMatchObject({
      name: 'Bộ Kế hoạch và Đầu tư',
      validTo: '2025-02-28',
      parent: { code: 'CP' },
    });
    expect(body.successors.map((a: { code: string }) => a.code)).toEqual(['BTC']);
    const bnnmt = (await get('/api/v1/agencies/BNNMT')).body;
    expect(bnnmt.predecessors.map((a: { code: string }) => a.code).sort()).toEqual(['BNNPTNT', 'BTNMT']);
    const bhxh = (await get('/api/v1/agencies/BHXH')).body;
    expect(bhxh.parent.code).toBe('BTC');
    expect((await get('/api/v1/agencies/BHXH?date=2024-01-01')).body.parent.code).toBe('CP');
  });

  it('has a People’s Committee and a one-stop centre for every province on every date', async () => {
    for (const [date, n] of [
      ['2020-01-01', 63],
      ['2025-07-01', 34],
    ] as const) {
      const items = (await get(`/api/v1/agencies?date=${date}&level=province`)).body.items as Array<{
        kind: string;
      }>;
      expect(items.filter((a) => a.kind === 'people-committee')).toHaveLength(n);
      expect(items.filter((a) => a.kind === 'one-stop-centre')).toHaveLength(n);
    }
    const centre = (await get('/api/v1/agencies/TTPVHCC-01')).body;
    expect(centre.parent.code).toBe('UBND-01');
  });

  it('lists the departments of a province and what they became in 2025', async () => {
    const depts = (await get('/api/v1/agencies?date=2026-01-01&kind=department&parent=UBND-79')).body
      .items as Array<{
      code: string;
      name: string;
    }>;
    expect(depts).toHaveLength(12);
    expect(depts.map((d) => d.name)).toContain('Sở Tư pháp thành phố Hồ Chí Minh');
    const old = (await get('/api/v1/agencies/STNMT-01?date=2025-01-15')).body;
    expect(old.successors).toEqual([expect.objectContaining({ code: 'SNNMT-01' })]);
    const page = await portal.app.inject({
      method: 'GET',
      url: '/co-quan?q=so%20tu%20phap%20ha%20noi',
      headers: { accept: 'text/html' },
    });
    expect(page.body).toContain('Sở Tư pháp thành phố Hà Nội');
  });

  it('gives an agency’s subtree on a date in one statement, the same as walking it level by level', async () => {
    const agencies = createAgenciesService({
      db: portal.database.db as never,
      clock: fixedClock('2026-11-29T03:00:00Z'),
    });
    // The reference: children asked level by level through the API.
    const walk = async (root: string, date: string) => {
      const out = [root];
      for (let i = 0; i < out.length; i++) {
        const children = (await get(`/api/v1/agencies?date=${date}&parent=${out[i]}`)).body.items as Array<{
          code: string;
        }>;
        for (const c of children) if (!out.includes(c.code)) out.push(c.code);
      }
      return out;
    };
    for (const [root, date] of [
      ['UBND-79', '2026-01-01'],
      ['UBND-01', '2025-01-15'],
    ] as const) {
      const tree = await agencies.subtreeOf(root, date);
      expect(tree[0]?.code).toBe(root);
      expect(tree.length, root).toBeGreaterThan(10);
      expect(tree.map((a) => a.code).sort()).toEqual((await walk(root, date)).sort());
    }
    expect(await agencies.subtreeOf('KHONG-CO', '2026-01-01')).toEqual([]);
  });

  it('gives an agency’s lineage on a date in one statement, the same as walking up parent by parent', async () => {
    const agencies = createAgenciesService({
      db: portal.database.db as never,
      clock: fixedClock('2026-11-29T03:00:00Z'),
    });
    const db = portal.database.db as never;
    // The reference: the agency valid on the date, then its parent's, one query each.
    const walk = async (code: string, date: string) => {
      const out: string[] = [];
      let current: string | null = code;
      while (current && out.length < 12 && !out.includes(current)) {
        const row = await findAgencyOn(db, current, date);
        if (!row) break;
        out.push(row.code);
        current = row.parent_code;
      }
      return out;
    };
    for (const date of ['2025-01-15', '2026-01-01']) {
      // Every agency but the communes' People's Committees (3,321, all alike), and every 40th of those.
      const all = await sql<{
        code: string;
      }>`select code from (select distinct code, level from agencies.agencies) a
          where level <> 'commune' or right(code, 5)::int % 40 = 4 order by code`.execute(portal.database.db);
      expect(all.rows.some((r) => r.code === 'UBND-00004')).toBe(true);
      let deep = 0;
      for (const { code } of all.rows) {
        const lineage = await agencies.lineageOf(code, date);
        expect(lineage, `${code} on ${date}`).toEqual(await walk(code, date));
        if (lineage.length >= 3) deep++;
      }
      expect(deep, date).toBeGreaterThan(10);
    }
    expect(await agencies.lineageOf('so-tp-79', '2026-01-01')).toEqual(await walk('SO-TP-79', '2026-01-01'));
    expect(await agencies.lineageOf('KHONG-CO', '2026-01-01')).toEqual([]);
    // A unit moved under another parent on a date, and a cycle in bad data (test agencies, removed after).
    await sql`
      insert into agencies.agencies (code, name, name_folded, kind, level, parent_code, valid_from, valid_to)
      values ('XT-OLD', 'Cũ', 'cu', 'other', 'central', null, null, null),
             ('XT-NEW', 'Mới', 'moi', 'other', 'central', null, null, null),
             ('XT-MID', 'Giữa', 'giua', 'other', 'central', 'XT-OLD', null, '2025-06-30'),
             ('XT-MID', 'Giữa', 'giua', 'other', 'central', 'XT-NEW', '2025-07-01', null),
             ('XT-CHILD', 'Con', 'con', 'other', 'central', 'XT-MID', null, null),
             ('XT-C1', 'Vòng 1', 'vong 1', 'other', 'central', 'XT-C2', null, null),
             ('XT-C2', 'Vòng 2', 'vong 2', 'other', 'central', 'XT-C1', null, null)`.execute(
      portal.database.db,
    );
    try {
      expect(await agencies.lineageOf('XT-CHILD', '2025-01-15')).toEqual(['XT-CHILD', 'XT-MID', 'XT-OLD']);
      expect(await agencies.lineageOf('XT-CHILD', '2026-01-01')).toEqual(['XT-CHILD', 'XT-MID', 'XT-NEW']);
      expect(await agencies.lineageOf('XT-C1', '2026-01-01')).toEqual(['XT-C1', 'XT-C2']);
      for (const [code, date] of [
        ['XT-CHILD', '2025-01-15'],
        ['XT-CHILD', '2026-01-01'],
        ['XT-C2', '2026-01-01'],
      ] as const)
        expect(await agencies.lineageOf(code, date)).toEqual(await walk(code, date));
    } finally {
      await sql`delete from agencies.agencies where code like 'XT-%'`.execute(portal.database.db);
    }
  });

  it('finds an agency by its identifier code, which may pass to a successor', async () => {
    expect((await get('/api/v1/agencies/000.00.00.G12')).body.code).toBe('BTC');
    expect((await get('/api/v1/agencies/000.00.00.H38?date=2024-01-01')).body).toMatchObject({
      code: 'UBND-10',
    });
    expect((await get('/api/v1/agencies/000.00.00.H38?date=2025-07-01')).body).toMatchObject({
      code: 'UBND-15',
      name: 'Ủy ban nhân dân tỉnh Lào Cai',
    });
    const hn = (await get('/api/v1/agencies?adminUnit=01&kind=people-committee')).body.items;
    expect(hn[0].identifiers).toEqual(['000.00.00.H26']);
  });

  it('reports office hours (default 07:00–11:30, 13:30–17:00, Monday–Friday)', async () => {
    const { body } = await get('/api/v1/agencies/UBND-79');
    expect(body.officeHours).toEqual({
      sessions: [
        { start: '07:00', end: '11:30' },
        { start: '13:30', end: '17:00' },
      ],
      weekdays: [1, 2, 3, 4, 5],
    });
  });

  it('answers 404 for unknown agencies', async () => {
    expect((await get('/api/v1/agencies/NOPE')).status).toBe(404);
    expect((await get('/api/v1/agencies/999.99.99.Z99')).status).toBe(404);
  });
});

describe('pages', () => {
  it('render agencies and administrative units in Vietnamese, and in English on request', async () => {
    for (const url of [
      '/co-quan',
      '/co-quan/BTC',
      '/co-quan/BKHDT',
      '/don-vi-hanh-chinh',
      '/don-vi-hanh-chinh?ngay=2025-06-30',
      '/don-vi-hanh-chinh/02',
    ]) {
      const r = await portal.app.inject({ url, headers: { accept: 'text/html' } });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toContain('text/html');
      expect(r.body).toContain('<html lang="vi"');
    }
    const hg = await portal.app.inject('/don-vi-hanh-chinh/02');
    expect(hg.body).toContain('Hà Giang');
    expect(hg.body).toContain('Tuyên Quang');
    const en = await portal.app.inject('/co-quan/BTC?lang=en');
    expect(en.body).toContain('<html lang="en"');
    expect(en.body).toContain('Ministry of Finance');
  });

  it('show a Vietnamese error page for a bad date or an unknown agency', async () => {
    const r = await portal.app.inject({ url: '/co-quan/NOPE', headers: { accept: 'text/html' } });
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.body).toContain('Không tìm thấy');
    const bad = await portal.app.inject({
      url: '/don-vi-hanh-chinh?ngay=2025-02-30',
      headers: { accept: 'text/html' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('2025-02-30');
  });
});

describe('units an operator adds use the same versioned model', () => {
  it('answers a merged commune’s history through the same API', async () => {
    const db = portal.database.db;
    // Codes no shipped list uses (the highest is 32248), removed again at the end.
    const ins = async (code: string, name: string, parent: string, from: string | null, to: string | null) =>
      (
        await sql<{
          id: number;
        }>`insert into agencies.admin_units (code, level, name, name_folded, kind, parent_code, province_code, valid_from, valid_to)
          values (${code}, 'commune', ${name}, ${name.toLowerCase()}, 'commune', ${parent}, '01', ${from}::date, ${to}::date) returning id`.execute(
          db,
        )
      ).rows[0]!.id;
    try {
      const a = await ins('99991', 'Xã Thử Một', '01', null, '2025-06-30');
      const b = await ins('99994', 'Xã Thử Hai', '01', null, '2025-06-30');
      const c = await ins('99991', 'Xã Thử Mới', '01', '2025-07-01', null);
      for (const p of [a, b]) {
        await sql`insert into agencies.admin_unit_successions values (${p}, ${c}, '2025-07-01', 'merge')`.execute(
          db,
        );
      }
      const codes = async (date: string) =>
        (
          (await get(`/api/v1/admin-units?date=${date}&level=commune&parent=01&limit=20000`)).body
            .items as Array<{
            code: string;
            name: string;
          }>
        ).filter((u) => u.code >= '99990');
      expect((await codes('2025-06-30')).map((u) => u.code)).toEqual(['99991', '99994']);
      expect((await codes('2025-07-01')).map((u) => u.name)).toEqual(['Xã Thử Mới']);
      const detail = (await get('/api/v1/admin-units/99994?date=2024-01-01')).body;
      expect(detail).toMatchObject({ level: 'commune', parentCode: '01', parent: '01', province: '01' });
      expect(detail.nowPartOf.map((u: { name: string }) => u.name)).toEqual(['Xã Thử Mới']);
      const merged = (await get('/api/v1/admin-units/99991')).body;
      expect(merged.formedFrom.map((u: { name: string }) => u.name).sort()).toEqual([
        'Xã Thử Hai',
        'Xã Thử Một',
      ]);
    } finally {
      await sql`delete from agencies.admin_units where code >= '99990' and level = 'commune'`.execute(db);
    }
  });
});

describe('reloading reference data', () => {
  it('updates changed versions and removes the ones the files no longer list', async () => {
    const { applyReferenceData } = await import('../../platform/db/index.ts');
    const { agenciesReferenceData, readReferenceSources } = await import('./agencies.reference.ts');
    const sources = readReferenceSources();
    const ministries = sources.ministries
      .split('\n')
      .filter((line) => !line.startsWith('BQP,'))
      .join('\n')
      .replace(
        'Bộ Ngoại giao,Ministry of Foreign Affairs',
        'Bộ Ngoại giao,Ministry of Foreign Affairs of Viet Nam',
      );
    const identifiers = sources.identifiers
      .split('\n')
      .filter((line) => !line.includes(',BQP,'))
      .join('\n');
    const changed = agenciesReferenceData(undefined, { ...sources, ministries, identifiers });
    expect(await applyReferenceData(portal.database.db, changed)).toBe(true);
    expect((await get('/api/v1/agencies/BQP')).status).toBe(404);
    expect((await get('/api/v1/agencies/BNG')).body.nameEn).toBe('Ministry of Foreign Affairs of Viet Nam');
    // And back: the shipped data restores both.
    expect(await applyReferenceData(portal.database.db, agenciesReferenceData())).toBe(true);
    expect((await get('/api/v1/agencies/BQP')).status).toBe(200);
    expect((await get('/api/v1/agencies/BNG')).body.nameEn).toBe('Ministry of Foreign Affairs');
  });
});
