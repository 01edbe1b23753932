/**
 * The handlers' tools over HTTP (pages without JavaScript, and the API): answer templates kept per agency
 * and picked on the answer form; one answer to many items ticked in the inbox — each answered through the
 * single answer's decision, items that may not be answered reported by code, never an item answered twice
 * (retry, two at once); merging duplicates — the duplicate stops, follows the kept item and rates its answer.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedbackHarness, feedbackHarness, signedIn, vn } from './feedback.test-support.ts';

let h: FeedbackHarness;
let vpcp: { id: string; cookie: string };
let bca: { id: string; cookie: string };
let btp: { id: string; cookie: string };
beforeAll(async () => {
  h = await feedbackHarness(vn('2026-12-14 09:00'));
  vpcp = await signedIn(h.database, 'officer', [['CP', 'vpcp-supervisor']]);
  bca = await signedIn(h.database, 'officer', [['BCA', 'processor']]);
  btp = await signedIn(h.database, 'officer', [['BTP', 'processor']]);
});
afterAll(async () => {
  await h?.close();
});

async function page(url: string, cookie: string) {
  const r = await h.app.inject({ url, headers: { cookie } });
  const cookies = [cookie, ...r.cookies.map((c) => `${c.name}=${c.value}`)].join('; ');
  return {
    status: r.statusCode,
    body: r.body,
    cookies,
    token: /name="_csrf" value="([^"]+)"/.exec(r.body)?.[1],
  };
}
async function post(url: string, cookie: string, fields: Record<string, string | string[]>) {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
  return h.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    payload: form.toString(),
  });
}
const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, cookie: string, payload?: object) =>
  h.app.inject({
    method,
    url,
    headers: { cookie, ...(payload ? { 'content-type': 'application/json' } : {}) },
    ...(payload ? { payload } : {}),
  });

let n = 0;
/** A new item from a (new, unless given) citizen; returns its code and the submitter. */
async function submitted(fields: Record<string, string> = {}, who?: { id: string; cookie: string }) {
  const citizen = who ?? (await signedIn(h.database, 'citizen'));
  const r = await h.app.inject({
    method: 'POST',
    url: '/api/v1/feedback',
    // Each from its own address (sending is limited per address).
    remoteAddress: `10.1.${Math.floor(n / 200)}.${(n % 200) + 1}`,
    headers: {
      'content-type': 'application/json',
      cookie: citizen.cookie,
      'idempotency-key': `tools-${++n}`,
    },
    payload: {
      title: `Phản ánh số ${n}`,
      content: 'Thời gian giải quyết quá dài.',
      category: 'other',
      ...fields,
    },
  });
  expect(r.statusCode).toBe(201);
  return { code: r.json().code as string, citizen };
}
async function act(cookie: string, code: string, body: object) {
  return api('POST', `/api/v1/feedback/${code}/actions`, cookie, body);
}
async function forwardedTo(agency: string) {
  const s = await submitted();
  expect((await act(vpcp.cookie, s.code, { action: 'forward', agencies: [agency] })).statusCode).toBe(200);
  return s;
}
async function answersOf(code: string) {
  const r = await sql<{ body: string; agency_code: string | null }>`
    select a.body, a.agency_code from feedback.answers a join feedback.items i on i.id = a.item_id
    where i.code = ${code} order by a.id`.execute(h.database.db);
  return r.rows;
}
async function countOf(query: ReturnType<typeof sql<{ n: number | string }>>) {
  return Number((await query.execute(h.database.db)).rows[0]!.n);
}

