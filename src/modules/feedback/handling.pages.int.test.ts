/**
 * The handling pages over HTTP, without JavaScript: an anonymous citizen sends through the form (code step,
 * then the code), the Government Office forwards from its queue, the agency answers from its own queue,
 * the Government Office publishes, and the public page shows it; a signed-in submitter follows and rates.
 * Strangers get 404; agencies see only what is routed to them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedbackHarness, feedbackHarness, signedIn, vn } from './feedback.test-support.ts';

let h: FeedbackHarness;
beforeAll(async () => {
  h = await feedbackHarness(vn('2026-12-14 09:00'));
});
afterAll(async () => {
  await h?.close();
});

/** GETs a page and posts its form (the first with the given hidden action, or the only one). */
async function page(url: string, cookie?: string) {
  const r = await h.app.inject({ url, headers: cookie ? { cookie } : {} });
  const cookies = [cookie, ...r.cookies.map((c) => `${c.name}=${c.value}`)].filter(Boolean).join('; ');
  return {
    status: r.statusCode,
    body: r.body,
    cookies,
    token: /name="_csrf" value="([^"]+)"/.exec(r.body)?.[1],
  };
}
async function post(url: string, cookie: string, fields: Record<string, string>) {
  return h.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    payload: new URLSearchParams(fields).toString(),
  });
}

