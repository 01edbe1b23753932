/**
 * Attachments from the no-JavaScript sending form (/phan-anh-kien-nghi/gui, multipart/form-data): JPG, PDF,
 * DOC, DOCX, XLS, XLSX recognised by content, 10 MB each, at most 5. A bad file is named beside the file
 * field, what the person typed stays, and nothing is written: no item, no attachment.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedbackHarness, feedbackHarness, signedIn, vn } from './feedback.test-support.ts';

let h: FeedbackHarness;
beforeAll(async () => {
  h = await feedbackHarness(vn('2026-12-21 09:00'));
});
afterAll(async () => {
  await h?.close();
});

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const DOCX = Buffer.concat([
  Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  Buffer.alloc(26),
  Buffer.from('[Content_Types].xml word/document.xml'),
]);
const EXE = Buffer.from('MZ\x90\0\x03\0\0\0 this is not a document');

type Part = { name: string; value: string } | { name: string; fileName: string; bytes: Buffer };

function multipart(parts: Part[]) {
  const boundary = `----pakn${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('value' in p) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    } else {
      chunks.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${p.name}"; filename="${p.fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
      );
      chunks.push(p.bytes, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

async function form(cookie?: string) {
  const r = await h.app.inject({ url: '/phan-anh-kien-nghi/gui', headers: cookie ? { cookie } : {} });
  return {
    body: r.body,
    cookies: [cookie, ...r.cookies.map((c) => `${c.name}=${c.value}`)].filter(Boolean).join('; '),
    token: /name="_csrf" value="([^"]+)"/.exec(r.body)![1]!,
    key: /name="key" value="([^"]+)"/.exec(r.body)![1]!,
  };
}

let ip = 0;
async function send(
  cookies: string,
  fields: Record<string, string>,
  files: Array<{ fileName: string; bytes: Buffer }>,
) {
  const m = multipart([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    ...files.map((f) => ({ name: 'files', ...f })),
  ]);
  return h.app.inject({
    method: 'POST',
    url: '/phan-anh-kien-nghi/gui',
    remoteAddress: `10.2.0.${++ip}`,
    headers: { 'content-type': m.type, cookie: cookies },
    payload: m.payload,
  });
}

async function itemsOf(accountId: string) {
  const r = await sql<{ code: string; files: number | string }>`
    select i.code, (select count(*) from feedback.attachments a where a.item_id = i.id) as files
    from feedback.items i where i.submitter_account_id = ${accountId} order by i.submitted_at`.execute(
    h.database.db,
  );
  return r.rows.map((x) => ({ code: x.code, files: Number(x.files) }));
}

const typed = {
  title: 'Cổng thanh toán báo lỗi khi nộp lệ phí',
  content: 'Tôi nộp lệ phí hộ tịch ba lần đều báo lỗi; ảnh chụp màn hình và biên lai kèm theo.',
  category: 'dossier-handling',
};

describe('attachments from the sending form', () => {
  it('a signed-in citizen sends files with the item; the submitter can download them', async () => {
    const citizen = await signedIn(h.database, 'citizen');
    const f = await form(citizen.cookie);
    expect(f.body).toContain('enctype="multipart/form-data"');
    expect(f.body).toContain('name="files"');
    const r = await send(f.cookies, { _csrf: f.token, key: f.key, ...typed }, [
      { fileName: 'bien-lai.pdf', bytes: PDF },
      { fileName: 'Đơn trình bày.docx', bytes: DOCX },
    ]);
    expect(r.statusCode).toBe(303);
    const [item] = await itemsOf(citizen.id);
    expect(item).toEqual({ code: expect.stringMatching(/^PAKN-/), files: 2 });
    const view = await h.app.inject({
      url: `/api/v1/feedback/${item!.code}/handling`,
      headers: { cookie: citizen.cookie },
    });
    const files = view.json().attachments as Array<{ id: string; fileName: string; mediaType: string }>;
    expect(files.map((x) => x.mediaType).sort()).toEqual([
      'application/pdf',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ]);
    const pdf = files.find((x) => x.mediaType === 'application/pdf')!;
    const got = await h.app.inject({
      url: `/api/v1/feedback/${item!.code}/attachments/${pdf.id}`,
      headers: { cookie: citizen.cookie },
    });
    expect(got.rawPayload.equals(PDF)).toBe(true);
  });

  it('an empty file field is no file', async () => {
    const citizen = await signedIn(h.database, 'citizen');
    const f = await form(citizen.cookie);
    const r = await send(f.cookies, { _csrf: f.token, key: f.key, ...typed }, [
      { fileName: '', bytes: Buffer.alloc(0) },
    ]);
    expect(r.statusCode).toBe(303);
    expect(await itemsOf(citizen.id)).toEqual([{ code: expect.any(String), files: 0 }]);
  });

  it('a file that is not a document, too many or too large: said by the file field, typed text kept, nothing written', async () => {
    const citizen = await signedIn(h.database, 'citizen');
    const f = await form(citizen.cookie);
    const fields = { _csrf: f.token, key: f.key, ...typed };
    const renamed = await send(f.cookies, fields, [
      { fileName: 'bien-lai.pdf', bytes: PDF },
      { fileName: 'anh.pdf', bytes: EXE },
    ]);
    expect(renamed.statusCode).toBe(400);
    expect(renamed.body).toContain('id="files-loi"');
    expect(renamed.body).toContain('Tệp “anh.pdf” không phải JPG, PDF, DOC, DOCX, XLS hoặc XLSX');
    expect(renamed.body).toContain(`value="${typed.title}"`);
    expect(renamed.body).toContain(typed.content);
    expect(renamed.body).toContain('vui lòng chọn lại');
    const six = await send(
      f.cookies,
      fields,
      Array.from({ length: 6 }, (_, i) => ({ fileName: `tep-${i}.pdf`, bytes: PDF })),
    );
    expect(six.statusCode).toBe(400);
    expect(six.body).toContain('Tối đa 5 tệp');
    // More than the parser reads: refused whole, never a 5xx.
    const seven = await send(
      f.cookies,
      fields,
      Array.from({ length: 7 }, (_, i) => ({ fileName: `tep-${i}.pdf`, bytes: PDF })),
    );
    expect(seven.statusCode).toBe(413);
    const big = await send(f.cookies, fields, [
      { fileName: 'lon.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]) },
    ]);
    expect(big.statusCode).toBe(400);
    expect(big.body).toContain('Tệp “lon.pdf” lớn hơn 10 MB');
    expect(await itemsOf(citizen.id)).toEqual([]);
    const orphans = await sql<{ n: number | string }>`
      select count(*) as n from feedback.attachments a
      where not exists (select 1 from feedback.items i where i.id = a.item_id)`.execute(h.database.db);
    expect(Number(orphans.rows[0]!.n)).toBe(0);
  });

  it('an anonymous sender attaches at the step where the code is entered', async () => {
    const f = await form();
    const fields = {
      _csrf: f.token,
      key: f.key,
      ...typed,
      name: 'Trần Thị Bình',
      contact: 'binh.tran@example.vn',
    };
    const step1 = await send(f.cookies, { ...fields, step: 'code' }, []);
    expect(step1.statusCode).toBe(200);
    expect(step1.body).toContain('name="files"');
    const challengeId = /name="challengeId" value="([^"]+)"/.exec(step1.body)![1]!;
    const code = (await h.codeSentTo('binh.tran@example.vn'))!;
    const bad = await send(f.cookies, { ...fields, challengeId, code, step: 'send' }, [
      { fileName: 'x.doc', bytes: EXE },
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="files-loi"');
    // The code was not used up by the refused attempt.
    const ok = await send(f.cookies, { ...fields, challengeId, code, step: 'send' }, [
      { fileName: 'anh-chup.pdf', bytes: PDF },
    ]);
    expect(ok.statusCode).toBe(303);
    const itemCode = /PAKN-\d{4}-\d{7}/.exec(ok.headers.location as string)![0];
    const r = await sql<{ file_name: string }>`
      select a.file_name from feedback.attachments a join feedback.items i on i.id = a.item_id
      where i.code = ${itemCode}`.execute(h.database.db);
    expect(r.rows).toEqual([{ file_name: 'anh-chup.pdf' }]);
  });
});
