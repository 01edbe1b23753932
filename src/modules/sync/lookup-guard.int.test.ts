/**
 * The public lookup limited per dossier code (issue 14, item 5): wrong last-4 guesses of one code are
 * counted whatever address they come from; after ten, the code answers 429 (problem+json, and a
 * Vietnamese page) to everyone, the right 4 characters included, and its applicant is told once.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPortal } from '../../../test/helpers/portal.ts';
import type { Portal } from '../../bootstrap.ts';
import { registerOidcClient } from '../identity/index.ts';
import { formatDvcqgDate } from './domain/records.ts';

const HN = '000.00.00.H26'; // UBND-01, Hà Nội
const TARGET = `${HN}-250705-0001`;
const OTHER = `${HN}-250705-0002`;
let portal: Portal;

const at = (iso: string) => formatDvcqgDate(new Date(iso));
const record = (code: string, applicantId: string) => ({
  MaHoSo: code,
  MaTTHC: '1.001776',
  TenTTHC: 'Đăng ký khai sinh',
  MaLinhVuc: 'G03-HT01',
  ChuHoSo: 'Đinh Văn Tra',
  SoGiayToChuHoSo: applicantId,
  LoaiDoiTuong: '1',
  KenhThucHien: '2',
  TrangThaiHoSo: '2',
  NgayNopHoSo: at('2025-07-05T01:00:00Z'),
  NgayTiepNhan: at('2025-07-05T02:00:00Z'),
  NgayHenTra: at('2025-07-08T09:00:00Z'),
});

beforeAll(async () => {
  // Behind a reverse proxy, as deployed: the client's address comes from X-Forwarded-For.
  portal = await testPortal({ env: { TRUST_PROXY: 'true' } });
  const db = portal.database.db;
  await sql`insert into identity.accounts (kind, display_name, personal_id, phone, phone_verified_at,
              proofed_at, proofing_method, proofing_level, proofing_reference)
            values ('citizen', 'Đinh Văn Tra', '001190004321', '+84901230000', now(),
              now(), 'population-register', 1, 'test')`.execute(db);
  const { clientSecret } = await registerOidcClient(db, {
    clientId: 'mot-cua-ha-noi-tra-cuu',
    name: 'Hệ thống một cửa Hà Nội',
    machine: true,
    agencyCodes: ['UBND-01'],
    scope: 'sync',
  });
  const t = await portal.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: {
      authorization: `Basic ${Buffer.from(`mot-cua-ha-noi-tra-cuu:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: 'grant_type=client_credentials&scope=sync',
  });
  const r = await portal.app.inject({
    method: 'POST',
    url: '/api/v1/sync/dossiers',
    headers: { authorization: `Bearer ${t.json().access_token}` },
    payload: { dossiers: [record(TARGET, '001190004321'), record(OTHER, '001190005678')] },
  });
  expect(r.statusCode, r.body).toBe(200);
});
afterAll(async () => {
  await portal?.close();
});

const PROXY = '10.0.0.5';
const lookup = (code: string, last4: string, ip: string) =>
  portal.app.inject({
    url: `/api/v1/lookup/${code}?last4=${last4}`,
    remoteAddress: PROXY,
    headers: { 'x-forwarded-for': ip },
  });

async function toldApplicant(): Promise<number> {
  await portal.dispatcher.runOnce();
  const r = await sql<{ n: number }>`select count(*)::int as n from notifications.messages
    where template = 'dossier.lookup-locked' and recipient = '+84901230000'`.execute(portal.database.db);
  return r.rows[0]!.n;
}

describe('the public lookup limited per dossier code', () => {
  it('locks a code after ten wrong guesses from many addresses, for every address, and tells its applicant once', async () => {
    expect((await lookup(TARGET, '4321', '203.0.113.1')).statusCode).toBe(200);
    // Ten wrong guesses, two from each of five addresses (each far below its own limit).
    const answers: number[] = [];
    for (let i = 0; i < 10; i++) {
      const guess = String(1000 + i);
      answers.push((await lookup(TARGET, guess, `198.51.100.${10 + Math.floor(i / 2)}`)).statusCode);
    }
    expect(answers).toEqual(Array(10).fill(404));

    // A new address, even with the right 4 characters: 429 problem+json.
    const locked = await lookup(TARGET, '4321', '192.0.2.77');
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['content-type']).toContain('application/problem+json');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.json().detail).toContain('tạm khóa tra cứu');

    // The page says so in Vietnamese, with the same status.
    const page = await portal.app.inject({
      url: `/tra-cuu-ho-so?ma=${TARGET}&so=4321`,
      remoteAddress: PROXY,
      headers: { 'x-forwarded-for': '192.0.2.78' },
    });
    expect(page.statusCode).toBe(429);
    expect(page.body).toContain('đã bị tra cứu sai quá nhiều lần nên tạm khóa tra cứu công khai');

    // The per-address limit (30 a minute) counts each forwarded address, not the proxy: 61 lookups from one
    // address pass it in some minute window, wherever a window's edge falls; another address is not held.
    const addressed = await Promise.all(
      Array.from({ length: 61 }, (_, i) =>
        lookup(`${HN}-250705-0${String(100 + i)}`, '0000', '203.0.113.200'),
      ),
    );
    expect(addressed.some((r) => r.statusCode === 429)).toBe(true);
    expect((await lookup(OTHER, '5678', '203.0.113.201')).statusCode).toBe(200);

    // Another code is not affected, from the same addresses.
    expect((await lookup(OTHER, '5678', '198.51.100.10')).statusCode).toBe(200);

    // The applicant is told once, whatever happens next while it is locked.
    expect(await toldApplicant()).toBe(1);
    for (let i = 0; i < 3; i++) await lookup(TARGET, '0000', `192.0.2.${90 + i}`);
    expect(await toldApplicant()).toBe(1);
  });
});