describe('the journey through the pages', () => {
  it('anonymous form → forwarded → answered → published → on the public page', async () => {
    const form = await page('/phan-anh-kien-nghi/gui');
    const key = /name="key" value="([^"]+)"/.exec(form.body)![1]!;
    const fields = {
      _csrf: form.token!,
      key,
      title: 'Thủ tục cấp đổi giấy phép lái xe quá phức tạp',
      content: 'Đề nghị bỏ yêu cầu nộp bản sao giấy khám sức khỏe khi đổi giấy phép lái xe.',
      category: 'regulation',
      agency: 'BCA',
      name: 'Lê Văn An',
      contact: 'le.an@example.vn',
    };
    const step1 = await post('/phan-anh-kien-nghi/gui', form.cookies, { ...fields, step: 'code' });
    expect(step1.statusCode).toBe(200);
    expect(step1.body).toContain('name="code"');
    const challengeId = /name="challengeId" value="([^"]+)"/.exec(step1.body)![1]!;
    const sent = await post('/phan-anh-kien-nghi/gui', form.cookies, {
      ...fields,
      challengeId,
      code: (await h.codeSentTo('le.an@example.vn'))!,
      step: 'send',
    });
    expect(sent.statusCode).toBe(303);
    const code = /PAKN-\d{4}-\d{7}/.exec(sent.headers.location as string)![0];
    expect((await h.app.inject(sent.headers.location as string)).body).toContain(code);

    const vpcp = await signedIn(h.database, 'officer', [['CP', 'vpcp-supervisor']]);
    const bca = await signedIn(h.database, 'officer', [['BCA', 'processor']]);
    const btp = await signedIn(h.database, 'officer', [['BTP', 'processor']]);
    const queue = await page('/quan-tri/phan-anh-kien-nghi', vpcp.cookie);
    expect(queue.status).toBe(200);
    expect(queue.body).toContain(code);
    expect(queue.body).toContain('Hạn từ chối tiếp nhận');
    // The agency sees nothing before it is forwarded, and not the item either.
    expect((await page('/quan-tri/phan-anh-kien-nghi', bca.cookie)).body).not.toContain(code);
    expect((await page(`/quan-tri/phan-anh-kien-nghi/${code}`, bca.cookie)).status).toBe(404);

    const item = await page(`/quan-tri/phan-anh-kien-nghi/${code}`, vpcp.cookie);
    expect(item.body).toContain('le.an@example.vn');
    expect(item.body).toContain('Chuyển cơ quan xử lý');
    const fwd = await post(`/quan-tri/phan-anh-kien-nghi/${code}`, item.cookies, {
      _csrf: item.token!,
      action: 'forward',
      agencies: 'bca',
    });
    expect(fwd.statusCode).toBe(303);
    // A forward the status no longer allows: the page says why, 409.
    const again = await post(`/quan-tri/phan-anh-kien-nghi/${code}`, item.cookies, {
      _csrf: item.token!,
      action: 'forward',
      agencies: 'BTP',
    });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Tiếp nhận ở địa phương');

    expect((await page('/quan-tri/phan-anh-kien-nghi', btp.cookie)).body).not.toContain(code);
    const agencyQueue = await page('/quan-tri/phan-anh-kien-nghi', bca.cookie);
    expect(agencyQueue.body).toContain(code);
    expect(agencyQueue.body).toContain('Hạn xử lý');
    const atAgency = await page(`/quan-tri/phan-anh-kien-nghi/${code}?coquan=BCA`, bca.cookie);
    expect(atAgency.status).toBe(200);
    h.clock.set(vn('2026-12-16 10:00'));
    const answered = await post(`/quan-tri/phan-anh-kien-nghi/${code}`, atAgency.cookies, {
      _csrf: atAgency.token!,
      action: 'answer',
      asAgency: 'BCA',
      text: 'Bộ Công an tiếp thu và sẽ sửa đổi quy định.',
    });
    expect(answered.statusCode).toBe(303);

    const toPublish = await page(`/quan-tri/phan-anh-kien-nghi/${code}`, vpcp.cookie);
    expect(toPublish.body).toContain('PAKN chờ công khai');
    expect(
      (
        await post(`/quan-tri/phan-anh-kien-nghi/${code}`, toPublish.cookies, {
          _csrf: toPublish.token!,
          action: 'publish',
        })
      ).statusCode,
    ).toBe(303);

    // The next sender writing about the same thing is shown the answer before sending.
    const next = await page('/phan-anh-kien-nghi/gui');
    const suggested = await post('/phan-anh-kien-nghi/gui', next.cookies, {
      _csrf: next.token!,
      title: 'Đổi giấy phép lái xe ở đâu?',
      content: 'Hỏi',
      category: 'other',
      name: 'Phạm Thu',
      contact: '0987654321',
      step: 'code',
    });
    expect(suggested.body).toContain('Phản ánh tương tự đã được trả lời');
    expect(suggested.body).toContain(`/phan-anh-kien-nghi/${code}`);
    const list = await page('/phan-anh-kien-nghi?q=giay+phep+lai+xe');
    expect(list.body).toContain(code);
    const pub = await page(`/phan-anh-kien-nghi/${code}`);
    expect(pub.status).toBe(200);
    expect(pub.body).toContain('Bộ Công an tiếp thu');
    expect(pub.body).toContain('đúng hạn');
    expect(pub.body).not.toContain('le.an@example.vn');
    expect(pub.body).not.toContain('Lê Văn An');

    // The anonymous sender follows the item and rates the answer, without an account.
    const follow = await page('/phan-anh-kien-nghi/theo-doi');
    expect(follow.status).toBe(200);
    const mismatch = await post('/phan-anh-kien-nghi/theo-doi', follow.cookies, {
      _csrf: follow.token!,
      item: 'khong-phai-ma',
      contact: 'le.an@example.vn',
      step: 'code',
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('id="item-loi"');
    const asked = await post('/phan-anh-kien-nghi/theo-doi', follow.cookies, {
      _csrf: follow.token!,
      item: code,
      contact: 'le.an@example.vn',
      step: 'code',
    });
    const followChallenge = /name="challengeId" value="([^"]+)"/.exec(asked.body)![1]!;
    const proof = {
      _csrf: follow.token!,
      item: code,
      contact: 'le.an@example.vn',
      challengeId: followChallenge,
      code: (await h.codeSentTo('le.an@example.vn'))!,
    };
    const seen = await post('/phan-anh-kien-nghi/theo-doi', follow.cookies, { ...proof, step: 'view' });
    expect(seen.statusCode).toBe(200);
    expect(seen.body).toContain('PAKN đã công khai');
    expect(seen.body).toContain('Bộ Công an tiếp thu');
    expect(seen.body).toContain('name="satisfied"');
    const rated = await post('/phan-anh-kien-nghi/theo-doi', follow.cookies, {
      ...proof,
      step: 'rate',
      satisfied: 'false',
    });
    expect(rated.statusCode).toBe(200);
    expect(rated.body).not.toContain('name="satisfied"');
    const wrongContact = await post('/phan-anh-kien-nghi/theo-doi', follow.cookies, {
      ...proof,
      contact: 'ai.do@example.vn',
      step: 'view',
    });
    expect(wrongContact.statusCode).toBe(404);
    expect(wrongContact.body).toContain('không khớp');
  });

  it('a signed-in submitter follows the item, supplements when asked and rates; strangers get 404', async () => {
    const citizen = await signedIn(h.database, 'citizen');
    const stranger = await signedIn(h.database, 'citizen');
    const vpcp = await signedIn(h.database, 'officer', [['CP', 'vpcp-supervisor']]);
    const sub = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: { 'content-type': 'application/json', cookie: citizen.cookie, 'idempotency-key': 'p-1' },
      payload: { title: 'Hỏi về lệ phí', content: 'Lệ phí có được miễn không?', category: 'other' },
    });
    const code = sub.json().code as string;
    const mine = await page('/tai-khoan/phan-anh-kien-nghi', citizen.cookie);
    expect(mine.body).toContain(code);
    expect((await page(`/tai-khoan/phan-anh-kien-nghi/${code}`, stranger.cookie)).status).toBe(404);
    // The officers' route is not for citizens at all (the access plugin's answer).
    expect((await page(`/quan-tri/phan-anh-kien-nghi/${code}`, citizen.cookie)).status).toBe(404);

    const vItem = await page(`/quan-tri/phan-anh-kien-nghi/${code}`, vpcp.cookie);
    await post(`/quan-tri/phan-anh-kien-nghi/${code}`, vItem.cookies, {
      _csrf: vItem.token!,
      action: 'ask-info',
      question: 'Bạn làm thủ tục nào?',
    });
    const asked = await page(`/tai-khoan/phan-anh-kien-nghi/${code}`, citizen.cookie);
    expect(asked.body).toContain('PA chờ bổ sung');
    expect(asked.body).toContain('tạm dừng');
    const supplemented = await post(`/tai-khoan/phan-anh-kien-nghi/${code}`, asked.cookies, {
      _csrf: asked.token!,
      action: 'supplement',
      text: 'Thủ tục đăng ký khai sinh.',
    });
    expect(supplemented.statusCode).toBe(303);
    const v2 = await page(`/quan-tri/phan-anh-kien-nghi/${code}`, vpcp.cookie);
    await post(`/quan-tri/phan-anh-kien-nghi/${code}`, v2.cookies, { _csrf: v2.token!, action: 'accept' });
    await post(`/quan-tri/phan-anh-kien-nghi/${code}`, v2.cookies, {
      _csrf: v2.token!,
      action: 'answer',
      text: 'Được miễn lệ phí.',
    });
    await post(`/quan-tri/phan-anh-kien-nghi/${code}`, v2.cookies, {
      _csrf: v2.token!,
      action: 'withhold',
      reason: 'Câu hỏi riêng',
    });
    const done = await page(`/tai-khoan/phan-anh-kien-nghi/${code}`, citizen.cookie);
    expect(done.body).toContain('PAKN không công khai');
    expect(done.body).toContain('Được miễn lệ phí.');
    const rated = await post(`/tai-khoan/phan-anh-kien-nghi/${code}`, done.cookies, {
      _csrf: done.token!,
      action: 'rate',
      satisfied: 'true',
    });
    expect(rated.statusCode).toBe(303);
    expect((await h.app.inject(`/api/v1/feedback/${code}`)).statusCode).toBe(404);
    expect((await page('/phan-anh-kien-nghi?q=le+phi')).body).not.toContain(code);
  });
});
