/**
 * Messages through the real protocols: e-mail over SMTP to a mail sink, SMS to the gateway simulator
 * with its delivery reports coming back to the portal's webhook. The gateway misbehaves on purpose —
 * requests taken but never answered, 5xx, reports sent two or three times, reports lost — and no code
 * is ever sent twice nor any message lost.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../test/helpers/browser.ts';
import { startTestNotifiers } from '../../../test/helpers/notifiers.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';
import { type Notification, notifyAccount, queueNotification } from './index.ts';
import { SMS_REPORTS_PATH, signReport } from './reports.routes.ts';

let portal: Portal;
let notifiers: Awaited<ReturnType<typeof startTestNotifiers>>;
const db = () => portal.database.db;

beforeAll(async () => {
  notifiers = await startTestNotifiers();
  // A short deadline, so that the gateway's "no answer" fault is a timeout within the test (long enough
  // for the mail server on a loaded machine: 300 ms made the SMTP test fail now and then).
  portal = await testPortal({
    env: { ...notifiers.env, NOTIFY_TIMEOUT_MS: '1500', NOTIFY_MAX_ATTEMPTS: '3' },
  });
  await portal.app.listen({ port: 0, host: '127.0.0.1' });
  const address = portal.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  notifiers.gateway.setReportUrl(`http://127.0.0.1:${port}${SMS_REPORTS_PATH}`);
});
afterAll(async () => {
  await portal.close();
  await notifiers.close();
});

async function queue(n: Notification) {
  await db()
    .transaction()
    .execute((trx) => queueNotification(trx, n));
}

interface Row {
  id: number;
  state: string;
  attempts: number;
  provider_id: string | null;
  transport: string | null;
  last_error: string | null;
  generation: number;
}
async function rowTo(recipient: string): Promise<Row> {
  const r = await sql<Row>`
    select id, state, attempts, provider_id, transport, last_error, generation from notifications.messages
     where recipient = ${recipient} order by id desc limit 1`.execute(db());
  const row = r.rows[0];
  if (!row) throw new Error(`no message to ${recipient}`);
  return { ...row, id: Number(row.id), attempts: Number(row.attempts), generation: Number(row.generation) };
}

/** The outbox's retry of a message, made due now (instead of waiting for the backoff). */
async function retryNow() {
  await sql`update platform.outbox set available_at = now() where topic = 'notification.send' and status = 'pending'`.execute(
    db(),
  );
  await portal.dispatcher.runOnce();
}

/** Sent, or delivered already (the gateway reports at once in these tests). */
const SENT = expect.stringMatching(/^(sent|delivered)$/);

const smsTo = (phone: string) => notifiers.gateway.messages().filter((m) => `+${m.phone}` === phone);

