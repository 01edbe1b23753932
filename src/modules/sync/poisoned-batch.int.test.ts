/**
 * Issue 14: one poisoned item (U+0000, an unpaired surrogate, a 20,000-deep array, a number beyond
 * 2^53) must not sink its batch — through the REST API and the DVCQG adapter the good items are stored
 * and readable, the bad one is rejected with its reason naming the field, and the same batch sent again
 * stores nothing twice. And the adapter refuses a large body without a live session before reading it.
 */
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPortal } from '../../../test/helpers/portal.ts';
import type { Portal } from '../../bootstrap.ts';
import { registerOidcClient } from '../identity/index.ts';
import { formatDvcqgDate } from './domain/records.ts';

const HN = '000.00.00.H26';
let portal: Portal;
let token = '';
let secret = '';

beforeAll(async () => {
  portal = await testPortal();
  const registered = await registerOidcClient(portal.database.db, {
    clientId: 'poison-ha-noi',
    name: 'Hệ thống một cửa Hà Nội',
    machine: true,
    agencyCodes: ['UBND-01'],
    scope: 'sync',
  });
  secret = registered.clientSecret;
  const r = await portal.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: {
      authorization: `Basic ${Buffer.from(`poison-ha-noi:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: 'grant_type=client_credentials&scope=sync',
  });
  token = r.json().access_token;
});
afterAll(async () => {
  await portal?.close();
});

const at = (iso: string) => formatDvcqgDate(new Date(iso));

function dossierJson(code: string, extra = ''): string {
  return `{"MaHoSo":"${code}","MaTTHC":"1.001776","TenTTHC":"Đăng ký khai sinh","ChuHoSo":"Nguyễn Văn An","SoGiayToChuHoSo":"001190001234","TrangThaiHoSo":"2","KenhThucHien":"2","NgayNopHoSo":"${at('2025-07-01T01:00:00Z')}","NgayTiepNhan":"${at('2025-07-01T02:00:00Z')}"${extra}}`;
}

function historyJson(code: string, content: string): string {
  return `{"MaHoSo":"${code}","NguoiXuLy":"Trần Thị Bình","ThoiDiemXuLy":"${at('2025-07-01T03:00:00Z')}","NoiDungXuLy":"${content}","TrangThai":"4"}`;
}

/** The poisons of the issue, each as the text of a field of a record. */
const POISONS: Array<{ name: string; extra: string; field: string }> = [
  { name: 'U+0000 in ChuHoSo', extra: ',"ChuHoSo":"Nguyễn\\u0000An"', field: 'ChuHoSo' },
  { name: 'a lone surrogate in TrichYeuHoSo', extra: ',"TrichYeuHoSo":"x\\ud800"', field: 'TrichYeuHoSo' },
  {
    name: 'a 20,000-deep array',
    extra: `,"TaiLieuNop":${'['.repeat(20_000)}${']'.repeat(20_000)}`,
    field: 'TaiLieuNop.0.0.0',
  },
  { name: 'a number beyond 2^53', extra: ',"sequence":9007199254740993', field: 'sequence' },
];

async function storedCodes(prefix: string): Promise<string[]> {
  const r = await sql<{ code: string }>`
    select code from sync.dossiers where code like ${`${prefix}%`} order by code`.execute(portal.database.db);
  return r.rows.map((x) => x.code);
}

