/**
 * Reuse from the wallet and results delivered to it, with a fake `WalletPort` (the documents module's real
 * wallet is wired and tested end to end in app.ts): a document of the applicant's own wallet becomes a
 * staged upload with its bytes copied and the verdict recorded, and the dossier's attachment inherits both;
 * another owner's item, or no wallet, is a 404; the officer's page shows the recorded verdict; the
 * exchange record says the file came from the store; a returned result PDF is delivered once even when its
 * outbox message is delivered twice.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { h as element } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../../platform/db/index.ts';
import { NotFoundError } from '../../platform/errors/index.ts';
import { type BlobStore, localBlobStore } from '../../platform/files/index.ts';
import type { OutboxMessage } from '../../platform/outbox/index.ts';
import type { WalletItemForDossier, WalletPort } from './dossiers.ports.ts';
import type { DossiersTables } from './dossiers.tables.ts';
import { dossiersHarness, type Harness, vn } from './dossiers.test-support.ts';
import { createUploads } from './dossiers.uploads.ts';
import {
  createWalletReuse,
  RESULT_TO_WALLET,
  resultDelivery,
  resultReturnedListener,
} from './dossiers.wallet.ts';
import { exchangeReader, type StatusChange } from './exchange.ts';
import { DocumentsSection } from './pages/documents.tsx';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const SIGNED = Buffer.from('%PDF-1.7\n% a certified copy, signed\n1 0 obj << >> endobj\n%%EOF\n');
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);
const sha = async (b: Buffer) => (await import('node:crypto')).createHash('sha256').update(b).digest('hex');

let h: Harness;
let dir: string;
let blobs: BlobStore;
let citizen: ReturnType<Harness['account']>;
let stranger: ReturnType<Harness['account']>;
let receiver: ReturnType<Harness['officer']>;
let approver: ReturnType<Harness['officer']>;

/** A wallet in memory: items by owner, the results delivered to it. */
function fakeWallet() {
  const items = new Map<string, { owner: string; item: WalletItemForDossier; bytes: Buffer }>();
  const delivered: Array<Parameters<WalletPort['deliverResult']>[0] & { itemId: string }> = [];
  let failNext = false;
  const port: WalletPort = {
    async listForOwner(ownerId) {
      return [...items.values()].filter((x) => x.owner === ownerId).map((x) => x.item);
    },
    async takeForDossier(ownerId, itemId) {
      const x = items.get(itemId);
      return x && x.owner === ownerId ? { item: x.item, bytes: x.bytes } : undefined;
    },
    async deliverResult(input) {
      if (failNext) {
        failNext = false;
        throw new Error('wallet unavailable');
      }
      const itemId = randomUUID();
      delivered.push({ ...input, itemId });
      return { itemId };
    },
  };
  return {
    port,
    delivered,
    failOnce() {
      failNext = true;
    },
    async add(owner: string, bytes: Buffer, over: Partial<WalletItemForDossier> = {}) {
      const item: WalletItemForDossier = {
        id: randomUUID(),
        kind: 'certified-copy',
        documentType: 'CCCD',
        title: 'Bản sao Căn cước công dân',
        issuer: 'UBND phường Ba Đình',
        number: '123/2026-SCT/BS',
        issuedOn: '2026-11-02',
        expiresOn: null,
        fileName: 'can-cuoc-ban-sao.pdf',
        contentType: 'application/pdf',
        sizeBytes: bytes.length,
        sha256: await sha(bytes),
        verification: {
          verified: true,
          checkedAt: vn('2026-11-24 09:05'),
          summary: { vi: 'Chữ ký số hợp lệ', en: 'Valid signature' },
          signer: 'UBND phường Ba Đình',
        },
        ...over,
      };
      items.set(item.id, { owner, item, bytes });
      return item;
    },
  };
}

let wallet: ReturnType<typeof fakeWallet>;

function parts() {
  const db = scoped<DossiersTables>(h.database.db);
  return {
    db,
    reuse: createWalletReuse({ db, blobs, wallet: wallet.port, maxBytes: 1024 * 1024 }),
    uploads: createUploads({ db, service: h.service, blobs, maxBytes: 1024 * 1024 }),
  };
}

const filing = (attachments: Parameters<Harness['service']['submit']>[0]['attachments']) => ({
  accountId: citizen.id,
  applicant: { accountId: citizen.id, kind: 'citizen' as const, name: citizen.name },
  idempotencyKey: randomUUID(),
  procedureCode: '2.000505',
  channel: 'online' as const,
  place: { provinceCode: '01' },
  formData: { hoTen: citizen.name },
  attachments,
});

