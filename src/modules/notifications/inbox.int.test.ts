/**
 * The portal inbox and the choice of channels: every notification to an account is one inbox entry
 * (whatever the channels, never a one-time code); the header counts the unread ones; opening one marks
 * it read; another account gets 404; the preferences form turns SMS or e-mail off per optional topic,
 * and the inbox is then the only place those reach the person — account notices still go out.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../test/helpers/browser.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession, type TestAccount } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';
import { type AccountNotification, notifyAccount, queueNotification } from './index.ts';

let portal: Portal;
let an: TestAccount;
let binh: TestAccount;
const AN_PHONE = '+84912300001';
const AN_EMAIL = 'an.inbox@example.vn';
const db = () => portal.database.db;

beforeAll(async () => {
  portal = await testPortal();
  an = await accountWithSession(portal, 'citizen', { phone: AN_PHONE, email: AN_EMAIL });
  binh = await accountWithSession(portal, 'citizen');
});
afterAll(() => portal.close());

const browserOf = (a: TestAccount) => {
  const c = new FormClient(portal.app);
  c.cookies.set('sid', a.token);
  return c;
};

let serial = 0;
function statusChange(code: string, extra: Partial<AccountNotification> = {}): AccountNotification {
  return {
    accountId: an.id,
    sms: AN_PHONE,
    email: AN_EMAIL,
    template: 'dossier.status-changed',
    params: {
      code,
      procedure: 'Cấp phiếu lý lịch tư pháp',
      status: 'Được tiếp nhận',
      statusEn: 'Received',
      link: `https://dichvucong.example.vn/ho-so/${code}`,
    },
    dedupeKey: `test:${code}:${++serial}`,
    ...extra,
  };
}

async function tell(n: AccountNotification) {
  await db()
    .transaction()
    .execute((trx) => notifyAccount(trx, n));
}

async function inboxOf(accountId: string) {
  const r = await sql<{ id: number; subject: string; read_at: Date | null }>`
    select id, subject, read_at from notifications.inbox where account_id = ${accountId} order by id`.execute(
    db(),
  );
  return r.rows.map((e) => ({ ...e, id: Number(e.id) }));
}

async function messagesAbout(code: string) {
  const r = await sql<{ channel: string; recipient: string }>`
    select channel, recipient from notifications.messages where body like ${`%${code}%`} order by id`.execute(
    db(),
  );
  return r.rows;
}

const unreadBadge = (html: string) => /\((\d+) thông báo chưa đọc\)/.exec(html)?.[1];

describe('the inbox', () => {
  it('holds one entry per event whatever the channels, once even when told twice; never a code', async () => {
    const n = statusChange('HS-INBOX-1');
    await tell(n);
    await tell(n);
    await tell({
      ...n,
      template: 'otp.register',
      params: { code: '123456', minutes: '5' },
      dedupeKey: 'otp:1',
    });
    const entries = await inboxOf(an.id);
    expect(entries.map((e) => e.subject)).toEqual(['Hồ sơ HS-INBOX-1: Được tiếp nhận']);
    expect(await messagesAbout('HS-INBOX-1')).toEqual([
      { channel: 'sms', recipient: AN_PHONE },
      { channel: 'email', recipient: AN_EMAIL },
    ]);
    expect(await inboxOf(binh.id)).toEqual([]);
  });

  it('counts the unread in the header, lists newest first, and marks an entry read when its owner opens it', async () => {
    await tell(statusChange('HS-INBOX-2'));
    const browser = browserOf(an);
    const home = await browser.get('/');
    expect(home.body).toContain('href="/thong-bao"');
    expect(unreadBadge(home.body)).toBe(String((await inboxOf(an.id)).filter((e) => !e.read_at).length));
    expect(unreadBadge(home.body)).toBe('2');

    const list = await browser.get('/thong-bao');
    expect(list.statusCode).toBe(200);
    const newer = list.body.indexOf('HS-INBOX-2');
    const older = list.body.indexOf('HS-INBOX-1');
    expect(newer).toBeGreaterThan(0);
    expect(newer).toBeLessThan(older);
    expect(list.body.match(/Chưa đọc/g)).toHaveLength(2);

    const [first] = await inboxOf(an.id);
    // Someone else asking for it gets 404, and it stays unread.
    const other = await browserOf(binh).get(`/thong-bao/${first!.id}`);
    expect(other.statusCode).toBe(404);
    expect((await inboxOf(an.id))[0]!.read_at).toBeNull();
    expect((await browserOf(binh).get('/thong-bao')).body).not.toContain('HS-INBOX');

    const opened = await browser.get(`/thong-bao/${first!.id}`);
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain('Trạng thái mới: Được tiếp nhận');
    expect(opened.body).toContain('href="https://dichvucong.example.vn/ho-so/HS-INBOX-1"');
    expect((await inboxOf(an.id))[0]!.read_at).not.toBeNull();
    expect(unreadBadge((await browser.get('/')).body)).toBe('1');
    expect((await browser.get('/thong-bao')).body.match(/Chưa đọc/g)).toHaveLength(1);
    expect((await browser.get('/thong-bao/999999999')).statusCode).toBe(404);
    expect((await browser.get('/thong-bao/abc')).statusCode).toBe(404);
  });

  it('pages 20 at a time', async () => {
    const c = await accountWithSession(portal, 'citizen');
    for (let i = 1; i <= 21; i++) await tell(statusChange(`HS-PAGE-${i}-`, { accountId: c.id, sms: null }));
    const browser = browserOf(c);
    const first = await browser.get('/thong-bao');
    expect(first.body).toContain('HS-PAGE-21-');
    expect(first.body).toContain('HS-PAGE-2-');
    expect(first.body).not.toContain('HS-PAGE-1-');
    expect(first.body).toContain('href="/thong-bao?trang=2"');
    const second = await browser.get('/thong-bao?trang=2');
    expect(second.body).toContain('HS-PAGE-1-');
    expect(second.body).not.toContain('HS-PAGE-2-');
    expect(second.body).not.toContain('trang=3');
  });

  it('sends someone signed out to sign in', async () => {
    const r = await portal.app.inject({ method: 'GET', url: '/thong-bao', headers: { accept: 'text/html' } });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/dang-nhap?tiep=%2Fthong-bao');
  });
});

describe('the choice of channels', () => {
  it('turns SMS off for status changes: the e-mail and the inbox entry still come, account notices still go by SMS', async () => {
    const browser = browserOf(an);
    const form = await browser.get('/tai-khoan/thong-bao');
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/name="sms\.dossier-status" value="on" checked/);
    expect(form.body).toContain('Luôn gửi (không tắt được)');
    expect(form.body).not.toContain('name="sms.codes"');
    expect(form.body).not.toContain('name="email.account"');
    const saved = await browser.post('/tai-khoan/thong-bao', {
      'email.dossier-status': 'on',
      'sms.deadlines': 'on',
      'email.deadlines': 'on',
    });
    expect(saved.statusCode).toBe(303);
    const after = await browser.get('/tai-khoan/thong-bao?da-luu=1');
    expect(after.body).toContain('Đã lưu lựa chọn của bạn');
    expect(after.body).toMatch(/name="sms\.dossier-status" value="on"\s*\/?>/);
    expect(after.body).toMatch(/name="email\.dossier-status" value="on" checked/);

    const before = (await inboxOf(an.id)).length;
    await tell(statusChange('HS-PREF-1'));
    expect(await messagesAbout('HS-PREF-1')).toEqual([{ channel: 'email', recipient: AN_EMAIL }]);
    expect((await inboxOf(an.id)).length).toBe(before + 1);

    // Another account's choice is its own.
    await tell(statusChange('HS-PREF-2', { accountId: binh.id, sms: '+84912300002', email: null }));
    expect(await messagesAbout('HS-PREF-2')).toEqual([{ channel: 'sms', recipient: '+84912300002' }]);

    // Account and security notices cannot be turned off.
    const notices = async () =>
      (
        await sql<{ n: number }>`
          select count(*)::int as n from notifications.messages
           where recipient = ${AN_PHONE} and template = 'account.password-changed'`.execute(db())
      ).rows[0]!.n;
    const n0 = await notices();
    await tell({ accountId: an.id, sms: AN_PHONE, template: 'account.password-changed', params: {} });
    expect(await notices()).toBe(n0 + 1);
    // Nor can codes (sent to an address, not an account).
    await db()
      .transaction()
      .execute((trx) =>
        queueNotification(trx, {
          channel: 'sms',
          to: AN_PHONE,
          template: 'otp.reset-password',
          params: { code: '246810', minutes: '5' },
        }),
      );
    const codes = await sql<{ body: string }>`
      select body from notifications.messages where recipient = ${AN_PHONE} and body like '%246810%'`.execute(
      db(),
    );
    expect(codes.rows).toHaveLength(1);

    // Turning it back on.
    await browser.get('/tai-khoan/thong-bao');
    await browser.post('/tai-khoan/thong-bao', { 'sms.dossier-status': 'on', 'email.dossier-status': 'on' });
    await tell(statusChange('HS-PREF-3'));
    expect((await messagesAbout('HS-PREF-3')).map((m) => m.channel)).toEqual(['sms', 'email']);
  });

  it('refuses a form without its CSRF token', async () => {
    const browser = browserOf(an);
    const prefs = async () =>
      (
        await sql<{ channel: string; topic: string; enabled: boolean }>`
          select channel, topic, enabled from notifications.preferences where account_id = ${an.id}
           order by channel, topic`.execute(db())
      ).rows;
    const before = await prefs();
    const r = await browser.post('/tai-khoan/thong-bao', { 'sms.dossier-status': 'on' }, { csrf: null });
    expect(r.statusCode).toBe(403);
    const forged = await browser.post('/tai-khoan/thong-bao', {}, { csrf: 'forged' });
    expect(forged.statusCode).toBe(403);
    expect(await prefs()).toEqual(before);
  });
});
