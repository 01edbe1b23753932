/**
 * Enrolment links (the first system administrator's, made by `npm run admin -- create-system-admin`):
 * the page, a wrong code, the link used once, five wrong codes ending it, an expired link, the token kept
 * hashed. The whole journey from the command line on an empty PostgreSQL database is src/cli/admin.int.test.ts.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../test/helpers/browser.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import type { Portal } from '../../bootstrap.ts';
import { systemClock } from '../../platform/clock/index.ts';
import { createSystemAdministrator } from './index.ts';

let portal: Portal;
beforeAll(async () => {
  portal = await testPortal();
});
afterAll(async () => {
  await portal?.close();
});

const make = (email: string, hours?: number) =>
  createSystemAdministrator(
    { db: portal.database.db, clock: systemClock },
    { email, name: 'Hoàng Văn Quản', publicUrl: 'https://cong.example.gov.vn', ...(hours ? { hours } : {}) },
  );
const pathOf = (link: string) => new URL(link).pathname;
const secretOf = (html: string) =>
  /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(html)![1]!.replace(/ /g, '');
const totp = (secret: string) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
const PASSWORD = 'quan-tri-he-thong-cong-2026';

describe('enrolment links', () => {
  it('sets a password and an authenticator once; the token is stored hashed; the administrator holds system-admin', async () => {
    const r = await make('Quan.Tri@Example.gov.vn');
    expect(r.email).toBe('quan.tri@example.gov.vn');
    const token = r.link.split('/').pop()!;
    const stored = await sql<{ token_hash: string }>`select token_hash from identity.enrolments
      where account_id = ${r.accountId}`.execute(portal.database.db);
    expect(stored.rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));

    const client = new FormClient(portal.app, '203.0.113.40');
    const page = await client.get(pathOf(r.link));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Kích hoạt tài khoản cán bộ');
    const secret = secretOf(page.body);
    // A QR code of the same key to scan, drawn on the server.
    expect(page.body).toMatch(/<svg class="qr-code"[^>]*aria-label="Mã QR thiết lập ứng dụng xác thực"/);
    const wrong = await client.post(pathOf(r.link), {
      password: PASSWORD,
      passwordConfirm: PASSWORD,
      code: totp(secret).generate() === '000000' ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Mã xác thực không đúng');
    const ok = await client.post(pathOf(r.link), {
      password: PASSWORD,
      passwordConfirm: PASSWORD,
      code: totp(secret).generate(),
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/dang-nhap?kh=1');
    expect((await client.get(pathOf(r.link))).statusCode).toBe(404);
    const grant = await sql<{
      role: string;
      agency_code: string;
    }>`select role, agency_code from identity.role_grants
      where account_id = ${r.accountId} and revoked_at is null`.execute(portal.database.db);
    expect(grant.rows).toEqual([{ role: 'system-admin', agency_code: 'CP' }]);
    await expect(make('quan.tri@example.gov.vn')).rejects.toThrow(/đã được dùng cho một tài khoản khác/);
  });

  it('ends after five wrong codes, and when it expires', async () => {
    const r = await make('quan.tri.2@example.gov.vn');
    const client = new FormClient(portal.app, '203.0.113.41');
    const page = await client.get(pathOf(r.link));
    const secret = secretOf(page.body);
    const bad = totp(secret).generate() === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++)
      await client.post(pathOf(r.link), { password: PASSWORD, passwordConfirm: PASSWORD, code: bad });
    expect((await client.get(pathOf(r.link))).statusCode).toBe(404);

    const late = await make('quan.tri.3@example.gov.vn', 1);
    await sql`update identity.enrolments set created_at = created_at - interval '2 hours',
                expires_at = expires_at - interval '2 hours' where account_id = ${late.accountId}`.execute(
      portal.database.db,
    );
    expect((await client.get(pathOf(late.link))).statusCode).toBe(404);
  });

  it('refuses a bad e-mail or name, and an e-mail of another account', async () => {
    await expect(make('khong-hop-le')).rejects.toThrow(/thư điện tử không hợp lệ/);
    await expect(
      createSystemAdministrator(
        { db: portal.database.db, clock: systemClock },
        { email: 'ten.sai@example.gov.vn', name: '<script>', publicUrl: 'https://cong.example.gov.vn' },
      ),
    ).rejects.toThrow(/Họ và tên/);
    await sql`insert into identity.accounts (kind, display_name, personal_id, email, email_verified_at)
              values ('citizen', 'Công Dân', '001190007654', 'cong.dan@example.vn', now())`.execute(
      portal.database.db,
    );
    await expect(make('cong.dan@example.vn')).rejects.toThrow(/đã được dùng cho một tài khoản khác/);
  });
});