beforeAll(async () => {
  h = await dossiersHarness(vn('2026-11-24 09:00'));
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cong-dvc-wallet-'));
  blobs = localBlobStore(dir);
  citizen = h.account('Nguyễn Văn Minh');
  stranger = h.account('Trần Thị Khác');
  receiver = h.officer('TTPVHCC-01', ['receiver'], 'Đỗ Tiếp Nhận');
  approver = h.officer('UBND-01', ['approver'], 'Trần Phê Duyệt');
  wallet = fakeWallet();
});
afterAll(async () => {
  await h?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function bytesOf(stream: Readable) {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('reusing a wallet document in a dossier', () => {
  it('copies the bytes and records the item and the verdict; the attachment, the view and the exchange record say so', async () => {
    const { reuse, uploads } = parts();
    const item = await wallet.add(citizen.id, SIGNED);
    expect(await reuse.walletItems(citizen.id)).toEqual([item]);
    const up = await reuse.uploadFromWallet(citizen.id, { walletItemId: item.id, documentCode: 'CCCD' });
    expect(up).toMatchObject({
      file_name: 'can-cuoc-ban-sao.pdf',
      media_type: 'application/pdf',
      sha256: item.sha256,
      reuse: {
        walletItemId: item.id,
        verification: {
          verified: true,
          signer: 'UBND phường Ba Đình',
          checkedAt: '2026-11-24T02:05:00.000Z',
        },
      },
    });
    const [row] = await uploads.uploadsOf(citizen.id, [up.id]);
    expect(row).toMatchObject({ wallet_item_id: item.id, verification: { verified: true } });
    expect(await bytesOf((await blobs.get(row!.blob_key))!)).toEqual(SIGNED);

    const device = await parts().uploads.methods.upload(citizen.id, {
      stream: Readable.from([PDF]),
      fileName: 'to-khai.pdf',
      documentCode: 'TK',
    });
    const [deviceRow] = await uploads.uploadsOf(citizen.id, [device.id]);
    const { dossier } = await h.service.submit(
      filing([uploads.toAttachment(row!), uploads.toAttachment(deviceRow!)]),
    );
    const byName = (n: string) => dossier.attachments.find((a) => a.fileName === n)!;
    expect(byName('can-cuoc-ban-sao.pdf').reuse).toEqual({
      walletItemId: item.id,
      verification: {
        verified: true,
        summary: { vi: 'Chữ ký số hợp lệ', en: 'Valid signature' },
        signer: 'UBND phường Ba Đình',
        checkedAt: '2026-11-24T02:05:00.000Z',
      },
    });
    expect(byName('to-khai.pdf').reuse).toBeUndefined();

    const record = await exchangeReader({ db: parts().db, blobs }).record(dossier.code);
    expect(record!.attachments.map((a) => [a.fileName, a.fromWallet]).sort()).toEqual([
      ['can-cuoc-ban-sao.pdf', true],
      ['to-khai.pdf', false],
    ]);
  });

  it("refuses another owner's item (404, nothing stored) and answers 404 without a wallet", async () => {
    const { reuse } = parts();
    const theirs = await wallet.add(stranger.id, SIGNED);
    const before = await sql<{ n: number }>`select count(*)::int as n from dossiers.uploads`.execute(
      h.database.db,
    );
    await expect(reuse.uploadFromWallet(citizen.id, { walletItemId: theirs.id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(reuse.uploadFromWallet(citizen.id, { walletItemId: 'not-an-id' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const after = await sql<{ n: number }>`select count(*)::int as n from dossiers.uploads`.execute(
      h.database.db,
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    expect((await reuse.walletItems(citizen.id)).map((i) => i.id)).not.toContain(theirs.id);

    const none = createWalletReuse({ db: parts().db, blobs, maxBytes: 1024 });
    expect(none.walletEnabled).toBe(false);
    expect(await none.walletItems(citizen.id)).toEqual([]);
    await expect(none.uploadFromWallet(citizen.id, { walletItemId: theirs.id })).rejects.toThrow(
      /chưa được kết nối/,
    );
  });

  it('refuses a document the slot does not take (a PNG for a PDF slot)', async () => {
    const { reuse } = parts();
    const png = await wallet.add(citizen.id, PNG, { contentType: 'image/png', fileName: 'anh.png' });
    await expect(
      reuse.uploadFromWallet(citizen.id, { walletItemId: png.id, accept: ['application/pdf'] }),
    ).rejects.toThrow(/không đúng định dạng/);
  });

  it('shows the officer the verdict recorded when the file was taken, or why it was not verified', async () => {
    const { reuse, uploads } = parts();
    const good = await wallet.add(citizen.id, SIGNED);
    const bad = await wallet.add(citizen.id, Buffer.from(`${SIGNED.toString()}% revoked\n`), {
      fileName: 'giay-phep.pdf',
      verification: {
        verified: false,
        checkedAt: vn('2026-11-24 09:06'),
        summary: { vi: 'Bản sao đã bị thu hồi', en: 'The copy was revoked' },
        signer: 'UBND phường Ba Đình',
      },
    });
    const a = await reuse.uploadFromWallet(citizen.id, { walletItemId: good.id });
    const b = await reuse.uploadFromWallet(citizen.id, { walletItemId: bad.id });
    const rows = await uploads.uploadsOf(citizen.id, [a.id, b.id]);
    const { dossier } = await h.service.submit(filing(rows.map(uploads.toAttachment)));
    const view = await h.service.get(receiver.id, dossier.code);
    const html = renderToString(
      element(DocumentsSection, {
        attachments: view.attachments,
        href: `/can-bo/ho-so/${dossier.code}`,
        officer: true,
        documentName: () => undefined,
      }),
    );
    const text = html.replace(/<[^>]+>/g, '');
    expect(text).toContain(
      'Lấy từ kho dữ liệu — đã xác thực chữ ký số (UBND phường Ba Đình, 09:05 24/11/2026)',
    );
    expect(text).toContain(
      'Lấy từ kho dữ liệu — chưa xác thực được chữ ký số: Bản sao đã bị thu hồi (kiểm tra lúc 09:06 24/11/2026)',
    );
  });
});

describe('delivering returned results to the wallet', () => {
  it('delivers each result PDF once, even when the message is delivered twice; a failure is retried; other files are skipped', async () => {
    const { db, uploads } = parts();
    const { dossier } = await h.service.submit(filing([]));
    const code = dossier.code;
    await h.service.act({ accountId: receiver.id, code, action: 'receive' });
    await h.service.act({ accountId: receiver.id, code, action: 'forward' });
    await h.service.act({ accountId: approver.id, code, action: 'approve' });
    const pdf = await uploads.methods.upload(receiver.id, {
      stream: Readable.from([PDF]),
      fileName: 'ket-qua.pdf',
    });
    const png = await uploads.methods.upload(receiver.id, {
      stream: Readable.from([PNG]),
      fileName: 'anh.png',
    });
    const done = await h.service.act({
      accountId: receiver.id,
      code,
      action: 'return-result',
      attachments: await uploads.methods.attachmentsFor(receiver.id, [pdf.id, png.id], 'result'),
    });
    expect(done.status).toBe(10);

    // The status change, told twice (at least once), enqueues one message.
    const change = {
      topic: 'dossier.status-changed',
      code,
      action: 'return-result',
      from: { state: 'resolved', status: 9 },
      to: { state: 'returned', status: 10 },
      at: done.returnedAt!.toISOString(),
      procedureCode: '2.000505',
      applicantAccountId: citizen.id,
      receivingAgencyCode: done.receivingAgencyCode,
      competentAgencyCode: done.competentAgencyCode,
      dueAt: done.dueAt.toISOString(),
      revision: done.revision,
    } as StatusChange;
    const listener = resultReturnedListener(h.database.db);
    await listener(change);
    await listener(change);
    await listener({ ...change, to: { state: 'processing', status: 4 }, revision: change.revision - 1 });
    const messages = await sql<{ id: number; payload: { code: string } }>`
      select id, payload from platform.outbox where topic = ${RESULT_TO_WALLET} and payload->>'code' = ${code}`.execute(
      h.database.db,
    );
    expect(messages.rows.map((m) => m.payload)).toEqual([{ code }]);

    const lines: string[] = [];
    const deliver = resultDelivery({
      db,
      blobs,
      wallet: wallet.port,
      clock: h.clock,
      agencyName: async (c) => (c === done.competentAgencyCode ? 'Sở Tư pháp thành phố Hà Nội' : undefined),
      log: { info: (_d, m) => lines.push(m), warn: (_d, m) => lines.push(m) },
    });
    const message: OutboxMessage = {
      id: messages.rows[0]!.id,
      topic: RESULT_TO_WALLET,
      payload: { code },
      attempts: 0,
      createdAt: new Date(),
    };
    const before = wallet.delivered.length;
    wallet.failOnce();
    await expect(deliver(message)).rejects.toThrow(/wallet unavailable/);
    await deliver({ ...message, attempts: 1 });
    await deliver({ ...message, attempts: 2 });
    const mine = wallet.delivered.slice(before);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      ownerId: citizen.id,
      dossierCode: code,
      title: 'Kết quả giải quyết: Cấp Phiếu lý lịch tư pháp',
      issuer: 'Sở Tư pháp thành phố Hà Nội',
      agencyCode: done.competentAgencyCode,
      fileName: 'ket-qua.pdf',
      issuedAt: done.returnedAt,
    });
    expect(mine[0]!.pdf).toEqual(PDF);
    const recorded = await sql<{ file_name: string; delivered_item_id: string | null }>`
      select file_name, delivered_item_id from dossiers.attachments
      where dossier_code = ${code} and purpose = 'result' order by file_name`.execute(h.database.db);
    expect(recorded.rows).toEqual([
      { file_name: 'anh.png', delivered_item_id: null },
      { file_name: 'ket-qua.pdf', delivered_item_id: mine[0]!.itemId },
    ]);
    expect(lines).toContain('dossier result not delivered to the wallet: only PDFs are signed documents');
  });
});
