/**
 * The offices' signing keys and what verification trusts (`documents.signing_keys`,
 * `documents.trusted_roots`):
 *
 * - `signerFor(agency)`: the office's active key through the signer port. The software key is a PKCS#12
 *   file under DATA_DIR/pki (`key_ref` `p12:<file>`), opened with the installation's passphrase; a
 *   hardware module or a remote signing service would be another `key_ref` scheme behind the same port.
 * - `trustStore()`: the trusted roots and the revocation of office certificates, as the signing core's
 *   verification asks for them (cached for a few seconds: a revocation shows within that).
 * - `ensureDemoPki(offices)`: on the embedded demo's first start, its own root CA and a certificate for
 *   each demo office; later starts reuse them (the root's key stays in DATA_DIR/pki/root.p12 to certify
 *   offices added later).
 * - `revoke(...)`: an office certificate revoked from a moment on; signatures made after it fail
 *   verification, earlier ones stay valid.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { appendAudit } from '../../../platform/audit/index.ts';
import type { Clock } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../platform/errors/index.ts';
import {
  type CertifiedKey,
  createRootCa,
  exportPkcs12,
  importPkcs12,
  issueOfficeCertificate,
  parseCertificate,
  pkcs12Signer,
  type Signer,
  type TrustStore,
} from '../signing/index.ts';

export interface SigningKey {
  id: string;
  agencyCode: string;
  subject: string;
  serialHex: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  status: 'active' | 'retired' | 'revoked';
  revokedAt: Date | null;
  revokedReason: string | null;
}

export interface KeysDeps {
  db: AnyDb;
  clock: Clock;
  /** DATA_DIR/pki: where software keys (PKCS#12) are kept. */
  pkiDir: string;
  /** The passphrase of the software keys (derived from an installation secret). */
  passphrase(): Promise<string>;
}

const DEMO_ROOT_NAME = {
  commonName: 'Tổ chức chứng thực thử nghiệm Cổng Dịch vụ công (demo)',
  organisation: 'Cổng Dịch vụ công Quốc gia (dữ liệu thử)',
  country: 'VN',
};

const nameText = (n: { commonName?: string; organisation?: string }) =>
  [n.commonName, n.organisation].filter(Boolean).join(', ');

