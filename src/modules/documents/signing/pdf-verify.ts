/**
 * Verification of a PDF's signatures against a trust store. Untrusted input: it never throws on the
 * file (only the trust store's own failures propagate), and it reads the signatures by scanning the
 * bytes for /ByteRange rather than parsing the PDF, which is both fast and what the signature actually
 * covers — a PDF parser's view of the file can differ from the bytes (shadow and wrapping attacks).
 *
 * PAdES B-B has no trusted time: the signing time is the signer's own claim (/M or the CMS
 * signingTime), so validity and revocation are judged at that claimed time.
 */
import { createHash } from 'node:crypto';
import type * as pkijs from 'pkijs';
import { digestByOid, OID, verifySignature } from './algorithms.ts';
import { cachedCertificate, isCa, isSignedBy, mayIssue, publicKeyOf, serialHexOf } from './certificates.ts';
import { type ParsedSignedData, parseSignedData } from './cms.ts';
import { type Reason, reason } from './messages.ts';
import { fromRdn } from './names.ts';

export interface CertificateRef {
  serialHex: string;
  /** DER of the issuer's distinguished name (with the serial, what names a certificate). */
  issuerDer: Buffer;
  /** DER of the certificate. */
  der: Buffer;
}

export interface TrustStore {
  /** DER of the trusted root certificates. */
  roots: Buffer[];
  revocationOf(cert: CertificateRef): Promise<{ revokedAt: Date; reason?: string | null } | undefined>;
}

export interface SignatureVerdict {
  signer: {
    commonName: string;
    organisation?: string;
    agencyCode?: string;
    serialHex: string;
    issuerCommonName: string;
  };
  signedAt: Date | null;
  coversWholeDocument: boolean;
  /** The byte range is sound and its digest is the signed one. */
  intact: boolean;
  signatureValid: boolean;
  chainTrusted: boolean;
  certificateValidAtSigning: boolean;
  revoked: boolean;
  reasons: Reason[];
}

export interface PdfVerdict {
  valid: boolean;
  reasons: Reason[];
  signatures: SignatureVerdict[];
}

const MAX_CHAIN = 8;

/**
 * Valid means: at least one signature, every signature without a reason, and the latest one covering
 * the file to its last byte. Reasons carry the index of the signature they are about.
 */
export async function inspectPdfSignatures(
  pdf: Buffer,
  trust: TrustStore,
  opts: { now?: Date } = {},
): Promise<PdfVerdict> {
  if (!isPdf(pdf)) return { valid: false, reasons: [reason('not-a-pdf')], signatures: [] };
  const candidates = findByteRanges(pdf);
  if (candidates.length === 0) return { valid: false, reasons: [reason('unsigned')], signatures: [] };
  const roots = trust.roots.flatMap((der) => {
    try {
      return [{ der, cert: cachedCertificate(der) }];
    } catch {
      return [];
    }
  });
  const now = opts.now ?? new Date();
  const signatures: SignatureVerdict[] = [];
  for (const [i, range] of candidates.entries()) {
    try {
      signatures.push(await inspectOne(pdf, range, i, roots, trust, now));
    } catch (e) {
      // The trust store's failures are ours to report (a database down is not an invalid document);
      // anything else is a structure the readers above did not expect, i.e. a malformed signature.
      if (e instanceof TrustStoreFailure) throw e.cause;
      signatures.push({ ...emptyVerdict(), reasons: [reason('malformed-signature', i)] });
    }
  }
  // Signatures later in the file cover the earlier ones; bytes after the last signed revision are
  // covered by none. (A malformed last signature already says enough.)
  if (!signatures.some((s) => s.coversWholeDocument)) {
    const last = candidates.reduce((best, r, i) => (r.end > candidates[best]!.end ? i : best), 0);
    if (candidates[last]!.range) signatures[last]!.reasons.push(reason('modified-after-signing', last));
  }
  const reasons = signatures.flatMap((s) => s.reasons);
  return { valid: reasons.length === 0, reasons, signatures };
}

interface Candidate {
  /** [offset1, length1, offset2, length2] as written, or null when unreadable. */
  range: number[] | null;
  /** End of the last signed byte (offset2 + length2). */
  end: number;
  /** Where the dictionary text was found, to look for /M nearby. */
  at: number;
}

function isPdf(pdf: Buffer): boolean {
  const head = pdf.indexOf('%PDF-', 0, 'latin1');
  return head >= 0 && head < 1024 && pdf.lastIndexOf('%%EOF', pdf.length, 'latin1') > head;
}

const isWhite = (c: number | undefined) =>
  c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

