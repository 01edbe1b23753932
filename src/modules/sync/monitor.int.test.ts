/**
 * The sync monitoring on a whole portal: what a batch records (counts per agency × hour × client, last
 * sync, lag, rejected items with reasons, the ring of 1,000 per agency), from the REST API and from the
 * DVCQG adapter; who may see an agency's page (404 outside the officer's scope, the agencies above see
 * it); indicator 1.4 on a dataset whose numbers are worked out by hand below.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../test/helpers/browser.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession, type TestAccount } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';
import { registerOidcClient } from '../identity/index.ts';
import { formatDvcqgDate } from './domain/records.ts';

const HN = '000.00.00.H26'; // UBND-01, Hà Nội
const HN_STP = '000.00.01.H26'; // given to Sở Tư pháp Hà Nội (STP-01) below
const HCM = '000.00.00.H29'; // UBND-79
const NOW = new Date('2025-07-15T03:30:00Z'); // 10:30 in Vietnam

let portal: Portal;
let clockNow = new Date(NOW);
const tokens: Record<string, string> = {};
const secrets: Record<string, string> = {};
let hnAdmin: TestAccount;
let stpReceiver: TestAccount;
let hcmAdmin: TestAccount;
let supervisor: TestAccount;
let citizen: TestAccount;

async function client(name: string, agencyCodes: string[]) {
  const { clientSecret } = await registerOidcClient(portal.database.db, {
    clientId: name,
    name: `Hệ thống một cửa ${name}`,
    machine: true,
    agencyCodes,
    scope: 'sync',
  });
  secrets[name] = clientSecret;
  const r = await portal.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: {
      authorization: `Basic ${Buffer.from(`${name}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: 'grant_type=client_credentials&scope=sync',
  });
  expect(r.statusCode, r.body).toBe(200);
  tokens[name] = r.json().access_token;
}

async function post(name: string, body: unknown) {
  const r = await portal.app.inject({
    method: 'POST',
    url: '/api/v1/sync/dossiers',
    headers: { authorization: `Bearer ${tokens[name]}` },
    payload: body as object,
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}

const at = (iso: string) => formatDvcqgDate(new Date(iso));

function dossier(code: string, receivedIso: string, extra: Record<string, unknown> = {}) {
  return {
    MaHoSo: code,
    MaTTHC: '1.001776',
    TenTTHC: 'Đăng ký khai sinh',
    ChuHoSo: 'Nguyễn Văn An',
    SoGiayToChuHoSo: '001190001234',
    LoaiDoiTuong: '1',
    KenhThucHien: '2',
    TrangThaiHoSo: '2',
    NgayNopHoSo: at(receivedIso),
    NgayTiepNhan: at(receivedIso),
    NgayHenTra: at('2025-07-30T09:00:00Z'),
    ...extra,
  };
}

function step(code: string, iso: string, status = 4) {
  return {
    MaHoSo: code,
    NguoiXuLy: 'Trần Thị Bình',
    ChucDanh: 'Chuyên viên',
    ThoiDiemXuLy: at(iso),
    PhongBanXuLy: 'Bộ phận một cửa',
    NoiDungXuLy: 'Chuyển phòng chuyên môn',
    TrangThai: String(status),
  };
}

const browser = (a: TestAccount) => {
  const c = new FormClient(portal.app);
  c.cookies.set('sid', a.token);
  return c;
};

const api = (a: TestAccount | undefined, url: string) =>
  portal.app.inject({ method: 'GET', url, headers: a ? { cookie: `sid=${a.token}` } : {} });

beforeAll(async () => {
  portal = await testPortal({ clock: { now: () => new Date(clockNow) } });
  await sql`insert into agencies.agency_identifiers (identifier, agency_code, verified, origin)
            values (${HN_STP}, 'STP-01', false, 'operator')`.execute(portal.database.db);
  await client('mc-ha-noi', ['UBND-01']);
  await client('mc-hcm', ['UBND-79']);
  await client('mc-hcm-2', ['UBND-79']);
  hnAdmin = await accountWithSession(portal, 'officer', {
    agency: 'UBND-01',
    grants: [['UBND-01', 'agency-admin']],
  });
  stpReceiver = await accountWithSession(portal, 'officer', {
    agency: 'STP-01',
    grants: [['STP-01', 'receiver']],
  });
  hcmAdmin = await accountWithSession(portal, 'officer', {
    agency: 'UBND-79',
    grants: [['UBND-79', 'agency-admin']],
  });
  supervisor = await accountWithSession(portal, 'officer', {
    agency: 'VPCP',
    grants: [['CP', 'vpcp-supervisor']],
  });
  citizen = await accountWithSession(portal, 'citizen');
});
afterAll(async () => {
  await portal?.close();
});

describe('what a batch records', () => {
  it('counts per agency, hour and client; the last sync and lag; rejected items with their reasons', async () => {
    const a = `${HN}-250701-0001`;
    const b = `${HN_STP}-250702-0001`;
    const first = await post('mc-ha-noi', {
      dossiers: [
        dossier(a, '2025-07-01T02:00:00Z'),
        dossier(b, '2025-07-02T02:00:00Z'),
        dossier(`${HCM}-250701-0009`, '2025-07-01T02:00:00Z'), // not Hà Nội's: counted for Hà Nội
        'không phải hồ sơ',
      ],
      history: [
        step(a, '2025-07-14T03:30:00Z'), // 1 day before NOW
        step(`${HN}-250710-0001`, '2025-07-15T03:00:00Z'), // dossier not yet known: pending
        { ...step(a, '2025-07-14T04:00:00Z'), TrangThai: '42' },
      ],
    });
    expect(first.summary).toMatchObject({ accepted: 4, rejected: 3, pending: 1 });
    const again = await post('mc-ha-noi', { dossiers: [dossier(a, '2025-07-01T02:00:00Z')] });
    expect(again.summary).toMatchObject({ duplicate: 1 });

    const stats = await sql<Record<string, unknown>>`
      select agency_code, hour, client_id, client_name, batches, accepted, duplicate, rejected, pending,
             lag_count, lag_sum_ms, lag_max_ms, lag_p95_ms, last_lag_p95_ms
        from sync.batch_stats order by agency_code`.execute(portal.database.db);
    const day = 86_400_000;
    // Lags of the accepted items: dossier a (14 days 1.5 hours), history a (1 day), pending row (30 min).
    const hnLags = [14 * day + 5_400_000, day, 1_800_000];
    expect(stats.rows).toEqual([
      {
        agency_code: 'STP-01',
        hour: new Date('2025-07-15T03:00:00Z'),
        client_id: 'mc-ha-noi',
        client_name: 'Hệ thống một cửa mc-ha-noi',
        batches: 1,
        accepted: 1,
        duplicate: 0,
        rejected: 0,
        pending: 0,
        lag_count: 1,
        lag_sum_ms: 13 * day + 5_400_000,
        lag_max_ms: 13 * day + 5_400_000,
        lag_p95_ms: 13 * day + 5_400_000,
        last_lag_p95_ms: 13 * day + 5_400_000,
      },
      {
        agency_code: 'UBND-01',
        hour: new Date('2025-07-15T03:00:00Z'),
        client_id: 'mc-ha-noi',
        client_name: 'Hệ thống một cửa mc-ha-noi',
        batches: 2,
        accepted: 3,
        duplicate: 1,
        rejected: 3,
        pending: 1,
        lag_count: 3,
        lag_sum_ms: hnLags.reduce((x, y) => x + y, 0),
        lag_max_ms: Math.max(...hnLags),
        lag_p95_ms: Math.max(...hnLags),
        // The second batch had nothing accepted: the p95 of the last batch with accepted items stays.
        last_lag_p95_ms: Math.max(...hnLags),
      },
    ]);
    const status = await sql<Record<string, unknown>>`
      select agency_code, last_at, last_client_id, rejected_total from sync.agency_status order by 1`.execute(
      portal.database.db,
    );
    expect(status.rows).toEqual([
      { agency_code: 'STP-01', last_at: NOW, last_client_id: 'mc-ha-noi', rejected_total: 0 },
      { agency_code: 'UBND-01', last_at: NOW, last_client_id: 'mc-ha-noi', rejected_total: 3 },
    ]);
    const rejections = await sql<{
      seq: number;
      list: string;
      item_index: number;
      dossier_code: string | null;
      reason: string;
    }>`
      select seq, list, item_index, dossier_code, reason from sync.rejections where agency_code = 'UBND-01' order by seq`.execute(
      portal.database.db,
    );
    expect(rejections.rows.map((r) => [r.seq, r.list, r.item_index, r.dossier_code])).toEqual([
      [1, 'dossiers', 2, `${HCM}-250701-0009`],
      [2, 'dossiers', 3, null],
      [3, 'history', 2, a],
    ]);
    expect(rejections.rows[0]!.reason).toBe(first.dossiers[2].reason);
    expect(rejections.rows[0]!.reason).toMatch(/không thuộc các cơ quan/);
    expect(rejections.rows[2]!.reason).toBe(first.history[2].reason);
  });

  it('records the DVCQG adapter’s batches the same way ("đã tồn tại" counts as a duplicate)', async () => {
    const login = await portal.app.inject({
      method: 'POST',
      url: '/adapter/dvcqg/auth',
      payload: { username: 'mc-hcm-2', password: secrets['mc-hcm-2'] },
    });
    const session = login.json().session as string;
    const call = (body: Record<string, unknown>) =>
      portal.app.inject({
        method: 'POST',
        url: '/adapter/dvcqg/service',
        payload: { session, madonvi: HCM, ...body },
      });
    const code = `${HCM}-250705-0001`;
    expect(
      (
        await call({
          service: 'DongBoHoSoMC',
          isUpdating: 'False',
          data: [dossier(code, '2025-07-05T02:00:00Z')],
        })
      ).json().error_code,
    ).toBe(0);
    expect(
      (
        await call({
          service: 'DongBoHoSoMC',
          isUpdating: 'False',
          data: [dossier(code, '2025-07-05T02:00:00Z')],
        })
      ).json().error_code,
    ).toBe(3);
    const bad = await call({
      service: 'CapNhatTienDoHoSoMC',
      data: [
        step(code, '2025-07-06T02:00:00Z'),
        { ...step(code, '2025-07-06T03:00:00Z'), ThoiDiemXuLy: 'hôm qua' },
      ],
    });
    expect(bad.json().error_code).toBe(4);
    const s = await sql<Record<string, unknown>>`
      select batches, accepted, duplicate, rejected from sync.batch_stats
       where agency_code = 'UBND-79' and client_id = 'mc-hcm-2'`.execute(portal.database.db);
    expect(s.rows).toEqual([{ batches: 3, accepted: 2, duplicate: 1, rejected: 1 }]);
    const r = await sql<{ client_id: string; list: string; item_index: number; reason: string }>`
      select client_id, list, item_index, reason from sync.rejections where agency_code = 'UBND-79'`.execute(
      portal.database.db,
    );
    expect(r.rows).toEqual([
      { client_id: 'mc-hcm-2', list: 'history', item_index: 1, reason: bad.json().results[1].message },
    ]);
  });

  it('keeps only the latest 1,000 rejected items of an agency', async () => {
    await post('mc-hcm', { dossiers: Array.from({ length: 1000 }, (_, i) => `rác ${i}`) });
    await post('mc-hcm', { dossiers: Array.from({ length: 5 }, (_, i) => ({ MaHoSo: `SAI-${i}` })) });
    const r = await sql<{ n: number; min: number; max: number; total: number }>`
      select count(*) as n, min(seq) as min, max(seq) as max,
             (select rejected_total from sync.agency_status where agency_code = 'UBND-79') as total
        from sync.rejections where agency_code = 'UBND-79'`.execute(portal.database.db);
    // One rejection came from the adapter test: 1,006 in all, the last 1,000 kept.
    expect(r.rows[0]).toEqual({ n: 1000, min: 7, max: 1006, total: 1006 });
    const latest = await sql<{ dossier_code: string }>`
      select dossier_code from sync.rejections where agency_code = 'UBND-79' order by seq desc limit 1`.execute(
      portal.database.db,
    );
    expect(latest.rows[0]!.dossier_code).toBe('SAI-4');
  });
});

describe('who sees an agency’s monitoring', () => {
  it('an officer of another province gets 404; the agency and the agencies above it see the page', async () => {
    expect((await browser(hcmAdmin).get('/quan-tri/dong-bo/UBND-01')).statusCode).toBe(404);
    expect((await browser(hcmAdmin).get('/quan-tri/dong-bo/STP-01')).statusCode).toBe(404);
    // An officer of a department does not see the province above it, but sees their own department.
    expect((await browser(stpReceiver).get('/quan-tri/dong-bo/UBND-01')).statusCode).toBe(404);
    const own = await browser(stpReceiver).get('/quan-tri/dong-bo/STP-01');
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('mc-ha-noi');
    expect(own.body).not.toContain('không thuộc các cơ quan');
    // The province's officer sees its department, and the province's page adds the department's items.
    expect((await browser(hnAdmin).get('/quan-tri/dong-bo/STP-01')).statusCode).toBe(200);
    const province = await browser(hnAdmin).get('/quan-tri/dong-bo/UBND-01');
    expect(province.statusCode).toBe(200);
    expect(province.body).toContain('không thuộc các cơ quan');
    expect(province.body).toContain('Sở Tư pháp');
    // The Government Office sees every agency.
    expect((await browser(supervisor).get('/quan-tri/dong-bo/UBND-01')).statusCode).toBe(200);
    expect((await browser(supervisor).get('/quan-tri/dong-bo/UBND-79')).statusCode).toBe(200);
    // Not an officer: 404; not signed in: to the sign-in page.
    expect((await browser(citizen).get('/quan-tri/dong-bo/UBND-01')).statusCode).toBe(404);
    const anonymous = await portal.app.inject({ method: 'GET', url: '/quan-tri/dong-bo/UBND-01' });
    expect(anonymous.statusCode).toBe(303);
  });

  it('the list shows each officer the agencies in their scope; the JSON API answers alike', async () => {
    const codes = async (a: TestAccount) => {
      const r = await api(a, '/api/v1/sync/monitoring');
      expect(r.statusCode, r.body).toBe(200);
      return r.json().agencies.map((x: { agencyCode: string }) => x.agencyCode);
    };
    expect(await codes(supervisor)).toEqual(['STP-01', 'UBND-01', 'UBND-79']);
    expect(await codes(hnAdmin)).toEqual(['STP-01', 'UBND-01']);
    expect(await codes(stpReceiver)).toEqual(['STP-01']);
    expect(await codes(hcmAdmin)).toEqual(['UBND-79']);
    const page = await browser(hcmAdmin).get('/quan-tri/dong-bo');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/quan-tri/dong-bo/UBND-79');
    expect(page.body).not.toContain('/quan-tri/dong-bo/UBND-01');

    expect((await api(hcmAdmin, '/api/v1/sync/monitoring?agency=UBND-01')).statusCode).toBe(404);
    expect((await api(citizen, '/api/v1/sync/monitoring')).statusCode).toBe(404);
    expect((await api(undefined, '/api/v1/sync/monitoring')).statusCode).toBe(401);
    const detail = (await api(hnAdmin, '/api/v1/sync/monitoring?agency=UBND-01&rejections=2')).json();
    expect(detail.agenciesBelow).toBeGreaterThan(0);
    expect(detail.clients).toEqual([
      expect.objectContaining({
        clientId: 'mc-ha-noi',
        lastSyncAt: NOW.toISOString(),
        last90Days: { accepted: 4, duplicate: 1, rejected: 3, pending: 1 },
      }),
    ]);
    expect(detail.hours).toEqual([
      expect.objectContaining({ hour: '2025-07-15T03:00:00.000Z', accepted: 4, duplicate: 1, rejected: 3 }),
    ]);
    expect(detail.rejections.map((r: { index: number; list: string }) => [r.list, r.index])).toEqual([
      ['history', 2],
      ['dossiers', 3],
    ]);
  });
});

describe('indicator 1.4', () => {
  // Hồ Chí Minh City, June 2025 (Vietnam dates). Synced dossiers, by receiving time:
  //   2025-05-31 16:00Z = 31/5 23:00 → outside;   2025-05-31 18:00Z = 1/6 01:00 → inside;
  //   5/6, 12/6, 20/6, 29/6 → inside;             2025-06-30 17:30Z = 1/7 00:30 → outside.
  // Numerator (June): 5. First ten days: 2.
  // Filed on the portal and received by the city's one-stop centre: 3/6, 5/6, 8/6 and 25/6 → June 4,
  // first ten days 3; one more filed but never received (no receiving date) → not counted.
  // Reported by the city: 1–15/6: 4 (officer), 16–30/6: 4 (officer), 10–20/6: 100 (its system; overlaps
  // the first, so not counted) → June 8.
  // June: 5 ÷ max(8, 4) = 62.5%. First ten days: no report inside → 2 ÷ max(0, 3) = 66.7%.
  const synced = [
    ['250531-0001', '2025-05-31T16:00:00Z'],
    ['250601-0001', '2025-05-31T18:00:00Z'],
    ['250605-0001', '2025-06-05T03:00:00Z'],
    ['250612-0001', '2025-06-12T03:00:00Z'],
    ['250620-0001', '2025-06-20T03:00:00Z'],
    ['250629-0001', '2025-06-29T03:00:00Z'],
    ['250701-0002', '2025-06-30T17:30:00Z'],
  ];
  const portalReceived = [
    '2025-06-03T02:00:00Z',
    '2025-06-05T02:00:00Z',
    '2025-06-08T02:00:00Z',
    '2025-06-25T02:00:00Z',
    null,
  ];

  beforeAll(async () => {
    const r = await post('mc-hcm', { dossiers: synced.map(([c, t]) => dossier(`${HCM}-${c}`, t!)) });
    expect(r.summary.accepted).toBe(7);
    for (const [i, received] of portalReceived.entries())
      await sql`
        insert into dossiers.dossiers (code, procedure_code, procedure_version, procedure_name, process_id, process_version,
               state, status, channel, applicant_account_id, applicant_kind, applicant_name, filed_by_account_id,
               receiving_agency_code, competent_agency_code, agency_identifier, submitted_at, received_at,
               processing_amount, processing_unit, rule_15h, original_due_at, due_at, state_entered_at)
        values (${`${HCM}-250603-${String(9000 + i)}`}, '1.001776', 1, 'Đăng ký khai sinh', 'mot-cua', 1,
               ${received ? 'processing' : 'receiving'}, ${received ? 4 : 1}, 'online', ${citizen.id}, 'citizen', 'Nguyễn Văn An',
               ${citizen.id}, 'TTPVHCC-79', 'UBND-79', ${HCM}, '2025-06-01T01:00:00Z', ${received},
               5, 'working-day', false, '2025-06-30T09:00:00Z', '2025-06-30T09:00:00Z', '2025-06-01T01:00:00Z')`.execute(
        portal.database.db,
      );
  });

  it('officers enter the reported figures; the system sends its own; the numbers are as worked out', async () => {
    const officer = browser(hcmAdmin);
    const page = await officer.get('/quan-tri/dong-bo/UBND-79?from=2025-06-01&to=2025-06-30');
    expect(page.statusCode).toBe(200);
    for (const [from, to, dossiers] of [
      ['2025-06-01', '2025-06-15', '4'],
      ['2025-06-16', '2025-06-30', '4'],
    ]) {
      const r = await officer.post('/quan-tri/dong-bo/UBND-79/so-lieu-bao-cao', {
        from: from!,
        to: to!,
        dossiers: dossiers!,
        note: 'Báo cáo tháng 6',
      });
      expect(r.statusCode, r.body).toBe(303);
      await officer.get(r.headers.location as string);
    }
    const system = await portal.app.inject({
      method: 'PUT',
      url: '/api/v1/sync/reported-counts',
      headers: { authorization: `Bearer ${tokens['mc-hcm']}` },
      payload: { agencyCode: 'UBND-79', from: '2025-06-10', to: '2025-06-20', dossiers: 100 },
    });
    expect(system.statusCode, system.body).toBe(200);
    // Another province's system may not report for the city; a future period is refused.
    const foreign = await portal.app.inject({
      method: 'PUT',
      url: '/api/v1/sync/reported-counts',
      headers: { authorization: `Bearer ${tokens['mc-ha-noi']}` },
      payload: { agencyCode: 'UBND-79', from: '2025-06-01', to: '2025-06-30', dossiers: 1 },
    });
    expect(foreign.statusCode).toBe(404);
    const future = await portal.app.inject({
      method: 'PUT',
      url: '/api/v1/sync/reported-counts',
      headers: { authorization: `Bearer ${tokens['mc-hcm']}` },
      payload: { agencyCode: 'UBND-79', from: '2025-07-01', to: '2025-07-31', dossiers: 1 },
    });
    expect(future.statusCode).toBe(400);
    // An officer without agency-admin cannot enter figures (the department's receiver, for the city: 404).
    const stp = browser(stpReceiver);
    await stp.get('/quan-tri/dong-bo/STP-01');
    expect(stp.last!.body).not.toContain('so-lieu-bao-cao');

    const june = (
      await api(hcmAdmin, '/api/v1/sync/monitoring?agency=UBND-79&from=2025-06-01&to=2025-06-30')
    ).json().indicator;
    expect(june).toMatchObject({
      numerator: 5,
      synced: 5,
      reported: 8,
      received: 4,
      denominator: 8,
      basis: 'reported',
      rate: 0.625,
      score: 0.625,
      reportedCoverage: { days: 30, of: 30 },
    });
    expect(
      june.reports.map((r: { from: string; to: string; source: string }) => [r.from, r.to, r.source]),
    ).toEqual([
      ['2025-06-01', '2025-06-15', 'officer'],
      ['2025-06-16', '2025-06-30', 'officer'],
    ]);
    const tenDays = (
      await api(hcmAdmin, '/api/v1/sync/monitoring?agency=UBND-79&from=2025-06-01&to=2025-06-10')
    ).json().indicator;
    expect(tenDays).toMatchObject({
      numerator: 2,
      reported: null,
      received: 3,
      denominator: 3,
      basis: 'received',
    });
    expect(tenDays.rate).toBeCloseTo(2 / 3, 10);

    const shown = await officer.get('/quan-tri/dong-bo/UBND-79?from=2025-06-01&to=2025-06-30');
    expect(shown.body).toMatch(/data-field="numerator">5</);
    expect(shown.body).toMatch(/data-field="denominator">8 \(số cơ quan báo cáo\)/);
    expect(shown.body).toContain('62,5%');
    const list = (await api(supervisor, '/api/v1/sync/monitoring?from=2025-06-01&to=2025-06-30')).json();
    expect(
      list.agencies.find((a: { agencyCode: string }) => a.agencyCode === 'UBND-79').indicator,
    ).toMatchObject({
      numerator: 5,
      denominator: 8,
      rate: 0.625,
    });
  });
});

describe('the agency’s status row, shared by its systems’ concurrent batches', () => {
  it('is written at most once a minute unless the batch has rejections; the pages still show the exact time', async () => {
    const status = async () =>
      (
        await sql<{ last_at: Date; rejected_total: number }>`
          select last_at, rejected_total from sync.agency_status where agency_code = 'UBND-01'`.execute(
          portal.database.db,
        )
      ).rows[0]!;
    const lastSync = async () =>
      (await api(hnAdmin, '/api/v1/sync/monitoring'))
        .json()
        .agencies.find((a: { agencyCode: string }) => a.agencyCode === 'UBND-01').lastSyncAt;
    const code = `${HN}-250714-0001`;
    try {
      clockNow = new Date(NOW.getTime() + 30_000);
      await post('mc-ha-noi', { dossiers: [dossier(code, '2025-07-14T02:00:00Z')] });
      expect(await status()).toEqual({ last_at: NOW, rejected_total: 3 });
      expect(await lastSync()).toBe(clockNow.toISOString());
      const detail = (await api(hnAdmin, '/api/v1/sync/monitoring?agency=UBND-01')).json();
      expect(detail.lastSyncAt).toBe(clockNow.toISOString());

      clockNow = new Date(NOW.getTime() + 45_000);
      await post('mc-ha-noi', { dossiers: ['rác'] });
      expect(await status()).toEqual({ last_at: clockNow, rejected_total: 4 });

      clockNow = new Date(NOW.getTime() + 120_000);
      await post('mc-ha-noi', { dossiers: [dossier(code, '2025-07-14T02:00:00Z')] });
      expect(await status()).toEqual({ last_at: clockNow, rejected_total: 4 });
    } finally {
      clockNow = new Date(NOW);
    }
  });
});
