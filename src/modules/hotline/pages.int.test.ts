/**
 * The hotline desk's pages without JavaScript, as an operator clicks through them: the desk from the
 * officers' desk card, a call logged with its problems shown by the fields (nothing written), a double
 * submit of the form making one call, a caller looked up (the call form filled in with them), a callback
 * claimed and logged from the queue, and the pages closed to anyone else.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../test/helpers/browser.ts';
import { type FeedbackHarness, feedbackHarness, signedIn, vn } from '../feedback/feedback.test-support.ts';

let h: FeedbackHarness;
let operator: FormClient;
let citizen: FormClient;

const browser = (cookie: string) => {
  const c = new FormClient(h.app);
  c.cookies.set('sid', cookie.replace(/^sid=/, ''));
  return c;
};
const calls = async () =>
  Number(
    (await sql<{ n: number }>`select count(*)::int as n from hotline.calls`.execute(h.database.db)).rows[0]!
      .n,
  );

beforeAll(async () => {
  h = await feedbackHarness(vn('2026-12-07 09:00'));
  operator = browser((await signedIn(h.database, 'officer', [['CP', 'hotline-operator']])).cookie);
  citizen = browser((await signedIn(h.database, 'citizen')).cookie);
  await sql`insert into identity.accounts (kind, display_name, personal_id, phone, phone_verified_at)
            values ('citizen', 'Phạm Minh Tuấn', '036088001234', '+84903111222', now())`.execute(
    h.database.db,
  );
});
afterAll(async () => {
  await h?.close();
});

describe('the hotline desk pages', () => {
  it('opens from the officers’ desk card; shows the figures and the forms', async () => {
    const desk = await operator.get('/quan-tri');
    expect(desk.body).toContain('href="/quan-tri/tong-dai"');
    const r = await operator.get('/quan-tri/tong-dai');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Tổng đài hỗ trợ 18001096');
    expect(r.body).toContain('Số liệu hôm nay (2026-12-07)');
    expect(r.body).toContain('name="callKey"');
    expect(r.body).not.toMatch(/<script(?![^>]*src="\/assets\/)/);
  });

  it('shows each problem by its field and writes nothing', async () => {
    await operator.get('/quan-tri/tong-dai');
    const r = await operator.post('/quan-tri/tong-dai/cuoc-goi', {
      callKey: 'form-bad',
      topic: 'dossier',
      outcome: 'answered',
      startedAt: '2026-12-07T08:50',
      callerPhone: 'abc',
    });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('id="callerPhone-loi"');
    expect(r.body).toContain('Số điện thoại không hợp lệ');
    expect(r.body).toContain('id="answer-loi"');
    expect(await calls()).toBe(0);
  });

  it('makes one call of a form sent twice, and shows it', async () => {
    await operator.get('/quan-tri/tong-dai');
    const token = operator.csrf();
    const form = {
      callKey: 'form-1',
      callerName: 'Lê Văn Bình',
      callerPhone: '0987 654 321',
      topic: 'procedure',
      outcome: 'callback',
      startedAt: '2026-12-07T08:50',
      endedAt: '2026-12-07T08:53',
      callbackDueAt: '2026-12-07T09:05',
      notes: 'Hỏi thủ tục cấp đổi giấy phép lái xe; cần tra cứu thêm.',
    };
    const [a, b] = await Promise.all([
      operator.post('/quan-tri/tong-dai/cuoc-goi', form, { csrf: token }),
      operator.post('/quan-tri/tong-dai/cuoc-goi', form, { csrf: token }),
    ]);
    expect(a.statusCode).toBe(303);
    expect(b.headers.location).toBe(a.headers.location);
    expect(await calls()).toBe(1);
    const page = await operator.get(a.headers.location as string);
    expect(page.body).toContain('Đã ghi cuộc gọi.');
    expect(page.body).toContain('Hướng dẫn thủ tục hành chính');
    expect(page.body).toContain('Nhận gọi lại');
  });

  it('looks a caller up and fills the call form in with them', async () => {
    await operator.get('/quan-tri/tong-dai');
    const r = await operator.post('/quan-tri/tong-dai/tra-cuu', {
      by: 'personalId',
      value: '036088001234',
      reason: 'Người gọi quên mật khẩu tài khoản',
    });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<h3 id="nguoi-goi">Phạm Minh Tuấn</h3>');
    expect(r.body).toContain('Tổng đài hỗ trợ 18001096: Người gọi quên mật khẩu tài khoản');
    expect(r.body).toMatch(
      /name="callerName"[^>]*value="Phạm Minh Tuấn"|value="Phạm Minh Tuấn"[^>]*name="callerName"/,
    );
    const miss = await operator.post('/quan-tri/tong-dai/tra-cuu', {
      by: 'phone',
      value: '0911000000',
      reason: 'Người gọi hỏi về hồ sơ',
    });
    expect(miss.statusCode).toBe(404);
    expect(miss.body).toContain('Không tìm thấy tài khoản nào khớp');
  });

  it('claims a callback from the queue (overdue marked) and logs the call back', async () => {
    h.clock.set(vn('2026-12-07 09:10'));
    const queue = await operator.get('/quan-tri/tong-dai/goi-lai');
    expect(queue.body).toContain('(quá hạn)');
    const code = /href="\/quan-tri\/tong-dai\/cuoc-goi\/(TD-[0-9-]+)"/.exec(queue.body)![1]!;
    const claimed = await operator.post(`/quan-tri/tong-dai/goi-lai/${code}/nhan`, {});
    expect(claimed.statusCode).toBe(303);
    const page = await operator.get(claimed.headers.location as string);
    expect(page.body).toContain('Ghi cuộc gọi lại');
    const done = await operator.post(`/quan-tri/tong-dai/goi-lai/${code}/ghi`, {
      callKey: 'back-form-1',
      callerName: 'Lê Văn Bình',
      callerPhone: '0987654321',
      topic: 'procedure',
      outcome: 'answered',
      startedAt: '2026-12-07T09:05',
      endedAt: '2026-12-07T09:08',
      answer: 'Hướng dẫn nộp hồ sơ cấp đổi trực tuyến.',
    });
    expect(done.statusCode).toBe(303);
    const first = await operator.get(`/quan-tri/tong-dai/cuoc-goi/${code}`);
    expect(first.body).toContain('Đã gọi lại');
    expect((await operator.get('/quan-tri/tong-dai/goi-lai')).body).toContain(
      'Không có yêu cầu gọi lại nào.',
    );
  });

  it('is closed to a citizen', async () => {
    expect((await citizen.get('/quan-tri/tong-dai')).statusCode).toBe(404);
    expect((await citizen.get('/quan-tri/tong-dai/goi-lai')).statusCode).toBe(404);
  });
});
