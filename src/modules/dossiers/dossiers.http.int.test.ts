/**
 * The dossiers API and pages through HTTP on the whole portal: idempotent submission, 409 naming the
 * state and allowed actions, JSON required for cookie-authenticated changes, uploads checked by content,
 * permissions (another agency's officer and another citizen get 404), the applicant's and officers'
 * pages, form 01 PDF, notifications on status changes. The filing pages: filing.pages.int.test.ts.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../test/helpers/browser.ts';
import { judicialRecordForm } from '../../../test/helpers/filings.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession, type TestAccount } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';
import { createAgenciesModule } from '../agencies/index.ts';
import { createCalendarService } from '../calendar/index.ts';
import { dossierJobs } from './dossiers.jobs.ts';
import { workingTimeFrom } from './dossiers.ports.ts';

let portal: Portal;
let citizen: TestAccount;
let other: TestAccount;
let receiverHN: TestAccount;
let processorHN: TestAccount;
let approverHN: TestAccount;
let receiverHCM: TestAccount;
let commune01: string;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);

const cookie = (a: TestAccount) => `sid=${a.token}`;

async function api(
  who: TestAccount,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return portal.app.inject({
    method,
    url,
    headers: {
      cookie: cookie(who),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

async function upload(who: TestAccount, content: Buffer, name: string, documentCode?: string) {
  const r = await portal.app.inject({
    method: 'POST',
    url: `/api/v1/dossiers/uploads?name=${encodeURIComponent(name)}${documentCode ? `&documentCode=${documentCode}` : ''}`,
    headers: { cookie: cookie(who), 'content-type': 'application/octet-stream' },
    payload: content,
  });
  return r;
}

function formData(extra: Record<string, unknown> = {}) {
  return judicialRecordForm({
    noiCuTru: { province: '01', commune: commune01, street: 'Số 1 Tràng Tiền' },
    ...extra,
  });
}

async function fileDossier(key: string, who = citizen) {
  const a = await upload(who, PDF, 'to-khai.pdf', 'TK-LLTP');
  const b = await upload(who, PDF, 'uy-quyen.pdf', 'UQ');
  const body = {
    procedureCode: '2.000505',
    place: { provinceCode: '01' },
    formData: formData({ tep_tk_lltp: a.json().id, tep_uq: b.json().id }),
    uploads: [{ id: a.json().id }, { id: b.json().id }],
  };
  return { r: await api(who, 'POST', '/api/v1/dossiers', body, { 'idempotency-key': key }), body };
}

function browserFor(a: TestAccount) {
  const c = new FormClient(portal.app);
  c.cookies.set('sid', a.token);
  return c;
}

beforeAll(async () => {
  portal = await testPortal();
  const db = portal.database.db;
  // A commune of Hà Nội valid today.
  const r = await sql<{ code: string }>`
    select code from agencies.admin_units
    where level = 'commune' and parent_code = '01' and valid_to is null order by code limit 1`.execute(db);
  commune01 = r.rows[0]!.code;
  citizen = await accountWithSession(portal, 'citizen', {
    displayName: 'Nguyễn Văn Minh',
    phone: '+84911000001',
  });
  other = await accountWithSession(portal, 'citizen', { displayName: 'Trần Thị Khác' });
  receiverHN = await accountWithSession(portal, 'officer', {
    displayName: 'Đỗ Tiếp Nhận',
    title: 'Chuyên viên',
    agency: 'TTPVHCC-01',
    grants: [['TTPVHCC-01', 'receiver']],
  });
  processorHN = await accountWithSession(portal, 'officer', {
    displayName: 'Lê Thẩm Định',
    agency: 'UBND-01',
    grants: [['UBND-01', 'processor']],
  });
  approverHN = await accountWithSession(portal, 'officer', {
    displayName: 'Trần Phê Duyệt',
    agency: 'UBND-01',
    grants: [['UBND-01', 'approver']],
  });
  receiverHCM = await accountWithSession(portal, 'officer', {
    agency: 'TTPVHCC-79',
    grants: [['TTPVHCC-79', 'receiver']],
  });
});
afterAll(async () => {
  await portal?.close();
});

describe('the JSON API', () => {
  it('needs an Idempotency-Key; a repeat returns the same dossier; the same key with another body is a 409', async () => {
    const none = await api(citizen, 'POST', '/api/v1/dossiers', {
      procedureCode: '2.000505',
      place: { provinceCode: '01' },
      formData: {},
    });
    expect(none.statusCode).toBe(400);

    const { r, body } = await fileDossier('khoa-1');
    expect(r.statusCode, r.body).toBe(201);
    const d = r.json();
    expect(d.code).toMatch(/^000\.00\.00\.H26-\d{6}-\d{4}$/);
    expect(d).toMatchObject({ state: 'submitted', status: 1, competentAgencyCode: 'STP-01' });
    expect(d.attachments).toHaveLength(2);
    expect(d.attachments[0]).toMatchObject({
      mediaType: 'application/pdf',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const again = await api(citizen, 'POST', '/api/v1/dossiers', body, { 'idempotency-key': 'khoa-1' });
    expect(again.statusCode).toBe(200);
    expect(again.json().code).toBe(d.code);

    const changed = await api(
      citizen,
      'POST',
      '/api/v1/dossiers',
      { ...body, summary: 'khác' },
      { 'idempotency-key': 'khoa-1' },
    );
    expect(changed.statusCode).toBe(409);
    expect(changed.headers['content-type']).toContain('application/problem+json');
  });

  it('checks the e-form against the procedure schema, with Vietnamese messages by field', async () => {
    const r = await api(
      citizen,
      'POST',
      '/api/v1/dossiers',
      {
        procedureCode: '2.000505',
        place: { provinceCode: '01' },
        formData: { hoTen: 'A', soDinhDanh: '123' },
      },
      { 'idempotency-key': 'khoa-loi' },
    );
    expect(r.statusCode).toBe(400);
    const paths = r.json().errors.map((e: { path: string }) => e.path);
    // No file: which case (trường hợp) applies cannot be told, so the case is asked for.
    expect(paths).toEqual(expect.arrayContaining(['/soDinhDanh', '/ngaySinh', '/noiCuTru', 'case']));
    expect(r.json().errors.find((e: { path: string }) => e.path === '/ngaySinh').message).toContain(
      'Chưa nhập',
    );
  });

  it('files under a case: named, or else the one the attached documents fit', async () => {
    const { r } = await fileDossier('khoa-hai-tep');
    expect(r.json().caseName).toBe('Ủy quyền cho người khác làm thủ tục');
    const a = await upload(citizen, PDF, 'to-khai.pdf', 'TK-LLTP');
    const one = await api(
      citizen,
      'POST',
      '/api/v1/dossiers',
      {
        procedureCode: '2.000505',
        place: { provinceCode: '01' },
        formData: formData({ tep_tk_lltp: a.json().id }),
        uploads: [{ id: a.json().id }],
      },
      { 'idempotency-key': 'khoa-mot-tep' },
    );
    expect(one.statusCode, one.body).toBe(201);
    expect(one.json().caseName).toBe('Người yêu cầu tự nộp');
    const unknown = await api(
      citizen,
      'POST',
      '/api/v1/dossiers',
      {
        procedureCode: '2.000505',
        place: { provinceCode: '01' },
        case: 'Trường hợp không có',
        formData: formData({ tep_tk_lltp: a.json().id }),
      },
      { 'idempotency-key': 'khoa-truong-hop-la' },
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors.map((e: { path: string }) => e.path)).toContain('case');
    const named = await api(
      citizen,
      'POST',
      '/api/v1/dossiers',
      {
        procedureCode: '2.000505',
        place: { provinceCode: '01' },
        case: 'Ủy quyền cho người khác làm thủ tục',
        formData: formData({ tep_tk_lltp: a.json().id }),
      },
      { 'idempotency-key': 'khoa-thieu-uy-quyen' },
    );
    expect(named.statusCode).toBe(400);
    expect(named.json().errors.map((e: { path: string }) => e.path)).toContain('/tep_uq');
  });

  it('refuses cookie-authenticated changes that are not JSON (a cross-site form cannot send JSON)', async () => {
    const r = await portal.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: {
        cookie: cookie(citizen),
        'content-type': 'application/x-www-form-urlencoded',
        'idempotency-key': 'x',
      },
      payload: 'procedureCode=2.000505',
    });
    expect(r.statusCode).toBe(415);
    const act = await portal.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers/000.00.00.H26-261124-0001/actions',
      headers: { cookie: cookie(citizen), 'content-type': 'text/plain' },
      payload: '{"action":"withdraw"}',
    });
    expect(act.statusCode).toBe(415);
  });

  it('checks uploads by content, not by name', async () => {
    const fake = await upload(citizen, Buffer.from('MZ not a pdf at all, an executable'), 'to-khai.pdf');
    expect(fake.statusCode).toBe(400);
    expect(fake.json().detail).toContain('không đúng định dạng');
    const png = await upload(citizen, PNG, 'anh.pdf');
    expect(png.statusCode).toBe(201);
    expect(png.json().mediaType).toBe('image/png');
  });

  it('stores a file name without its control and bidirectional characters', async () => {
    const r = await upload(citizen, PDF, 'tờ\r\nkhai\u202efdp.exe.pdf'.normalize('NFD'));
    expect(r.statusCode).toBe(201);
    expect(r.json().fileName).toBe('tờkhaifdp.exe.pdf');
  });

  it('answers 409 naming the state and the allowed actions; runs the whole lifecycle', async () => {
    const { r } = await fileDossier('khoa-vong-doi');
    const code = r.json().code as string;
    const wrong = await api(receiverHN, 'POST', `/api/v1/dossiers/${code}/actions`, { action: 'approve' });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json()).toMatchObject({ state: 'submitted', allowedActions: ['receive', 'refuse'] });

    for (const [who, action, extra] of [
      [receiverHN, 'receive', {}],
      [receiverHN, 'forward', {}],
      [processorHN, 'request-supplement', { reason: 'Thiếu bản sao căn cước' }],
    ] as const) {
      const x = await api(who, 'POST', `/api/v1/dossiers/${code}/actions`, { action, ...extra });
      expect(x.statusCode, `${action}: ${x.body}`).toBe(200);
    }
    const form02 = await api(citizen, 'GET', `/ho-so/${code}/mau-02.pdf`);
    expect(form02.statusCode).toBe(200);
    expect(form02.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await api(citizen, 'GET', `/ho-so/${code}/mau-04.pdf`)).statusCode).toBe(404);
    expect((await api(other, 'GET', `/ho-so/${code}/mau-02.pdf`)).statusCode).toBe(404);
    if (process.env.DOSSIER_PDF_OUT)
      (await import('node:fs')).writeFileSync(process.env.DOSSIER_PDF_OUT, form02.rawPayload);
    const sup = await upload(citizen, PDF, 'bo-sung.pdf');
    const back = await api(citizen, 'POST', `/api/v1/dossiers/${code}/actions`, {
      action: 'supplement-received',
      uploads: [sup.json().id],
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().attachments.map((a: { purpose: string }) => a.purpose)).toContain('supplement');
    expect(
      (await api(approverHN, 'POST', `/api/v1/dossiers/${code}/actions`, { action: 'approve' })).statusCode,
    ).toBe(200);
    const result = await upload(receiverHN, PDF, 'ket-qua.pdf');
    const done = await api(receiverHN, 'POST', `/api/v1/dossiers/${code}/actions`, {
      action: 'return-result',
      uploads: [result.json().id],
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ state: 'returned', status: 10, outcome: 'approved' });
    expect(done.json().history.map((h: { action: string }) => h.action)).toEqual([
      'submit',
      'receive',
      'forward',
      'request-supplement',
      'supplement-received',
      'approve',
      'return-result',
    ]);
  });

  it('keeps dossiers in scope: another agency and another citizen get 404', async () => {
    const { r } = await fileDossier('khoa-pham-vi');
    const code = r.json().code as string;
    expect((await api(citizen, 'GET', `/api/v1/dossiers/${code}`)).statusCode).toBe(200);
    expect((await api(receiverHN, 'GET', `/api/v1/dossiers/${code}`)).statusCode).toBe(200);
    expect((await api(other, 'GET', `/api/v1/dossiers/${code}`)).statusCode).toBe(404);
    expect((await api(receiverHCM, 'GET', `/api/v1/dossiers/${code}`)).statusCode).toBe(404);
    expect(
      (await api(receiverHCM, 'POST', `/api/v1/dossiers/${code}/actions`, { action: 'receive' })).statusCode,
    ).toBe(404);
    expect(
      (await api(other, 'POST', `/api/v1/dossiers/${code}/actions`, { action: 'withdraw' })).statusCode,
    ).toBe(404);
    const file = r.json().attachments[0].id;
    expect((await api(other, 'GET', `/api/v1/dossiers/${code}/attachments/${file}`)).statusCode).toBe(404);
    const mine = await api(citizen, 'GET', `/api/v1/dossiers/${code}/attachments/${file}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    expect(
      (await api(citizen, 'GET', '/api/v1/dossiers')).json().items.map((i: { code: string }) => i.code),
    ).toContain(code);
    expect((await api(other, 'GET', '/api/v1/dossiers')).json().items).toEqual([]);
    const inbox = await api(receiverHN, 'GET', '/api/v1/dossiers/inbox?tab=new');
    expect(inbox.json().items.map((i: { code: string }) => i.code)).toContain(code);
    expect((await api(receiverHCM, 'GET', '/api/v1/dossiers/inbox?tab=new')).json().items).toEqual([]);
  });

  it('tells the applicant of every status change by SMS through the outbox', async () => {
    const { r } = await fileDossier('khoa-tin-nhan');
    const code = r.json().code as string;
    await api(receiverHN, 'POST', `/api/v1/dossiers/${code}/actions`, { action: 'receive' });
    for (let i = 0; i < 5; i++) await portal.dispatcher.runOnce();
    const sent = await sql<{ recipient: string; body: string }>`
      select recipient, body from notifications.messages where body like ${`%${code}%`} order by id`.execute(
      portal.database.db,
    );
    expect(sent.rows.length).toBeGreaterThanOrEqual(2);
    expect(sent.rows.map((m) => m.body).join('\n')).toContain('Duoc tiep nhan');
  });

  it('respects a citizen who turned SMS off for status changes: e-mail and inbox only; codes still go by SMS', async () => {
    const quiet = await accountWithSession(portal, 'citizen', {
      displayName: 'Phạm Thị Lặng',
      personalId: '001190077777',
      phone: '+84911000077',
      email: 'pham.lang@example.vn',
    });
    const browser = browserFor(quiet);
    await browser.get('/tai-khoan/thong-bao');
    const saved = await browser.post('/tai-khoan/thong-bao', {
      'email.dossier-status': 'on',
      'sms.deadlines': 'on',
      'email.deadlines': 'on',
    });
    expect(saved.statusCode).toBe(303);
    const { r } = await fileDossier('khoa-khong-sms', quiet);
    const code = r.json().code as string;
    await api(receiverHN, 'POST', `/api/v1/dossiers/${code}/actions`, { action: 'receive' });
    for (let i = 0; i < 5; i++) await portal.dispatcher.runOnce();
    const sent = await sql<{ channel: string; recipient: string }>`
      select channel, recipient from notifications.messages where body like ${`%${code}%`} order by id`.execute(
      portal.database.db,
    );
    expect(sent.rows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sent.rows.map((m) => `${m.channel} ${m.recipient}`))).toEqual(
      new Set(['email pham.lang@example.vn']),
    );
    // Every change is in the inbox, one entry each (submitted, received).
    const inbox = await browser.get('/thong-bao');
    expect(inbox.body.split(`Hồ sơ ${code}:`).length - 1).toBe(2);
    expect(inbox.body).toContain('Được tiếp nhận');
    // A code is not a status change: asking for a password reset still sends one by SMS.
    const forgot = new FormClient(portal.app, '203.0.113.77');
    await forgot.get('/quen-mat-khau');
    const asked = await forgot.post('/quen-mat-khau', { identifier: '001190077777', contact: '0911000077' });
    expect(asked.statusCode).toBe(303);
    const codes = await sql<{ template: string }>`
      select template from notifications.messages where recipient = '+84911000077' order by id`.execute(
      portal.database.db,
    );
    expect(codes.rows.map((m) => m.template)).toEqual(['otp.reset-password']);
  });
});

describe('the scheduled jobs', () => {
  it("warns before a due date and escalates after it, once per due date; makes next month's history partition", async () => {
    const { r } = await fileDossier('khoa-han');
    const code = r.json().code as string;
    const due = new Date(r.json().dueAt);
    const jobs = dossierJobs({
      db: portal.database.db,
      people: { can: async () => false, mayActFor: async () => false, profileOf: async () => undefined },
      workingTimeOf: (row) => {
        const clock = { now: () => new Date() };
        const agencies = createAgenciesModule({ db: portal.database.db, clock }).service;
        const calendar = createCalendarService({
          db: portal.database.db,
          clock,
          officeHoursFor: (c, d) => agencies.officeHoursFor(c, d),
        });
        return workingTimeFrom(calendar)(row.receiving_agency_code, row.submitted_at);
      },
    });
    const watch = jobs.find((j) => j.name === 'dossiers.deadline-watch')!;
    const alerts = async () =>
      (
        await sql<{
          kind: string;
        }>`select kind from dossiers.deadline_alerts where dossier_code = ${code} order by sent_at`.execute(
          portal.database.db,
        )
      ).rows.map((x) => x.kind);
    await watch.run(new Date(due.getTime() - 2 * 3_600_000));
    await watch.run(new Date(due.getTime() - 3_600_000));
    expect(await alerts()).toEqual(['due-soon']);
    await watch.run(new Date(due.getTime() + 3_600_000));
    await watch.run(new Date(due.getTime() + 7_200_000));
    expect(await alerts()).toEqual(['due-soon', 'overdue']);
    // The escalation to the leaders (level 1), once; and no outbox message left for a topic nobody handles.
    const levels = await sql<{ level: number }>`
      select level from dossiers.escalations where dossier_code = ${code} order by level`.execute(
      portal.database.db,
    );
    expect(levels.rows.map((x) => Number(x.level))).toEqual([1]);
    const stray = await sql<{ n: number }>`
      select count(*)::int as n from platform.outbox where topic = 'dossier.deadline'`.execute(
      portal.database.db,
    );
    expect(stray.rows[0]!.n).toBe(0);

    await jobs.find((j) => j.name === 'dossiers.history-partitions')!.run(new Date('2027-03-15T00:00:00Z'));
    const parts = await sql<{ name: string }>`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      join pg_class p on p.oid = i.inhparent where p.relname = 'history'`.execute(portal.database.db);
    expect(parts.rows.map((x) => x.name)).toContain('history_2027_04');
  });
});

describe('opening a draft', () => {
  it('gives concurrent first visits of the filing page one draft (HTTP requests at the same moment)', async () => {
    const applicant = await accountWithSession(portal, 'citizen', { displayName: 'Phạm Hai Tab' });
    const address = await portal.app.listen({ port: 0, host: '127.0.0.1' });
    const visit = () =>
      fetch(`${address}/ho-so/nop/2.000505`, {
        headers: { cookie: cookie(applicant), accept: 'text/html' },
        redirect: 'manual',
      });
    const answers = await Promise.all(Array.from({ length: 24 }, visit));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 303));
    const places = new Set(answers.map((a) => a.headers.get('location')));
    expect(places.size).toBe(1);
    const open = await sql<{ id: string }>`
      select id from dossiers.drafts
      where account_id = ${applicant.id} and procedure_code = '2.000505' and submitted_dossier is null`.execute(
      portal.database.db,
    );
    // A new draft starts at its place step.
    expect(open.rows.map((r) => `/ho-so/nhap/${r.id}/noi-giai-quyet`)).toEqual([...places]);
    // The database holds the rule, whatever the code does.
    await expect(
      sql`insert into dossiers.drafts (account_id, procedure_code, submit_token)
          values (${applicant.id}, '2.000505', 'another-token-abcdefgh')`.execute(portal.database.db),
    ).rejects.toThrow(/drafts_open_uq/);
    // Another procedure, or the same once the draft is submitted, opens a new one.
    await sql`update dossiers.drafts set submitted_dossier = 'x' where id = ${open.rows[0]!.id}`.execute(
      portal.database.db,
    );
    const again = await visit();
    expect(again.headers.get('location')).not.toBe([...places][0]);
  });
});

describe('the pages (without JavaScript)', () => {
  it('officers act through forms; the applicant supplements, withdraws or rates; comments stay internal', async () => {
    const { r } = await fileDossier('khoa-trang');
    const code = r.json().code as string;
    const officer = browserFor(receiverHN);
    const inbox = await officer.get('/quan-tri/ho-so?tab=new');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain(code);
    const page = await officer.get(`/ho-so/${code}`);
    expect(page.body).toContain('Tiếp nhận');
    expect(page.body).toContain('Ý kiến nội bộ');
    const revision = /name="revision" value="(\d+)"/.exec(page.body)![1]!;
    const received = await officer.post(`/ho-so/${code}/thao-tac`, { action: 'receive', revision });
    expect(received.statusCode, received.body.slice(0, 500)).toBe(303);
    await officer.get(`/ho-so/${code}`);
    // An action no longer allowed (stale page): the page says so, nothing changes.
    const stale = await officer.post(`/ho-so/${code}/thao-tac`, { action: 'receive' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Chưa thực hiện được');
    await officer.get(`/ho-so/${code}`);
    expect((await officer.post(`/ho-so/${code}/y-kien`, { body: 'Đã kiểm tra bản gốc' })).statusCode).toBe(
      303,
    );
    await officer.get(`/ho-so/${code}`);
    expect((await officer.post(`/ho-so/${code}/phan-cong`, { assignee: 'me' })).statusCode).toBe(303);
    expect((await officer.get('/quan-tri/ho-so?tab=mine')).body).toContain(code);

    const applicant = browserFor(citizen);
    const seen = await applicant.get(`/ho-so/${code}`);
    expect(seen.body).not.toContain('Đã kiểm tra bản gốc');
    expect(seen.body).toContain('Rút hồ sơ');
    const withdrawn = await applicant.post(`/ho-so/${code}/thao-tac`, { action: 'withdraw' });
    expect(withdrawn.statusCode).toBe(303);
    expect((await api(citizen, 'GET', `/api/v1/dossiers/${code}`)).json()).toMatchObject({
      state: 'withdrawn',
      status: 7,
    });
    // Another citizen's browser cannot see it.
    expect((await browserFor(other).get(`/ho-so/${code}`)).statusCode).toBe(404);
  });
});
