/**
 * A deployment on PostgreSQL started for real (issue 14, item 7), from an empty database: the first
 * system administrator made with `npm run admin -- create-system-admin` (a child process), the enrolment
 * link followed over HTTP (password, authenticator confirmed by a code), sign-in with the second factor;
 * then, through the administration pages, an officer of a province and an agency system of that
 * province; the system pushes a dossier; the officer (whose province files nothing on the portal) signs
 * in and sees it synced on the monitoring page. PostgreSQL only (DATABASE_URL): the embedded database is
 * one process, and the command would have to share it with the portal.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import * as OTPAuth from 'otpauth';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../../test/helpers/database.ts';
import { csrfOf, form, freePort, HttpBrowser } from '../../test/helpers/http-browser.ts';
import { testConfig } from '../../test/helpers/portal.ts';
import { type Portal, startPortal } from '../bootstrap.ts';
import { formatDvcqgDate } from '../modules/sync/domain/records.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const HN = '000.00.00.H26'; // UBND-01, Hà Nội
const ADMIN = {
  email: 'quantri.dau.tien@example.gov.vn',
  name: 'Nguyễn Thị Quản Trị',
  password: 'mat-khau-quan-tri-dau-tien-2026',
};
const OFFICER = { email: 'motcua.hanoi@example.gov.vn', password: 'mat-khau-can-bo-ha-noi-2026' };

const totpOf = (secret: string) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
/** The code of the next 30-second step (accepted for clock drift): a sign-in right after enrolment is not a replay. */
const nextCode = (secret: string) => totpOf(secret).generate({ timestamp: Date.now() + 30_000 });

let databaseUrl = '';
let dbName = '';
let base = '';
let port = 0;
let portal: Portal | undefined;

function adminCli(args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli/admin.ts', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PUBLIC_URL: base,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
    },
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

beforeAll(async () => {
  if (!onPostgres) return;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  dbName = `admin_e2e_${randomBytes(5).toString('hex')}`;
  try {
    await admin.query(`create database ${dbName}`);
  } finally {
    await admin.end();
  }
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `/${dbName}`;
  databaseUrl = u.toString();
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await portal?.close();
  if (!dbName) return;
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    await c.query(`drop database if exists ${dbName} with (force)`);
  } finally {
    await c.end();
  }
});