describe('e-mail over SMTP', () => {
  it('arrives at the mail server with the sender, both parts from one template, and the right headers', async () => {
    await queue({
      channel: 'email',
      to: 'lan.tran@example.vn',
      template: 'dossier.status-changed',
      params: {
        code: 'H26.99-260101-0001',
        procedure: 'Cấp phiếu lý lịch tư pháp',
        status: 'Đã tiếp nhận',
        statusEn: 'Received',
        link: 'https://dichvucong.example.vn/ho-so/H26.99-260101-0001',
      },
      dedupeKey: 'test:status:1',
    });
    await queue({
      channel: 'email',
      to: 'lan.tran@example.vn',
      template: 'otp.register',
      params: { code: '482913', minutes: '5' },
    });
    await portal.dispatcher.runOnce();
    const mails = notifiers.sink.messages().filter((m) => m.envelopeTo.includes('lan.tran@example.vn'));
    expect(mails.map((m) => m.subject).sort()).toEqual([
      'Hồ sơ H26.99-260101-0001: Đã tiếp nhận',
      'Mã xác minh đăng ký tài khoản Cổng Dịch vụ công',
    ]);
    const status = mails.find((m) => m.subject.startsWith('Hồ sơ'))!;
    expect(status.from).toBe('"Cổng Dịch vụ công Quốc gia" <khong-tra-loi@dichvucong.example.vn>');
    expect(status.envelopeFrom).toBe('khong-tra-loi@dichvucong.example.vn');
    expect(status.headers['content-type']).toMatch(/^multipart\/alternative/);
    expect(status.text).toContain('Trạng thái mới: Đã tiếp nhận');
    expect(status.html).toContain('Trạng thái mới: Đã tiếp nhận');
    expect(status.html).toContain(
      '<a href="https://dichvucong.example.vn/ho-so/H26.99-260101-0001" style="color:#0b5cab">',
    );
    expect(status.html).toContain('<html lang="vi">');
    // Not transactional: List-Unsubscribe; the code is transactional: none.
    // It points at the choice of channels (PUBLIC_URL + /tai-khoan/thong-bao).
    expect(status.raw).toMatch(/^List-Unsubscribe: <http:\/\/localhost:0\/tai-khoan\/thong-bao>\r?$/m);
    expect(status.raw).toMatch(/^Content-Language: vi, en\r?$/m);
    const code = mails.find((m) => m.subject.startsWith('Mã'))!;
    expect(code.raw).not.toMatch(/^List-Unsubscribe:/m);
    expect(code.text).toContain('482913');
    expect(code.html).toContain('482913');
    const row = await rowTo('lan.tran@example.vn');
    expect(row).toMatchObject({ state: 'sent', transport: 'smtp', attempts: 1 });
    expect(code.headers['message-id']).toBe(row.provider_id);
  });

  it('an e-mail to an account carries a one-click unsubscribe (RFC 8058) that turns that topic off by e-mail only', async () => {
    const lan = await accountWithSession(portal, 'citizen', { email: 'lan.mot.cham@example.vn' });
    const tell = (code: string) =>
      db()
        .transaction()
        .execute((trx) =>
          notifyAccount(trx, {
            accountId: lan.id,
            email: 'lan.mot.cham@example.vn',
            template: 'dossier.status-changed',
            params: { code, procedure: 'Cấp bản sao', status: 'Đã tiếp nhận', link: 'https://x.example.vn' },
          }),
        );
    await tell('H26.99-ONECLICK-1');
    await portal.dispatcher.runOnce();
    const [mail] = notifiers.sink.messages().filter((m) => m.subject.includes('H26.99-ONECLICK-1'));
    // mailparser folds List-* headers into one structure: read the message as sent, unfolded.
    const raw = mail!.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    const link =
      /^List-Unsubscribe: <http:\/\/localhost:0(\/api\/v1\/notifications\/unsubscribe\?t=[^>]+)>\r?$/m.exec(
        raw,
      );
    expect(link).not.toBeNull();
    const url = link![1]!;
    // Opening the link changes nothing: it leads to the preferences page.
    const opened = await portal.app.inject({ method: 'GET', url });
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe('/tai-khoan/thong-bao');
    // A token for another account (the same MAC) is refused.
    const other = await accountWithSession(portal, 'citizen');
    const forged = url.replace(lan.id, other.id);
    const oneClick = (u: string) =>
      portal.app.inject({
        method: 'POST',
        url: u,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
    expect((await oneClick(forged)).statusCode).toBe(404);
    // The mail client's POST, without cookies or CSRF token: e-mail off for status changes.
    const done = await oneClick(url);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ channel: 'email', topic: 'dossier-status', enabled: false });
    await tell('H26.99-ONECLICK-2');
    const rows = await sql<{ n: number }>`
      select count(*)::int as n from notifications.messages where body like '%H26.99-ONECLICK-2%'`.execute(
      db(),
    );
    expect(rows.rows[0]!.n).toBe(0);
    const inbox = await sql<{ subject: string }>`
      select subject from notifications.inbox where account_id = ${lan.id} order by id`.execute(db());
    expect(inbox.rows.map((r) => r.subject)).toEqual([
      'Hồ sơ H26.99-ONECLICK-1: Đã tiếp nhận',
      'Hồ sơ H26.99-ONECLICK-2: Đã tiếp nhận',
    ]);
    const prefs = await sql<{ channel: string; enabled: boolean }>`
      select channel, enabled from notifications.preferences where account_id = ${other.id}`.execute(db());
    expect(prefs.rows).toEqual([]);
  });
});

