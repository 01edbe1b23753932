/**
 * Test helpers, for this folder and other modules: a Vietnamese office PKI made once per process, trust
 * stores, small PDFs and the pieces of a signed one.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { type CertifiedKey, createRootCa, issueOfficeCertificate } from './certificates.ts';
import type { CertificateRef, TrustStore } from './pdf-verify.ts';

export interface TestPki {
  root: CertifiedKey;
  office: CertifiedKey;
}

let cached: Promise<TestPki> | undefined;

/** Key generation takes a noticeable fraction of a second, so every test in a process shares one PKI. */
export function testPki(): Promise<TestPki> {
  cached ??= (async () => {
    const root = await createRootCa({
      subject: {
        commonName: 'CA gốc thử nghiệm Cổng DVC',
        organisation: 'Cổng Dịch vụ công Quốc gia',
        country: 'VN',
      },
    });
    const office = await issueOfficeCertificate(root, {
      subject: {
        commonName: 'Ủy ban nhân dân phường Hoàn Kiếm',
        organisation: 'Thành phố Hà Nội',
        province: 'Hà Nội',
        country: 'VN',
        agencyCode: 'UBND-00070',
      },
    });
    return { root, office };
  })();
  return cached;
}

/** A trust store of `roots`; `revoked` maps a certificate's serial (uppercase hex) to its revocation time. */
export function testTrust(roots: Buffer[], revoked: Record<string, Date> = {}): TrustStore {
  return {
    roots,
    async revocationOf(cert: CertificateRef) {
      const revokedAt = revoked[cert.serialHex];
      return revokedAt ? { revokedAt, reason: 'keyCompromise' } : undefined;
    },
  };
}

/** A plain document of `pages` A4 pages of text, made with pdf-lib. */
export async function makePdf(pages = 1): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    for (let line = 0; line < 40; line++) {
      page.drawText(`Page ${i + 1}, line ${line + 1}: the original document`, {
        x: 40,
        y: 800 - line * 18,
        size: 11,
        font,
      });
    }
  }
  return Buffer.from(await doc.save());
}

/** The byte range, the signed bytes and the CMS (without its zero padding) of the first signature. */
export function signatureParts(pdf: Buffer): { range: number[]; signed: Buffer; cms: Buffer } {
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(pdf.toString('latin1'));
  if (!m) throw new Error('no /ByteRange');
  const range = m.slice(1).map(Number) as [number, number, number, number];
  const signed = Buffer.concat([pdf.subarray(0, range[1]), pdf.subarray(range[2], range[2] + range[3])]);
  const contents = Buffer.from(pdf.toString('latin1', range[1] + 1, range[2] - 1), 'hex');
  return { range, signed, cms: contents.subarray(0, derLength(contents)) };
}

function derLength(b: Buffer): number {
  const first = b[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  return 2 + n + b.subarray(2, 2 + n).readUIntBE(0, n);
}
