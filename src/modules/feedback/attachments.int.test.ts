/**
 * Attachments over HTTP: the submitter attaches JPG, PDF, DOC, DOCX, XLS, XLSX recognised by content (a
 * renamed executable is refused), at most 10 MB and 5 files, only while the item waits; the Government
 * Office and routed agencies download them, strangers get 404, and nothing of them reaches the public side.
 */
import { Readable } from 'node:stream';
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
const XLS = Buffer.concat([
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
  Buffer.alloc(504),
  Buffer.from('Workbook', 'utf16le'),
]);
const EXE = Buffer.from('MZ\x90\0\x03\0\0\0 this is not a document');

async function upload(
  cookie: string,
  code: string,
  body: Buffer,
  name: string,
  type = 'application/octet-stream',
) {
  const r = await h.app.inject({
    method: 'POST',
    url: `/api/v1/feedback/${code}/attachments?name=${encodeURIComponent(name)}`,
    headers: { cookie, 'content-type': type },
    payload: body,
  });
  return { status: r.statusCode, body: r.json() };
}

describe('attachments', () => {
  it('are checked by content, bounded, and only seen by those who may see the item', async () => {
    const citizen = await signedIn(h.database, 'citizen');
    const stranger = await signedIn(h.database, 'citizen');
    const vpcp = await signedIn(h.database, 'officer', [['CP', 'vpcp-supervisor']]);
    const btp = await signedIn(h.database, 'officer', [['BTP', 'processor']]);
    const sub = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: { 'content-type': 'application/json', cookie: citizen.cookie, 'idempotency-key': 'f-1' },
      payload: { title: 'Quy định về hồ sơ đất đai', content: 'Kèm văn bản.', category: 'regulation' },
    });
    const code = sub.json().code as string;

    const pdf = await upload(citizen.cookie, code, PDF, 'Đơn kiến nghị.pdf', 'application/pdf');
    expect(pdf).toMatchObject({
      status: 201,
      body: { mediaType: 'application/pdf', fileName: 'Đơn kiến nghị.pdf' },
    });
    expect((await upload(citizen.cookie, code, DOCX, 'bang.docx')).body.mediaType).toMatch(
      /wordprocessingml/,
    );
    expect((await upload(citizen.cookie, code, XLS, 'so-lieu.xls')).body.mediaType).toBe(
      'application/vnd.ms-excel',
    );
    // A program named like a PDF is refused by what it is.
    const exe = await upload(citizen.cookie, code, EXE, 'hoa-don.pdf', 'application/pdf');
    expect(exe.status).toBe(400);
    expect(exe.body.errors).toEqual([expect.objectContaining({ path: 'file' })]);
    expect((await upload(citizen.cookie, code, Buffer.alloc(0), 'rong.pdf')).status).toBe(400);
    // Past 10 MB: through the service (app.inject takes ~12 s to stream 10 MB in; the route adds nothing).
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
    await expect(
      h.service.attach(
        code,
        { accountId: citizen.id },
        { fileName: 'lon.pdf', content: Readable.from([big]) },
      ),
    ).rejects.toMatchObject({ status: 400, extras: { errors: [expect.objectContaining({ path: 'file' })] } });
    expect((await upload(citizen.cookie, code, Buffer.from('{}'), 'x.json', 'application/json')).status).toBe(
      400,
    );
    // Only the submitter attaches; others do not even see the item.
    expect((await upload(stranger.cookie, code, PDF, 'x.pdf')).status).toBe(404);
    expect((await upload(vpcp.cookie, code, PDF, 'x.pdf')).status).toBe(404);
    // At most 5 files.
    expect((await upload(citizen.cookie, code, PDF, '4.pdf')).status).toBe(201);
    expect((await upload(citizen.cookie, code, PDF, '5.pdf')).status).toBe(201);
    expect((await upload(citizen.cookie, code, PDF, '6.pdf')).status).toBe(400);

    const handling = await h.app.inject({
      url: `/api/v1/feedback/${code}/handling`,
      headers: { cookie: vpcp.cookie },
    });
    const files = handling.json().attachments as { id: string; fileName: string }[];
    expect(files.map((f) => f.fileName)).toEqual([
      'Đơn kiến nghị.pdf',
      'bang.docx',
      'so-lieu.xls',
      '4.pdf',
      '5.pdf',
    ]);
    const got = await h.app.inject({
      url: `/api/v1/feedback/${code}/attachments/${files[0]!.id}`,
      headers: { cookie: vpcp.cookie },
    });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toContain('application/pdf');
    expect(got.rawPayload.equals(PDF)).toBe(true);
    const url = `/api/v1/feedback/${code}/attachments/${files[0]!.id}`;
    expect((await h.app.inject({ url, headers: { cookie: stranger.cookie } })).statusCode).toBe(404);
    expect(
      (await h.app.inject({ url: `${url}?asAgency=BTP`, headers: { cookie: btp.cookie } })).statusCode,
    ).toBe(404);

    // Forwarded: the agency reads the files; the submitter can no longer add any.
    await h.app.inject({
      method: 'POST',
      url: `/api/v1/feedback/${code}/actions`,
      headers: { 'content-type': 'application/json', cookie: vpcp.cookie },
      payload: { action: 'forward', agencies: ['BTP'] },
    });
    expect(
      (await h.app.inject({ url: `${url}?asAgency=BTP`, headers: { cookie: btp.cookie } })).statusCode,
    ).toBe(200);
    expect((await upload(citizen.cookie, code, PDF, '7.pdf')).status).toBe(409);
  });
});
