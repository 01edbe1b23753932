/**
 * Status sync through the REST API and the DVCQG-compatible adapter, on a whole portal: per-item
 * answers, ownership of dossier codes, idempotency and ordering (the same events three times, shuffled),
 * history kept until its dossier arrives, rollups, concurrent clients, overload, the adapter's protocol.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';
import { TooManyRequestsError } from '../../platform/errors/index.ts';
import { registerOidcClient } from '../identity/index.ts';
import { formatDvcqgDate } from './domain/records.ts';
import { createSyncService } from './sync.service.ts';

const HN = '000.00.00.H26'; // UBND-01, Hà Nội
const HCM = '000.00.00.H29'; // UBND-79

let portal: Portal;
const tokens: Record<string, string> = {};
const secrets: Record<string, string> = {};

async function client(name: string, agencyCodes: string[], scope = 'sync') {
  const { clientSecret } = await registerOidcClient(portal.database.db, {
    clientId: name,
    name: `Hệ thống một cửa ${name}`,
    machine: true,
    agencyCodes,
    scope,
  });
  secrets[name] = clientSecret;
  const r = await portal.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: {
      authorization: `Basic ${Buffer.from(`${name}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: `grant_type=client_credentials&scope=${encodeURIComponent(scope)}`,
  });
  expect(r.statusCode, r.body).toBe(200);
  tokens[name] = r.json().access_token;
}

async function post(name: string, body: unknown) {
  return portal.app.inject({
    method: 'POST',
    url: '/api/v1/sync/dossiers',
    headers: { authorization: `Bearer ${tokens[name]}` },
    payload: body as object,
  });
}

const at = (iso: string) => formatDvcqgDate(new Date(iso));

function dossier(code: string, status: number, extra: Record<string, unknown> = {}) {
  return {
    MaHoSo: code,
    MaTTHC: '1.001776',
    TenTTHC: 'Đăng ký khai sinh',
    MaLinhVuc: 'G03-HT01',
    ChuHoSo: 'Nguyễn Văn An',
    SoGiayToChuHoSo: '001190001234',
    LoaiDoiTuong: '1',
    KenhThucHien: '2',
    TrangThaiHoSo: String(status),
    NgayNopHoSo: at('2025-07-01T01:00:00Z'),
    NgayTiepNhan: at('2025-07-01T02:00:00Z'),
    NgayHenTra: at('2025-07-04T09:00:00Z'),
    TrichYeuHoSo: 'Đăng ký khai sinh cho con',
    ...extra,
  };
}

/** A dossier's lifecycle: received, processing, supplement, processing, done, returned. */
function lifecycle(code: string, startIso: string) {
  const start = new Date(startIso).getTime();
  const steps: Array<[number, string]> = [
    [2, 'Tiếp nhận hồ sơ'],
    [4, 'Chuyển phòng chuyên môn'],
    [5, 'Yêu cầu bổ sung giấy tờ'],
    [4, 'Công dân đã bổ sung'],
    [9, 'Phê duyệt kết quả'],
    [10, 'Trả kết quả'],
  ];
  return steps.map(([status, content], i) => ({
    MaHoSo: code,
    NguoiXuLy: 'Trần Thị Bình',
    ChucDanh: 'Chuyên viên',
    ThoiDiemXuLy: formatDvcqgDate(new Date(start + i * 3_600_000)),
    PhongBanXuLy: 'Bộ phận một cửa',
    NoiDungXuLy: content,
    TrangThai: String(status),
    NgayBatDau: formatDvcqgDate(new Date(start + (i - 1) * 3_600_000 + (i === 0 ? 3_600_000 : 0))),
    NgayKetThucTheoQuyDinh: formatDvcqgDate(new Date(start + (i + 8) * 3_600_000)),
  }));
}

