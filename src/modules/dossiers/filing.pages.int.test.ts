/**
 * Filing through the pages without JavaScript, on the whole portal: the place step (a province, then a
 * searchable list of its communes), the e-form pre-filled from the account, a refused file kept beside its
 * field with the rest of the draft, "Kiểm tra lại thông tin" with every answer and document, the final
 * submit (a double submit makes one dossier), the routing that follows (the commune's People's Committee,
 * the province's department for the judicial record), drafts listed by procedure name, the dossier page
 * for the applicant and the officer, the inbox's search and counts, a payment asked for and shown, and
 * the public lookup of a dossier filed here.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../test/helpers/browser.ts';
import { judicialRecordFiling } from '../../../test/helpers/filings.ts';
import { postMultipart } from '../../../test/helpers/multipart.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession, type TestAccount } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';

let portal: Portal;
let citizen: TestAccount;
let officerHN: TestAccount;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const EXE = Buffer.from('MZ\x90\x00 this is a program, not a document');

function browserFor(a: TestAccount) {
  const c = new FormClient(portal.app);
  c.cookies.set('sid', a.token);
  return c;
}

/** The text of a page's main content, tags removed, for messages. */
const main = (html: string) =>
  (/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? html)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, 2000);

beforeAll(async () => {
  portal = await testPortal({ env: { UPLOAD_MAX_MB: '1' } });
  citizen = await accountWithSession(portal, 'citizen', {
    displayName: 'Nguyễn Văn Minh',
    personalId: '001088012345',
    phone: '+84911000001',
  });
  await sql`update identity.accounts set birth_date = '1988-05-12' where id = ${citizen.id}`.execute(
    portal.database.db,
  );
  officerHN = await accountWithSession(portal, 'officer', {
    displayName: 'Đỗ Một Cửa',
    agency: 'UBND-01',
    grants: [
      ['UBND-01', 'receiver'],
      ['UBND-01', 'processor'],
      ['UBND-01', 'approver'],
      ['UBND-01', 'cashier'],
    ],
  });
});
afterAll(async () => {
  await portal?.close();
});

/** Starts filing a procedure: the draft's address (its place step first). */
async function start(b: FormClient, code: string) {
  const r = await b.get(`/ho-so/nop/${code}`);
  expect(r.statusCode).toBe(303);
  return String(r.headers.location);
}

