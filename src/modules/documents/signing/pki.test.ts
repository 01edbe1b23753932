import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createRootCa,
  exportPkcs12,
  importPkcs12,
  issueOfficeCertificate,
  parseCertificate,
} from './index.ts';
import { testPki } from './testing.ts';

/** openssl is a hard requirement of these tests: interoperability is the point. */
const OPENSSL = '/usr/bin/openssl';
const dir = mkdtempSync(join(tmpdir(), 'signing-pki-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** stdout and stderr (openssl writes -info there); throws when openssl fails. */
function openssl(args: string[]): string {
  const r = spawnSync(OPENSSL, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  return r.stdout + r.stderr;
}
const pem = (der: Buffer) =>
  `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;

describe('certificates', () => {
  it('round-trips Vietnamese names (NFC, UTF8String) and the agency code', async () => {
    const { root, office } = await testPki();
    const cert = parseCertificate(office.certificate);
    expect(cert.subject).toEqual({
      commonName: 'Ủy ban nhân dân phường Hoàn Kiếm',
      organisation: 'Thành phố Hà Nội',
      province: 'Hà Nội',
      country: 'VN',
      agencyCode: 'UBND-00070',
    });
    expect(cert.issuer.commonName).toBe('CA gốc thử nghiệm Cổng DVC');
    expect(cert.subjectText).toBe(
      'UID=UBND-00070, CN=Ủy ban nhân dân phường Hoàn Kiếm, O=Thành phố Hà Nội, ST=Hà Nội, C=VN',
    );
    expect(cert.isCa).toBe(false);
    // UTF8String (tag 0x0C) for text, PrintableString (0x13) for the country.
    const utf8 = Buffer.from('Ủy ban nhân dân phường Hoàn Kiếm', 'utf8');
    expect(office.certificate.includes(Buffer.concat([Buffer.of(0x0c, utf8.length), utf8]))).toBe(true);
    expect(office.certificate.includes(Buffer.from([0x13, 0x02, 0x56, 0x4e]))).toBe(true);
    expect(cert.serialHex).toMatch(/^[0-9A-F]{32}$/);
    expect(cert.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(office.chain).toEqual([root.certificate]);
    const r = parseCertificate(root.certificate);
    expect(r.isCa).toBe(true);
    expect(r.subjectText).toBe(r.issuerText);
    expect(r.notAfter.getUTCFullYear() - r.notBefore.getUTCFullYear()).toBe(20);
  });

  it('normalises decomposed input to NFC', async () => {
    const { root } = await testPki();
    const k = await issueOfficeCertificate(root, {
      subject: { commonName: 'Phường Hoàn Kiếm'.normalize('NFD'), organisationalUnit: 'Bộ phận một cửa' },
      validYears: 1,
      notBefore: new Date('2026-01-01T00:00:00Z'),
    });
    const c = parseCertificate(k.certificate);
    expect(c.subject.commonName).toBe('Phường Hoàn Kiếm'.normalize('NFC'));
    expect(c.subject.organisationalUnit).toBe('Bộ phận một cửa');
    expect(c.notBefore.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(c.notAfter.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('openssl reads the names and verifies the chain with the extensions CAs need', async () => {
    const { root, office } = await testPki();
    writeFileSync(join(dir, 'root.pem'), pem(root.certificate));
    writeFileSync(join(dir, 'office.pem'), pem(office.certificate));
    expect(openssl(['verify', '-CAfile', join(dir, 'root.pem'), join(dir, 'office.pem')])).toContain(': OK');
    const text = openssl([
      'x509',
      '-in',
      join(dir, 'office.pem'),
      '-noout',
      '-text',
      '-nameopt',
      'utf8,sep_comma_plus',
    ]);
    expect(text).toContain('CN=Ủy ban nhân dân phường Hoàn Kiếm');
    expect(text).toContain('UID=UBND-00070');
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text).toContain('Authority Key Identifier');
    const rootText = openssl(['x509', '-in', join(dir, 'root.pem'), '-noout', '-text']);
    expect(rootText).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
    expect(rootText).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
  });

  it('rejects a country that is not two capital letters', async () => {
    await expect(createRootCa({ subject: { commonName: 'x', country: 'Việt Nam' } })).rejects.toThrow(
      /country/,
    );
  });
});

describe('PKCS#12', () => {
  const passphrase = 'Mật khẩu rất dài 2026!';

  it('round-trips through import', async () => {
    const { office } = await testPki();
    const p12 = await exportPkcs12({ ...office, passphrase, friendlyName: 'Phường Hoàn Kiếm' });
    const back = await importPkcs12(p12, passphrase);
    expect(back.certificate.equals(office.certificate)).toBe(true);
    expect(back.chain.map((c) => c.toString('hex'))).toEqual(office.chain.map((c) => c.toString('hex')));
    expect(back.privateKey.equals(office.privateKey)).toBe(true);
  });

  it('opens in openssl, and openssl-made files open here', async () => {
    const { office } = await testPki();
    const file = join(dir, 'office.p12');
    writeFileSync(file, await exportPkcs12({ ...office, passphrase }));
    const out = openssl(['pkcs12', '-in', file, '-passin', `pass:${passphrase}`, '-nodes']);
    expect(out).toContain('-----BEGIN PRIVATE KEY-----');
    expect(out.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const info = openssl([
      'pkcs12',
      '-in',
      file,
      '-passin',
      `pass:${passphrase}`,
      '-nodes',
      '-info',
      '-noout',
    ]);
    expect(info).toContain('MAC: sha256');
    expect(info).toMatch(/PBES2, PBKDF2, AES-256-CBC/);

    // openssl's own default output: the certificates in an encrypted bag as well.
    writeFileSync(join(dir, 'all.pem'), out);
    const made = join(dir, 'openssl.p12');
    openssl(['pkcs12', '-export', '-in', join(dir, 'all.pem'), '-out', made, '-passout', 'pass:đúng rồi']);
    const imported = await importPkcs12(readFileSync(made), 'đúng rồi');
    expect(imported.certificate.equals(office.certificate)).toBe(true);
    expect(imported.chain).toHaveLength(1);

    // Older tools' choice: 3DES under the PKCS#12 key derivation and a SHA-1 MAC.
    const legacy = join(dir, 'legacy.p12');
    openssl([
      'pkcs12',
      '-export',
      '-in',
      join(dir, 'all.pem'),
      '-out',
      legacy,
      '-passout',
      'pass:cũ',
      '-keypbe',
      'PBE-SHA1-3DES',
      '-certpbe',
      'PBE-SHA1-3DES',
      '-macalg',
      'sha1',
    ]);
    const old = await importPkcs12(readFileSync(legacy), 'cũ');
    expect(old.privateKey.equals(office.privateKey)).toBe(true);
    expect(old.chain).toHaveLength(1);
  });

  it('says clearly when the passphrase is wrong or the file is not PKCS#12', async () => {
    const { office } = await testPki();
    const p12 = await exportPkcs12({ ...office, passphrase });
    await expect(importPkcs12(p12, 'sai mật khẩu')).rejects.toThrow(/wrong passphrase for the PKCS#12 file/);
    // The MAC also covers the (unencrypted) certificates.
    const tampered = Buffer.from(p12);
    const at = tampered.indexOf(office.certificate.subarray(200, 216));
    tampered[at] = tampered[at]! ^ 0x01;
    await expect(importPkcs12(tampered, passphrase)).rejects.toThrow(/wrong passphrase|corrupt/);
    await expect(importPkcs12(Buffer.from('not a pfx'), passphrase)).rejects.toThrow(/not a PKCS#12 file/);
  });
});