export function createKeysService(deps: KeysDeps) {
  const { db } = deps;
  const signers = new Map<string, Promise<Signer>>();
  let trustCache: { at: number; roots: Buffer[] } | undefined;
  const TRUST_TTL_MS = 5_000;

  async function writeKeyFile(name: string, k: CertifiedKey): Promise<string> {
    const passphrase = await deps.passphrase();
    await fs.mkdir(deps.pkiDir, { recursive: true, mode: 0o700 });
    const file = `${name}.p12`;
    const p12 = await exportPkcs12({
      privateKey: k.privateKey,
      certificate: k.certificate,
      chain: k.chain,
      passphrase,
      friendlyName: name,
    });
    const tmp = path.join(deps.pkiDir, `${file}.tmp`);
    await fs.writeFile(tmp, p12, { mode: 0o600 });
    await fs.rename(tmp, path.join(deps.pkiDir, file));
    return file;
  }

  async function readKeyFile(file: string): Promise<Buffer> {
    if (!/^[A-Za-z0-9._-]+\.p12$/.test(file)) throw new Error(`bad key file name ${file}`);
    return fs.readFile(path.join(deps.pkiDir, file));
  }

  /** Registers a certificate (and where its key is) as the office's active key, retiring the previous one. */
  async function register(agencyCode: string, k: { certificate: Buffer; chain: Buffer[] }, keyRef: string) {
    const c = parseCertificate(k.certificate);
    await db.transaction().execute(async (trx) => {
      await sql`update documents.signing_keys set status = 'retired'
                 where agency_code = ${agencyCode} and status = 'active'`.execute(trx);
      await sql`
        insert into documents.signing_keys (agency_code, subject, serial_hex, issuer, certificate, chain,
          not_before, not_after, key_ref, status)
        values (${agencyCode}, ${nameText(c.subject)}, ${c.serialHex}, ${nameText(c.issuer)}, ${k.certificate},
          ${k.chain}, ${c.notBefore}, ${c.notAfter}, ${keyRef}, 'active')`.execute(trx);
      await appendAudit(
        trx,
        {
          actor: 'system:documents',
          action: 'signing-key.registered',
          subject: `agency:${agencyCode}`,
          data: { serial: c.serialHex, subject: nameText(c.subject), issuer: nameText(c.issuer) },
        },
        deps.clock.now(),
      );
    });
  }

  async function demoRoot(): Promise<CertifiedKey> {
    const existing = await fs.readFile(path.join(deps.pkiDir, 'root.p12')).catch(() => undefined);
    if (existing) {
      const k = await importPkcs12(existing, await deps.passphrase()).catch(() => undefined);
      if (k) return { certificate: k.certificate, privateKey: k.privateKey, chain: k.chain };
      // The key of another installation (its database was replaced): kept aside, a new root made.
      await fs.rename(
        path.join(deps.pkiDir, 'root.p12'),
        path.join(deps.pkiDir, `root.p12.unreadable-${Date.now()}`),
      );
    }
    const root = await createRootCa({ subject: DEMO_ROOT_NAME });
    await writeKeyFile('root', root);
    return root;
  }

  const service = {
    /** The office's active key as a signer; refuses when the office has none (or only a revoked one). */
    async signerFor(agencyCode: string): Promise<Signer> {
      const r = await sql<{ id: string; key_ref: string }>`
        select id::text as id, key_ref from documents.signing_keys
         where agency_code = ${agencyCode} and status = 'active'`.execute(db);
      const row = r.rows[0];
      if (!row)
        throw new ConflictError(
          'Cơ quan chưa có chứng thư số còn hiệu lực để ký / the office has no valid signing certificate',
        );
      const cached = signers.get(row.id);
      if (cached) return cached;
      if (!row.key_ref.startsWith('p12:'))
        throw new Error(`signing key ${row.id}: no signer for key reference ${row.key_ref}`);
      // The promise is cached: opening a PKCS#12 costs ~200 ms (its iterations), once per process.
      const file = row.key_ref.slice(4);
      const signer = (async () => pkcs12Signer(await readKeyFile(file), await deps.passphrase()))();
      signers.set(row.id, signer);
      signer.catch(() => signers.delete(row.id));
      return signer;
    },

    /** Whether the agency has an active signing key. */
    async hasActiveKey(agencyCode: string): Promise<boolean> {
      const r = await sql<{ n: number }>`
        select count(*)::int as n from documents.signing_keys
         where agency_code = ${agencyCode} and status = 'active'`.execute(db);
      return (r.rows[0]?.n ?? 0) > 0;
    },

    /** What verification trusts now (the roots cached a few seconds). */
    async trustStore(): Promise<TrustStore> {
      if (!trustCache || Date.now() - trustCache.at >= TRUST_TTL_MS) {
        const r = await sql<{ certificate: Buffer }>`
          select certificate from documents.trusted_roots order by id`.execute(db);
        trustCache = { at: Date.now(), roots: r.rows.map((x) => Buffer.from(x.certificate)) };
      }
      return {
        roots: trustCache.roots,
        revocationOf: async (cert) => {
          const r = await sql<{ revoked_at: Date; revoked_reason: string | null }>`
            select revoked_at, revoked_reason from documents.signing_keys
             where serial_hex = ${cert.serialHex} and certificate = ${cert.der} and revoked_at is not null`.execute(
            db,
          );
          const x = r.rows[0];
          return x
            ? { revokedAt: x.revoked_at, ...(x.revoked_reason ? { reason: x.revoked_reason } : {}) }
            : undefined;
        },
      };
    },

    /** Adds a root certificate verification trusts (the operator's national root, the demo's own). */
    async trustRoot(der: Buffer, source: 'demo' | 'operator'): Promise<void> {
      const c = parseCertificate(der);
      await sql`
        insert into documents.trusted_roots (subject, serial_hex, sha256, certificate, source)
        values (${nameText(c.subject)}, ${c.serialHex}, ${createHash('sha256').update(der).digest('hex')}, ${der}, ${source})
        on conflict (sha256) do nothing`.execute(db);
      trustCache = undefined;
    },

    /** The demo's root CA and a key for every listed office without an active one (idempotent). */
    async ensureDemoPki(
      offices: ReadonlyArray<{
        agencyCode: string;
        name: string;
        provinceName?: string | undefined;
        organisation?: string | undefined;
      }>,
    ): Promise<void> {
      const missing: (typeof offices)[number][] = [];
      for (const o of offices) {
        const r = await sql<{ n: number }>`
          select count(*)::int as n from documents.signing_keys
           where agency_code = ${o.agencyCode} and status = 'active'`.execute(db);
        if ((r.rows[0]?.n ?? 0) === 0) missing.push(o);
      }
      const rootsKnown = await sql<{ n: number }>`
        select count(*)::int as n from documents.trusted_roots where source = 'demo'`.execute(db);
      if (missing.length === 0 && (rootsKnown.rows[0]?.n ?? 0) > 0) return;
      const root = await demoRoot();
      await service.trustRoot(root.certificate, 'demo');
      for (const o of missing) {
        const k = await issueOfficeCertificate(root, {
          subject: {
            commonName: o.name,
            ...(o.provinceName
              ? { organisation: `Ủy ban nhân dân ${o.provinceName}`, province: o.provinceName }
              : {}),
            ...(o.organisation ? { organisation: o.organisation } : {}),
            agencyCode: o.agencyCode,
            country: 'VN',
          },
        });
        const file = await writeKeyFile(
          `${o.agencyCode}-${parseCertificate(k.certificate).serialHex.slice(0, 16)}`,
          k,
        );
        await register(o.agencyCode, k, `p12:${file}`);
      }
    },

    /**
     * A new certificate for an office from the installation's own CA (the embedded demo's root, kept in
     * DATA_DIR/pki/root.p12): after a revocation the office signs again. An installation under the national
     * root has no such CA here; its offices' new keys come from the licensed certification authority.
     */
    async renewFromOwnCa(input: {
      agencyCode: string;
      name: string;
      provinceName?: string;
      by: string;
    }): Promise<void> {
      const own = await fs.stat(path.join(deps.pkiDir, 'root.p12')).catch(() => undefined);
      if (!own)
        throw new ConflictError(
          'Hệ thống không giữ khóa của tổ chức chứng thực: chứng thư số mới do tổ chức cung cấp dịch vụ chứng thực chữ ký số cấp / this installation holds no CA key; a new certificate comes from the licensed CA',
        );
      const root = await demoRoot();
      const k = await issueOfficeCertificate(root, {
        subject: {
          commonName: input.name,
          ...(input.provinceName
            ? { organisation: `Ủy ban nhân dân ${input.provinceName}`, province: input.provinceName }
            : {}),
          agencyCode: input.agencyCode,
          country: 'VN',
        },
      });
      const file = await writeKeyFile(
        `${input.agencyCode}-${parseCertificate(k.certificate).serialHex.slice(0, 16)}`,
        k,
      );
      await register(input.agencyCode, k, `p12:${file}`);
    },

    /** The offices' certificates (the key page), newest first. */
    async keysOf(agencyCodes: readonly string[]): Promise<SigningKey[]> {
      if (agencyCodes.length === 0) return [];
      const r = await sql<{
        id: string;
        agency_code: string;
        subject: string;
        serial_hex: string;
        issuer: string;
        not_before: Date;
        not_after: Date;
        status: SigningKey['status'];
        revoked_at: Date | null;
        revoked_reason: string | null;
      }>`select id::text as id, agency_code, subject, serial_hex, issuer, not_before, not_after, status, revoked_at,
                revoked_reason
           from documents.signing_keys where agency_code in (${sql.join([...agencyCodes])})
          order by created_at desc limit 200`.execute(db);
      return r.rows.map((x) => ({
        id: x.id,
        agencyCode: x.agency_code,
        subject: x.subject,
        serialHex: x.serial_hex,
        issuer: x.issuer,
        notBefore: x.not_before,
        notAfter: x.not_after,
        status: x.status,
        revokedAt: x.revoked_at,
        revokedReason: x.revoked_reason,
      }));
    },

    /**
     * Revokes an office certificate from `at` (default now; never in the future): verification refuses
     * signatures made from then on. The office signs nothing more until a new key is registered.
     */
    async revoke(input: { keyId: string; by: string; reason: string; at?: Date }): Promise<void> {
      const why = input.reason.normalize('NFC').trim();
      if (why.length < 5 || why.length > 500)
        throw new ValidationError(
          'Cần nêu lý do thu hồi (5–500 ký tự) / a reason (5–500 characters) is required',
          [{ path: 'reason', message: 'Cần nêu lý do thu hồi / a reason is required' }],
        );
      const now = deps.clock.now();
      const at = input.at && input.at < now ? input.at : now;
      await db.transaction().execute(async (trx) => {
        const r = await sql<{ agency_code: string; status: string }>`
          select agency_code, status from documents.signing_keys where id = ${input.keyId} for update`.execute(
          trx,
        );
        const k = r.rows[0];
        if (!k) throw new NotFoundError('Không tìm thấy chứng thư số / certificate not found');
        if (k.status === 'revoked') return;
        await sql`update documents.signing_keys
                     set status = 'revoked', revoked_at = ${at}, revoked_reason = ${why}, revoked_by = ${input.by}
                   where id = ${input.keyId}`.execute(trx);
        await appendAudit(
          trx,
          {
            actor: input.by,
            action: 'signing-key.revoked',
            subject: `agency:${k.agency_code}`,
            data: { key: input.keyId, at: at.toISOString(), reason: why },
          },
          now,
        );
      });
      signers.delete(input.keyId);
      trustCache = undefined;
    },
  };
  return service;
}

export type KeysService = ReturnType<typeof createKeysService>;
