/**
 * A wallet on a fresh migrated database (PGlite, or PostgreSQL with DATABASE_URL), with a pinned clock,
 * a fake verification (a PDF containing "SIGNED-OK" is valid; with "REVOKED" it is not), a fake result
 * signer, and a small app: the wallet's routes behind a stand-in for identity's access check (a person by
 * the `x-test-account: <id>:<kind>` header, a machine by `Bearer <token>` of `machines`), the CSRF plugin
 * and the web layer.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { freshDatabase } from '../../../../test/helpers/database.ts';
import { testConfig } from '../../../../test/helpers/portal.ts';
import { migrate } from '../../../platform/db/index.ts';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../../platform/errors/index.ts';
import { type BlobStore, localBlobStore } from '../../../platform/files/index.ts';
import type { AccountKindName } from '../../../platform/http/index.ts';
import { type AppInstance, createServer, isMachinePath } from '../../../platform/http/index.ts';
import { csrfPlugin, type Secrets } from '../../../platform/security/index.ts';
import { webPlugin } from '../../../platform/web/index.ts';
import { createWallet, type DataAccessRecord, type DeliverResultInput, type Wallet } from './index.ts';

export const pdf = (text: string) =>
  Buffer.from(`%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\n%%EOF\n`, 'latin1');
export const png = () =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]);

export interface WalletHarness {
  wallet: Wallet;
  app: AppInstance;
  blobs: BlobStore;
  db: Awaited<ReturnType<typeof freshDatabase>>['db'];
  clock: { now(): Date; advance(ms: number): void };
  ids: Map<string, string>;
  machines: Map<string, { clientId: string; clientName: string; scopes: string[]; agencyCodes: string[] }>;
  accesses: DataAccessRecord[];
  signed: DeliverResultInput[];
  /** A certification row for a copy (the items' foreign key). */
  certification(): Promise<string>;
  close(): Promise<void>;
}

export async function walletHarness(start = new Date('2026-12-07T03:00:00Z')): Promise<WalletHarness> {
  const database = await freshDatabase();
  await migrate(database);
  let now = start;
  const clock = {
    now: () => new Date(now),
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wallet-test-'));
  const ids = new Map<string, string>();
  const accesses: DataAccessRecord[] = [];
  const signed: DeliverResultInput[] = [];
  const machines: WalletHarness['machines'] = new Map();
  const key = randomBytes(32);
  const blobs = localBlobStore(dir);
  const wallet = createWallet({
    db: database.db,
    clock,
    blobs,
    publicUrl: 'https://dichvucong.test',
    async verify(bytes) {
      const text = bytes.toString('latin1');
      if (text.includes('REVOKED'))
        return {
          valid: false,
          reasons: [{ code: 'revoked', vi: 'bản sao đã bị thu hồi', en: 'the copy was revoked' }],
          signerName: 'UBND phường Ba Đình',
        };
      if (text.includes('SIGNED-OK')) return { valid: true, reasons: [], signerName: 'UBND phường Ba Đình' };
      return {
        valid: false,
        reasons: [{ code: 'unsigned', vi: 'không có chữ ký số', en: 'unsigned' }],
        signerName: null,
      };
    },
    async signResult(input) {
      signed.push(input);
      // Every signing differs (its time), as a real signature does.
      return Buffer.concat([input.pdf, Buffer.from(`% SIGNED-OK ${randomUUID()}\n`)]);
    },
    accountByIdNumber: async (id) => ids.get(id),
    linkKey: async () => key,
    agencyName: async (code) =>
      ['UBND-HN', 'BCA', 'SO-TP-HN'].includes(code) ? `Cơ quan ${code}` : undefined,
    recordDataAccess: async (_db, a) => void accesses.push(a),
  });

  const app = await createServer(testConfig());
  await app.register(webPlugin, { config: testConfig() });
  // The stand-in for identity's session and access plugins: what they decide, decided the same way.
  app.addHook('onRequest', async (request, reply) => {
    const declared = request.routeOptions.config.access;
    const who = String(request.headers['x-test-account'] ?? '');
    if (who) {
      const [id, kind] = who.split(':') as [string, AccountKindName];
      request.account = {
        id,
        kind,
        displayName: 'Người thử',
        sessionHash: id,
        assurance: 2,
        authenticatedAt: new Date(),
      } as NonNullable<typeof request.account>;
      request.csrfBinding = `test:${id}`;
    }
    if (!declared || declared.who === 'public') return;
    if (declared.who === 'account') {
      if (!request.account) {
        if (isMachinePath(request.url)) throw new UnauthorizedError('Vui lòng đăng nhập.');
        return reply.code(303).redirect('/dang-nhap');
      }
      if (declared.kinds && !declared.kinds.includes(request.account.kind))
        throw new NotFoundError('Không tìm thấy trang.');
      return;
    }
    if (declared.who === 'machine') {
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const m = token ? machines.get(token) : undefined;
      if (!m) throw new UnauthorizedError('Cần mã truy cập hợp lệ.');
      if (!m.scopes.includes(declared.scope))
        throw new ForbiddenError(`Mã truy cập không có phạm vi "${declared.scope}".`);
      request.machine = m;
      return;
    }
    throw new NotFoundError('Không tìm thấy trang.');
  });
  const secrets = { get: async () => key } as unknown as Secrets;
  await app.register(csrfPlugin, { secrets, secureCookies: false });
  await app.register(wallet.routes);
  await app.ready();

  return {
    wallet,
    app,
    blobs,
    db: database.db,
    clock,
    ids,
    machines,
    accesses,
    signed,
    async certification() {
      const id = randomUUID();
      await sql`insert into documents.certifications (id, agency_code, certifier_id, source, requester_name,
          document_type, document_title, pages, copies, fee, status, scan_key, scan_sha256, public_code)
        values (${id}, 'UBND-HN', ${randomUUID()}, 'walk-in', 'Người thử', 'giay-khai-sinh', 'Giấy khai sinh',
          1, 1, 2000, 'awaiting-fee', 'k', ${'a'.repeat(64)}, ${randomUUID()})`.execute(database.db);
      return id;
    },
    async close() {
      await app.close();
      await database.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
