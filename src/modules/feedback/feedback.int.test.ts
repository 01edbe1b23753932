/**
 * Feedback over HTTP on a fresh database: the public side on an empty database, anonymous and signed-in
 * submission (one-time code, idempotency, checks by the field, rate limits), the whole handling across two
 * agencies with audit, and permissions (an agency sees only what is routed to it, unpublished items are
 * never public, contact data never appears publicly).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedbackHarness, feedbackHarness, signedIn, vn } from './feedback.test-support.ts';

let h: FeedbackHarness;
beforeAll(async () => {
  h = await feedbackHarness(vn('2026-12-07 09:00'));
});
afterAll(async () => {
  await h?.close();
});

const json = (cookie?: string, key?: string) => ({
  'content-type': 'application/json',
  ...(cookie ? { cookie } : {}),
  ...(key ? { 'idempotency-key': key } : {}),
});

async function act(cookie: string, code: string, body: Record<string, unknown>) {
  const r = await h.app.inject({
    method: 'POST',
    url: `/api/v1/feedback/${code}/actions`,
    headers: json(cookie),
    payload: body,
  });
  return { status: r.statusCode, body: r.json() };
}

describe('the public side on an empty database', () => {
  it('searches published items without diacritics and finds none', async () => {
    const r = await h.app.inject('/api/v1/feedback?q=chung%20thuc');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ items: [], nextCursor: null });
    expect(
      (await h.app.inject('/api/v1/feedback?q=Ch%E1%BB%A9ng&agency=BTP&procedure=2.000815')).statusCode,
    ).toBe(200);
    expect((await h.app.inject('/api/v1/feedback/PAKN-2026-0000001')).statusCode).toBe(404);
  });

  it('shows the search page and the form, without JavaScript', async () => {
    const list = await h.app.inject('/phan-anh-kien-nghi?q=chung+thuc');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Chưa có phản ánh');
    const form = await h.app.inject('/phan-anh-kien-nghi/gui');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="title"');
    expect(form.body).toContain('Nhận mã xác minh');
    expect(form.body).not.toMatch(/<script(?![^>]*src="\/assets\/)/);
  });
});

const BODY = {
  title: 'Chứng thực bản sao phải chờ quá lâu',
  content: 'Tôi nộp hồ sơ chứng thực bản sao từ bản chính nhưng phải chờ ba ngày.',
  category: 'dossier-handling',
  procedureCode: '2.000505',
  name: 'Trần Thị Bình',
  contact: '0912 345 678',
};

async function anonymousCode(contact = '0912345678') {
  const r = await h.app.inject({
    method: 'POST',
    url: '/api/v1/feedback/codes',
    headers: json(),
    payload: { contact },
  });
  expect(r.statusCode).toBe(201);
  return {
    challengeId: r.json().challengeId as string,
    code: (await h.codeSentTo(contact.replace(/\s/g, '')))!,
  };
}

let anonymousItem: string;

describe('submitting', () => {
  it('anonymously, with a one-time code; the same key answers the same item, another body is 409', async () => {
    const { challengeId, code } = await anonymousCode();
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: json(undefined, 'k-1'),
      payload: { ...BODY, challengeId, code: code === '000000' ? '111111' : '000000' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors).toEqual([expect.objectContaining({ path: 'code' })]);
    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: json(undefined, 'k-1'),
      payload: { ...BODY, challengeId, code },
    });
    expect(ok.statusCode).toBe(201);
    anonymousItem = ok.json().code;
    expect(anonymousItem).toMatch(/^PAKN-2026-\d{7}$/);
    expect(ok.json().status).toBe('submitted');
    const again = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: json(undefined, 'k-1'),
      payload: { ...BODY, challengeId, code },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().code).toBe(anonymousItem);
    const other = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: json(undefined, 'k-1'),
      payload: { ...BODY, title: 'Khác', challengeId, code },
    });
    expect(other.statusCode).toBe(409);
    // Knowing the contact and the key is not enough: a retry must quote the same challenge.
    const stranger = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: json(undefined, 'k-1'),
      payload: { ...BODY, challengeId: '00000000-0000-4000-8000-000000000000', code: '123456' },
    });
    expect(stranger.statusCode).toBe(409);
    expect(stranger.body).not.toContain(anonymousItem);
    // The code was used: a new key cannot reuse it.
    const reuse = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: json(undefined, 'k-2'),
      payload: { ...BODY, challengeId, code },
    });
    expect(reuse.statusCode).toBe(400);
  });

  it('checks every field and names it: category, name, contact, code, unknown procedure and dossier', async () => {
    const r = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: json(undefined, 'k-3'),
      payload: {
        title: 'x',
        content: 'y',
        category: 'other',
        procedureCode: '9.999999',
        dossierCode: 'NOPE-1',
      },
    });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const paths = r
      .json()
      .errors.map((e: { path: string }) => e.path)
      .sort();
    expect(paths).toEqual(['code', 'contact', 'dossierCode', 'name', 'procedureCode']);
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: json(undefined, 'k-4'),
      payload: { ...BODY, category: 'rant' },
    });
    expect(bad.statusCode).toBe(400);
    const noKey = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: json(),
      payload: BODY,
    });
    expect(noKey.statusCode).toBe(400);
  });

  it('limits the codes sent to one destination', async () => {
    const to = { contact: 'ban.doc@example.vn' };
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push(
        (await h.app.inject({ method: 'POST', url: '/api/v1/feedback/codes', headers: json(), payload: to }))
          .statusCode,
      );
    expect(codes).toEqual([201, 201, 201, 429]);
  });

  it('with an account: no code needed; the procedure is checked against the catalogue', async () => {
    const citizen = await signedIn(h.database, 'citizen');
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: json(citizen.cookie, 'a-1'),
      payload: { title: 'Quy định', content: 'Nội dung', category: 'regulation', procedureCode: '9.999999' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ path: 'procedureCode' })]);
    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: json(citizen.cookie, 'a-1'),
      payload: {
        title: 'Quy định',
        content: 'Nội dung',
        category: 'regulation',
        procedureCode: '2.000815',
        agency: 'BTP',
      },
    });
    expect(ok.statusCode).toBe(201);
  });
});

describe('handling across agencies, published and rated', () => {
  it('forwards to two agencies, one answers and one returns; published without contact data; rated once', async () => {
    const citizen = await signedIn(h.database, 'citizen');
    const vpcp = await signedIn(h.database, 'officer', [['CP', 'vpcp-supervisor']]);
    const btp = await signedIn(h.database, 'officer', [['BTP', 'processor']]);
    const bnv = await signedIn(h.database, 'officer', [['BNV', 'approver']]);
    const bca = await signedIn(h.database, 'officer', [['BCA', 'processor']]);
    const sub = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: json(citizen.cookie, 'j-1'),
      payload: { ...BODY, name: undefined, contact: undefined },
    });
    expect(sub.statusCode).toBe(201);
    const code = sub.json().code as string;

    // Not published: nobody outside sees it; an agency it is not routed to neither.
    expect((await h.app.inject(`/api/v1/feedback/${code}`)).statusCode).toBe(404);
    expect((await act(btp.cookie, code, { action: 'receive', asAgency: 'BTP' })).status).toBe(404);
    // A Government Office action the status does not allow names the allowed ones.
    const early = await act(vpcp.cookie, code, { action: 'publish' });
    expect(early.status).toBe(409);
    expect(early.body.allowedActions.sort()).toEqual(['accept', 'ask-info', 'forward', 'merge', 'refuse']);
    // The submitter cannot triage.
    expect((await act(citizen.cookie, code, { action: 'accept' })).status).toBe(403);

    h.clock.set(vn('2026-12-07 10:00'));
    expect(
      await act(vpcp.cookie, code, { action: 'ask-info', question: 'Cơ quan nào chứng thực?' }),
    ).toMatchObject({
      status: 200,
      body: { status: 'awaiting-info' },
    });
    h.clock.set(vn('2026-12-08 10:00'));
    expect(
      (await act(citizen.cookie, code, { action: 'supplement', text: 'UBND phường Hàng Bạc' })).body.status,
    ).toBe('supplemented');
    expect((await act(vpcp.cookie, code, { action: 'forward', agencies: ['BTP', 'BNV'] })).body.status).toBe(
      'forwarded',
    );
    expect((await act(vpcp.cookie, code, { action: 'forward', agencies: ['NOPE'] })).status).toBe(409);

    // The agency's queue and its view of the item (contact included, for handling); BCA sees neither.
    const inbox = await h.app.inject({ url: '/api/v1/feedback/inbox', headers: { cookie: btp.cookie } });
    expect(inbox.json().items).toEqual([
      expect.objectContaining({
        code,
        agency: 'BTP',
        status: 'forwarded',
        deadline: expect.objectContaining({ kind: 'handle' }),
      }),
    ]);
    expect(
      (await h.app.inject({ url: '/api/v1/feedback/inbox', headers: { cookie: bca.cookie } })).json().items,
    ).toEqual([]);
    const handling = await h.app.inject({
      url: `/api/v1/feedback/${code}/handling?asAgency=BTP`,
      headers: { cookie: btp.cookie },
    });
    expect(handling.statusCode).toBe(200);
    expect(handling.json()).toMatchObject({
      status: 'forwarded',
      actions: expect.arrayContaining(['receive', 'answer']),
    });
    // The Government Office asked for information on the day of submission: on time.
    expect(handling.json().deadlines.find((d: { kind: string }) => d.kind === 'ask-info')).toMatchObject({
      state: 'met',
    });
    expect(
      (await h.app.inject({ url: `/api/v1/feedback/${code}/handling`, headers: { cookie: bca.cookie } }))
        .statusCode,
    ).toBe(404);
    // Not an officer: the access plugin answers as if the route were not there.
    expect(
      (await h.app.inject({ url: '/api/v1/feedback/inbox', headers: { cookie: citizen.cookie } })).statusCode,
    ).toBe(404);
    // BCA is not routed: 404 still. BTP answers, BNV returns it.
    expect((await act(bca.cookie, code, { action: 'answer', text: 'x', asAgency: 'BCA' })).status).toBe(404);
    expect((await act(btp.cookie, code, { action: 'receive', asAgency: 'BTP' })).body.status).toBe(
      'handling',
    );
    expect((await act(btp.cookie, code, { action: 'answer', text: '  ', asAgency: 'BTP' })).status).toBe(400);
    h.clock.set(vn('2026-12-10 15:00'));
    expect(
      (
        await act(btp.cookie, code, {
          action: 'answer',
          text: 'Bộ Tư pháp trả lời: thời hạn chứng thực là trong ngày.',
          asAgency: 'BTP',
        })
      ).body.status,
    ).toBe('forwarded');
    expect(
      (await act(bnv.cookie, code, { action: 'return', reason: 'Không thuộc thẩm quyền', asAgency: 'BNV' }))
        .body.status,
    ).toBe('answered');
    expect((await h.app.inject('/api/v1/feedback?q=chung%20thuc')).json().items).toEqual([]);

    h.clock.set(vn('2026-12-11 09:00'));
    expect((await act(vpcp.cookie, code, { action: 'publish' })).body.status).toBe('published');

    const found = (await h.app.inject('/api/v1/feedback?q=chung%20thuc')).json();
    expect(found.items.map((i: { code: string }) => i.code)).toEqual([code]);
    expect(
      (await h.app.inject('/api/v1/feedback?q=CH%E1%BB%A8NG%20TH%E1%BB%B0C%20b%E1%BA%A3n')).json().items,
    ).toHaveLength(1);
    expect((await h.app.inject('/api/v1/feedback?q=chung%20thuc&agency=BTP')).json().items).toHaveLength(1);
    expect((await h.app.inject('/api/v1/feedback?q=chung%20thuc&agency=BCA')).json().items).toHaveLength(0);
    expect((await h.app.inject('/api/v1/feedback?procedure=2.000505')).json().items).toHaveLength(1);
    expect((await h.app.inject('/api/v1/feedback?q=ho%20chieu')).json().items).toHaveLength(0);
    const view = await h.app.inject(`/api/v1/feedback/${code}`);
    expect(view.statusCode).toBe(200);
    // Forwarded Tue 8 Dec 10:00, answered Thu 10 Dec 15:00: 5 h + 8 h + 6 h = 2.4 working days of 15.
    expect(view.json()).toMatchObject({
      code,
      handledOnTime: true,
      agencies: ['BTP'],
      handlingDays: 2.4,
      handlingLimitDays: 15,
    });
    expect(view.json().answer).toContain('Bộ Tư pháp trả lời');
    const page = await h.app.inject(`/phan-anh-kien-nghi/${code}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('xử lý trong 2,4 ngày làm việc, thời hạn 15 ngày làm việc');
    const listPage = await h.app.inject('/phan-anh-kien-nghi?q=chung+thuc');
    for (const text of [view.body, page.body, listPage.body, JSON.stringify(found)]) {
      expect(text).not.toContain('Người thử');
      expect(text).not.toContain('@example.vn');
      expect(text).not.toContain('0912345678');
    }

    expect((await act(citizen.cookie, code, { action: 'rate', satisfied: false })).status).toBe(200);
    expect((await act(citizen.cookie, code, { action: 'rate', satisfied: true })).status).toBe(409);

    // Every step is in the history and in the hash-chained audit log.
    const events = await sql<{ action: string }>`
      select e.action from feedback.events e join feedback.items i on i.id = e.item_id where i.code = ${code} order by e.id`.execute(
      h.database.db,
    );
    expect(events.rows.map((e) => e.action)).toEqual([
      'submit',
      'ask-info',
      'supplement',
      'forward',
      'receive',
      'answer',
      'return',
      'publish',
      'rate',
    ]);
    const audit = await sql<{
      n: number;
    }>`select count(*)::int as n from platform.audit_log where subject = ${`feedback:${code}`}`.execute(
      h.database.db,
    );
    expect(audit.rows[0]!.n).toBe(events.rows.length);
  });

  it('anonymous sign-in is needed for actions, and the anonymous item stays hidden', async () => {
    const r = await h.app.inject({
      method: 'POST',
      url: `/api/v1/feedback/${anonymousItem}/actions`,
      headers: json(),
      payload: { action: 'accept' },
    });
    expect(r.statusCode).toBe(401);
    const stranger = await signedIn(h.database, 'citizen');
    expect((await act(stranger.cookie, anonymousItem, { action: 'rate', satisfied: true })).status).toBe(404);
  });
});

describe('the sending form', () => {
  it('answers a bad form with 400 and each problem by its field, keeping what was typed', async () => {
    const form = await h.app.inject('/phan-anh-kien-nghi/gui');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const cookie = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const r = await h.app.inject({
      method: 'POST',
      url: '/phan-anh-kien-nghi/gui',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload: new URLSearchParams({
        _csrf: token,
        title: 'Tiêu đề giữ lại',
        content: '',
        step: 'send',
      }).toString(),
    });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('id="content-loi"');
    expect(r.body).toContain('id="category"');
    expect(r.body).toContain('href="#name"');
    expect(r.body).toContain('value="Tiêu đề giữ lại"');
  });
});

describe('an anonymous submitter follows the item', () => {
  it('with the contact it was sent with and a new code: progress, supplement, rating; anything else 404', async () => {
    const vpcp = await signedIn(h.database, 'officer', [['CP', 'vpcp-supervisor']]);
    const follow = async (body: Record<string, unknown>, code = anonymousItem) => {
      const r = await h.app.inject({
        method: 'POST',
        url: `/api/v1/feedback/${code}/follow`,
        headers: json(),
        payload: body,
      });
      return { status: r.statusCode, body: r.json() };
    };
    const first = await anonymousCode();
    const progress = await follow({ contact: '0912 345 678', ...first });
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({ code: anonymousItem, status: 'submitted' });
    expect(JSON.stringify(progress.body)).not.toContain('0912345678');
    // Reading leaves the code usable for one action; another contact or item is as unknown as a missing one.
    expect((await follow({ contact: '0912345678', ...first })).status).toBe(200);
    const other = await anonymousCode('0987000111');
    expect((await follow({ contact: '0987000111', ...other })).status).toBe(404);
    expect((await follow({ contact: '0987000111', ...other }, 'PAKN-2026-9999999')).status).toBe(404);

    await act(vpcp.cookie, anonymousItem, { action: 'ask-info', question: 'Phường nào?' });
    const second = await anonymousCode();
    const supplemented = await follow({ contact: '0912345678', ...second, text: 'Phường Hàng Bạc' });
    expect(supplemented.body.status).toBe('supplemented');
    await act(vpcp.cookie, anonymousItem, { action: 'accept' });
    await act(vpcp.cookie, anonymousItem, { action: 'answer', text: 'Đã chấn chỉnh.' });
    await act(vpcp.cookie, anonymousItem, { action: 'publish' });
    const third = await anonymousCode();
    const rated = await follow({ contact: '0912345678', ...third, satisfied: true });
    // The action used the code up.
    expect((await follow({ contact: '0912345678', ...third, satisfied: false })).status).toBe(400);
    expect(rated.body).toMatchObject({
      status: 'published',
      rating: true,
      answers: [{ body: 'Đã chấn chỉnh.' }],
    });
    const events = await sql<{ actor: string; action: string }>`
      select e.actor, e.action from feedback.events e join feedback.items i on i.id = e.item_id
      where i.code = ${anonymousItem} and e.action in ('supplement', 'rate') order by e.id`.execute(
      h.database.db,
    );
    expect(events.rows).toEqual([
      { actor: 'contact:sms', action: 'supplement' },
      { actor: 'contact:sms', action: 'rate' },
    ]);
  });
});
