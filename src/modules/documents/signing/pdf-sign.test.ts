import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFName, rgb } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPkcs12, inspectPdfSignatures, keySigner, pkcs12Signer, signPdf } from './index.ts';
import { makePdf, signatureParts, testPki, testTrust } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'signing-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return r.stdout + r.stderr;
}
const pem = (der: Buffer) =>
  `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;

const meta = {
  reason: 'Chứng thực bản sao từ bản chính',
  location: 'Phường Hoàn Kiếm, Thành phố Hà Nội',
  name: 'Nguyễn Thị Hương',
  contactInfo: 'chungthuc@hoankiem.hanoi.gov.vn',
  signingTime: new Date(),
};

describe('signPdf', () => {
  it('makes a signature pdfsig (poppler, NSS) finds valid and covering the whole document', async () => {
    const { office } = await testPki();
    const signed = await signPdf(await makePdf(), keySigner(office), meta);
    const file = join(dir, 'signed.pdf');
    writeFileSync(file, signed);
    // No certutil here to build an NSS database with our root, so the issuer stays untrusted for pdfsig.
    const out = run('/usr/bin/pdfsig', [file]);
    expect(out).toContain('Signature is Valid');
    expect(out).toContain('Total document signed');
    expect(out).toContain('Signer Certificate Common Name: Ủy ban nhân dân phường Hoàn Kiếm');
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('Signing Hash Algorithm: SHA-256');
  });

  it('makes a CMS openssl verifies against the root, with the PAdES signed attributes', async () => {
    const { root, office } = await testPki();
    const signed = await signPdf(await makePdf(), keySigner(office), meta);
    const { signed: content, cms, range } = signatureParts(signed);
    expect(range[0]).toBe(0);
    expect(range[2]! + range[3]!).toBe(signed.length);
    writeFileSync(join(dir, 'sig.der'), cms);
    writeFileSync(join(dir, 'content.bin'), content);
    writeFileSync(join(dir, 'root.pem'), pem(root.certificate));
    const verify = run('/usr/bin/openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      join(dir, 'sig.der'),
      '-content',
      join(dir, 'content.bin'),
      '-CAfile',
      join(dir, 'root.pem'),
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ]);
    expect(verify).toContain('Verification successful');
    const printed = run('/usr/bin/openssl', [
      'cms',
      '-cmsout',
      '-print',
      '-inform',
      'DER',
      '-in',
      join(dir, 'sig.der'),
    ]);
    expect(printed).toContain('contentType (1.2.840.113549.1.9.3)');
    expect(printed).toContain('messageDigest (1.2.840.113549.1.9.4)');
    expect(printed).toContain('id-smime-aa-signingCertificateV2');
    expect(printed).not.toContain('signingTime');
    expect(printed).toMatch(/eContent: <ABSENT>/);

    // Changing one signed byte makes openssl refuse it too.
    const changed = Buffer.from(content);
    changed[200] = changed[200]! ^ 0x01;
    writeFileSync(join(dir, 'content.bin'), changed);
    const refused = run('/usr/bin/openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      join(dir, 'sig.der'),
      '-content',
      join(dir, 'content.bin'),
      '-CAfile',
      join(dir, 'root.pem'),
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ]);
    expect(refused).toContain('Verification failure');
  });

  it('writes the signature dictionary with Vietnamese text as UTF-16BE and an invisible field', async () => {
    const { office } = await testPki();
    const signed = await signPdf(await makePdf(), keySigner(office), meta);
    const text = signed.toString('latin1');
    const utf16 = (s: string) => `FEFF${Buffer.from(s, 'utf16le').swap16().toString('hex')}`.toUpperCase();
    expect(text).toContain(`/Reason <${utf16(meta.reason)}>`);
    expect(text).toContain(`/Location <${utf16(meta.location)}>`);
    expect(text).toContain(`/Name <${utf16(meta.name)}>`);
    expect(text).toMatch(/\/Filter \/Adobe\.PPKLite/);
    expect(text).toMatch(/\/SubFilter \/ETSI\.CAdES\.detached/);
    expect(text).not.toContain('/ObjStm');
    const doc = await PDFDocument.load(signed);
    const acroForm = doc.catalog.getOrCreateAcroForm();
    expect(acroForm.dict.get(PDFName.of('SigFlags'))?.toString()).toBe('3');
    expect(
      doc
        .getForm()
        .getFields()
        .map((f) => f.getName()),
    ).toEqual(['Signature1']);
  });

  it('draws the caller’s stamp in the same pass (prepare), before signing', async () => {
    const { root, office } = await testPki();
    const original = await makePdf(2);
    let calls = 0;
    const signed = await signPdf(original, keySigner(office), meta, {
      prepare: (doc) => {
        calls++;
        const page = doc.getPage(0);
        page.drawRectangle({
          x: 360,
          y: 40,
          width: 200,
          height: 80,
          borderColor: rgb(0.8, 0, 0),
          borderWidth: 2,
        });
        page.drawText('BAN SAO DUNG VOI BAN CHINH', { x: 370, y: 90, size: 9, color: rgb(0.8, 0, 0) });
        doc.setTitle('Bản sao chứng thực');
      },
    });
    expect(calls).toBe(1);
    const before = await PDFDocument.load(original);
    const after = await PDFDocument.load(signed);
    expect(after.getTitle()).toBe('Bản sao chứng thực');
    const streams = (d: PDFDocument) => d.getPage(0).node.normalizedEntries().Contents?.size() ?? 1;
    expect(streams(after)).toBeGreaterThan(streams(before));
    expect((await inspectPdfSignatures(signed, testTrust([root.certificate]))).valid).toBe(true);
  });

  it('signs with a PKCS#12 file through the signer port', async () => {
    const { root, office } = await testPki();
    const signer = await pkcs12Signer(await exportPkcs12({ ...office, passphrase: 'bí mật' }), 'bí mật');
    expect(signer.algorithm).toBe('rsa-sha256');
    const signed = await signPdf(await makePdf(), signer, meta);
    expect((await inspectPdfSignatures(signed, testTrust([root.certificate]))).valid).toBe(true);
  });

  it('refuses when the signature would not fit its reserved room', async () => {
    const { office } = await testPki();
    await expect(signPdf(await makePdf(), keySigner(office), meta, { signatureBytes: 512 })).rejects.toThrow(
      /more than the 512 reserved/,
    );
  });
});