function findByteRanges(pdf: Buffer): Candidate[] {
  const out: Candidate[] = [];
  for (
    let at = pdf.indexOf('/ByteRange', 0, 'latin1');
    at >= 0;
    at = pdf.indexOf('/ByteRange', at + 1, 'latin1')
  ) {
    let p = at + '/ByteRange'.length;
    // `/ByteRangeX` is another name.
    if (!isWhite(pdf[p]) && pdf[p] !== 0x5b) continue;
    while (isWhite(pdf[p])) p++;
    const range: number[] = [];
    if (pdf[p] === 0x5b) {
      p++;
      for (;;) {
        while (isWhite(pdf[p])) p++;
        if (!isDigit(pdf[p])) break;
        let n = 0;
        while (isDigit(pdf[p]) && n < 1e12) n = n * 10 + (pdf[p++]! - 0x30);
        range.push(n);
      }
    }
    const ok = range.length === 4 && pdf[p] === 0x5d;
    out.push({ range: ok ? range : null, end: ok ? range[2]! + range[3]! : 0, at });
  }
  return out;
}

class TrustStoreFailure extends Error {}

const emptyVerdict = (): SignatureVerdict => ({
  signer: { commonName: '', serialHex: '', issuerCommonName: '' },
  signedAt: null,
  coversWholeDocument: false,
  intact: false,
  signatureValid: false,
  chainTrusted: false,
  certificateValidAtSigning: false,
  revoked: false,
  reasons: [],
});

async function inspectOne(
  pdf: Buffer,
  c: Candidate,
  index: number,
  roots: { der: Buffer; cert: pkijs.Certificate }[],
  trust: TrustStore,
  now: Date,
): Promise<SignatureVerdict> {
  const verdict = emptyVerdict();
  const fail = (code: Parameters<typeof reason>[0]) => {
    verdict.reasons.push(reason(code, index));
    return verdict;
  };

  const contents = c.range && contentsOf(pdf, c.range);
  if (!c.range || !contents) return fail('malformed-signature');
  const [, len1, start2, len2] = c.range as [number, number, number, number];
  verdict.coversWholeDocument = start2 + len2 === pdf.length;

  let cms: ParsedSignedData;
  let signerCert: { der: Buffer; cert: pkijs.Certificate };
  try {
    cms = parseSignedData(contents);
    const found = findSigner(cms);
    if (!found) return fail('malformed-signature');
    signerCert = found;
  } catch {
    return fail('malformed-signature');
  }
  const subject = fromRdn(signerCert.cert.subject);
  verdict.signer = {
    commonName: subject.commonName,
    ...(subject.organisation ? { organisation: subject.organisation } : {}),
    ...(subject.agencyCode ? { agencyCode: subject.agencyCode } : {}),
    serialHex: serialHexOf(signerCert.cert),
    issuerCommonName: fromRdn(signerCert.cert.issuer).commonName,
  };
  verdict.signedAt = cms.signingTime ?? signingTimeNear(pdf, c.at);

  // Integrity: the digest of the two ranges is the one the signer signed.
  const digestName = digestByOid[cms.digestOid];
  if (digestName && cms.messageDigest) {
    const digest = createHash(digestName)
      .update(pdf.subarray(0, len1))
      .update(pdf.subarray(start2, start2 + len2))
      .digest();
    verdict.intact = digest.equals(Buffer.from(cms.messageDigest));
  }
  if (!verdict.intact) verdict.reasons.push(reason('altered', index));

  // The signature over the signed attributes, and the attributes binding the signer's certificate.
  // PAdES signs id-data; signingCertificate(V2), when present, must name this very certificate.
  let bound = cms.contentType === OID.data;
  if (cms.signingCertificateHash) {
    const { digest, hash } = cms.signingCertificateHash;
    bound = ['sha1', 'sha256', 'sha384', 'sha512'].includes(digest)
      ? createHash(digest).update(signerCert.der).digest().equals(Buffer.from(hash))
      : false;
  }
  try {
    verdict.signatureValid =
      bound &&
      verifySignature(
        cms.signatureOid,
        cms.digestOid,
        cms.signedAttrs,
        publicKeyOf(signerCert.cert),
        cms.signature,
      );
  } catch {
    verdict.signatureValid = false;
  }
  if (!verdict.signatureValid) verdict.reasons.push(reason('bad-signature', index));

  const at = verdict.signedAt ?? now;
  const path = buildPath(signerCert, cms.certificates, roots);
  verdict.chainTrusted = path !== null;
  if (!verdict.chainTrusted) verdict.reasons.push(reason('untrusted', index));

  const checked = path ?? [signerCert.cert];
  if (checked.some((cert) => at.getTime() > cert.notAfter.value.getTime())) {
    verdict.reasons.push(reason('certificate-expired', index));
  } else if (checked.some((cert) => at.getTime() < cert.notBefore.value.getTime())) {
    verdict.reasons.push(reason('not-yet-valid', index));
  } else verdict.certificateValidAtSigning = true;

  const ref: CertificateRef = {
    serialHex: verdict.signer.serialHex,
    issuerDer: Buffer.from(signerCert.cert.issuer.toSchema().toBER()),
    der: signerCert.der,
  };
  const revocation = await Promise.resolve()
    .then(() => trust.revocationOf(ref))
    .catch((e: unknown) => {
      throw new TrustStoreFailure('revocation lookup failed', { cause: e });
    });
  if (revocation && revocation.revokedAt.getTime() <= at.getTime()) {
    verdict.revoked = true;
    verdict.reasons.push(reason('certificate-revoked', index));
  }
  return verdict;
}