describe('answer templates', () => {
  it('an agency keeps its templates; problems by the field; other agencies get 404', async () => {
    const list = await page('/quan-tri/phan-anh-kien-nghi/mau-tra-loi', bca.cookie);
    expect(list.status).toBe(200);
    expect(list.body).toContain('Chưa có mẫu trả lời nào.');
    // Reachable from the inbox.
    expect((await page('/quan-tri/phan-anh-kien-nghi', bca.cookie)).body).toContain(
      'href="/quan-tri/phan-anh-kien-nghi/mau-tra-loi"',
    );
    const bad = await post('/quan-tri/phan-anh-kien-nghi/mau-tra-loi', list.cookies, {
      _csrf: list.token!,
      agency: 'BCA',
      title: 'Tiếp thu',
      body: 'Kính gửi {ten_nguoi_gui}, hồ sơ {so_ho_so}',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="body-loi"');
    expect(bad.body).toContain('Không có trường {so_ho_so}');
    expect(bad.body).toContain('value="Tiếp thu"');
    const body = 'Kính gửi {ten_nguoi_gui}, về phản ánh {ma_pakn} gửi ngày {ngay_gui}: {co_quan} tiếp thu.';
    const ok = await post('/quan-tri/phan-anh-kien-nghi/mau-tra-loi', list.cookies, {
      _csrf: list.token!,
      agency: 'BCA',
      title: 'Tiếp thu',
      body,
    });
    expect(ok.statusCode).toBe(303);
    const again = await post('/quan-tri/phan-anh-kien-nghi/mau-tra-loi', list.cookies, {
      _csrf: list.token!,
      agency: 'BCA',
      title: 'Tiếp thu',
      body: 'Khác',
    });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('id="title-loi"');
    // Another agency's handler, or for an agency that is not theirs: as if it did not exist.
    expect(
      (
        await post('/quan-tri/phan-anh-kien-nghi/mau-tra-loi', list.cookies, {
          _csrf: list.token!,
          agency: 'BTP',
          title: 'Không phải của tôi',
          body: 'x',
        })
      ).statusCode,
    ).toBe(404);
    expect((await api('GET', '/api/v1/feedback/templates?agency=BCA', btp.cookie)).statusCode).toBe(404);
    const mine = await api('GET', '/api/v1/feedback/templates?agency=bca', bca.cookie);
    expect(mine.statusCode).toBe(200);
    const [t] = mine.json().items as Array<{ id: string; body: string }>;
    expect(t!.body).toBe(body);
    expect((await page(`/quan-tri/phan-anh-kien-nghi/mau-tra-loi/${t!.id}`, btp.cookie)).status).toBe(404);
    const problem = await api('POST', '/api/v1/feedback/templates', bca.cookie, {
      agency: 'BCA',
      title: 'Sai',
      body: '{ho_ten}',
    });
    expect(problem.statusCode).toBe(400);
    expect(problem.headers['content-type']).toContain('application/problem+json');
    expect(problem.json().errors).toEqual([expect.objectContaining({ path: 'body' })]);
    const changed = await api('PUT', `/api/v1/feedback/templates/${t!.id}`, bca.cookie, {
      title: 'Tiếp thu, sửa quy định',
      body,
    });
    expect(changed.json()).toMatchObject({ title: 'Tiếp thu, sửa quy định', agency: 'BCA' });
    expect(
      await countOf(
        sql`select count(*) as n from platform.audit_log where action like 'feedback.template-%'`,
      ),
    ).toBe(2);
  });

  it('the answer form starts from a template filled for the item; the handler edits it and sends', async () => {
    const { code, citizen } = await forwardedTo('BCA');
    const t = (await api('GET', '/api/v1/feedback/templates?agency=BCA', bca.cookie)).json().items[0] as {
      id: string;
    };
    const plain = await page(`/quan-tri/phan-anh-kien-nghi/${code}?coquan=BCA`, bca.cookie);
    expect(plain.body).toContain('name="mau"');
    expect(plain.body).toContain('Dùng mẫu');
    const filled = await page(`/quan-tri/phan-anh-kien-nghi/${code}?coquan=BCA&mau=${t.id}`, bca.cookie);
    const text = /<textarea id="answer-text"[^>]*>([^<]*)<\/textarea>/.exec(filled.body)?.[1] ?? '';
    const name = (
      await sql<{
        display_name: string;
      }>`select display_name from identity.accounts where id = ${citizen.id}`.execute(h.database.db)
    ).rows[0]!.display_name;
    expect(text).toContain(`Kính gửi ${name}, về phản ánh ${code} gửi ngày 14/12/2026`);
    expect(text).not.toContain('{');
    // Another agency's template id fills nothing.
    const other = await page(
      `/quan-tri/phan-anh-kien-nghi/${code}?coquan=BCA&mau=00000000-0000-4000-8000-000000000000`,
      bca.cookie,
    );
    expect(/<textarea id="answer-text"[^>]*><\/textarea>/.test(other.body)).toBe(true);
    const sent = await post(`/quan-tri/phan-anh-kien-nghi/${code}`, filled.cookies, {
      _csrf: filled.token!,
      action: 'answer',
      asAgency: 'BCA',
      text: `${text.replaceAll('&amp;', '&')} Quy định sẽ được sửa trong quý I.`,
    });
    expect(sent.statusCode).toBe(303);
    expect((await answersOf(code))[0]!.body).toContain('Quy định sẽ được sửa trong quý I.');
  });

  it('a template is deleted from its page', async () => {
    const t = (await api('GET', '/api/v1/feedback/templates?agency=BCA', bca.cookie)).json().items[0] as {
      id: string;
    };
    const edit = await page(`/quan-tri/phan-anh-kien-nghi/mau-tra-loi/${t.id}`, bca.cookie);
    expect(edit.status).toBe(200);
    const gone = await post(`/quan-tri/phan-anh-kien-nghi/mau-tra-loi/${t.id}`, edit.cookies, {
      _csrf: edit.token!,
      intent: 'delete',
    });
    expect(gone.statusCode).toBe(303);
    expect((await api('GET', '/api/v1/feedback/templates?agency=BCA', bca.cookie)).json().items).toEqual([]);
  });
});

describe('one answer for many items', () => {
  it('answers each ticked item on its own, fills it per item, and names the ones it could not answer', async () => {
    const a = await forwardedTo('BCA');
    const b = await forwardedTo('BCA');
    const notOurs = await forwardedTo('BTP');
    const done = await forwardedTo('BCA');
    await act(bca.cookie, done.code, { action: 'answer', asAgency: 'BCA', text: 'Đã trả lời riêng.' });
    const inbox = await page('/quan-tri/phan-anh-kien-nghi', bca.cookie);
    expect(inbox.body).toContain(`value="${a.code}|BCA"`);
    expect(inbox.body).toContain(`value="${b.code}|BCA"`);
    expect(inbox.body).not.toContain(`value="${notOurs.code}|`);
    const fields = {
      _csrf: inbox.token!,
      items: [`${a.code}|BCA`, `${b.code}|BCA`, `${notOurs.code}|BTP`, `${done.code}|BCA`],
      text: 'Kính gửi {ten_nguoi_gui}: về phản ánh {ma_pakn}, {co_quan} đã sửa quy trình.',
    };
    const r = await post('/quan-tri/phan-anh-kien-nghi/tra-loi-chung', inbox.cookies, fields);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Đã trả lời 2 phản ánh');
    expect(r.body).toContain('2 phản ánh chưa được trả lời');
    expect(r.body).toContain(`${notOurs.code}: không tìm thấy`);
    expect(r.body).toContain(`${done.code}: không thể trả lời ở trạng thái hiện tại`);
    const [answerA] = await answersOf(a.code);
    expect(answerA).toMatchObject({ agency_code: 'BCA' });
    expect(answerA!.body).toContain(`về phản ánh ${a.code}`);
    expect(answerA!.body).not.toContain('{');
    expect((await answersOf(b.code))[0]!.body).toContain(`về phản ánh ${b.code}`);
    expect(await answersOf(notOurs.code)).toEqual([]);
    expect(await answersOf(done.code)).toHaveLength(1);
    // The same decision, event and audit row as a single answer.
    for (const code of [a.code, b.code]) {
      expect(
        await countOf(sql`select count(*) as n from feedback.events e join feedback.items i on i.id = e.item_id
                          where i.code = ${code} and e.action = 'answer' and e.to_status = 'answered'`),
      ).toBe(1);
      expect(
        await countOf(
          sql`select count(*) as n from platform.audit_log where subject = ${`feedback:${code}`} and action = 'feedback.answer'`,
        ),
      ).toBe(1);
    }
    // The form sent again (a double click, a retry): nothing is answered twice, each item says why.
    const retry = await post('/quan-tri/phan-anh-kien-nghi/tra-loi-chung', inbox.cookies, fields);
    expect(retry.statusCode).toBe(200);
    expect(retry.body).not.toContain('Đã trả lời');
    expect(retry.body).toContain(`${a.code}: không thể trả lời`);
    expect(await answersOf(a.code)).toHaveLength(1);
    expect(await answersOf(b.code)).toHaveLength(1);
  });

  it('two sends at once answer each item exactly once', async () => {
    const items = [await forwardedTo('BCA'), await forwardedTo('BCA'), await forwardedTo('BCA')];
    const payload = { items: items.map((i) => ({ code: i.code, asAgency: 'BCA' })), text: 'Trả lời chung.' };
    const [one, two] = await Promise.all([
      api('POST', '/api/v1/feedback/answers', bca.cookie, payload),
      api('POST', '/api/v1/feedback/answers', bca.cookie, payload),
    ]);
    expect([one.statusCode, two.statusCode]).toEqual([200, 200]);
    const results = [...one.json().results, ...two.json().results] as Array<{
      code: string;
      ok: boolean;
      problem?: string;
    }>;
    for (const i of items) {
      const mine = results.filter((r) => r.code === i.code);
      expect(mine.filter((r) => r.ok)).toHaveLength(1);
      expect(mine.find((r) => !r.ok)?.problem).toBe('conflict');
      expect(await answersOf(i.code)).toHaveLength(1);
    }
  });

  it('the database refuses a second answer by the same agency whatever the caller checked', async () => {
    const { code } = await forwardedTo('BCA');
    await act(bca.cookie, code, { action: 'answer', asAgency: 'BCA', text: 'Lần một.' });
    const item = (
      await sql<{ id: string }>`select id from feedback.items where code = ${code}`.execute(h.database.db)
    ).rows[0]!;
    await expect(
      sql`insert into feedback.answers (item_id, agency_code, body, answered_by, answered_at)
          values (${item.id}, 'BCA', 'Lần hai', ${bca.id}, now())`.execute(h.database.db),
    ).rejects.toThrow(/answers_item_agency_uq|duplicate key/);
  });

  it('problems by the field: no item ticked, no text; what was ticked stays ticked', async () => {
    const { code } = await forwardedTo('BCA');
    const inbox = await page('/quan-tri/phan-anh-kien-nghi', bca.cookie);
    const noText = await post('/quan-tri/phan-anh-kien-nghi/tra-loi-chung', inbox.cookies, {
      _csrf: inbox.token!,
      items: [`${code}|BCA`],
      text: '  ',
    });
    expect(noText.statusCode).toBe(400);
    expect(noText.body).toContain('id="text-loi"');
    expect(noText.body).toContain('Cần nhập nội dung trả lời');
    expect(noText.body).toMatch(new RegExp(`value="${code}\\|BCA" checked`));
    const none = await post('/quan-tri/phan-anh-kien-nghi/tra-loi-chung', inbox.cookies, {
      _csrf: inbox.token!,
      text: 'Trả lời',
    });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('id="items-loi"');
    expect(none.body).toContain('Trả lời</textarea>');
    const tooMany = await api('POST', '/api/v1/feedback/answers', bca.cookie, { items: [], text: 'x' });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.headers['content-type']).toContain('application/problem+json');
    expect(await answersOf(code)).toEqual([]);
  });

  it('the Government Office answers its own items (accepted) with one text', async () => {
    const a = await submitted();
    const b = await submitted();
    for (const x of [a, b]) await act(vpcp.cookie, x.code, { action: 'accept' });
    const inbox = await page('/quan-tri/phan-anh-kien-nghi', vpcp.cookie);
    expect(inbox.body).toContain(`value="${a.code}|"`);
    const r = await post('/quan-tri/phan-anh-kien-nghi/tra-loi-chung', inbox.cookies, {
      _csrf: inbox.token!,
      items: [`${a.code}|`, `${b.code}|`],
      text: '{co_quan} trả lời phản ánh {ma_pakn}.',
    });
    expect(r.body).toContain('Đã trả lời 2 phản ánh');
    expect((await answersOf(a.code))[0]).toEqual({
      agency_code: null,
      body: `Văn phòng Chính phủ trả lời phản ánh ${a.code}.`,
    });
  });
});

describe('merging duplicates', () => {
  it('the duplicate stops, shows where it went, is never published, and its submitter rates the kept answer', async () => {
    const citizen = await signedIn(h.database, 'citizen');
    const kept = await submitted({ title: 'Chậm cấp hộ chiếu' }, citizen);
    const dup = await submitted({ title: 'Chậm cấp hộ chiếu (gửi lại)' }, citizen);
    const unrelated = await submitted({ title: 'Việc khác' });
    const vItem = await page(`/quan-tri/phan-anh-kien-nghi/${dup.code}`, vpcp.cookie);
    expect(vItem.body).toContain('Gộp vào phản ánh trùng');
    // No ground: another sender, another subject — the message by the field.
    const refused = await post(`/quan-tri/phan-anh-kien-nghi/${unrelated.code}`, vItem.cookies, {
      _csrf: vItem.token!,
      action: 'merge',
      into: kept.code,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Chỉ gộp phản ánh cùng người gửi');
    const merged = await post(`/quan-tri/phan-anh-kien-nghi/${dup.code}`, vItem.cookies, {
      _csrf: vItem.token!,
      action: 'merge',
      into: kept.code.toLowerCase(),
    });
    expect(merged.statusCode).toBe(303);
    const dupPage = await page(`/quan-tri/phan-anh-kien-nghi/${dup.code}`, vpcp.cookie);
    expect(dupPage.body).toContain('Đã gộp vào PAKN khác');
    expect(dupPage.body).toContain('dừng (đã gộp)');
    expect(dupPage.body).not.toContain('value="merge"');
    const keptPage = await page(`/quan-tri/phan-anh-kien-nghi/${kept.code}`, vpcp.cookie);
    expect(keptPage.body).toContain('Phản ánh trùng đã gộp vào đây');
    expect(keptPage.body).toContain(dup.code);
    // Not again, no chains.
    expect((await act(vpcp.cookie, dup.code, { action: 'merge', into: kept.code })).statusCode).toBe(409);
    const intoMerged = await act(vpcp.cookie, kept.code, { action: 'merge', into: dup.code });
    expect(intoMerged.statusCode).toBe(400);
    expect(intoMerged.json().errors[0].path).toBe('into');
    const third = await submitted({ title: 'Hộ chiếu lần ba' }, citizen);
    const chain = await act(vpcp.cookie, kept.code, { action: 'merge', into: third.code });
    expect(chain.statusCode).toBe(400);
    expect(chain.json().errors[0].message).toContain(`Đã có phản ánh gộp vào ${kept.code}`);
    // The submitter of the duplicate follows the kept item; no rating before its answer is published.
    const mine = await page(`/tai-khoan/phan-anh-kien-nghi/${dup.code}`, citizen.cookie);
    expect(mine.body).toContain(`Đã gộp vào ${kept.code}`);
    expect(mine.body).not.toContain('name="satisfied"');
    expect((await act(citizen.cookie, dup.code, { action: 'rate', satisfied: true })).statusCode).toBe(409);
    await act(vpcp.cookie, kept.code, { action: 'accept' });
    await act(vpcp.cookie, kept.code, { action: 'answer', text: 'Hộ chiếu được cấp trong 8 ngày làm việc.' });
    await act(vpcp.cookie, kept.code, { action: 'publish' });
    const after = await page(`/tai-khoan/phan-anh-kien-nghi/${dup.code}`, citizen.cookie);
    expect(after.body).toContain('Hộ chiếu được cấp trong 8 ngày làm việc.');
    expect(after.body).toContain('name="satisfied"');
    const rated = await post(`/tai-khoan/phan-anh-kien-nghi/${dup.code}`, after.cookies, {
      _csrf: after.token!,
      action: 'rate',
      satisfied: 'true',
    });
    expect(rated.statusCode).toBe(303);
    const row = (
      await sql<{ status: string; rated_satisfied: boolean }>`
        select status, rated_satisfied from feedback.items where code = ${dup.code}`.execute(h.database.db)
    ).rows[0]!;
    expect(row).toEqual({ status: 'merged', rated_satisfied: true });
    const viaApi = (await api('GET', `/api/v1/feedback/${dup.code}/handling`, citizen.cookie)).json();
    expect(viaApi.mergedInto).toMatchObject({ code: kept.code, status: 'published' });
    expect(viaApi.mergedInto.answers[0].body).toBe('Hộ chiếu được cấp trong 8 ngày làm việc.');
    expect((await api('GET', `/api/v1/feedback/${kept.code}/handling`, vpcp.cookie)).json().merged).toEqual([
      { code: dup.code, ground: 'same-submitter' },
    ]);
    expect((await h.app.inject(`/api/v1/feedback/${dup.code}`)).statusCode).toBe(404);
    expect((await h.app.inject(`/api/v1/feedback/${kept.code}`)).statusCode).toBe(200);
    expect(await countOf(sql`select count(*) as n from feedback.published where code = ${dup.code}`)).toBe(0);
  });

  it('an anonymous sender of a merged item follows the kept item and rates its answer with a new code', async () => {
    const contact = 'an.danh@example.vn';
    const anon = async (key: string, title: string) => {
      const c = await api('POST', '/api/v1/feedback/codes', '', { contact });
      const r = await h.app.inject({
        method: 'POST',
        url: '/api/v1/feedback',
        remoteAddress: `10.3.0.${++n}`,
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        payload: {
          title,
          content: 'Nội dung',
          category: 'other',
          name: 'Người không đăng nhập',
          contact,
          challengeId: c.json().challengeId,
          code: await h.codeSentTo(contact),
        },
      });
      expect(r.statusCode).toBe(201);
      return r.json().code as string;
    };
    const kept = await anon('anon-1', 'Lần một');
    const dup = await anon('anon-2', 'Lần hai');
    expect((await act(vpcp.cookie, dup, { action: 'merge', into: kept })).statusCode).toBe(200);
    await act(vpcp.cookie, kept, { action: 'accept' });
    await act(vpcp.cookie, kept, { action: 'answer', text: 'Đã giải quyết.' });
    await act(vpcp.cookie, kept, { action: 'withhold', reason: 'Thông tin riêng' });
    const follow = async (extra: object) => {
      const c = await api('POST', '/api/v1/feedback/codes', '', { contact });
      return api('POST', `/api/v1/feedback/${dup}/follow`, '', {
        contact,
        challengeId: c.json().challengeId,
        code: await h.codeSentTo(contact),
        ...extra,
      });
    };
    h.clock.set(new Date(h.clock.now().getTime() + 20 * 60_000));
    const rated = await follow({ satisfied: false });
    expect(rated.statusCode).toBe(200);
    expect(rated.json()).toMatchObject({ status: 'merged', rating: false });
    // The follow-up page shows where it went and the kept item's answer.
    const p = await page('/phan-anh-kien-nghi/theo-doi', '');
    const c = await api('POST', '/api/v1/feedback/codes', '', { contact });
    const seen = await post('/phan-anh-kien-nghi/theo-doi', p.cookies, {
      _csrf: p.token!,
      item: dup,
      contact,
      challengeId: c.json().challengeId,
      code: (await h.codeSentTo(contact))!,
      step: 'view',
    });
    expect(seen.statusCode).toBe(200);
    expect(seen.body).toContain(`Đã gộp vào ${kept}`);
    expect(seen.body).toContain('Đã giải quyết.');
    expect(seen.body).not.toContain('name="satisfied"');
  });

  it('the same subject (dossier or procedure) is a ground too; two crosswise merges at once: one wins', async () => {
    const procedure = '2.000505';
    const x = await submitted({ procedureCode: procedure });
    const y = await submitted({ procedureCode: procedure });
    const [one, two] = await Promise.all([
      act(vpcp.cookie, x.code, { action: 'merge', into: y.code }),
      act(vpcp.cookie, y.code, { action: 'merge', into: x.code }),
    ]);
    // The loser finds the other merged (400 on `into`) or itself moved meanwhile (409).
    const codes = [one.statusCode, two.statusCode].sort();
    expect(codes[0]).toBe(200);
    expect([400, 409]).toContain(codes[1]);
    expect(
      await countOf(
        sql`select count(*) as n from feedback.items where code in (${x.code}, ${y.code}) and status = 'merged'`,
      ),
    ).toBe(1);
    const m = (
      await sql<{
        ground: string;
      }>`select ground from feedback.merges m join feedback.items i on i.id = m.item_id
                                            where i.code in (${x.code}, ${y.code})`.execute(h.database.db)
    ).rows;
    expect(m).toEqual([{ ground: 'same-subject' }]);
  });
});
