/**
 * The cleanup of orphan uploads and abandoned drafts (dossiers.upload-cleanup) through the whole portal,
 * with the local blob store in a directory of the test's own: what is kept (attached to a dossier, named
 * by an open draft, younger than 24 hours), what goes (row first, then the blob through the outbox, a
 * blob already gone tolerated), and submissions racing the cleanup never leave a dossier without its file.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../test/helpers/browser.ts';
import { onPostgres } from '../../../test/helpers/database.ts';
import { judicialRecordFiling } from '../../../test/helpers/filings.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession, type TestAccount } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';
import { cleanOrphanUploads } from './dossiers.jobs.ts';

let portal: Portal;
let dataDir: string;
let citizen: TestAccount;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const HOUR = 3_600_000;
const later = (ms: number) => new Date(Date.now() + ms);

async function upload(who = citizen, name = 'to-khai.pdf', documentCode = 'TK-LLTP') {
  const r = await portal.app.inject({
    method: 'POST',
    url: `/api/v1/dossiers/uploads?name=${name}&documentCode=${documentCode}`,
    headers: { cookie: `sid=${who.token}`, 'content-type': 'application/octet-stream' },
    payload: PDF,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}

async function submit(key: string, files: [string, string], who = citizen) {
  return portal.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: { cookie: `sid=${who.token}`, 'content-type': 'application/json', 'idempotency-key': key },
    payload: JSON.stringify(judicialRecordFiling(files)),
  });
}

async function blobKeyOf(uploadId: string) {
  const r = await sql<{
    blob_key: string;
  }>`select blob_key from dossiers.uploads where id = ${uploadId}`.execute(portal.database.db);
  return r.rows[0]?.blob_key;
}

const blobFile = (key: string) => path.join(dataDir, 'blobs', key.slice(0, 2), key.slice(2, 4), key);
const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cong-dvc-cleanup-'));
  portal = await testPortal({ env: { DATA_DIR: dataDir } });
  citizen = await accountWithSession(portal, 'citizen', { displayName: 'Nguyễn Văn Minh' });
});
afterAll(async () => {
  await portal?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('cleaning orphan uploads', () => {
  it('deletes unattached uploads after 24 hours, rows first and then blobs; keeps what a dossier or an open draft names', async () => {
    const orphan = await upload();
    const young = await upload();
    const [a, b] = [await upload(), await upload(citizen, 'uy-quyen.pdf', 'UQ')];
    const filed = await submit('don-dep-1', [a, b]);
    expect(filed.statusCode, filed.body).toBe(201);
    // An upload whose blob an attachment uses though the row was never marked (filed through the API
    // before uploads were claimed by the submission): kept.
    await sql`update dossiers.uploads set used_by_dossier = null where id = ${a}`.execute(portal.database.db);
    // A draft, saved now, names its file; another draft, abandoned 31 days ago, names its own.
    const inDraft = await upload();
    const inAbandoned = await upload();
    await sql`insert into dossiers.drafts (account_id, procedure_code, form_data, submit_token)
              values (${citizen.id}, '2.000505', ${JSON.stringify({ tep_tk_lltp: inDraft })}::jsonb, 'token-kept-0123456789')`.execute(
      portal.database.db,
    );
    await sql`insert into dossiers.drafts (account_id, procedure_code, form_data, submit_token, updated_at)
              values (${citizen.id}, '1.000001', ${JSON.stringify({ tep: inAbandoned })}::jsonb, 'token-gone-0123456789',
                      now() - interval '31 days')`.execute(portal.database.db);
    const keys = {
      orphan: (await blobKeyOf(orphan))!,
      young: (await blobKeyOf(young))!,
      inDraft: (await blobKeyOf(inDraft))!,
      inAbandoned: (await blobKeyOf(inAbandoned))!,
      b: (await blobKeyOf(b))!,
    };
    // The young one is 1 hour old when the others are 25.
    await sql`update dossiers.uploads set created_at = now() + interval '24 hours' where id = ${young}`.execute(
      portal.database.db,
    );

    const result = await cleanOrphanUploads(portal.database.db, later(25 * HOUR));
    expect(result).toEqual({ drafts: 1, uploads: 2 });
    const left = await sql<{
      id: string;
    }>`select id from dossiers.uploads where account_id = ${citizen.id}`.execute(portal.database.db);
    expect(left.rows.map((r) => r.id).sort()).toEqual([young, a, b, inDraft].sort());
    // The blobs are still there until the outbox runs (the rows' deletion has committed by then).
    expect(await exists(blobFile(keys.orphan))).toBe(true);
    await fs.rm(blobFile(keys.inAbandoned)); // already gone: fine
    await portal.dispatcher.runOnce();
    const failed = await sql<{ n: number }>`
      select count(*)::int as n from platform.outbox where topic = 'dossiers.blob-delete' and status <> 'delivered'`.execute(
      portal.database.db,
    );
    expect(failed.rows[0]!.n).toBe(0);
    expect(await exists(blobFile(keys.orphan))).toBe(false);
    for (const k of [keys.young, keys.inDraft, keys.b]) expect(await exists(blobFile(k))).toBe(true);
    // The dossier's files all still read.
    for (const att of filed.json().attachments as Array<{ id: string }>) {
      const r = await portal.app.inject({
        method: 'GET',
        url: `/api/v1/dossiers/${filed.json().code}/attachments/${att.id}`,
        headers: { cookie: `sid=${citizen.token}` },
      });
      expect(r.statusCode).toBe(200);
    }
    // Run again: nothing more to do.
    expect(await cleanOrphanUploads(portal.database.db, later(25 * HOUR))).toEqual({ drafts: 0, uploads: 0 });
  });

  it('an upload deleted before it is attached makes the submission fail, never a dossier without its file', async () => {
    const files: [string, string] = [await upload(), await upload(citizen, 'uy-quyen.pdf', 'UQ')];
    await cleanOrphanUploads(portal.database.db, later(25 * HOUR));
    const r = await submit('don-dep-2', files);
    expect(r.statusCode).toBe(400);
    expect(r.json().detail).toContain('Không tìm thấy tệp');
  });

  it.skipIf(!onPostgres)(
    'skips an upload that a submission is claiming at that moment (its row is locked)',
    async () => {
      const id = await upload();
      const filed = await submit('don-dep-khoa', [
        await upload(),
        await upload(citizen, 'uy-quyen.pdf', 'UQ'),
      ]);
      const code = filed.json().code as string;
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let claimed!: () => void;
      const claiming = new Promise<void>((r) => {
        claimed = r;
      });
      // A submission's transaction has claimed the upload and not committed yet.
      const tx = portal.database.db.transaction().execute(async (trx) => {
        await sql`update dossiers.uploads set used_by_dossier = ${code} where id = ${id} and used_by_dossier is null`.execute(
          trx,
        );
        claimed();
        await held;
      });
      await claiming;
      const cleaned = await cleanOrphanUploads(portal.database.db, later(25 * HOUR));
      release();
      await tx;
      expect(cleaned.uploads).toBe(0);
      expect(await blobKeyOf(id)).toBeDefined();
    },
  );
});

describe('files stored while a form was parsed', () => {
  it('are removed at once when the handler did not record them (a type the slot refuses)', async () => {
    const listBlobs = async () =>
      (await fs.readdir(path.join(dataDir, 'blobs'), { recursive: true })).filter((f) => /\.[a-z]+$/.test(f))
        .length;
    const start = await portal.app.inject({
      method: 'GET',
      url: '/ho-so/nop/2.000505',
      headers: { cookie: `sid=${citizen.token}`, accept: 'text/html' },
    });
    expect(start.statusCode).toBe(303);
    // The place first (the province's Department of Justice), then the e-form.
    const placeUrl = String(start.headers.location);
    const browser = new FormClient(portal.app);
    browser.cookies.set('sid', citizen.token);
    await browser.get(`${placeUrl}?cap=province&tinh=01`);
    expect((await browser.post(placeUrl, { cap: 'province', tinh: '01' })).statusCode).toBe(303);
    const draftUrl = placeUrl.replace('/noi-giai-quyet', '');
    await browser.get(draftUrl);
    const csrfCookie = [...browser.cookies]
      .filter(([k]) => k !== 'sid')
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    const csrf = browser.csrf();
    const before = await listBlobs();
    // A PNG for a slot that accepts only what the default allows is fine; a zip is not accepted anywhere.
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 1)]);
    const boundary = '----xoa';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="hanhDong"\r\n\r\nluu\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="tep.tep_tk_lltp"; filename="a.zip"\r\nContent-Type: application/zip\r\n\r\n`,
      ),
      zip,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await portal.app.inject({
      method: 'POST',
      url: draftUrl,
      payload: body,
      headers: {
        cookie: [`sid=${citizen.token}`, csrfCookie].filter(Boolean).join('; '),
        'content-type': `multipart/form-data; boundary=${boundary}`,
        accept: 'text/html',
      },
    });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('không đúng định dạng');
    // Removed once the answer is sent (an onResponse hook): wait for it rather than race it.
    for (let i = 0; i < 100 && (await listBlobs()) !== before; i++)
      await new Promise((ok) => setTimeout(ok, 50));
    expect(await listBlobs()).toBe(before);
  });
});