/**
 * The /Contents hex string exactly filling the gap between the two ranges, or null: a range that
 * starts elsewhere than 0, overlaps, runs past the end or leaves anything but that string unsigned is
 * malformed.
 */
function contentsOf(pdf: Buffer, range: number[]): Buffer | null {
  const [start1, len1, start2, len2] = range as [number, number, number, number];
  if (start1 !== 0 || len1 <= 0 || start2 <= len1 + 1 || len2 < 0 || start2 + len2 > pdf.length) return null;
  if (pdf[len1] !== 0x3c || pdf[start2 - 1] !== 0x3e) return null;
  let p = len1 - 1;
  while (p >= 0 && isWhite(pdf[p])) p--;
  if (pdf.toString('latin1', p - 8, p + 1) !== '/Contents') return null;
  const hex = pdf.toString('latin1', len1 + 1, start2 - 1).replace(/[\s\0]/g, '');
  if (!/^[0-9A-Fa-f]*$/.test(hex)) return null;
  return Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
}

function findSigner(cms: ParsedSignedData): { der: Buffer; cert: pkijs.Certificate } | null {
  for (const der of cms.certificates) {
    const cert = cachedCertificate(der);
    if ('keyId' in cms.sid) {
      const ski = cert.extensions?.find((e) => e.extnID === '2.5.29.14');
      if (ski && Buffer.from(ski.extnValue.valueBlock.valueHexView).subarray(2).equals(cms.sid.keyId)) {
        return { der, cert };
      }
    } else if (
      Buffer.from(cert.serialNumber.toBER()).equals(cms.sid.serial) &&
      Buffer.from(cert.issuer.toSchema().toBER()).equals(cms.sid.issuer)
    ) {
      return { der, cert };
    }
  }
  return null;
}

/**
 * The path from the signer up to (not including) a trusted root, each link's signature and CA flag
 * checked; null if there is none. The root is left out because a trust anchor's own dates are not part
 * of path validation (RFC 5280 §6.1): the operator decides how long a root is trusted.
 */
function buildPath(
  signer: { der: Buffer; cert: pkijs.Certificate },
  embedded: Buffer[],
  roots: { der: Buffer; cert: pkijs.Certificate }[],
): pkijs.Certificate[] | null {
  const pool = embedded.flatMap((der) => {
    try {
      return [{ der, cert: cachedCertificate(der) }];
    } catch {
      return [];
    }
  });
  const path = [signer.cert];
  let current = signer;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    if (roots.some((r) => r.der.equals(current.der))) return path.length > 1 ? path.slice(0, -1) : path;
    if (roots.some((r) => isCa(r.cert) && mayIssue(r.cert) && isSignedBy(current.cert, r.cert))) return path;
    const next = pool.find(
      (p) =>
        !p.der.equals(current.der) && isCa(p.cert) && mayIssue(p.cert) && isSignedBy(current.cert, p.cert),
    );
    if (!next) return null;
    path.push(next.cert);
    current = next;
  }
  return null;
}

/** /M of the signature dictionary around `at` (the same indirect object). */
function signingTimeNear(pdf: Buffer, at: number): Date | null {
  const start = Math.max(pdf.lastIndexOf(' obj', at, 'latin1'), at - 65_536, 0);
  const endobj = pdf.indexOf('endobj', at, 'latin1');
  const end = endobj < 0 ? Math.min(pdf.length, at + 65_536) : endobj;
  const text = pdf.toString('latin1', start, end);
  const m = /\/M\s*\(D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Z+-])?(\d{2})?'?(\d{2})?'?\)/.exec(
    text,
  );
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = m;
  const offset = sign === '+' || sign === '-' ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  const t =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offset * 60_000;
  return Number.isNaN(t) ? null : new Date(t);
}
