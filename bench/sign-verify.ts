/**
 * sign-verify: certified copies of a 10-page original, one client, in the same run on the same machine:
 *
 * - certify: through the API (open with the scan as base64 → cash at the counter: the fee into the
 *   payments ledger with its receipt, the register number, the certification block and QR, the office's
 *   PAdES signature, storage, the wallet item, the notification, the audit rows) against signing the same
 *   PDF with the same office key through the signing library alone (`signPdf`), copies per second;
 * - verify: `POST /api/v1/verifications` with the signed copy (multipart: the signatures against the
 *   trusted roots and the revocation of office certificates, the register's lookup of the copy, the log)
 *   against the library's bare `inspectPdfSignatures` of the same file with the roots in memory.
 *
 * Goal: the API at ≥ 0.50 of the bare figure for both. Three rounds of each side, alternating; the median.
 *
 *   BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_documents; dropped and made anew),
 *                      or BENCH_ENGINE=pglite for the embedded database (in memory)
 *   BENCH_COPIES       copies certified a round (default 20); verifications a round are 5× that
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { sql } from 'kysely';
import { PDFDocument } from 'pdf-lib';
import pg from 'pg';
import { startPortal } from '../src/bootstrap.ts';
import { inspectPdfSignatures, pkcs12Signer, signPdf } from '../src/modules/documents/signing/index.ts';
import { seedDemoPayments } from '../src/modules/payments/demo.ts';
import { loadConfig } from '../src/platform/config/index.ts';
import { createSecrets } from '../src/platform/security/index.ts';
import { accountWithSession } from '../test/helpers/sessions.ts';
import type { Row } from './run.ts';

const PGLITE = process.env.BENCH_ENGINE === 'pglite';
const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_documents';
const COPIES = Number(process.env.BENCH_COPIES ?? 20);
const VERIFICATIONS = COPIES * 5;
const ROUNDS = 3;

/**
 * A greyscale page the size of an A4 scan at 100 dpi: lines of "text" on paper with grain (a
 * pseudo-random noise of a few levels, as a scanner gives), different for each page — about 460 KB as PNG,
 * a scanned page kept lossless.
 */
