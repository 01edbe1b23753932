/**
 * Certification of copies end to end through the API: a walk-in certified at the demo's Hoàn Kiếm ward
 * office, the fee in cash into the payments ledger, the register number, the stamp and the office's
 * PAdES signature — which poppler's `pdfsig` and `openssl cms -verify` accept — the copy in the
 * requester's wallet; verification of the copy, of a tampered copy and of an unsigned PDF; revocation of
 * the copy and of the office's certificate, seen by verification at once; register numbers sequential and
 * gapless under concurrency and after a rollback; idempotency of the API.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/helpers/browser.ts';
import { testPortal } from '../../../../test/helpers/portal.ts';
import { accountWithSession, type TestAccount } from '../../../../test/helpers/sessions.ts';
import type { Portal } from '../../../bootstrap.ts';
import { seedDemoPayments } from '../../payments/demo.ts';
import { takeNumber } from './registers.ts';

let portal: Portal;
/** The portal's clock runs ahead of the wall clock by this much (revocation from a past moment). */
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
let certifier: TestAccount;
let otherOffice: TestAccount;
let officeAdmin: TestAccount;
let citizen: TestAccount;
const CITIZEN_ID = '001090004567';
const db = () => portal.database.db;
const cookie = (a: TestAccount) => `sid=${a.token}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cert-'));

async function pdfOf(pages: number, text = 'Giấy khai sinh — bản chính'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const p = doc.addPage([595, 842]);
    p.drawText(
      `${text
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[đĐ—]/g, '-')} ${i + 1}`,
      {
        x: 60,
        y: 760,
        size: 14,
        font,
      },
    );
  }
  return Buffer.from(await doc.save());
}

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
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(method === 'POST' ? { payload: JSON.stringify(body ?? {}) } : {}),
  });
}

let keyN = 0;
async function open(
  who: TestAccount,
  opts: { pages?: number; copies?: number; scan?: Buffer; idNumber?: string; key?: string } = {},
) {
  const pages = opts.pages ?? 3;
  const scan = opts.scan ?? (await pdfOf(pages));
  return api(
    who,
    'POST',
    '/api/v1/certification/certifications',
    {
      office: 'UBND-00070',
      requester: { name: 'Nguyễn Thị Hoa', idNumber: opts.idNumber ?? CITIZEN_ID },
      document: {
        type: 'giay-khai-sinh',
        title: 'Giấy khai sinh',
        issuer: 'UBND phường Hàng Trống',
        number: '123/2001',
      },
      pages,
      copies: opts.copies ?? 2,
      scan: { contentType: 'application/pdf', base64: scan.toString('base64') },
    },
    { 'idempotency-key': opts.key ?? `k-${++keyN}-${Date.now()}` },
  );
}

async function certify(pages = 3) {
  const o = await open(certifier, { pages });
  expect(o.statusCode, o.body).toBe(201);
  const paid = await api(certifier, 'POST', `/api/v1/certification/certifications/${o.json().id}/cash`);
  expect(paid.statusCode, paid.body).toBe(200);
  return paid.json() as {
    id: string;
    status: string;
    fee: number;
    code: string;
    paymentId: string;
    register: { book: string; number: number };
    copy: { url: string; sha256: string };
  };
}

async function copyOf(id: string): Promise<Buffer> {
  const r = await api(certifier, 'GET', `/api/v1/certification/certifications/${id}/copy.pdf`);
  expect(r.statusCode).toBe(200);
  expect(r.headers['content-type']).toContain('application/pdf');
  return r.rawPayload;
}

async function verify(pdf: Buffer) {
  const boundary = 'xacthuc';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ban-sao.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    pdf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const r = await portal.app.inject({
    method: 'POST',
    url: '/api/v1/verifications',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as {
    valid: boolean;
    reasons: Array<{ code: string; vi: string }>;
    signatures: Array<{ signer: { commonName: string; agencyCode?: string } }>;
    document: { kind: string; registerNumber: number | null; office: string } | null;
  };
}

beforeAll(async () => {
  portal = await testPortal({ demoDocuments: true, clock });
  // The demo's payees: Hà Nội's budget account takes the wards' fees (the payee up the lineage).
  await seedDemoPayments(portal.database.db, { intermediaries: [] });
  certifier = await accountWithSession(portal, 'officer', {
    agency: 'UBND-00070',
    displayName: 'Trần Văn Chứng',
    title: 'Công chức Tư pháp – Hộ tịch',
    grants: [
      ['UBND-00070', 'certifier'],
      ['UBND-00070', 'cashier'],
    ],
  });
  otherOffice = await accountWithSession(portal, 'officer', {
    agency: 'UBND-00004',
    grants: [['UBND-00004', 'certifier']],
  });
  citizen = await accountWithSession(portal, 'citizen', { personalId: CITIZEN_ID });
  officeAdmin = await accountWithSession(portal, 'officer', {
    agency: 'UBND-00070',
    grants: [['UBND-00070', 'agency-admin']],
  });
}, 120_000);

afterAll(async () => {
  await portal?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('certifying a copy at the counter', () => {
  it('computes the fee, takes it in cash into the ledger, numbers, stamps, signs and delivers the copy', async () => {
    const o = await open(certifier, { pages: 3, copies: 2 });
    expect(o.statusCode, o.body).toBe(201);
    const opened = o.json();
    // 2,000 + 2,000 + 1,000 a copy, two copies.
    expect(opened).toMatchObject({ status: 'awaiting-fee', fee: 10_000, register: null, copy: null });
    const c = await certify(3);
    expect(c.status).toBe('issued');
    expect(c.register.book).toMatch(/^\d{2}\/20\d{2}-SCT\/BS$/);
    const ledger = await sql<{ status: string; amount: number; kind: string }>`
      select status, amount::int as amount, kind from payments.payments where id = ${c.paymentId}`.execute(
      db(),
    );
    expect(ledger.rows[0]).toMatchObject({ status: 'succeeded', kind: 'certification-fee' });
    const item = await sql<{ kind: string; sha256: string; signed: boolean }>`
      select i.kind, i.sha256, i.signed from documents.items i
       where i.owner_id = ${citizen.id} and i.certification_id = ${c.id}`.execute(db());
    expect(item.rows).toEqual([{ kind: 'certified-copy', sha256: c.copy.sha256, signed: true }]);
  });

  it('gives a copy that pdfsig and openssl cms -verify accept, with the stamp in Vietnamese', async () => {
    const c = await certify(2);
    const pdf = await copyOf(c.id);
    const file = path.join(tmp, 'copy.pdf');
    fs.writeFileSync(file, pdf);
    const sig = execFileSync('pdfsig', [file], { encoding: 'utf8' });
    expect(sig).toContain('Signature is Valid');
    expect(sig).toContain('Ủy ban nhân dân phường Hoàn Kiếm');
    expect(sig).toMatch(/Total document signed|total document signed/i);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Chứng thực bản sao đúng với bản chính');
    expect(text).toContain(String(c.register.number));
    expect(text).toContain(c.code);
    // The CMS of /Contents over the byte range, against the demo root.
    const ascii = pdf.toString('latin1');
    const br = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(ascii)!;
    const [a, b, cc, d] = br.slice(1).map(Number) as [number, number, number, number];
    const signed = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(cc, cc + d)]);
    const hex = ascii.slice(a + b + 1, cc - 1).replace(/(00)+$/, '');
    fs.writeFileSync(path.join(tmp, 'sig.der'), Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex'));
    fs.writeFileSync(path.join(tmp, 'content.bin'), signed);
    const roots = await sql<{ certificate: Buffer }>`select certificate from documents.trusted_roots`.execute(
      db(),
    );
    const pem = roots.rows
      .map(
        (r) =>
          `-----BEGIN CERTIFICATE-----\n${Buffer.from(r.certificate).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`,
      )
      .join('');
    fs.writeFileSync(path.join(tmp, 'root.pem'), pem);
    const out = execFileSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        path.join(tmp, 'sig.der'),
        '-content',
        path.join(tmp, 'content.bin'),
        '-CAfile',
        path.join(tmp, 'root.pem'),
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(out).toBe('');
  });

  it('verifies the copy for anyone, refuses a tampered one and an unsigned PDF with the reason', async () => {
    const c = await certify(1);
    const pdf = await copyOf(c.id);
    const ok = await verify(pdf);
    expect(ok.valid).toBe(true);
    expect(ok.signatures[0]!.signer.commonName).toBe('Ủy ban nhân dân phường Hoàn Kiếm');
    expect(ok.document).toMatchObject({ kind: 'certified-copy', registerNumber: c.register.number });
    expect(JSON.stringify(ok)).not.toContain(CITIZEN_ID);
    expect(JSON.stringify(ok)).not.toContain('Nguyễn Thị Hoa');
    // One byte changed inside the first signed range (the page tree, before the signature's /Contents).
    const tampered = Buffer.from(pdf);
    const at = tampered.indexOf('/MediaBox') + 2;
    expect(at).toBeGreaterThan(1);
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    const bad = await verify(tampered);
    expect(bad.valid).toBe(false);
    expect(bad.reasons.map((r) => r.code)).toContain('altered');
    const unsigned = await verify(await pdfOf(1));
    expect(unsigned.valid).toBe(false);
    expect(unsigned.reasons.map((r) => r.code)).toContain('unsigned');
    const logged = await sql<{ n: number }>`select count(*)::int as n from documents.verifications`.execute(
      db(),
    );
    expect(logged.rows[0]!.n).toBeGreaterThanOrEqual(3);
  });

  it('revokes a copy: verification says so at once', async () => {
    const c = await certify(1);
    const pdf = await copyOf(c.id);
    const r = await api(certifier, 'POST', `/api/v1/certification/certifications/${c.id}/revoke`, {
      reason: 'Cấp nhầm bản sao',
    });
    expect(r.statusCode, r.body).toBe(200);
    const v = await verify(pdf);
    expect(v.valid).toBe(false);
    expect(v.reasons.map((x) => x.code)).toContain('copy-revoked');
  });

  it('revokes the office certificate from a moment on: copies signed after it fail at once, earlier ones stand; a new key signs the waiting copies', async () => {
    const admin = new FormClient(portal.app);
    admin.cookies.set('sid', officeAdmin.token);
    const before = await certify(1);
    const beforePdf = await copyOf(before.id);
    // Ten minutes later (the portal's clock), another copy; the key is found compromised from minute five.
    offsetMs += 10 * 60_000;
    const after = await certify(1);
    const afterPdf = await copyOf(after.id);
    const from = new Date(Date.now() + offsetMs - 5 * 60_000 + 7 * 3_600_000).toISOString().slice(0, 16);
    const key = await sql<{ id: string }>`
      select id::text as id from documents.signing_keys where agency_code = 'UBND-00070' and status = 'active'`.execute(
      db(),
    );
    const page = await admin.get('/quan-tri/chung-thuc/chung-thu-so');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ủy ban nhân dân phường Hoàn Kiếm');
    const noReason = await admin.post(`/quan-tri/chung-thuc/chung-thu-so/${key.rows[0]!.id}/thu-hoi`, {
      'ly-do': '',
    });
    expect(noReason.statusCode, noReason.body.slice(0, 3000)).toBe(400);
    expect(noReason.body).toContain('Cần nêu lý do thu hồi');
    const revoked = await admin.post(`/quan-tri/chung-thuc/chung-thu-so/${key.rows[0]!.id}/thu-hoi`, {
      'ly-do': 'Khóa bí mật bị lộ',
      'tu-luc': from,
    });
    expect(revoked.statusCode).toBe(200);
    expect((await verify(beforePdf)).valid).toBe(true);
    const vAfter = await verify(afterPdf);
    expect(vAfter.valid).toBe(false);
    expect(vAfter.reasons.map((r) => r.code)).toContain('certificate-revoked');
    // Without a key the next copy waits, paid and numbered; a new certificate issues it.
    const o = await open(certifier, { pages: 1, copies: 1 });
    const waiting = await api(certifier, 'POST', `/api/v1/certification/certifications/${o.json().id}/cash`);
    expect(waiting.statusCode, waiting.body).toBe(200);
    expect(waiting.json()).toMatchObject({ status: 'numbered', copy: null });
    await admin.get('/quan-tri/chung-thuc/chung-thu-so');
    const renewed = await admin.post('/quan-tri/chung-thuc/chung-thu-so/cap-moi', {
      'co-quan': 'UBND-00070',
    });
    expect(renewed.statusCode).toBe(200);
    offsetMs += 2 * 60_000;
    await portal.scheduler.runDue();
    const done = await api(certifier, 'GET', `/api/v1/certification/certifications/${o.json().id}`);
    expect(done.json().status).toBe('issued');
    expect((await verify(await copyOf(o.json().id))).valid).toBe(true);
  });

  it('answers another office’s certifier 404 and refuses a scan whose pages differ', async () => {
    const c = await certify(1);
    const other = await api(otherOffice, 'GET', `/api/v1/certification/certifications/${c.id}`);
    expect(other.statusCode).toBe(404);
    const wrong = await open(certifier, { pages: 4, scan: await pdfOf(2) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.body).toContain('pages');
    const notPdf = await api(
      certifier,
      'POST',
      '/api/v1/certification/certifications',
      {
        office: 'UBND-00070',
        requester: { name: 'Lê Văn A' },
        document: { type: 'giay-khai-sinh', title: 'Giấy khai sinh' },
        pages: 1,
        copies: 1,
        scan: { contentType: 'application/pdf', base64: Buffer.from('not a pdf at all').toString('base64') },
      },
      { 'idempotency-key': `bad-${Date.now()}` },
    );
    expect(notPdf.statusCode).toBe(400);
  });

  it('is idempotent: the same key answers the same certification, another body with it is 409', async () => {
    const scan = await pdfOf(1);
    const first = await open(certifier, { pages: 1, scan, key: 'same-key-1' });
    const again = await open(certifier, { pages: 1, scan, key: 'same-key-1' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const other = await open(certifier, { pages: 1, copies: 5, scan, key: 'same-key-1' });
    expect(other.statusCode).toBe(409);
    const [p1, p2] = await Promise.all([
      api(certifier, 'POST', `/api/v1/certification/certifications/${first.json().id}/cash`),
      api(certifier, 'POST', `/api/v1/certification/certifications/${first.json().id}/cash`),
    ]);
    expect([p1.statusCode, p2.statusCode]).toEqual([200, 200]);
    const pays = await sql<{ n: number }>`
      select count(*)::int as n from payments.payments
       where bill_key = ${`certification-fee:${first.json().id}`} and status = 'succeeded'`.execute(db());
    expect(pays.rows[0]!.n).toBe(1);
  });
});

describe('the electronic register', () => {
  it('numbers sequentially and without gaps under 30 concurrent issues', async () => {
    const opened = await Promise.all(
      Array.from({ length: 30 }, () => open(certifier, { pages: 1, copies: 1 })),
    );
    for (const o of opened) expect(o.statusCode, o.body).toBe(201);
    const paid = await Promise.all(
      opened.map((o) => api(certifier, 'POST', `/api/v1/certification/certifications/${o.json().id}/cash`)),
    );
    for (const p of paid) expect(p.statusCode, p.body).toBe(200);
    const r = await sql<{ register_number: number }>`
      select c.register_number from documents.certifications c
       where c.agency_code = 'UBND-00070' and c.register_number is not null order by 1`.execute(db());
    const numbers = r.rows.map((x) => x.register_number);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
  });

  it('gives a number back when the transaction that took it rolls back', async () => {
    const year = 2031;
    await db()
      .transaction()
      .execute(async (trx) => {
        expect((await takeNumber(trx, 'UBND-00004', 'SCT/BS', year)).number).toBe(1);
      });
    await db()
      .transaction()
      .execute(async (trx) => {
        expect((await takeNumber(trx, 'UBND-00004', 'SCT/BS', year)).number).toBe(2);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await db()
      .transaction()
      .execute(async (trx) => {
        expect((await takeNumber(trx, 'UBND-00004', 'SCT/BS', year)).number).toBe(2);
      });
  });
});
