/**
 * The hotline API on the whole portal (app.ts) on a fresh database: calls logged once per key (a double
 * submit sent concurrently makes one row), checked by the field, turned into a feedback item the caller
 * follows with their phone, or into an answer queued to them; a caller looked up with the read recorded
 * in their "who accessed my data"; callbacks claimed by one operator of two racing; the day's figures in
 * Vietnam time; and who may do any of it (citizens, other officers and other agencies' operators: 404).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedbackHarness, feedbackHarness, signedIn, vn } from '../feedback/feedback.test-support.ts';

let h: FeedbackHarness;
let op: { id: string; cookie: string };
let op2: { id: string; cookie: string };
let vpcp: { id: string; cookie: string };
let provincial: { id: string; cookie: string };
let citizen: { id: string; cookie: string };
let caller: string;

beforeAll(async () => {
  h = await feedbackHarness(vn('2026-12-07 09:00'));
  op = await signedIn(h.database, 'officer', [['CP', 'hotline-operator']]);
  op2 = await signedIn(h.database, 'officer', [['CP', 'hotline-operator']]);
  vpcp = await signedIn(h.database, 'officer', [['CP', 'vpcp-supervisor']]);
  // A hotline operator of a province's own switchboard is not the Government Office's desk.
  provincial = await signedIn(h.database, 'officer', [['UBND-79', 'hotline-operator']]);
  citizen = await signedIn(h.database, 'citizen');
  const a = await sql<{ id: string }>`
    insert into identity.accounts (kind, display_name, personal_id, phone, phone_verified_at, email, email_verified_at)
    values ('citizen', 'Phạm Minh Tuấn', '036088001234', '+84903111222', now(), 'tuan.pm@example.vn', now())
    returning id`.execute(h.database.db);
  caller = a.rows[0]!.id;
  await sql`
    insert into dossiers.dossiers (code, procedure_code, procedure_version, procedure_name, process_id, process_version,
           state, status, channel, applicant_account_id, applicant_kind, applicant_name, filed_by_account_id,
           receiving_agency_code, competent_agency_code, agency_identifier, submitted_at, received_at,
           processing_amount, processing_unit, rule_15h, original_due_at, due_at, state_entered_at)
    values ('000.00.00.H29-261201-0001', '1.001776', 1, 'Đăng ký khai sinh', 'mot-cua', 1,
           'processing', 4, 'online', ${caller}, 'citizen', 'Phạm Minh Tuấn', ${caller}, 'TTPVHCC-79', 'UBND-79',
           '000.00.00.H29', '2026-12-01T01:00:00Z', '2026-12-01T02:00:00Z', 5, 'working-day', false,
           '2026-12-08T09:00:00Z', '2026-12-08T09:00:00Z', '2026-12-01T02:00:00Z')`.execute(h.database.db);
});
afterAll(async () => {
  await h?.close();
});

const json = (cookie?: string, key?: string) => ({
  'content-type': 'application/json',
  ...(cookie ? { cookie } : {}),
  ...(key ? { 'idempotency-key': key } : {}),
});
const post = (url: string, who: { cookie: string } | undefined, payload: unknown, key?: string) =>
  h.app.inject({ method: 'POST', url, headers: json(who?.cookie, key), payload: payload as object });
const get = (url: string, who?: { cookie: string }) =>
  h.app.inject({ method: 'GET', url, headers: who ? { cookie: who.cookie } : {} });

const count = async (table: string) =>
  Number(
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(h.database.db))
      .rows[0]!.n,
  );

const CALL = {
  callerName: 'Phạm Minh Tuấn',
  callerPhone: '0903 111 222',
  topic: 'dossier',
  outcome: 'answered',
  startedAt: '2026-12-07T08:50:00+07:00',
  endedAt: '2026-12-07T08:54:30+07:00',
  answer: 'Hồ sơ đang được xử lý, hạn trả kết quả 16:00 ngày 08/12/2026.',
};

describe('logging a call', () => {
  it('writes one call for a double submit sent at the same time, and answers a retry with it', async () => {
    const [a, b] = await Promise.all([
      post('/api/v1/hotline/calls', op, CALL, 'call-1'),
      post('/api/v1/hotline/calls', op, CALL, 'call-1'),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().code).toBe(b.json().code);
    expect(a.json()).toMatchObject({
      code: expect.stringMatching(/^TD-20261207-\d{6}$/),
      callerPhone: '0903111222',
      durationSeconds: 270,
      outcome: 'answered',
      answerSentBy: null,
    });
    const again = await post('/api/v1/hotline/calls', op, CALL, 'call-1');
    expect(again.statusCode).toBe(200);
    expect(again.json().code).toBe(a.json().code);
    expect(await count('hotline.calls')).toBe(1);
    // The same key with another body is refused; another operator's same key is their own call.
    const other = await post('/api/v1/hotline/calls', op, { ...CALL, topic: 'other' }, 'call-1');
    expect(other.statusCode).toBe(409);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect((await post('/api/v1/hotline/calls', op2, CALL, 'call-1')).statusCode).toBe(201);
    expect(await count('hotline.calls')).toBe(2);
  });

  it('names each bad field in Vietnamese and writes nothing', async () => {
    const before = await count('hotline.calls');
    const r = await post(
      '/api/v1/hotline/calls',
      op,
      {
        callerPhone: '12345',
        topic: 'dossier',
        outcome: 'answered',
        startedAt: '2026-12-07T10:00:00+07:00',
        procedureCode: '9.999999',
        sendAnswerBy: 'email',
      },
      'bad-1',
    );
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const paths = (r.json().errors as Array<{ path: string; message: string }>).map((e) => e.path).sort();
    expect(paths).toEqual(['answer', 'callerEmail', 'callerPhone', 'startedAt']);
    expect(r.json().errors[0].message).toMatch(/[ăâđêôơư]/);
    // Fields fine, a procedure that does not exist.
    const unknown = await post('/api/v1/hotline/calls', op, { ...CALL, procedureCode: '9.999999' }, 'bad-2');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ path: 'procedureCode' })]);
    expect(await count('hotline.calls')).toBe(before);
  });

  it('sends the answer to the caller by SMS in the call’s transaction, once', async () => {
    const body = { ...CALL, sendAnswerBy: 'sms', answer: 'Anh nộp bổ sung bản sao giấy khai sinh.' };
    const [a, b] = await Promise.all([
      post('/api/v1/hotline/calls', op, body, 'sms-1'),
      post('/api/v1/hotline/calls', op, body, 'sms-1'),
    ]);
    expect(a.json().code).toBe(b.json().code);
    const sent = await sql<{ recipient: string; body: string }>`
      select recipient, body from notifications.messages where template = 'hotline.answer'`.execute(
      h.database.db,
    );
    expect(sent.rows).toEqual([
      {
        recipient: '+84903111222',
        body: `Cong DVC - tong dai 18001096, cuoc goi ${a.json().code}: Anh nop bo sung ban sao giay khai sinh.`,
      },
    ]);
    const long = await post('/api/v1/hotline/calls', op, { ...body, answer: 'ô'.repeat(201) }, 'sms-2');
    expect(long.statusCode).toBe(400);
    expect(long.json().errors).toEqual([expect.objectContaining({ path: 'answer' })]);
  });

  it('turns a call into a feedback item the caller follows with their phone', async () => {
    const body = {
      callerName: 'Trần Thị Lan',
      callerPhone: '0912345678',
      topic: 'feedback',
      outcome: 'feedback',
      startedAt: '2026-12-07T08:40:00+07:00',
      endedAt: '2026-12-07T08:47:00+07:00',
      feedback: {
        title: 'Bộ phận một cửa hẹn trả kết quả nhiều lần',
        content: 'Người gọi phản ánh đã ba lần đến nhận kết quả nhưng chưa có.',
        category: 'dossier-handling',
      },
    };
    const [a, b] = await Promise.all([
      post('/api/v1/hotline/calls', op, body, 'fb-1'),
      post('/api/v1/hotline/calls', op, body, 'fb-1'),
    ]);
    expect(a.json().feedbackCode).toMatch(/^PAKN-2026-\d{7}$/);
    expect(b.json().feedbackCode).toBe(a.json().feedbackCode);
    const items = await sql<{
      channel: string;
      submitter_account_id: string | null;
      submitter_phone: string;
      submitter_name: string;
    }>`
      select channel, submitter_account_id, submitter_phone, submitter_name from feedback.items`.execute(
      h.database.db,
    );
    expect(items.rows).toEqual([
      {
        channel: 'hotline',
        submitter_account_id: null,
        submitter_phone: '0912345678',
        submitter_name: 'Trần Thị Lan',
      },
    ]);
    // The Government Office sees it in its queue.
    const inbox = await get('/api/v1/feedback/inbox', vpcp);
    expect(inbox.json().items.map((i: { code: string }) => i.code)).toContain(a.json().feedbackCode);
    // The caller follows it as anonymous submitters do: the phone and a code sent there.
    const c = await post('/api/v1/feedback/codes', undefined, { contact: '0912345678' });
    expect(c.statusCode).toBe(201);
    const otp = await h.codeSentTo('0912345678');
    const follow = await post(`/api/v1/feedback/${a.json().feedbackCode}/follow`, undefined, {
      contact: '0912345678',
      challengeId: c.json().challengeId,
      code: otp,
    });
    expect(follow.statusCode).toBe(200);
    // A feedback item without its text: problems by the call's fields.
    const missing = await post('/api/v1/hotline/calls', op, { ...body, feedback: { title: 'x' } }, 'fb-2');
    expect(missing.statusCode).toBe(400);
    expect(
      missing
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['feedback.category', 'feedback.content']);
  });
});

describe('looking a caller up', () => {
  it('shows the account and dossiers and records the read for the person, with the call as the reason', async () => {
    const r = await post('/api/v1/hotline/lookup', op, {
      by: 'phone',
      value: '0903 111 222',
      reason: 'Người gọi hỏi tiến độ hồ sơ khai sinh',
      callCode: (await get('/api/v1/hotline/calls', op)).json().items.at(-1).code,
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().account).toMatchObject({
      displayName: 'Phạm Minh Tuấn',
      personalId: '036088001234',
      phoneVerified: true,
    });
    expect(r.json().account.id).toBeUndefined();
    expect(r.json().dossiers).toEqual([
      expect.objectContaining({
        code: '000.00.00.H29-261201-0001',
        procedureName: 'Đăng ký khai sinh',
        dueAt: '2026-12-08T09:00:00.000Z',
      }),
    ]);
    const log = await sql<{ accessor_id: string; purpose: string; fields: string[] }>`
      select accessor_id, purpose, fields from identity.data_access_log where account_id = ${caller}`.execute(
      h.database.db,
    );
    expect(log.rows).toHaveLength(1);
    expect(log.rows[0]!.accessor_id).toBe(op.id);
    expect(log.rows[0]!.purpose).toMatch(
      /^Tổng đài hỗ trợ 18001096, cuộc gọi TD-20261207-\d{6}: Người gọi hỏi tiến độ hồ sơ khai sinh$/,
    );
    const audit = await sql<{
      n: number;
    }>`select count(*)::int as n from platform.audit_log where action = 'hotline.lookup'`.execute(
      h.database.db,
    );
    expect(Number(audit.rows[0]!.n)).toBe(1);
    // By personal ID too.
    expect(
      (
        await post('/api/v1/hotline/lookup', op, {
          by: 'personalId',
          value: '036088001234',
          reason: 'Người gọi hỏi về tài khoản',
        })
      ).statusCode,
    ).toBe(200);
  });

  it('needs a reason; a miss or a bad number records nothing', async () => {
    const before = (
      await sql<{ n: number }>`select count(*)::int as n from identity.data_access_log`.execute(h.database.db)
    ).rows[0]!.n;
    const noReason = await post('/api/v1/hotline/lookup', op, {
      by: 'phone',
      value: '0903111222',
      reason: 'hỏi',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    const bad = await post('/api/v1/hotline/lookup', op, {
      by: 'personalId',
      value: '123',
      reason: 'Người gọi hỏi về hồ sơ',
    });
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'value' })]);
    expect(
      (
        await post('/api/v1/hotline/lookup', op, {
          by: 'taxCode',
          value: '0109999999',
          reason: 'Người gọi hỏi về hồ sơ',
        })
      ).statusCode,
    ).toBe(404);
    const after = (
      await sql<{ n: number }>`select count(*)::int as n from identity.data_access_log`.execute(h.database.db)
    ).rows[0]!.n;
    expect(after).toBe(before);
  });
});

describe('callbacks', () => {
  let code: string;
  it('queues a call needing a callback; of two operators claiming at once, one wins', async () => {
    const r = await post(
      '/api/v1/hotline/calls',
      op,
      { ...CALL, outcome: 'callback', answer: undefined, callbackDueAt: '2026-12-07T10:00:00+07:00' },
      'cb-1',
    );
    expect(r.statusCode).toBe(201);
    code = r.json().code;
    await post(
      '/api/v1/hotline/calls',
      op,
      {
        ...CALL,
        callerPhone: '0987654321',
        outcome: 'callback',
        answer: undefined,
        callbackDueAt: '2026-12-07T09:30:00+07:00',
      },
      'cb-2',
    );
    h.clock.set(vn('2026-12-07 09:45'));
    const queue = (await get('/api/v1/hotline/callbacks', op)).json().items;
    // Overdue first.
    expect(
      queue.map((q: { callerPhone: string; callback: { overdue: boolean } }) => [
        q.callerPhone,
        q.callback.overdue,
      ]),
    ).toEqual([
      ['0987654321', true],
      ['0903111222', false],
    ]);
    const [a, b] = await Promise.all([
      post(`/api/v1/hotline/callbacks/${code}/claim`, op, {}),
      post(`/api/v1/hotline/callbacks/${code}/claim`, op2, {}),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const winner = a.statusCode === 200 ? op : op2;
    const loser = winner === op ? op2 : op;
    expect((a.statusCode === 200 ? a : b).json()).toMatchObject({ state: 'claimed', claimedBy: winner.id });
    // The other operator cannot log the call back.
    const stolen = await post(
      `/api/v1/hotline/callbacks/${code}/complete`,
      loser,
      { ...CALL, outcome: 'answered' },
      'back-x',
    );
    expect(stolen.statusCode).toBe(409);
    // Not reached: back to the queue with an attempt; reached: done, linked to the first.
    const miss = await post(
      `/api/v1/hotline/callbacks/${code}/complete`,
      winner,
      {
        ...CALL,
        startedAt: '2026-12-07T09:40:00+07:00',
        endedAt: '2026-12-07T09:41:00+07:00',
        outcome: 'dropped',
        answer: undefined,
      },
      'back-1',
    );
    expect(miss.statusCode).toBe(201);
    expect(miss.json()).toMatchObject({ direction: 'outbound', callbackOf: code });
    expect((await get(`/api/v1/hotline/calls/${code}`, op)).json().callback).toMatchObject({
      state: 'open',
      attempts: 1,
    });
    expect((await post(`/api/v1/hotline/callbacks/${code}/claim`, loser, {})).statusCode).toBe(200);
    const [d1, d2] = await Promise.all([
      post(
        `/api/v1/hotline/callbacks/${code}/complete`,
        loser,
        { ...CALL, startedAt: '2026-12-07T09:42:00+07:00', endedAt: '2026-12-07T09:44:00+07:00' },
        'back-2',
      ),
      post(
        `/api/v1/hotline/callbacks/${code}/complete`,
        loser,
        { ...CALL, startedAt: '2026-12-07T09:42:00+07:00', endedAt: '2026-12-07T09:44:00+07:00' },
        'back-2',
      ),
    ]);
    expect(d1.json().code).toBe(d2.json().code);
    const view = (await get(`/api/v1/hotline/calls/${code}`, op)).json();
    expect(view.callback).toMatchObject({ state: 'done', attempts: 1 });
    expect(view.followUps).toEqual([miss.json().code, d1.json().code]);
    expect((await post(`/api/v1/hotline/callbacks/${code}/claim`, op, {})).statusCode).toBe(409);
    // A call back cannot ask for another callback.
    const other = (await get('/api/v1/hotline/callbacks', op)).json().items[0].code;
    await post(`/api/v1/hotline/callbacks/${other}/claim`, op, {});
    const again = await post(
      `/api/v1/hotline/callbacks/${other}/complete`,
      op,
      { ...CALL, outcome: 'callback', answer: undefined },
      'back-3',
    );
    expect(again.statusCode).toBe(400);
    expect((await post(`/api/v1/hotline/callbacks/${other}/release`, op, {})).json()).toMatchObject({
      state: 'open',
    });
  });

  it('counts the day in Vietnam time', async () => {
    const f = (await get('/api/v1/hotline/figures', op)).json();
    expect(f.date).toBe('2026-12-07');
    const calls = (await get('/api/v1/hotline/calls', op)).json().items as Array<{
      durationSeconds: number;
      direction: string;
      topic: string;
      outcome: string;
    }>;
    expect(f.calls).toBe(calls.length);
    expect(f.outbound).toBe(calls.filter((c) => c.direction === 'outbound').length);
    expect(f.totalSeconds).toBe(calls.reduce((s, c) => s + c.durationSeconds, 0));
    expect(f.averageSeconds).toBe(Math.round(f.totalSeconds / f.calls));
    expect(f.byTopic.feedback).toBe(calls.filter((c) => c.topic === 'feedback').length);
    expect(f.byOutcome.callback).toBe(2);
    expect(f.feedbackCreated).toBe(1);
    expect(f).toMatchObject({ callbacksOpen: 1, callbacksOverdue: 1, callbacksDone: 1 });
    // 23:30 on the 6th in Vietnam is the 6th, though it is the 6th 16:30 UTC; 00:10 on the 7th is the 7th.
    await post(
      '/api/v1/hotline/calls',
      op,
      { ...CALL, startedAt: '2026-12-06T23:30:00+07:00', endedAt: '2026-12-06T23:35:00+07:00' },
      'late-1',
    );
    expect((await get('/api/v1/hotline/figures?date=2026-12-06', op)).json().calls).toBe(1);
    expect((await get('/api/v1/hotline/figures', op)).json().calls).toBe(f.calls);
    // A day that does not exist is the caller's error, by the field.
    for (const url of ['/api/v1/hotline/figures?date=2026-02-30', '/api/v1/hotline/calls?date=7302-33-58']) {
      const bad = await get(url, op);
      expect(bad.statusCode, url).toBe(400);
      expect(bad.json().errors, url).toEqual([expect.objectContaining({ path: 'date' })]);
    }
  });
});

describe('who may use the desk', () => {
  const routes: Array<[string, string, unknown?]> = [
    ['GET', '/api/v1/hotline/calls'],
    ['GET', '/api/v1/hotline/callbacks'],
    ['GET', '/api/v1/hotline/figures'],
    ['POST', '/api/v1/hotline/calls', CALL],
    [
      'POST',
      '/api/v1/hotline/lookup',
      { by: 'phone', value: '0903111222', reason: 'Người gọi hỏi về hồ sơ' },
    ],
  ];
  it('keeps out the signed-out (401); citizens, other officers and a province’s operator get 404', async () => {
    for (const [method, url, body] of routes) {
      const as = (who?: { cookie: string }) =>
        h.app.inject({
          method: method as 'GET',
          url,
          headers: json(who?.cookie, 'perm-1'),
          ...(body ? { payload: body as object } : {}),
        });
      expect((await as()).statusCode, url).toBe(401);
      expect((await as(citizen)).statusCode, url).toBe(404);
      expect((await as(vpcp)).statusCode, url).toBe(404);
      expect((await as(provincial)).statusCode, url).toBe(404);
      expect((await as(op)).statusCode, url).toBeLessThan(300);
    }
    const log = await sql<{
      n: number;
    }>`select count(*)::int as n from identity.data_access_log where accessor_id in (${citizen.id}, ${vpcp.id}, ${provincial.id})`.execute(
      h.database.db,
    );
    expect(Number(log.rows[0]!.n)).toBe(0);
  });
});