function scanPng(seed: number, w = 827, h = 1169): Buffer {
  const raw = Buffer.alloc((w + 1) * h);
  let r = Math.imul(seed + 1, 2_654_435_761) >>> 0;
  for (let y = 0; y < h; y++) {
    raw[y * (w + 1)] = 0;
    for (let x = 0; x < w; x++) {
      r = (Math.imul(r, 1_103_515_245) + 12_345) >>> 0;
      const ink = (y + seed * 7) % 32 < 3 && x > 80 && x < w - 80 && (x >> 4) % 5 !== 0;
      raw[y * (w + 1) + 1 + x] = ink ? 30 + (r >>> 27) : 236 + (r >>> 30) * 3;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

async function tenPageScan(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < 10; i++) {
    const img = await doc.embedPng(scanPng(i));
    const page = doc.addPage([595.28, 841.89]);
    page.drawImage(img, { x: 0, y: 0, width: 595.28, height: 841.89 });
  }
  return Buffer.from(await doc.save());
}

async function recreateDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1).replace(/"/g, '');
  const admin = new pg.Client({
    connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString(),
  });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function signVerify(): Promise<Row[]> {
  // A fresh database each run: the demo's keys live in this run's DATA_DIR.
  if (!PGLITE) await recreateDatabase(URL_);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sign-verify-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    DATA_DIR: dataDir,
    ...(PGLITE ? {} : { DATABASE_URL: URL_, DATABASE_POOL_MAX: '10' }),
  });
  const portal = await startPortal(config, {
    ...(PGLITE ? { database: { memory: true } } : {}),
    demoDocuments: true,
  });
  const db = portal.database.db;
  try {
    await portal.app.listen({ port: 0, host: '127.0.0.1' });
    const address = portal.app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // The demo's payees: Hà Nội's budget account takes the ward's fees.
    await seedDemoPayments(db, { intermediaries: [] });
    const certifier = await accountWithSession(portal, 'officer', {
      agency: 'UBND-00070',
      grants: [
        ['UBND-00070', 'certifier'],
        ['UBND-00070', 'cashier'],
      ],
    });
    const cookie = `sid=${certifier.token}`;
    const scan = await tenPageScan();
    const scanBase64 = scan.toString('base64');

    // The same key the portal signs with, through the library alone.
    const key = await sql<{ key_ref: string }>`
      select key_ref from documents.signing_keys where agency_code = 'UBND-00070' and status = 'active'`.execute(
      db,
    );
    const keyRef = key.rows[0]?.key_ref;
    if (!keyRef?.startsWith('p12:')) throw new Error('no active software key for UBND-00070');
    const passphrase = (await createSecrets(db).get('documents-signing-keys')).toString('base64url');
    const signer = await pkcs12Signer(
      fs.readFileSync(path.join(dataDir, 'pki', keyRef.slice(4))),
      passphrase,
    );
    const roots = await sql<{
      certificate: Uint8Array;
    }>`select certificate from documents.trusted_roots`.execute(db);
    const trust = {
      roots: roots.rows.map((r) => Buffer.from(r.certificate)),
      revocationOf: async () => undefined,
    };

    let serial = 0;
    async function certifyOnce(): Promise<string> {
      const open = await fetch(`${base}/api/v1/certification/certifications`, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': 'application/json',
          'idempotency-key': `bench-${Date.now()}-${++serial}`,
        },
        body: JSON.stringify({
          office: 'UBND-00070',
          requester: { name: 'Nguyễn Văn Thử' },
          document: { type: 'giay-khai-sinh', title: 'Giấy khai sinh' },
          pages: 10,
          copies: 1,
          scan: { contentType: 'application/pdf', base64: scanBase64 },
        }),
      });
      if (open.status !== 201) throw new Error(`open: ${open.status} ${await open.text()}`);
      const { id } = (await open.json()) as { id: string };
      const paid = await fetch(`${base}/api/v1/certification/certifications/${id}/cash`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: '{}',
      });
      const body = (await paid.json()) as { status: string };
      if (paid.status !== 200 || body.status !== 'issued')
        throw new Error(`cash: ${paid.status} ${JSON.stringify(body)}`);
      return id;
    }
    async function copyOf(id: string): Promise<Buffer> {
      const r = await fetch(`${base}/api/v1/certification/certifications/${id}/copy.pdf`, {
        headers: { cookie },
      });
      return Buffer.from(await r.arrayBuffer());
    }
    const meta = () => ({
      reason: 'Chứng thực bản sao từ bản chính',
      location: 'Ủy ban nhân dân phường Hoàn Kiếm',
      signingTime: new Date(),
    });
    async function verifyOnce(pdf: Buffer): Promise<void> {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'ban-sao.pdf');
      const r = await fetch(`${base}/api/v1/verifications`, { method: 'POST', body: form });
      const v = (await r.json()) as { valid: boolean };
      if (r.status !== 200 || !v.valid) throw new Error(`verify: ${r.status} ${JSON.stringify(v)}`);
    }

    // Warm-up: both paths once (JIT, the key's cache, the font's subset code).
    const first = await copyOf(await certifyOnce());
    await signPdf(scan, signer, meta());
    await verifyOnce(first);
    const bareVerdict = await inspectPdfSignatures(first, trust);
    if (!bareVerdict.valid)
      throw new Error(`the bare verification refuses the copy: ${JSON.stringify(bareVerdict.reasons)}`);

    const api: number[] = [];
    const bare: number[] = [];
    const apiV: number[] = [];
    const bareV: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let t = performance.now();
      for (let i = 0; i < COPIES; i++) await certifyOnce();
      api.push(COPIES / ((performance.now() - t) / 1000));
      t = performance.now();
      for (let i = 0; i < COPIES; i++) await signPdf(scan, signer, meta());
      bare.push(COPIES / ((performance.now() - t) / 1000));
      t = performance.now();
      for (let i = 0; i < VERIFICATIONS; i++) await verifyOnce(first);
      apiV.push(VERIFICATIONS / ((performance.now() - t) / 1000));
      t = performance.now();
      for (let i = 0; i < VERIFICATIONS; i++) {
        const v = await inspectPdfSignatures(first, trust);
        if (!v.valid) throw new Error('bare verification failed');
      }
      bareV.push(VERIFICATIONS / ((performance.now() - t) / 1000));
    }
    const engine = PGLITE ? 'PGlite' : 'PostgreSQL';
    const size = `${(scan.length / 1024).toFixed(0)} KB scan, ${(first.length / 1024).toFixed(0)} KB copy`;
    return [
      {
        figure: `certify a 10-page copy through the API vs signPdf alone (${engine}, ${size})`,
        ours: median(api),
        limit: median(bare),
        unit: 'copies/s',
        better: 'higher',
        note: 'goal ≥ 0.50',
      },
      {
        figure: `verify the signed copy through POST /api/v1/verifications vs inspectPdfSignatures alone (${engine})`,
        ours: median(apiV),
        limit: median(bareV),
        unit: 'checks/s',
        better: 'higher',
        note: 'goal ≥ 0.50',
      },
    ];
  } finally {
    await portal.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
