/**
 * A citizen's "my dossiers" includes the dossiers synced from agencies' systems whose applicant's ID
 * number is theirs (and whose applicant name is theirs), marked with the system they came from, each
 * with a detail view — and never another person's.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession, type TestAccount } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';
import { registerOidcClient } from '../identity/index.ts';
import { formatDvcqgDate } from './domain/records.ts';

const HN = '000.00.00.H26';
const AN_ID = '001190004321';
const BE_ID = '079195008765';
const X = `${HN}-250701-0101`; // An's
const Y = `${HN}-250701-0102`; // Bé's
const Z = `${HN}-250701-0103`; // An's number, someone else's name (mistyped by the agency)

let portal: Portal;
let an: TestAccount;
let be: TestAccount;
let business: TestAccount;

const at = (iso: string) => formatDvcqgDate(new Date(iso));
const dossier = (code: string, id: string, name: string) => ({
  MaHoSo: code,
  MaTTHC: '1.001776',
  TenTTHC: 'Đăng ký khai sinh',
  ChuHoSo: name,
  SoGiayToChuHoSo: id,
  LoaiDoiTuong: '1',
  KenhThucHien: '1',
  TrangThaiHoSo: '2',
  NgayNopHoSo: at('2025-07-01T02:00:00Z'),
  NgayTiepNhan: at('2025-07-01T02:00:00Z'),
  NgayHenTra: at('2025-07-04T09:00:00Z'),
});

const get = (a: TestAccount, url: string) =>
  portal.app.inject({ method: 'GET', url, headers: { cookie: `sid=${a.token}`, accept: 'text/html' } });

beforeAll(async () => {
  portal = await testPortal();
  const { clientSecret } = await registerOidcClient(portal.database.db, {
    clientId: 'mot-cua-ha-noi',
    name: 'Hệ thống một cửa điện tử Hà Nội',
    machine: true,
    agencyCodes: ['UBND-01'],
    scope: 'sync',
  });
  const t = await portal.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: {
      authorization: `Basic ${Buffer.from(`mot-cua-ha-noi:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: 'grant_type=client_credentials&scope=sync',
  });
  const r = await portal.app.inject({
    method: 'POST',
    url: '/api/v1/sync/dossiers',
    headers: { authorization: `Bearer ${t.json().access_token}` },
    payload: {
      dossiers: [
        dossier(X, AN_ID, 'NGUYEN VAN AN'),
        dossier(Y, BE_ID, 'Lê Thị Bé'),
        dossier(Z, AN_ID, 'Trần Văn Cường'),
      ],
      history: [
        {
          MaHoSo: X,
          NguoiXuLy: 'Trần Thị Bình',
          ThoiDiemXuLy: at('2025-07-02T03:00:00Z'),
          PhongBanXuLy: 'Phòng Tư pháp',
          NoiDungXuLy: 'Chuyển phòng chuyên môn thẩm định',
          TrangThai: '4',
        },
      ],
    },
  });
  expect(r.json().summary).toMatchObject({ accepted: 4, rejected: 0 });
  an = await accountWithSession(portal, 'citizen', { personalId: AN_ID, displayName: 'Nguyễn Văn An' });
  be = await accountWithSession(portal, 'citizen', { personalId: BE_ID, displayName: 'Lê Thị Bé' });
  business = await accountWithSession(portal, 'business');
});
afterAll(async () => {
  await portal?.close();
});

describe('my dossiers: synced dossiers matched by the personal ID number', () => {
  it('the page lists the citizen’s synced dossier, marked with its system, and not another person’s', async () => {
    const page = await get(an, '/ho-so/cua-toi');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`/ho-so/dong-bo/${X}`);
    expect(page.body).toContain('Hệ thống một cửa điện tử Hà Nội');
    expect(page.body).not.toContain(Y);
    expect(page.body).not.toContain(Z);
    const other = await get(be, '/ho-so/cua-toi');
    expect(other.body).toContain(Y);
    expect(other.body).not.toContain(X);
  });

  it('the detail shows status and history to its applicant only', async () => {
    const mine = await get(an, `/ho-so/dong-bo/${X}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Đang xử lý');
    expect(mine.body).toContain('Chuyển phòng chuyên môn thẩm định');
    expect(mine.body).toContain('Hệ thống một cửa điện tử Hà Nội');
    expect((await get(be, `/ho-so/dong-bo/${X}`)).statusCode).toBe(404);
    expect((await get(an, `/ho-so/dong-bo/${Y}`)).statusCode).toBe(404);
    expect((await get(an, `/ho-so/dong-bo/${Z}`)).statusCode).toBe(404);
    expect((await get(business, `/ho-so/dong-bo/${X}`)).statusCode).toBe(404);
  });

  it('the API answers alike', async () => {
    const list = (await get(an, '/api/v1/dossiers')).json();
    expect(list.items).toEqual([]);
    expect(list.synced).toEqual([
      expect.objectContaining({
        code: X,
        status: 4,
        statusName: 'Đang xử lý',
        agencyCode: 'UBND-01',
        source: { clientId: 'mot-cua-ha-noi', name: 'Hệ thống một cửa điện tử Hà Nội' },
      }),
    ]);
    expect((await get(be, '/api/v1/dossiers')).json().synced.map((d: { code: string }) => d.code)).toEqual([
      Y,
    ]);
    expect((await get(business, '/api/v1/dossiers')).json().synced).toEqual([]);
    const one = await get(an, `/api/v1/dossiers/synced/${X}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().history).toEqual([
      expect.objectContaining({
        status: 4,
        content: 'Chuyển phòng chuyên môn thẩm định',
        department: 'Phòng Tư pháp',
      }),
    ]);
    expect((await get(be, `/api/v1/dossiers/synced/${X}`)).statusCode).toBe(404);
  });

  it('finds them through the index on (applicant, receiving time)', async () => {
    const plan = await portal.database.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      return sql<Record<string, string>>`
        explain select code from sync.dossiers where applicant_id_hash = ${'0'.repeat(64)}
         order by received_at desc limit 100`.execute(trx);
    });
    const text = plan.rows.map((r) => Object.values(r)[0]).join('\n');
    expect(text).toContain('dossiers_applicant_received_ix');
    expect(text).not.toMatch(/Sort/);
  });
});
