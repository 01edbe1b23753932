import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildSignedData } from './cms.ts';
import {
  createRootCa,
  inspectPdfSignatures,
  issueOfficeCertificate,
  keySigner,
  type Signer,
  signPdf,
} from './index.ts';
import { makePdf, signatureParts, testPki, testTrust } from './testing.ts';

const signingTime = new Date('2026-12-01T03:00:00Z');
const meta = { reason: 'Chứng thực bản sao từ bản chính', location: 'Hà Nội', signingTime };
const now = new Date('2026-12-07T00:00:00Z');

async function signedPdf(pages = 1) {
  const { root, office } = await testPki();
  // The test PKI is issued "now"; sign within its validity.
  const time = new Date(Math.max(signingTime.getTime(), Date.now()));
  return {
    pdf: await signPdf(await makePdf(pages), keySigner(office), { ...meta, signingTime: time }),
    root,
    office,
    time,
  };
}

const codes = (v: { reasons: { code: string }[] }) => v.reasons.map((r) => r.code);

describe('inspectPdfSignatures', () => {
  it('finds a valid signature and says who signed and when', async () => {
    const { pdf, root, office, time } = await signedPdf();
    const v = await inspectPdfSignatures(pdf, testTrust([root.certificate]));
    expect(v.valid).toBe(true);
    expect(v.reasons).toEqual([]);
    expect(v.signatures).toHaveLength(1);
    const [s] = v.signatures;
    expect(s!.signer).toEqual({
      commonName: 'Ủy ban nhân dân phường Hoàn Kiếm',
      organisation: 'Thành phố Hà Nội',
      agencyCode: 'UBND-00070',
      serialHex: expect.stringMatching(/^[0-9A-F]+$/),
      issuerCommonName: 'CA gốc thử nghiệm Cổng DVC',
    });
    expect(s!.signer.serialHex).toBe(
      (await import('./index.ts')).parseCertificate(office.certificate).serialHex,
    );
    expect(s!.signedAt?.toISOString()).toBe(new Date(Math.floor(time.getTime() / 1000) * 1000).toISOString());
    expect(s).toMatchObject({
      coversWholeDocument: true,
      intact: true,
      signatureValid: true,
      chainTrusted: true,
      certificateValidAtSigning: true,
      revoked: false,
    });
  });

  it('says a changed byte inside the signed range altered the document', async () => {
    const { pdf, root } = await signedPdf();
    const { range } = signatureParts(pdf);
    for (const at of [20, Math.floor(range[1]! / 2), range[2]! + 5]) {
      const tampered = Buffer.from(pdf);
      tampered[at] = tampered[at]! ^ 0x20;
      const v = await inspectPdfSignatures(tampered, testTrust([root.certificate]));
      expect(v.valid).toBe(false);
      expect(codes(v)).toEqual(['altered']);
      expect(v.reasons[0]).toMatchObject({
        signature: 0,
        vi: 'Nội dung tài liệu đã bị thay đổi sau khi ký.',
      });
      expect(v.signatures[0]).toMatchObject({ intact: false, signatureValid: true, chainTrusted: true });
    }
  });

  it('says content appended after signing (an incremental update) is not covered', async () => {
    const { pdf, root } = await signedPdf();
    const update = Buffer.from(
      '\n99 0 obj\n<< /Type /Annot /Subtype /FreeText /Contents (forged) >>\nendobj\n%%EOF\n',
      'latin1',
    );
    const v = await inspectPdfSignatures(Buffer.concat([pdf, update]), testTrust([root.certificate]));
    expect(v.valid).toBe(false);
    expect(codes(v)).toEqual(['modified-after-signing']);
    expect(v.signatures[0]).toMatchObject({ coversWholeDocument: false, intact: true, signatureValid: true });
  });

  it('accepts an earlier signature covered by a later one (an incremental update that signs)', async () => {
    const { pdf, root, office } = await signedPdf();
    // A second revision appended by hand, as another tool's incremental signing would write it.
    const signedAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
    const vietnamTime = (d: Date) =>
      new Date(d.getTime() + 7 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
    const size = 8192;
    const head = Buffer.from(
      `\n90 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (D:${vietnamTime(signedAt)}+07'00')\n/ByteRange [0 0000000000 0000000000 0000000000]\n/Contents <`,
      'latin1',
    );
    const tail = Buffer.from('>\n>>\nendobj\n%%EOF\n', 'latin1');
    const contentsAt = pdf.length + head.length - 1;
    const contentsEnd = contentsAt + 2 + size * 2;
    const total = contentsEnd + tail.length - 1;
    const range = `[0 ${contentsAt} ${contentsEnd} ${total - contentsEnd}]`.padEnd(36, ' ');
    const headText = head.toString('latin1').replace('[0 0000000000 0000000000 0000000000]', range);
    const file = Buffer.concat([pdf, Buffer.from(headText, 'latin1'), Buffer.alloc(size * 2, '0'), tail]);
    expect(file.length).toBe(total);
    const digest = createHash('sha256')
      .update(file.subarray(0, contentsAt))
      .update(file.subarray(contentsEnd))
      .digest();
    file.write((await buildSignedData(digest, keySigner(office))).toString('hex'), contentsAt + 1, 'latin1');

    const v = await inspectPdfSignatures(file, testTrust([root.certificate]));
    expect(v.reasons).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.signatures.map((s) => s.coversWholeDocument)).toEqual([false, true]);
    expect(v.signatures[1]!.signedAt?.toISOString()).toBe(signedAt.toISOString());
  });

  it('says a signature from a key of another root is untrusted', async () => {
    const { root } = await testPki();
    const otherRoot = await createRootCa({ subject: { commonName: 'CA gốc giả mạo', country: 'VN' } });
    const forger = await issueOfficeCertificate(otherRoot, {
      subject: { commonName: 'Ủy ban nhân dân phường Hoàn Kiếm', agencyCode: 'UBND-00070' },
    });
    const pdf = await signPdf(await makePdf(), keySigner(forger), { ...meta, signingTime: new Date() });
    const v = await inspectPdfSignatures(pdf, testTrust([root.certificate]));
    expect(v.valid).toBe(false);
    expect(codes(v)).toEqual(['untrusted']);
    expect(v.signatures[0]).toMatchObject({ intact: true, signatureValid: true, chainTrusted: false });
    // The same file is fine for someone who trusts that root.
    expect((await inspectPdfSignatures(pdf, testTrust([otherRoot.certificate]))).valid).toBe(true);
  });

  it('says bad-signature when the signature was made with another key than the certificate’s', async () => {
    const { root, office } = await testPki();
    const other = await issueOfficeCertificate(root, { subject: { commonName: 'Phường khác' } });
    // A signer port (as a remote service would be) that presents one certificate and signs with another key.
    const lying: Signer = { ...keySigner(office), sign: keySigner(other).sign };
    const pdf = await signPdf(await makePdf(), lying, { ...meta, signingTime: new Date() });
    const v = await inspectPdfSignatures(pdf, testTrust([root.certificate]));
    expect(codes(v)).toEqual(['bad-signature']);
    expect(v.signatures[0]).toMatchObject({ intact: true, signatureValid: false, chainTrusted: true });
  });

  it('judges revocation at the signing time', async () => {
    const { pdf, root, office, time } = await signedPdf();
    const serial = (await import('./index.ts')).parseCertificate(office.certificate).serialHex;
    const before = await inspectPdfSignatures(
      pdf,
      testTrust([root.certificate], { [serial]: new Date(time.getTime() - 60_000) }),
    );
    expect(before.valid).toBe(false);
    expect(codes(before)).toEqual(['certificate-revoked']);
    expect(before.signatures[0]!.revoked).toBe(true);
    const after = await inspectPdfSignatures(
      pdf,
      testTrust([root.certificate], { [serial]: new Date(time.getTime() + 60_000) }),
    );
    expect(after.valid).toBe(true);
    expect(after.signatures[0]!.revoked).toBe(false);
  });

  it('lets the trust store’s own failure through instead of calling the document invalid', async () => {
    const { pdf, root } = await signedPdf();
    const broken = {
      roots: [root.certificate],
      revocationOf: async () => {
        throw new Error('database unavailable');
      },
    };
    await expect(inspectPdfSignatures(pdf, broken)).rejects.toThrow('database unavailable');
  });

  it('checks the certificate was valid at the signing time', async () => {
    const { root } = await testPki();
    const old = await issueOfficeCertificate(root, {
      subject: { commonName: 'Phường cũ' },
      notBefore: new Date('2020-01-01T00:00:00Z'),
      validYears: 1,
    });
    const late = await signPdf(await makePdf(), keySigner(old), {
      ...meta,
      signingTime: new Date('2022-06-01Z'),
    });
    const expired = await inspectPdfSignatures(late, testTrust([root.certificate]), { now });
    expect(codes(expired)).toEqual(['certificate-expired']);
    expect(expired.signatures[0]!.certificateValidAtSigning).toBe(false);
    const early = await signPdf(await makePdf(), keySigner(old), {
      ...meta,
      signingTime: new Date('2019-06-01Z'),
    });
    expect(codes(await inspectPdfSignatures(early, testTrust([root.certificate]), { now }))).toEqual([
      'not-yet-valid',
    ]);
    const inTime = await signPdf(await makePdf(), keySigner(old), {
      ...meta,
      signingTime: new Date('2020-06-01Z'),
    });
    expect((await inspectPdfSignatures(inTime, testTrust([root.certificate]), { now })).valid).toBe(true);
  });

  it('says when a document is unsigned or not a PDF', async () => {
    const { root } = await testPki();
    const trust = testTrust([root.certificate]);
    expect(await inspectPdfSignatures(await makePdf(), trust)).toEqual({
      valid: false,
      reasons: [
        {
          code: 'unsigned',
          vi: 'Tài liệu không có chữ ký số.',
          en: 'The document has no digital signature.',
        },
      ],
      signatures: [],
    });
    for (const junk of [Buffer.alloc(0), Buffer.from('hello'), randomBytes(5000)]) {
      expect(codes(await inspectPdfSignatures(junk, trust))).toEqual(['not-a-pdf']);
    }
  });

  it('calls a byte range that does not frame exactly its /Contents malformed', async () => {
    const { pdf, root } = await signedPdf();
    const { range } = signatureParts(pdf);
    const text = pdf.toString('latin1');
    const written = `[${range.join(' ')}]`;
    const moved = `[0 ${range[1]! - 1} ${range[2]} ${range[3]}]`.padEnd(written.length, ' ');
    const v = await inspectPdfSignatures(
      Buffer.from(text.replace(written, moved), 'latin1'),
      testTrust([root.certificate]),
    );
    expect(v.valid).toBe(false);
    expect(codes(v)).toContain('malformed-signature');
  });

  it('never throws on damaged input (random bytes, truncations, flipped bytes)', async () => {
    const { pdf, root } = await signedPdf();
    const trust = testTrust([root.certificate]);
    for (let i = 0; i < 50; i++) {
      const junk = Buffer.concat([
        Buffer.from('%PDF-1.7\n/ByteRange [0 '),
        randomBytes(200 + i * 37),
        Buffer.from('%%EOF'),
      ]);
      expect((await inspectPdfSignatures(junk, trust)).valid).toBe(false);
    }
    for (let cut = 1; cut < pdf.length; cut += Math.ceil(pdf.length / 97)) {
      expect((await inspectPdfSignatures(pdf.subarray(0, cut), trust)).valid).toBe(false);
    }
    const { range } = signatureParts(pdf);
    for (let at = 0; at < pdf.length; at += 41) {
      const flipped = Buffer.from(pdf);
      flipped[at] = flipped[at]! ^ 0xff;
      const v = await inspectPdfSignatures(flipped, trust);
      // Inside the signed ranges every change is caught; the /Contents gap holds the signature itself.
      const signed = at < range[1]! || at >= range[2]!;
      if (signed) expect(v.valid, `byte ${at}`).toBe(false);
    }
  });

  it('verifies a 10-page document in a few milliseconds', async () => {
    const { pdf, root } = await signedPdf(10);
    const trust = testTrust([root.certificate]);
    await inspectPdfSignatures(pdf, trust);
    const started = performance.now();
    for (let i = 0; i < 20; i++) await inspectPdfSignatures(pdf, trust);
    // Generous for a shared CI machine; about 3 ms on a developer's.
    expect((performance.now() - started) / 20).toBeLessThan(50);
  });
});