describe('SMS through the brand-name gateway', () => {
  it('sends a code once, in GSM 7-bit under the brand name, and the delivery report settles it', async () => {
    await queue({
      channel: 'sms',
      to: '+84912000101',
      template: 'otp.register',
      params: { code: '731905', minutes: '5' },
    });
    await portal.dispatcher.runOnce();
    const [sent] = smsTo('+84912000101');
    expect(sent).toMatchObject({ brandName: 'CONGDVC', unicode: false, segments: 1 });
    expect(sent!.message).toContain('731905');
    // Sent, or already delivered when the report overtook this check.
    expect(await rowTo('+84912000101')).toMatchObject({ state: SENT, provider_id: sent!.messageId });
    await notifiers.gateway.idle();
    expect(await rowTo('+84912000101')).toMatchObject({ state: 'delivered', provider_id: sent!.messageId });
  });

  it('records what the operator reported: failed and expired', async () => {
    await queue({ channel: 'sms', to: '+84912000999', template: 'account.password-changed', params: {} });
    await queue({ channel: 'sms', to: '+84912000998', template: 'account.password-changed', params: {} });
    await portal.dispatcher.runOnce();
    await notifiers.gateway.idle();
    expect(await rowTo('+84912000999')).toMatchObject({
      state: 'failed',
      last_error: expect.stringMatching(/unreachable/),
    });
    expect(await rowTo('+84912000998')).toMatchObject({ state: 'expired' });
  });

  it('a request the gateway took but never answered is tried again and not sent twice', async () => {
    // Its report lost too: the portal knows nothing until it asks again.
    notifiers.gateway.configure({ send: 'timeout', reports: 'lost' });
    await queue({
      channel: 'sms',
      to: '+84912000102',
      template: 'otp.register',
      params: { code: '100200', minutes: '5' },
    });
    await portal.dispatcher.runOnce();
    expect(await rowTo('+84912000102')).toMatchObject({
      state: 'queued',
      attempts: 1,
      last_error: expect.stringMatching(/no answer in \d+ ms/),
    });
    expect(smsTo('+84912000102')).toHaveLength(1);
    notifiers.gateway.configure({ send: 'none', reports: 'none' });
    await retryNow();
    const row = await rowTo('+84912000102');
    expect(row).toMatchObject({ state: 'sent', attempts: 2 });
    expect(smsTo('+84912000102')).toHaveLength(1);
    expect(row.provider_id).toBe(smsTo('+84912000102')[0]!.messageId);
  });

  it('a report that overtakes the unanswered request settles the message, and nothing is sent again', async () => {
    notifiers.gateway.configure({ send: 'timeout' });
    await queue({
      channel: 'sms',
      to: '+84912000108',
      template: 'otp.register',
      params: { code: '100201', minutes: '5' },
    });
    await portal.dispatcher.runOnce();
    await notifiers.gateway.idle();
    notifiers.gateway.configure({ send: 'none' });
    const [m] = smsTo('+84912000108');
    expect(await rowTo('+84912000108')).toMatchObject({ state: 'delivered', provider_id: m!.messageId });
    await retryNow();
    expect(await rowTo('+84912000108')).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(notifiers.gateway.requests()).toBeGreaterThan(0);
    expect(smsTo('+84912000108')).toHaveLength(1);
  });

  it('a 5xx is tried again with backoff; past the limit the message is failed, and an administrator resends it', async () => {
    notifiers.gateway.configure({ send: '5xx' });
    await queue({ channel: 'sms', to: '+84912000103', template: 'account.contact-changed', params: {} });
    await portal.dispatcher.runOnce();
    expect(await rowTo('+84912000103')).toMatchObject({ state: 'queued', attempts: 1 });
    await retryNow();
    await retryNow();
    const failed = await rowTo('+84912000103');
    expect(failed).toMatchObject({
      state: 'failed',
      attempts: 3,
      last_error: expect.stringMatching(/SMS gateway 503/),
    });
    expect(smsTo('+84912000103')).toHaveLength(0);

    // The administrators' page lists it; "Gửi lại" queues it again as a new send.
    notifiers.gateway.configure({ send: 'none' });
    const admin = await accountWithSession(portal, 'officer', { grants: [['CP', 'system-admin']] });
    const browser = new FormClient(portal.app);
    browser.cookies.set('sid', admin.token);
    const page = await browser.get('/quan-tri/tin-nhan');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Gửi lại #${failed.id}`);
    expect(page.body).toContain('+8491****103');
    const resent = await browser.post(`/quan-tri/tin-nhan/gui-lai/${failed.id}`, {});
    expect(resent.statusCode).toBe(303);
    // Who resent what is in the audit log, written with the resend.
    const audit = await sql<{ actor: string; action: string; data: { generation: number } }>`
      select actor, action, data from platform.audit_log where subject = ${`notification:${failed.id}`}`.execute(
      db(),
    );
    expect(audit.rows).toEqual([
      {
        actor: `user:${admin.id}`,
        action: 'notification.resend',
        data: expect.objectContaining({ generation: 1 }),
      },
    ]);
    await portal.dispatcher.runOnce();
    expect(await rowTo('+84912000103')).toMatchObject({ state: SENT, generation: 1, attempts: 1 });
    expect(smsTo('+84912000103').map((m) => m.requestId)).toEqual([`m${failed.id}g1`]);
    // Resending again is refused: it is no longer failed.
    await browser.get('/quan-tri/tin-nhan');
    const again = await browser.post(`/quan-tri/tin-nhan/gui-lai/${failed.id}`, {});
    expect(again.statusCode).toBe(409);

    // Another officer does not see the page.
    const other = await accountWithSession(portal, 'officer', { grants: [['UBND-01', 'receiver']] });
    const stranger = new FormClient(portal.app);
    stranger.cookies.set('sid', other.token);
    expect((await stranger.get('/quan-tri/tin-nhan')).statusCode).toBe(404);
  });

  it('never sends a one-time code that lapsed while the gateway was down, nor resends it', async () => {
    notifiers.gateway.configure({ send: '5xx' });
    await queue({
      channel: 'sms',
      to: '+84912000104',
      template: 'otp.second-factor',
      params: { code: '555111', minutes: '5' },
    });
    await portal.dispatcher.runOnce();
    notifiers.gateway.configure({ send: 'none' });
    // Five minutes later the code is worth nothing.
    await sql`update notifications.messages set expires_at = now() - interval '1 second' where recipient = '+84912000104'`.execute(
      db(),
    );
    await retryNow();
    const row = await rowTo('+84912000104');
    expect(row).toMatchObject({ state: 'expired', attempts: 1 });
    expect(smsTo('+84912000104')).toHaveLength(0);
    const admin = await accountWithSession(portal, 'officer', { grants: [['CP', 'system-admin']] });
    const browser = new FormClient(portal.app);
    browser.cookies.set('sid', admin.token);
    await browser.get('/quan-tri/tin-nhan');
    const refused = await browser.post(`/quan-tri/tin-nhan/gui-lai/${row.id}`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Không gửi lại mã dùng một lần');
    await portal.dispatcher.runOnce();
    expect(smsTo('+84912000104')).toHaveLength(0);
  });

  it('reports sent two or three times settle the message once', async () => {
    notifiers.gateway.configure({ reports: 'duplicate' });
    await queue({
      channel: 'sms',
      to: '+84912000105',
      template: 'otp.register',
      params: { code: '900800', minutes: '5' },
    });
    await queue({
      channel: 'sms',
      to: '+84912000999',
      template: 'otp.register',
      params: { code: '900801', minutes: '5' },
    });
    await portal.dispatcher.runOnce();
    await notifiers.gateway.idle();
    notifiers.gateway.configure({ reports: 'none' });
    const [m] = smsTo('+84912000105');
    expect(m!.reportsPosted).toBeGreaterThanOrEqual(2);
    expect(await rowTo('+84912000105')).toMatchObject({ state: 'delivered' });
    expect(await rowTo('+84912000999')).toMatchObject({ state: 'failed' });
    // A report replayed later, saying something else, changes nothing either.
    const body = JSON.stringify({ messageId: m!.messageId, requestId: m!.requestId, status: 'failed' });
    const ts = Math.floor(Date.now() / 1000);
    const r = await portal.app.inject({
      method: 'POST',
      url: SMS_REPORTS_PATH,
      headers: {
        'content-type': 'application/json',
        'x-sms-timestamp': String(ts),
        'x-sms-signature': signReport(notifiers.reportSecret, ts, body),
      },
      payload: body,
    });
    expect(r.statusCode).toBe(204);
    expect(await rowTo('+84912000105')).toMatchObject({ state: 'delivered' });
  });

  it('a message whose report was lost is settled by asking the gateway', async () => {
    notifiers.gateway.configure({ reports: 'lost' });
    await queue({
      channel: 'sms',
      to: '+84912000106',
      template: 'otp.register',
      params: { code: '300400', minutes: '5' },
    });
    await portal.dispatcher.runOnce();
    await notifiers.gateway.idle();
    notifiers.gateway.configure({ reports: 'none' });
    expect(await rowTo('+84912000106')).toMatchObject({ state: 'sent' });
    // Ten minutes on, the status job asks the gateway.
    await sql`update notifications.messages set sent_at = now() - interval '11 minutes' where recipient = '+84912000106'`.execute(
      db(),
    );
    await sql`update platform.scheduled_jobs set next_run_at = now() where name = 'notifications.sms-status'`.execute(
      db(),
    );
    expect(await portal.scheduler.runDue()).toContain('notifications.sms-status');
    expect(await rowTo('+84912000106')).toMatchObject({ state: 'delivered' });
    expect(smsTo('+84912000106')).toHaveLength(1);
  });

  it('refuses reports that are not signed with the shared secret, or signed too long ago', async () => {
    await queue({
      channel: 'sms',
      to: '+84912000107',
      template: 'otp.register',
      params: { code: '123123', minutes: '5' },
    });
    notifiers.gateway.configure({ reports: 'lost' });
    await portal.dispatcher.runOnce();
    await notifiers.gateway.idle();
    notifiers.gateway.configure({ reports: 'none' });
    const [m] = smsTo('+84912000107');
    const body = JSON.stringify({ messageId: m!.messageId, requestId: m!.requestId, status: 'failed' });
    const post = (ts: number, signature: string) =>
      portal.app.inject({
        method: 'POST',
        url: SMS_REPORTS_PATH,
        headers: {
          'content-type': 'application/json',
          'x-sms-timestamp': String(ts),
          'x-sms-signature': signature,
        },
        payload: body,
      });
    const now = Math.floor(Date.now() / 1000);
    expect((await post(now, signReport('not-the-secret-0123456789abcdefghij', now, body))).statusCode).toBe(
      401,
    );
    expect((await post(now - 3600, signReport(notifiers.reportSecret, now - 3600, body))).statusCode).toBe(
      401,
    );
    expect((await post(now, 'v1=00')).statusCode).toBe(401);
    expect(await rowTo('+84912000107')).toMatchObject({ state: 'sent' });
    expect((await post(now, signReport(notifiers.reportSecret, now, body))).statusCode).toBe(204);
    expect(await rowTo('+84912000107')).toMatchObject({ state: 'failed' });
  });
});