describe('the place step', () => {
  it('asks for the province, then lists its communes, filtered by a name typed without diacritics', async () => {
    const b = browserFor(citizen);
    const place = await start(b, '2.000815');
    expect(place).toMatch(/^\/ho-so\/nhap\/[0-9a-f-]{36}\/noi-giai-quyet$/);
    const first = await b.get(place);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Tỉnh, thành phố');
    expect(first.body).toContain('Hiện danh sách xã, phường');
    expect(first.body).not.toContain('name="xa"');

    const all = await b.get(`${place}?cap=commune&tinh=01`);
    const listed = all.body.match(/name="xa" value="\d{5}"/g) ?? [];
    const hanoi = await sql<{ n: number }>`
      select count(*)::int as n from agencies.admin_units
       where level = 'commune' and parent_code = '01' and valid_from = '2025-07-01'`.execute(
      portal.database.db,
    );
    expect(listed.length).toBe(hanoi.rows[0]!.n);
    expect(listed.length).toBeGreaterThan(100);

    const found = await b.get(`${place}?cap=commune&tinh=01&q=${encodeURIComponent('hoan kiem')}`);
    expect(found.body).toContain('Phường Hoàn Kiếm');
    expect(found.body.match(/name="xa" value="\d{5}"/g)?.length).toBeLessThan(5);

    // A commune of another province, or none: the message is by the list, nothing is saved.
    await b.get(`${place}?cap=commune&tinh=01`);
    const wrong = await b.post(place, { cap: 'commune', tinh: '01', xa: '25747' }); // Phường Thủ Dầu Một, Hồ Chí Minh City
    expect(wrong.statusCode).toBe(400);
    expect(main(wrong.body)).toMatch(/không thuộc tỉnh, thành phố đã chọn|Chọn xã, phường/);
    await b.get(`${place}?cap=commune&tinh=01`);
    const none = await b.post(place, { cap: 'commune', tinh: '01' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('href="#f._xa"');

    await b.get(`${place}?cap=commune&tinh=01`);
    const chosen = await b.post(place, { cap: 'commune', tinh: '01', xa: '00070' });
    expect(chosen.statusCode, main(chosen.body)).toBe(303);
    expect(chosen.headers.location).toBe(place.replace('/noi-giai-quyet', ''));
    const form = await b.get(String(chosen.headers.location));
    expect(main(form.body)).toContain('Ủy ban nhân dân phường Hoàn Kiếm');
  });

  it('pre-fills the e-form from the account: name, ID number, date of birth, phone', async () => {
    const b = browserFor(citizen);
    const place = await start(b, '1.001193');
    await b.get(`${place}?cap=commune&tinh=01`);
    await b.post(place, { cap: 'commune', tinh: '01', xa: '00070' });
    const form = await b.get(place.replace('/noi-giai-quyet', ''));
    expect(form.body).toContain('value="Nguyễn Văn Minh"');
    expect(form.body).toContain('value="001088012345"');
    expect(form.body).toContain('value="1988-05-12"');
    expect(form.body).toContain('value="0911000001"');
  });
});

describe('the e-form, the check of the answers and the submit', () => {
  it('files a certified copy at the commune: answers, a refused file kept aside, the check, one dossier', async () => {
    const b = browserFor(citizen);
    const place = await start(b, '2.000815');
    await b.get(`${place}?cap=commune&tinh=01`);
    await b.post(place, { cap: 'commune', tinh: '01', xa: '00070' });
    const formUrl = place.replace('/noi-giai-quyet', '');
    const page = await b.get(formUrl);
    expect(page.statusCode).toBe(200);
    const answers = {
      'f.hoTen': 'Nguyễn Văn Minh',
      'f.soDinhDanh': '001088012345',
      'f.ngaySinh': '1988-05-12',
      'f.noiCuTru.province': '01',
      'f.noiCuTru.commune': '00070',
      'f.noiCuTru.street': 'Số 1 phố Tràng Tiền',
      'f.soDienThoai': '0911000001',
      'f.soTrang': '3',
      'f.soBan': '2',
    };
    // A program where a document goes: refused beside its slot, every answer kept, the page a 400 (not a 500).
    const refused = await postMultipart(
      portal.app,
      b,
      formUrl,
      { ...answers, hanhDong: 'tiep' },
      { 'tep.tep_banchinh': { name: 'ban-chinh.exe', content: EXE, type: 'application/octet-stream' } },
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('không đúng định dạng cho phép');
    expect(refused.body).toContain('value="Số 1 phố Tràng Tiền"');
    expect(refused.body).toContain('value="3"');
    // Too large (the test portal allows 1 MB): the same, never a 500.
    const big = await postMultipart(
      portal.app,
      b,
      formUrl,
      { ...answers, hanhDong: 'tiep' },
      {
        'tep.tep_banchinh': {
          name: 'ban-chinh.pdf',
          content: Buffer.concat([PDF, Buffer.alloc(1_300_000, 32)]),
          type: 'application/pdf',
        },
      },
    );
    expect(big.statusCode).toBe(400);
    expect(big.body).toContain('lớn hơn');
    // The draft kept every answer.
    const draft = await sql<{ form_data: Record<string, unknown> }>`
      select form_data from dossiers.drafts where id = ${formUrl.split('/').at(-1)}`.execute(
      portal.database.db,
    );
    expect(draft.rows[0]!.form_data).toMatchObject({ soTrang: 3, soBan: 2 });

    // The document in PDF: on to the check.
    const next = await postMultipart(
      portal.app,
      b,
      formUrl,
      { ...answers, hanhDong: 'tiep' },
      { 'tep.tep_banchinh': { name: 'ban-chinh.pdf', content: PDF, type: 'application/pdf' } },
    );
    expect(next.statusCode, main(next.body)).toBe(303);
    expect(next.headers.location).toBe(`${formUrl}/kiem-tra`);
    const review = await b.get(`${formUrl}/kiem-tra`);
    const text = main(review.body);
    for (const shown of [
      'Kiểm tra lại thông tin',
      'Ủy ban nhân dân phường Hoàn Kiếm',
      'Họ, chữ đệm và tên Nguyễn Văn Minh',
      'Ngày, tháng, năm sinh 12/05/1988',
      'Số 1 phố Tràng Tiền, Phường Hoàn Kiếm, Thành phố Hà Nội',
      'Số trang của bản chính 3',
      'Bản chính giấy tờ, văn bản cần chứng thực bản sao ban-chinh.pdf',
    ])
      expect(text).toContain(shown);
    expect(review.body).toContain(`href="${formUrl}#f.hoTen"`);
    expect(review.body).toContain(`href="${formUrl}#tep.tep_banchinh"`);
    expect(review.body).toContain(`href="${place}"`);

    const token = /name="token" value="([^"]+)"/.exec(review.body)![1]!;
    const csrf = b.csrf();
    const filed = await b.post(`${formUrl}/nop`, { token }, { csrf });
    expect(filed.statusCode, main(filed.body)).toBe(303);
    const receipt = String(filed.headers.location);
    const code = decodeURIComponent(receipt.split('/')[2]!);
    // Numbered under the commune's People's Committee (its identifier under Hà Nội's, H26).
    expect(code).toMatch(/^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.H26-\d{6}-\d{4}$/);
    expect(code.startsWith('000.00.00.H26')).toBe(false);
    const again = await b.post(`${formUrl}/nop`, { token }, { csrf });
    expect(again.headers.location).toBe(receipt);
    const row = await sql<{
      competent_agency_code: string;
      applicant_id_number: string;
      commune_code: string;
    }>`
      select competent_agency_code, applicant_id_number, commune_code from dossiers.dossiers where code = ${code}`.execute(
      portal.database.db,
    );
    expect(row.rows).toEqual([
      { competent_agency_code: 'UBND-00070', applicant_id_number: '001088012345', commune_code: '00070' },
    ]);

    // The dossier page: the answers as labelled, the document under its name with a preview.
    const view = await b.get(`/ho-so/${encodeURIComponent(code)}`);
    const seen = main(view.body);
    expect(seen).toContain('Thông tin đã khai');
    expect(seen).toContain('Số bản sao cần chứng thực 2');
    expect(seen).toContain('Bản chính giấy tờ, văn bản cần chứng thực bản sao');
    expect(view.body).toMatch(/<iframe src="\/ho-so\/[^"]+\/tep\/[0-9a-f-]+\?xem=1"/);
    expect(seen).not.toContain('SHA-256');
    const preview = await b.get(/<iframe src="([^"]+)"/.exec(view.body)![1]!.replace(/&amp;/g, '&'));
    expect(preview.headers['content-disposition']).toMatch(/^inline/);
    const officer = await browserFor(officerHN).get(`/ho-so/${encodeURIComponent(code)}`);
    expect(main(officer.body)).toContain('SHA-256');
  });

  it('does not go on with answers missing: each message by its field, the answers kept', async () => {
    const b = browserFor(citizen);
    const place = await start(b, '1.004873');
    await b.get(`${place}?cap=commune&tinh=01`);
    await b.post(place, { cap: 'commune', tinh: '01', xa: '00070' });
    const formUrl = place.replace('/noi-giai-quyet', '');
    await b.get(formUrl);
    const bad = await postMultipart(portal.app, b, formUrl, {
      hanhDong: 'tiep',
      'f.hoTen': 'Nguyễn Văn Minh',
      'f.ngaySinh': '',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Chưa nhập “Ngày, tháng, năm sinh”');
    expect(bad.body).toContain('href="#f.ngaySinh"');
    expect(bad.body).toContain('value="Nguyễn Văn Minh"');
  });
});

describe('routing and the lookup', () => {
  it('sends the judicial record to the Department of Justice, received by the province’s centre; anyone looks it up', async () => {
    const ups = await Promise.all(
      ['TK-LLTP', 'UQ'].map(async (doc) => {
        const r = await portal.app.inject({
          method: 'POST',
          url: `/api/v1/dossiers/uploads?name=${doc}.pdf&documentCode=${doc}`,
          headers: { cookie: `sid=${citizen.token}`, 'content-type': 'application/octet-stream' },
          payload: PDF,
        });
        return r.json().id as string;
      }),
    );
    const r = await portal.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: {
        cookie: `sid=${citizen.token}`,
        'content-type': 'application/json',
        'idempotency-key': 'lltp-1',
      },
      payload: JSON.stringify(judicialRecordFiling(ups as [string, string])),
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ competentAgencyCode: 'STP-01', receivingAgencyCode: 'TTPVHCC-01' });
    const code = r.json().code as string;

    // The public lookup: the API and the page, with the last 4 digits of the applicant's ID number.
    const found = await portal.app.inject({ url: `/api/v1/lookup/${encodeURIComponent(code)}?last4=2345` });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json()).toMatchObject({ MaHoSo: code, TrangThaiHoSo: 1, agencyCode: 'STP-01' });
    expect(found.json().history[0].NoiDungXuLy).toBe('Nộp hồ sơ trực tuyến');
    const wrong = await portal.app.inject({ url: `/api/v1/lookup/${encodeURIComponent(code)}?last4=9999` });
    expect(wrong.statusCode).toBe(404);
    const page = await portal.app.inject({ url: `/tra-cuu-ho-so?ma=${encodeURIComponent(code)}&so=2345` });
    expect(main(page.body)).toContain('Sở Tư pháp thành phố Hà Nội');
  });
});

