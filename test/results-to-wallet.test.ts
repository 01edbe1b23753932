/**
 * A dossier's result reaches the applicant's wallet signed, through the real wiring: the judicial record
 * filed over the API at Hà Nội, received, forwarded, approved and returned with a result PDF; the outbox
 * delivers it (the dossiers module's message, the documents module's stamp and signature — the portal's
 * own key, since Hà Nội's department has none — and the wallet); the citizen downloads it from
 * `/kho-du-lieu`, and anyone's verification says it is valid and names the dossier. Delivered once, even
 * when the outbox runs again.
 */
import { sql } from 'kysely';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Portal } from '../src/bootstrap.ts';
import { judicialRecordForm } from './helpers/filings.ts';
import { testPortal } from './helpers/portal.ts';
import { accountWithSession, type TestAccount } from './helpers/sessions.ts';

let portal: Portal;
let citizen: TestAccount;
let receiver: TestAccount;
let approver: TestAccount;
const cookie = (a: TestAccount) => `sid=${a.token}`;

async function pdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(text, { x: 60, y: 760, size: 14, font });
  return Buffer.from(await doc.save());
}

async function api(who: TestAccount, url: string, body: unknown, headers: Record<string, string> = {}) {
  return portal.app.inject({
    method: 'POST',
    url,
    headers: { cookie: cookie(who), 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });
}

async function upload(
  who: TestAccount,
  content: Buffer,
  name: string,
  documentCode?: string,
): Promise<string> {
  const r = await portal.app.inject({
    method: 'POST',
    url: `/api/v1/dossiers/uploads?name=${encodeURIComponent(name)}${documentCode ? `&documentCode=${documentCode}` : ''}`,
    headers: { cookie: cookie(who), 'content-type': 'application/octet-stream' },
    payload: content,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}

beforeAll(async () => {
  portal = await testPortal({ demoDocuments: true });
  citizen = await accountWithSession(portal, 'citizen', { displayName: 'Nguyễn Văn Minh' });
  receiver = await accountWithSession(portal, 'officer', {
    agency: 'TTPVHCC-01',
    grants: [['TTPVHCC-01', 'receiver']],
  });
  approver = await accountWithSession(portal, 'officer', {
    agency: 'UBND-01',
    grants: [['UBND-01', 'approver']],
  });
}, 120_000);
afterAll(async () => {
  await portal?.close();
});

describe('a returned result in the wallet', () => {
  it('is stamped, signed, delivered once and verifies', async () => {
    const db = portal.database.db;
    const commune = await sql<{ code: string }>`
      select code from agencies.admin_units
       where level = 'commune' and parent_code = '01' and valid_to is null order by code limit 1`.execute(db);
    const a = await upload(citizen, await pdf('To khai'), 'to-khai.pdf', 'TK-LLTP');
    const b = await upload(citizen, await pdf('Uy quyen'), 'uy-quyen.pdf', 'UQ');
    const filed = await api(
      citizen,
      '/api/v1/dossiers',
      {
        procedureCode: '2.000505',
        place: { provinceCode: '01' },
        formData: judicialRecordForm({
          noiCuTru: { province: '01', commune: commune.rows[0]!.code, street: 'Số 1 Tràng Tiền' },
          tep_tk_lltp: a,
          tep_uq: b,
        }),
        uploads: [{ id: a }, { id: b }],
      },
      { 'idempotency-key': 'ket-qua-vao-kho' },
    );
    expect(filed.statusCode, filed.body).toBe(201);
    const code = filed.json().code as string;
    for (const [who, action] of [
      [receiver, 'receive'],
      [receiver, 'forward'],
      [approver, 'approve'],
    ] as const) {
      const r = await api(who, `/api/v1/dossiers/${code}/actions`, { action });
      expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
    }
    const result = await upload(receiver, await pdf('Phieu ly lich tu phap so 1234'), 'phieu-lltp.pdf');
    const done = await api(receiver, `/api/v1/dossiers/${code}/actions`, {
      action: 'return-result',
      uploads: [result],
    });
    expect(done.statusCode, done.body).toBe(200);

    for (let i = 0; i < 4; i++) await portal.dispatcher.runOnce();
    const items = await sql<{ id: string; signed: boolean; dossier_code: string; kind: string }>`
      select id, signed, dossier_code, kind from documents.items where owner_id = ${citizen.id}`.execute(db);
    expect(items.rows).toEqual([
      { id: expect.any(String), signed: true, dossier_code: code, kind: 'dossier-result' },
    ]);

    const file = await portal.app.inject({
      method: 'GET',
      url: `/kho-du-lieu/${items.rows[0]!.id}/tai-ve`,
      headers: { cookie: cookie(citizen) },
    });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const verified = await portal.app.inject({
      method: 'POST',
      url: '/api/v1/verifications',
      headers: { 'content-type': 'application/pdf' },
      payload: file.rawPayload,
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({
      valid: true,
      document: { kind: 'dossier-result', dossierCode: code },
      signatures: [{ signer: { commonName: 'Cổng Dịch vụ công Quốc gia', agencyCode: 'VPCP' } }],
    });

    // The outbox running again delivers nothing more.
    await portal.dispatcher.runOnce();
    const again = await sql<{ n: number }>`
      select count(*)::int as n from documents.items where owner_id = ${citizen.id}`.execute(db);
    expect(again.rows[0]!.n).toBe(1);
  });
});