describe('a poisoned item in a REST batch', () => {
  it.each(POISONS.map((p, i) => ({ ...p, i })))(
    '$name: the good items are stored, the bad one rejected with its reason, a retry duplicates nothing',
    async ({ extra, field, i }) => {
      const day = `2507${String(10 + i).padStart(2, '0')}`;
      const code = (n: number) => `${HN}-${day}-000${n}`;
      const body = `{"dossiers":[${dossierJson(code(1))},${dossierJson(code(2), extra)},${dossierJson(code(3))}],"history":[${historyJson(code(1), 'Chuyển phòng chuyên môn')},${historyJson(code(3), `Nội dung ${extra.includes('\\u0000') ? '\\u0000' : 'tốt'}`)}]}`;
      const send = () =>
        portal.app.inject({
          method: 'POST',
          url: '/api/v1/sync/dossiers',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          payload: body,
        });
      const first = await send();
      expect(first.statusCode, first.body.slice(0, 400)).toBe(200);
      const r = first.json();
      expect(r.dossiers.map((d: { result: string }) => d.result)).toEqual([
        'accepted',
        'rejected',
        'accepted',
      ]);
      expect(r.dossiers[1]).toMatchObject({
        index: 1,
        field: expect.stringMatching(new RegExp(`^${field}`)),
      });
      expect(r.dossiers[1].reason).toContain(field.split('.')[0]);
      expect(await storedCodes(`${HN}-${day}`)).toEqual([code(1), code(3)]);
      // Read back through the API: the stored dossiers are whole.
      const read = await portal.app.inject({
        url: `/api/v1/sync/dossiers/${code(3)}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(read.statusCode).toBe(200);
      expect(read.json().MaHoSo).toBe(code(3));

      const again = (await send()).json();
      expect(again.dossiers.map((d: { result: string }) => d.result)).toEqual([
        'duplicate',
        'rejected',
        'duplicate',
      ]);
      expect(await storedCodes(`${HN}-${day}`)).toEqual([code(1), code(3)]);
      const history = await sql<{ n: number }>`
        select count(*)::int as n from sync.history where dossier_code like ${`${HN}-${day}%`}`.execute(
        portal.database.db,
      );
      expect(history.rows[0]!.n).toBe(
        r.history.filter((h: { result: string }) => h.result === 'accepted').length,
      );
    },
  );

  it('a history row with U+0000 is rejected alone', async () => {
    const code = `${HN}-250720-0001`;
    const r = await portal.app.inject({
      method: 'POST',
      url: '/api/v1/sync/dossiers',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: `{"dossiers":[${dossierJson(code)}],"history":[${historyJson(code, 'a\\u0000b')},${historyJson(code, 'Thụ lý')}]}`,
    });
    expect(r.statusCode).toBe(200);
    const answer = r.json();
    expect(answer.history[0]).toMatchObject({ result: 'rejected', code, field: 'NoiDungXuLy' });
    expect(answer.history[1].result).toBe('accepted');
    expect(answer.dossiers[0].result).toBe('accepted');
  });
});

describe('a poisoned item through the DVCQG adapter', () => {
  async function session(): Promise<string> {
    const r = await portal.app.inject({
      method: 'POST',
      url: '/adapter/dvcqg/auth',
      payload: { username: 'poison-ha-noi', password: secret },
    });
    return r.json().session;
  }

  it.each(POISONS.map((p, i) => ({ ...p, i })))(
    '$name: the protocol answer names the bad item, the good ones are stored, a retry duplicates nothing',
    async ({ extra, field, i }) => {
      const s = await session();
      const day = `2508${String(10 + i).padStart(2, '0')}`;
      const code = (n: number) => `${HN}-${day}-000${n}`;
      const body = `{"session":"${s}","madonvi":"${HN}","service":"DongBoHoSoMC","isUpdating":"True","data":[${dossierJson(code(1))},${dossierJson(code(2), extra)},${dossierJson(code(3))}]}`;
      const send = () =>
        portal.app.inject({
          method: 'POST',
          url: '/adapter/dvcqg/service',
          headers: { 'content-type': 'application/json' },
          payload: body,
        });
      const first = await send();
      expect(first.statusCode, first.body.slice(0, 400)).toBe(200);
      const answer = first.json();
      expect(answer.error_code).toBe(4);
      expect(answer.message).toContain(field.split('.')[0]);
      expect(answer.results.map((x: { result: string }) => x.result)).toEqual([
        'accepted',
        'rejected',
        'accepted',
      ]);
      expect(Object.keys(answer.results[1]).sort()).toEqual(['MaHoSo', 'index', 'message', 'result']);
      expect(await storedCodes(`${HN}-${day}`)).toEqual([code(1), code(3)]);
      const again = (await send()).json();
      expect(again.results.map((x: { result: string }) => x.result)).toEqual([
        'duplicate',
        'rejected',
        'duplicate',
      ]);
      expect(await storedCodes(`${HN}-${day}`)).toEqual([code(1), code(3)]);
    },
  );
});

describe('the adapter reads a large body only for a live session', () => {
  /** A 30 MB body made as it is read, counting what was read. */
  function largeBody(head: string) {
    const total = 30 * 1_048_576;
    const filler = Buffer.from(`${dossierJson(`${HN}-250901-0001`)},`);
    let sent = 0;
    let first = true;
    const stream = new Readable({
      read() {
        if (first) {
          first = false;
          const h = Buffer.from(head);
          sent += h.length;
          this.push(h);
          return;
        }
        if (sent >= total) {
          this.push(null);
          return;
        }
        sent += filler.length;
        this.push(filler);
      },
    });
    return { stream, read: () => sent, total };
  }

  it('answers 401 (error_code 2) to a 30 MB body without a session, having read almost none of it', async () => {
    const body = largeBody(
      `{"session":"${'x'.repeat(43)}","madonvi":"${HN}","service":"DongBoHoSoMC","data":[`,
    );
    const r = await portal.app.inject({
      method: 'POST',
      url: '/adapter/dvcqg/service',
      headers: { 'content-type': 'application/json', 'content-length': String(body.total) },
      payload: body.stream,
    });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ error_code: 2, status: 401 });
    expect(body.read()).toBeLessThan(1_048_576);
  });

  it('reads the body of a live session (then refuses what is past the batch limit: 413)', async () => {
    const r0 = await portal.app.inject({
      method: 'POST',
      url: '/adapter/dvcqg/auth',
      payload: { username: 'poison-ha-noi', password: secret },
    });
    const s = r0.json().session as string;
    const body = largeBody(`{"session":"${s}","madonvi":"${HN}","service":"DongBoHoSoMC","data":[`);
    const r = await portal.app.inject({
      method: 'POST',
      url: '/adapter/dvcqg/service',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      payload: body.stream,
    });
    expect(r.statusCode).toBe(413);
    expect(body.read()).toBeGreaterThan(8 * 1_048_576);
  });
});