describe("the applicant's and the officer's pages", () => {
  it('lists drafts by procedure name; the inbox searches by code, name and ID number, with counts', async () => {
    const applicant = await accountWithSession(portal, 'citizen', {
      displayName: 'Trần Thị Bích Ngọc',
      personalId: '001190067890',
    });
    const b = browserFor(applicant);
    const place = await start(b, '2.000815');
    const mine = await b.get('/ho-so/cua-toi');
    expect(main(mine.body)).toContain('Chứng thực bản sao từ bản chính giấy tờ');
    expect(mine.body).toContain(`href="${place.replace('/noi-giai-quyet', '')}"`);

    const { code } = await fileJudicialRecord(applicant, 'ngoc-1');
    const officer = browserFor(officerHN);
    for (const q of [code, 'tran thi bich', 'Bích Ngọc', '001190067890']) {
      const r = await officer.get(`/quan-tri/ho-so?q=${encodeURIComponent(q)}`);
      expect(r.statusCode).toBe(200);
      expect(main(r.body), q).toContain(code);
      expect(main(r.body), q).not.toContain('Nguyễn Văn Minh');
    }
    const none = await officer.get(`/quan-tri/ho-so?q=${encodeURIComponent('không có ai tên này')}`);
    expect(main(none.body)).toContain('Không có hồ sơ nào');
    const tabs = await officer.get('/quan-tri/ho-so?tab=new');
    const n = await sql<{ n: number }>`
      select count(*)::int as n from dossiers.dossiers where state = 'submitted'`.execute(portal.database.db);
    expect(main(tabs.body)).toContain(`Mới nộp (${n.rows[0]!.n})`);
  });

  it('asks for payment with an amount; the applicant sees the amount and how to pay at the counter', async () => {
    const { code } = await fileJudicialRecord(citizen, 'pay-1');
    const officer = browserFor(officerHN);
    const at = `/ho-so/${encodeURIComponent(code)}`;
    for (const action of ['receive', 'forward']) {
      const page = await officer.get(at);
      const revision = /name="revision" value="(\d+)"/.exec(page.body)![1]!;
      expect((await officer.post(`${at}/thao-tac`, { action, revision })).statusCode).toBe(303);
    }
    const page = await officer.get(at);
    expect(page.body).toContain('Số tiền phải nộp (đồng)');
    const bad = await officer.post(`${at}/thao-tac`, {
      action: 'request-payment',
      paymentAmount: 'mười nghìn',
      paymentItems: 'Phí cấp phiếu lý lịch tư pháp',
    });
    expect(bad.statusCode).toBe(400);
    expect(main(bad.body)).toContain('Số tiền phải là số đồng nguyên');
    await officer.get(at);
    const asked = await officer.post(`${at}/thao-tac`, {
      action: 'request-payment',
      paymentAmount: '200.000',
      paymentItems: 'Phí cấp phiếu lý lịch tư pháp',
    });
    expect(asked.statusCode, main(asked.body)).toBe(303);
    const seen = main((await browserFor(citizen).get(at)).body);
    expect(seen).toContain('Số tiền phải nộp: 200.000 đồng');
    expect(seen).toContain('Phí cấp phiếu lý lịch tư pháp');
    expect(seen).toContain('Trung tâm Phục vụ hành chính công thành phố Hà Nội');
    const mine = main((await browserFor(citizen).get('/ho-so/cua-toi')).body);
    expect(mine).toContain('cần bạn xử lý');
  });
});

async function fileJudicialRecord(who: TestAccount, key: string) {
  const ups: string[] = [];
  for (const doc of ['TK-LLTP', 'UQ']) {
    const r = await portal.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/uploads?name=${doc}.pdf&documentCode=${doc}`,
      headers: { cookie: `sid=${who.token}`, 'content-type': 'application/octet-stream' },
      payload: PDF,
    });
    ups.push(r.json().id);
  }
  const r = await portal.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: { cookie: `sid=${who.token}`, 'content-type': 'application/json', 'idempotency-key': key },
    payload: JSON.stringify(judicialRecordFiling(ups as [string, string])),
  });
  expect(r.statusCode, r.body).toBe(201);
  return { code: r.json().code as string };
}