function shuffle<T>(list: T[], seed: number): T[] {
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function state(code: string) {
  const d = await sql<{ status: number; pending: number; history: number }>`
    select d.status,
           (select count(*)::int from sync.pending_history p where p.dossier_code = d.code) as pending,
           (select count(*)::int from sync.history h where h.dossier_code = d.code) as history
      from sync.dossiers d where d.code = ${code}`.execute(portal.database.db);
  return d.rows[0];
}

beforeAll(async () => {
  portal = await testPortal();
  await client('ha-noi', ['UBND-01']);
  await client('ho-chi-minh', ['UBND-79']);
  for (const n of [1, 2, 3, 4]) await client(`ha-noi-${n}`, ['UBND-01']);
  await client('ha-noi-no-scope', ['UBND-01'], 'clients');
});
afterAll(async () => {
  await portal?.close();
});

describe('POST /api/v1/sync/dossiers', () => {
  it('answers each item: accepted, duplicate, rejected with a reason in Vietnamese', async () => {
    const code = `${HN}-250701-0001`;
    const r = await post('ha-noi', {
      dossiers: [
        dossier(code, 2),
        dossier(`${HCM}-250701-0001`, 2),
        dossier('KHONG-DUNG-MA', 2),
        { ...dossier(`${HN}-250701-0002`, 2), NgayTiepNhan: '2025-07-01' },
        { ...dossier(`${HN}-250701-0003`, 11) },
        'không phải đối tượng',
      ],
      history: [
        lifecycle(code, '2025-07-01T02:00:00Z')[0],
        { ...lifecycle(code, '2025-07-01T02:00:00Z')[1], TrangThai: 'x' },
      ],
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.dossiers.map((d: { result: string }) => d.result)).toEqual([
      'accepted',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(body.dossiers[1].reason).toMatch(/000\.00\.00\.H29.*không thuộc các cơ quan/);
    expect(body.dossiers[2].reason).toMatch(/không đúng dạng/);
    expect(body.dossiers[3].reason).toMatch(/NgayTiepNhan phải có dạng yyyyMMddHHmmss/);
    expect(body.dossiers[4].reason).toMatch(/TrangThaiHoSo/);
    expect(body.history.map((d: { result: string }) => d.result)).toEqual(['accepted', 'rejected']);
    expect(body.summary).toMatchObject({ accepted: 2, rejected: 6, duplicate: 0 });

    const again = await post('ha-noi', {
      dossiers: [dossier(code, 2)],
      history: [lifecycle(code, '2025-07-01T02:00:00Z')[0]],
    });
    expect(again.json().summary).toMatchObject({ accepted: 0, duplicate: 2 });
    expect(await state(code)).toEqual({ status: 2, pending: 0, history: 1 });
  });

  it('asks for a token with the sync scope, and bounds the batch', async () => {
    const anonymous = await portal.app.inject({ method: 'POST', url: '/api/v1/sync/dossiers', payload: {} });
    expect(anonymous.statusCode).toBe(401);
    expect((await post('ha-noi-no-scope', { dossiers: [] })).statusCode).toBe(403);
    const big = Array.from({ length: 600 }, (_, i) =>
      dossier(`${HN}-250702-${String(i).padStart(4, '0')}`, 2),
    );
    const tooMany = await post('ha-noi', {
      dossiers: big,
      history: big.map(() => lifecycle(big[0]!.MaHoSo, '2025-07-02T01:00:00Z')[0]),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().detail).toMatch(/tối đa 1000/);
  });

  it('keeps history of an unknown dossier and applies it when the dossier arrives', async () => {
    const code = `${HN}-250703-0001`;
    const rows = lifecycle(code, '2025-07-03T02:00:00Z').slice(0, 3);
    const first = await post('ha-noi', { history: rows });
    expect(first.json().history.map((h: { pending?: boolean }) => h.pending)).toEqual([true, true, true]);
    expect(await state(code)).toBeUndefined();
    // Resending a waiting row is a duplicate, not a second row.
    expect((await post('ha-noi', { history: [rows[0]] })).json().summary).toMatchObject({ duplicate: 1 });

    const arrival = await post('ha-noi', { dossiers: [dossier(code, 2)] });
    expect(arrival.json().summary).toMatchObject({ accepted: 1, applied: 3 });
    // The latest history row (status 5 at 04:00) beats the record's own status (2 at 02:00).
    expect(await state(code)).toEqual({ status: 5, pending: 0, history: 3 });
  });

  it('delivered three times and shuffled, every dossier ends with its true status and history, nothing doubled', async () => {
    const expected = new Map<string, { status: number; history: number }>();
    const items: Array<{ kind: 'dossiers' | 'history'; item: Record<string, unknown> }> = [];
    for (let i = 1; i <= 40; i++) {
      const code = `${HN}-250710-${String(i).padStart(4, '0')}`;
      const rows = lifecycle(code, `2025-07-10T0${i % 8}:00:00Z`).slice(0, 1 + (i % 6));
      // The record itself says "received" with the receiving time: older than most history rows.
      items.push({
        kind: 'dossiers',
        item: dossier(code, 2, { NgayNopHoSo: rows[0]!.ThoiDiemXuLy, NgayTiepNhan: rows[0]!.ThoiDiemXuLy }),
      });
      for (const r of rows) items.push({ kind: 'history', item: r });
      expected.set(code, { status: Number(rows.at(-1)!.TrangThai), history: rows.length });
    }
    const deliveries = shuffle([...items, ...items, ...items], 42);
    for (let i = 0; i < deliveries.length; i += 37) {
      const chunk = deliveries.slice(i, i + 37);
      const r = await post('ha-noi', {
        dossiers: chunk.filter((c) => c.kind === 'dossiers').map((c) => c.item),
        history: chunk.filter((c) => c.kind === 'history').map((c) => c.item),
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().summary.rejected).toBe(0);
    }
    for (const [code, want] of expected) expect(await state(code), code).toEqual({ ...want, pending: 0 });
    const totals = await sql<{
      events: string | number;
      history: string | number;
      received: string | number;
    }>`
      select (select coalesce(sum(events), 0) from sync.rollups where day = '2025-07-10') as events,
             (select count(*) from sync.history where dossier_code like ${`${HN}-250710-%`}) as history,
             (select coalesce(sum(dossiers), 0) from sync.received_rollups where day = '2025-07-10') as received`.execute(
      portal.database.db,
    );
    const want = [...expected.values()].reduce((n, e) => n + e.history, 0);
    expect(Number(totals.rows[0]!.history)).toBe(want);
    expect(Number(totals.rows[0]!.events)).toBe(want);
    expect(Number(totals.rows[0]!.received)).toBe(40);
  });

  it('orders events of the same moment by sequence, whatever the order of arrival', async () => {
    const code = `${HN}-250711-0001`;
    const t = at('2025-07-11T03:00:00Z');
    const base = { MaHoSo: code, ThoiDiemXuLy: t, NoiDungXuLy: 'Cùng thời điểm' };
    await post('ha-noi', {
      history: [
        { ...base, TrangThai: '9', sequence: 2 },
        { ...base, TrangThai: '4', sequence: 7 },
      ],
      dossiers: [dossier(code, 2)],
    });
    expect((await state(code))!.status).toBe(4);
  });

  it('takes the sender’s event id as the event’s identity within its source', async () => {
    const code = `${HN}-250714-0001`;
    const row = { MaHoSo: code, ThoiDiemXuLy: at('2025-07-14T03:00:00Z'), TrangThai: '4', eventId: 'ev-1' };
    await post('ha-noi-1', { dossiers: [dossier(code, 2)] });
    const first = await post('ha-noi-1', { history: [row] });
    // The same id from the same source is the same event, even if its text was corrected meanwhile.
    const again = await post('ha-noi-1', { history: [{ ...row, NoiDungXuLy: 'Sửa lời' }] });
    // Another source may use the same id for its own event.
    const other = await post('ha-noi-2', { history: [{ ...row, NoiDungXuLy: 'Khác' }] });
    expect([first, again, other].map((r) => r.json().history[0].result)).toEqual([
      'accepted',
      'duplicate',
      'accepted',
    ]);
    expect(await state(code)).toEqual({ status: 4, pending: 0, history: 2 });
  });

  it('four clients posting overlapping batches at once leave the same result as one', async () => {
    const expected = new Map<string, number>();
    const all: Array<{ kind: 'dossiers' | 'history'; item: Record<string, unknown> }> = [];
    for (let i = 1; i <= 60; i++) {
      const code = `${HN}-250712-${String(i).padStart(4, '0')}`;
      const rows = lifecycle(code, '2025-07-12T01:00:00Z').slice(0, 2 + (i % 5));
      all.push({ kind: 'dossiers', item: dossier(code, 2) });
      for (const r of rows) all.push({ kind: 'history', item: r });
      expected.set(code, Number(rows.at(-1)!.TrangThai));
    }
    // Each client sends everything, in its own order, in batches of 50: every item four times at once.
    const send = async (n: number) => {
      const mine = shuffle(all, n * 7);
      for (let i = 0; i < mine.length; i += 50) {
        const chunk = mine.slice(i, i + 50);
        const r = await post(`ha-noi-${n}`, {
          dossiers: chunk.filter((c) => c.kind === 'dossiers').map((c) => c.item),
          history: chunk.filter((c) => c.kind === 'history').map((c) => c.item),
        });
        expect(r.statusCode, r.body).toBe(200);
      }
    };
    await Promise.all([1, 2, 3, 4].map(send));
    for (const [code, status] of expected) {
      const s = await state(code);
      expect(s?.status, code).toBe(status);
      expect(s?.pending).toBe(0);
    }
    // Four senders of the same rows make each row once.
    const history = await sql<{ n: number }>`
      select count(*)::int as n from sync.history where dossier_code like ${`${HN}-250712-%`}`.execute(
      portal.database.db,
    );
    const want = all.filter((c) => c.kind === 'history').length;
    expect(history.rows[0]!.n).toBe(want);
  });

  it('history-only batches racing each other and the dossiers’ own records: latest status, every row once, rollups agree', async () => {
    // Two systems send the records, two others every history row twice, all at once and shuffled: the
    // history rows of known dossiers go through the lock-free statement, those of dossiers not yet
    // known wait for them under the lock, and the records move the status only where they are later.
    const codes = Array.from({ length: 40 }, (_, i) => `${HN}-250716-${String(i + 1).padStart(4, '0')}`);
    const rows = codes.flatMap((code) => lifecycle(code, '2025-07-16T01:00:00Z'));
    // The second system's records differ (a corrected summary): they replace the first ones, status 2
    // and all, but that status is older than the history's and must not win.
    const records = (n: number) =>
      codes.map((code) => dossier(code, 2, n === 2 ? { TrichYeuHoSo: 'Đăng ký khai sinh (đã sửa)' } : {}));
    const sendRecords = async (n: number) => {
      const mine = shuffle(records(n), n * 11);
      for (let i = 0; i < mine.length; i += 10) {
        const r = await post(`ha-noi-${n}`, { dossiers: mine.slice(i, i + 10) });
        expect(r.statusCode, r.body).toBe(200);
      }
    };
    const sendHistory = async (n: number) => {
      const mine = shuffle([...rows, ...rows], n * 13);
      for (let i = 0; i < mine.length; i += 25) {
        const r = await post(`ha-noi-${n}`, { history: mine.slice(i, i + 25) });
        expect(r.statusCode, r.body).toBe(200);
        expect(r.json().summary.rejected).toBe(0);
      }
    };
    await Promise.all([sendRecords(1), sendRecords(2), sendHistory(3), sendHistory(4)]);
    for (const code of codes) expect(await state(code), code).toEqual({ status: 10, pending: 0, history: 6 });
    const counts = await sql<{ events: number; history: number }>`
      select (select coalesce(sum(events), 0)::int from sync.rollups where day = '2025-07-16') as events,
             (select count(*)::int from sync.history where dossier_code like ${`${HN}-250716-%`}) as history`.execute(
      portal.database.db,
    );
    expect(counts.rows[0]).toEqual({ events: rows.length, history: rows.length });
  });

  it('fails a batch whose ownership check cannot be made (database down), and asks again next time', async () => {
    let down = true;
    const service = createSyncService({
      db: portal.database.db,
      clock: { now: () => new Date() },
      ownerOf: async () => {
        if (down) throw new Error('connect ECONNREFUSED');
        return { agencyCode: 'UBND-01', lineage: ['UBND-01'] };
      },
    });
    const caller = { clientId: 'ha-noi', clientName: 'Hà Nội', agencyCodes: ['UBND-01'] };
    const batch = { dossiers: [dossier(`${HN}-250729-0001`, 2)] };
    // Not "rejected: not your identifier" (a 200 the sender would take as final): an error, retried.
    await expect(service.ingest(caller, batch)).rejects.toThrow('ECONNREFUSED');
    down = false;
    expect((await service.ingest(caller, batch)).summary).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it('turns away batches beyond the gate with a retry hint', async () => {
    const service = createSyncService({
      db: portal.database.db,
      clock: { now: () => new Date() },
      ownerOf: async () => ({ agencyCode: 'UBND-01', lineage: ['UBND-01'] }),
      gate: { concurrent: 1, queued: 0 },
    });
    const caller = { clientId: 'ha-noi', clientName: 'Hà Nội', agencyCodes: ['UBND-01'] };
    const batch = (n: number) => ({
      dossiers: [dossier(`${HN}-250713-${String(n).padStart(4, '0')}`, 2)],
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => service.ingest(caller, batch(n))));
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(TooManyRequestsError);
    expect(((refused[0] as PromiseRejectedResult).reason as TooManyRequestsError).retryAfterSeconds).toBe(1);
  });

  it('lets the calling agency read its dossier back, and no one else', async () => {
    const code = `${HN}-250701-0001`;
    const mine = await portal.app.inject({
      url: `/api/v1/sync/dossiers/${code}`,
      headers: { authorization: `Bearer ${tokens['ha-noi']}` },
    });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toMatchObject({ MaHoSo: code, TrangThaiHoSo: 2, KenhThucHien: 2 });
    const theirs = await portal.app.inject({
      url: `/api/v1/sync/dossiers/${code}`,
      headers: { authorization: `Bearer ${tokens['ho-chi-minh']}` },
    });
    expect(theirs.statusCode).toBe(404);
  });
});

describe('public lookup', () => {
  it('needs the code and the last 4 characters of the applicant’s ID number', async () => {
    const code = `${HN}-250703-0001`;
    const ok = await portal.app.inject({ url: `/api/v1/lookup/${code}?last4=1234` });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      MaHoSo: code,
      TrangThaiHoSo: 5,
      TenTrangThaiHoSo: 'Yêu cầu bổ sung giấy tờ',
    });
    expect(ok.json().history).toHaveLength(3);
    const wrong = await portal.app.inject({ url: `/api/v1/lookup/${code}?last4=9999` });
    const unknown = await portal.app.inject({ url: `/api/v1/lookup/${HN}-250703-0999?last4=1234` });
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('has a page that works without JavaScript', async () => {
    const code = `${HN}-250703-0001`;
    const form = await portal.app.inject({ url: '/tra-cuu-ho-so' });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="ma"');
    const page = await portal.app.inject({
      url: `/tra-cuu-ho-so?ma=${code}&so=1234`,
      remoteAddress: '198.51.100.7',
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Yêu cầu bổ sung giấy tờ');
    expect(page.body).toContain('Bộ phận một cửa');
    expect(page.body).not.toContain('Trần Thị Bình');
    const wrong = await portal.app.inject({
      url: `/tra-cuu-ho-so?ma=${code}&so=0000`,
      remoteAddress: '198.51.100.7',
    });
    expect(wrong.body).toContain('Không tìm thấy hồ sơ');
  });

  it('is rate limited per address', async () => {
    let last = 0;
    let retryAfter: string | undefined;
    for (let i = 0; i < 35; i++) {
      const r = await portal.app.inject({
        url: `/api/v1/lookup/${HN}-250703-0001?last4=0000`,
        remoteAddress: '203.0.113.9',
      });
      last = r.statusCode;
      retryAfter = r.headers['retry-after'] as string | undefined;
    }
    expect(last).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

describe('the DVCQG-compatible adapter', () => {
  const call = async (url: string, body: unknown) => {
    const r = await portal.app.inject({ method: 'POST', url, payload: body as object });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  let session = '';

  beforeAll(async () => {
    const r = await call('/adapter/dvcqg/auth', { username: 'ha-noi', password: secrets['ha-noi'] });
    expect(r.error_code).toBe(0);
    session = r.session;
  });

  it('refuses wrong credentials, a bogus session and another agency’s madonvi', async () => {
    expect((await call('/adapter/dvcqg/auth', { username: 'ha-noi', password: 'sai' })).error_code).toBe(1);
    expect((await call('/adapter/dvcqg/auth', {})).error_code).toBe(1);
    const bogus = await call('/adapter/dvcqg/service', {
      session: 'bogus',
      madonvi: HN,
      service: 'TraCuuHoSo',
      mahoso: 'x',
    });
    expect(bogus.error_code).toBe(2);
    const other = await call('/adapter/dvcqg/service', {
      session,
      madonvi: HCM,
      service: 'TraCuuHoSo',
      mahoso: 'x',
    });
    expect(other.error_code).toBe(6);
    const unknown = await call('/adapter/dvcqg/service', { session, madonvi: HN, service: 'XoaHoSo' });
    expect(unknown.error_code).toBe(7);
  });

  it('limits logins per address', async () => {
    let last: { error_code: number } | undefined;
    for (let i = 0; i < 21; i++) {
      const r = await portal.app.inject({
        method: 'POST',
        url: '/adapter/dvcqg/auth',
        payload: { username: 'ha-noi', password: 'sai' },
        remoteAddress: '192.0.2.44',
      });
      last = r.json();
    }
    expect(last?.error_code).toBe(9);
  });

  it('DongBoHoSoMC answers "đã tồn tại" unless updating, then CapNhatTienDoHoSoMC and TraCuuHoSo', async () => {
    const code = `${HN}-250720-0001`;
    const create = {
      session,
      madonvi: HN,
      service: 'DongBoHoSoMC',
      isUpdating: 'False',
      data: [dossier(code, 2)],
    };
    expect((await call('/adapter/dvcqg/service', create)).error_code).toBe(0);
    const again = await call('/adapter/dvcqg/service', {
      ...create,
      data: [dossier(code, 4, { NgayKetThucXuLy: at('2025-07-20T05:00:00Z') })],
    });
    expect(again.error_code).toBe(3);
    expect(again.message).toMatch(/đã tồn tại/);
    const update = await call('/adapter/dvcqg/service', {
      ...create,
      isUpdating: 'True',
      data: [dossier(code, 4, { NgayKetThucXuLy: at('2025-07-20T05:00:00Z') })],
    });
    expect(update.error_code).toBe(0);
    const progress = await call('/adapter/dvcqg/service', {
      session,
      madonvi: HN,
      service: 'CapNhatTienDoHoSoMC',
      data: lifecycle(code, '2025-07-20T06:00:00Z').slice(4),
    });
    expect(progress.error_code).toBe(0);
    const found = await call('/adapter/dvcqg/service', {
      session,
      madonvi: HN,
      service: 'TraCuuHoSo',
      mahoso: code,
    });
    expect(found).toMatchObject({ error_code: 0, result: { MaHoSo: code, TrangThaiHoSo: '10' } });
    expect(found.result.QuaTrinhXuLy).toHaveLength(2);
    expect(found.result.NgayTiepNhan).toMatch(/^\d{14}$/);
    const bad = await call('/adapter/dvcqg/service', {
      session,
      madonvi: HN,
      service: 'CapNhatTienDoHoSoMC',
      data: [{ MaHoSo: code, ThoiDiemXuLy: '2025-07-20', TrangThai: '4' }],
    });
    expect(bad.error_code).toBe(4);
    expect(bad.results[0].message).toMatch(/ThoiDiemXuLy/);
  });

  it('serves the catalogue, agencies, sectors and TechID', async () => {
    const base = { session, madonvi: HN };
    const sectors = await call('/adapter/dvcqg/service', { ...base, service: 'LayDanhMucLinhVuc' });
    expect(sectors.error_code).toBe(0);
    expect(sectors.result[0]).toHaveProperty('MALINHVUC');
    const agencies = await call('/adapter/dvcqg/service', { ...base, service: 'LayDanhMucCoQuan' });
    expect(agencies.result.find((a: { MACOQUAN: string }) => a.MACOQUAN === 'UBND-01').MADINHDANH).toContain(
      HN,
    );
    const list = await call('/adapter/dvcqg/service', { ...base, service: 'LayDanhSachTTHC', limit: 5 });
    expect(list.error_code).toBe(0);
    expect(list.result.length).toBeGreaterThan(0);
    const code = list.result[0].MATTHC;
    const one = await call('/adapter/dvcqg/service', { ...base, service: 'LayThuTuc', maTTHC: code });
    expect(one.error_code, JSON.stringify(one)).toBe(0);
    expect(one.result).toHaveProperty('TENTTHC');
    const none = await call('/adapter/dvcqg/service', { ...base, service: 'LayThuTuc', maTTHC: '9.999999' });
    expect(none.error_code).toBe(5);

    const citizen = await accountWithSession(portal, 'citizen', { personalId: '001199012345' });
    const tech = await call('/adapter/dvcqg/service', {
      ...base,
      service: 'TraCuuTechID',
      SoDinhDanh: '001199012345',
    });
    expect(tech).toMatchObject({ error_code: 0, result: { TechID: citizen.id } });
    const log = await sql<{ accessor_id: string }>`
      select accessor_id from identity.data_access_log where account_id = ${citizen.id}`.execute(
      portal.database.db,
    );
    expect(log.rows.map((r) => r.accessor_id)).toContain('ha-noi');
    const missing = await call('/adapter/dvcqg/service', {
      ...base,
      service: 'TraCuuTechID',
      SoDinhDanh: '001199099999',
    });
    expect(missing.error_code).toBe(5);
  });
});