describe.skipIf(!onPostgres)(
  'the first system administrator on an empty PostgreSQL database (skipped without DATABASE_URL: the embedded database admits one process)',
  () => {
    it('refuses bad input with a clear message and creates nothing', async () => {
      const bad = await adminCli(['create-system-admin', '--email', 'khong-phai-thu', '--name', ADMIN.name]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--email: Địa chỉ thư điện tử không hợp lệ');
      const missing = await adminCli(['create-system-admin', '--email', ADMIN.email]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('--email and --name are required');
    });

    it('creates the administrator, who enrols by the link, signs in, sets up a province officer and agency system, and the officer sees the synced dossier', async () => {
      const made = await adminCli(['create-system-admin', '--email', ADMIN.email, '--name', ADMIN.name]);
      expect(made.code, made.stderr).toBe(0);
      const link = new RegExp(`${base}/kich-hoat/[A-Za-z0-9_-]{43}`).exec(made.stdout)?.[0];
      expect(link).toBeDefined();

      // The portal, on the database the command prepared.
      portal = await startPortal(testConfig({ DATABASE_URL: databaseUrl, PUBLIC_URL: base }));
      await portal.app.listen({ port, host: '127.0.0.1' });
      const db = portal.database.db;
      const stored = await sql<{ token_hash: string }>`select token_hash from identity.enrolments`.execute(
        db,
      );
      expect(stored.rows).toHaveLength(1);
      expect(link).not.toContain(stored.rows[0]!.token_hash);

      // Run again for the same e-mail before it is used: a new link, the old one stops working.
      const again = await adminCli(['create-system-admin', '--email', ADMIN.email, '--name', ADMIN.name]);
      expect(again.code, again.stderr).toBe(0);
      const newLink = /\/kich-hoat\/[A-Za-z0-9_-]{43}/.exec(again.stdout)![0];
      const browser = new HttpBrowser(base);
      expect((await browser.fetch(link!)).status).toBe(404);

      // The enrolment page: the authenticator key, then password and code.
      let step = await browser.follow(`${base}${newLink}`);
      expect(step.response.status).toBe(200);
      let html = await step.response.text();
      const secret = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(html)![1]!.replace(/ /g, '');
      step = await browser.follow(
        `${base}${newLink}`,
        form({
          _csrf: csrfOf(html),
          password: ADMIN.password,
          passwordConfirm: ADMIN.password,
          code: '000000' === totpOf(secret).generate() ? '111111' : '000000',
        }),
      );
      expect(step.response.status).toBe(400);
      html = await step.response.text();
      step = await browser.follow(
        `${base}${newLink}`,
        form({
          _csrf: csrfOf(html),
          password: ADMIN.password,
          passwordConfirm: ADMIN.password,
          code: totpOf(secret).generate(),
        }),
      );
      expect(step.url).toBe(`${base}/dang-nhap?kh=1`);
      // Single use.
      expect((await browser.fetch(`${base}${newLink}`)).status).toBe(404);
      // A third run is refused now that the account is activated.
      const third = await adminCli(['create-system-admin', '--email', ADMIN.email, '--name', ADMIN.name]);
      expect(third.code).toBe(2);
      expect(third.stderr).toContain('đã được dùng cho một tài khoản khác');

      // Sign in: password, then the authenticator.
      html = await step.response.text();
      step = await browser.follow(
        `${base}/dang-nhap`,
        form({ _csrf: csrfOf(html), identifier: ADMIN.email, password: ADMIN.password }),
      );
      expect(step.url).toBe(`${base}/dang-nhap/xac-thuc`);
      step = await browser.follow(
        step.url,
        form({ _csrf: csrfOf(await step.response.text()), code: nextCode(secret) }),
      );
      expect(step.url).toBe(`${base}/quan-tri`);

      // An officer of Hà Nội, through the officers page.
      step = await browser.follow(`${base}/quan-tri/can-bo`);
      html = await step.response.text();
      const body = new URLSearchParams({
        _csrf: csrfOf(html),
        agency: 'UBND-01',
        displayName: 'Trần Văn Một Cửa',
        email: OFFICER.email,
        title: 'Chuyên viên',
      });
      for (const role of ['receiver', 'processor']) body.append('roles', role);
      let r = await browser.fetch(`${base}/quan-tri/can-bo`, {
        method: 'POST',
        body: body.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('Đã tạo tài khoản cán bộ Trần Văn Một Cửa');

      // Hà Nội's one-stop system, through the applications page: client credentials, scope sync.
      step = await browser.follow(`${base}/quan-tri/ung-dung`);
      html = await step.response.text();
      r = await browser.fetch(`${base}/quan-tri/ung-dung`, {
        ...form({
          _csrf: csrfOf(html),
          clientId: 'motcua-ha-noi',
          name: 'Hệ thống một cửa Hà Nội',
          kind: 'machine',
          agencyCodes: 'UBND-01',
          scopes: 'sync',
        }),
      });
      html = await r.text();
      expect(r.status, html).toBe(200);
      const clientSecret = /client_secret: <code>([^<]+)<\/code>/.exec(html)![1]!;

      // The system pushes one dossier.
      const token = await fetch(`${base}/oidc/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`motcua-ha-noi:${clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials&scope=sync',
      }).then((x) => x.json() as Promise<{ access_token: string }>);
      const code = `${HN}-260101-0001`;
      const pushed = await fetch(`${base}/api/v1/sync/dossiers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          dossiers: [
            {
              MaHoSo: code,
              MaTTHC: '1.001776',
              TenTTHC: 'Đăng ký khai sinh',
              MaLinhVuc: 'G03-HT01',
              ChuHoSo: 'Phạm Văn Đồng Bộ',
              SoGiayToChuHoSo: '001190009999',
              LoaiDoiTuong: '1',
              KenhThucHien: '1',
              TrangThaiHoSo: '2',
              NgayNopHoSo: formatDvcqgDate(new Date()),
              NgayTiepNhan: formatDvcqgDate(new Date()),
              NgayHenTra: formatDvcqgDate(new Date(Date.now() + 3 * 86_400_000)),
            },
          ],
        }),
      });
      expect(pushed.status).toBe(200);
      expect(((await pushed.json()) as { summary: unknown }).summary).toMatchObject({ accepted: 1 });

      // The officer sets a password (the code goes to the work e-mail), enrols at first sign-in …
      const officer = new HttpBrowser(base);
      step = await officer.follow(`${base}/quen-mat-khau`);
      step = await officer.follow(
        `${base}/quen-mat-khau`,
        form({
          _csrf: csrfOf(await step.response.text()),
          identifier: OFFICER.email,
          contact: OFFICER.email,
        }),
      );
      await portal.dispatcher.runOnce();
      const mail = await sql<{ body: string }>`select body from notifications.messages
        where recipient = ${OFFICER.email} order by id desc limit 1`.execute(db);
      const resetCode = /(\d{6})/.exec(mail.rows[0]!.body)![1]!;
      html = await step.response.text();
      const challenge = /name="challenge" value="([^"]+)"/.exec(html)![1]!;
      step = await officer.follow(
        `${base}/quen-mat-khau/dat-lai`,
        form({
          _csrf: csrfOf(html),
          challenge,
          code: resetCode,
          password: OFFICER.password,
          passwordConfirm: OFFICER.password,
        }),
      );
      expect(step.url).toBe(`${base}/dang-nhap?xong=1`);
      step = await officer.follow(
        `${base}/dang-nhap`,
        form({
          _csrf: csrfOf(await step.response.text()),
          identifier: OFFICER.email,
          password: OFFICER.password,
        }),
      );
      html = await step.response.text();
      const officerSecret = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(html)![1]!.replace(/ /g, '');
      step = await officer.follow(
        step.url,
        form({ _csrf: csrfOf(html), code: totpOf(officerSecret).generate() }),
      );
      expect(step.url).toBe(`${base}/quan-tri`);

      // … and sees the dossier Hà Nội's system synced, on the monitoring page of the province.
      step = await officer.follow(`${base}/quan-tri/dong-bo/UBND-01`);
      expect(step.response.status).toBe(200);
      html = await step.response.text();
      const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
      // The system's row: last sync, lag, then accepted 1, duplicate 0, rejected 0.
      expect(text).toMatch(/Hệ thống một cửa Hà Nội \(motcua-ha-noi\) [\d:]+ [\d/]+ [\d,]+ giây 1 0 0/);
      const accepted = await sql<{
        n: number;
      }>`select count(*)::int as n from sync.dossiers where code = ${code}`.execute(db);
      expect(accepted.rows[0]!.n).toBe(1);
    });
  },
);
