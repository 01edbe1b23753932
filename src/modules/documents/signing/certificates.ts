/**
 * The PKI of certified copies: a root CA (the demo's own; in production the national root's
 * subordinate issues office certificates) and office end-entity certificates. RSA with
 * sha256WithRSAEncryption because every verifier (NSS in pdfsig and Firefox, openssl, Adobe, the
 * national CA's own tools) accepts it.
 */
import { createHash, generateKeyPair, type KeyObject, randomBytes, sign } from 'node:crypto';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID, publicKeyFromSpki, verifySignature } from './algorithms.ts';
import { type DistinguishedName, fromRdn, rdnText, toRdn } from './names.ts';

export interface CertifiedKey {
  /** DER. */
  certificate: Buffer;
  privateKey: KeyObject;
  /** DER, the issuer first, without the certificate itself; may end with the root. */
  chain: Buffer[];
}

export interface ParsedCertificate {
  /** Uppercase hex without a leading 00. */
  serialHex: string;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  subjectText: string;
  issuerText: string;
  notBefore: Date;
  notAfter: Date;
  /** Lowercase hex SHA-256 of the DER. */
  sha256: string;
  isCa: boolean;
}

const generateRsa = promisify(generateKeyPair);
const ROOT_BITS = 3072;
const OFFICE_BITS = 2048;
/** Backdating absorbs clock skew between the issuing and the verifying machine. */
const SKEW_MS = 10 * 60_000;

const KEY_USAGE = { digitalSignature: 0x80, nonRepudiation: 0x40, keyCertSign: 0x04, cRLSign: 0x02 };
const EKU_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
/** id-kp-documentSigning (RFC 9336). */
const EKU_DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36';

export async function createRootCa(o: {
  subject: DistinguishedName;
  validYears?: number;
}): Promise<CertifiedKey> {
  const { publicKey, privateKey } = await generateRsa('rsa', { modulusLength: ROOT_BITS });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const keyId = subjectKeyId(spki);
  const der = build({
    subject: o.subject,
    issuer: toRdn(o.subject),
    spki,
    notBefore: new Date(Date.now() - SKEW_MS),
    validYears: o.validYears ?? 20,
    extensions: [
      ext('2.5.29.19', true, new pkijs.BasicConstraints({ cA: true }).toSchema()),
      ext('2.5.29.15', true, keyUsage(KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign)),
      ext('2.5.29.14', false, new asn1js.OctetString({ valueHex: keyId })),
    ],
    signingKey: privateKey,
  });
  return { certificate: der, privateKey, chain: [] };
}

export async function issueOfficeCertificate(
  root: CertifiedKey,
  o: { subject: DistinguishedName; validYears?: number; notBefore?: Date },
): Promise<CertifiedKey> {
  const issuer = loadCertificate(root.certificate);
  const { publicKey, privateKey } = await generateRsa('rsa', { modulusLength: OFFICE_BITS });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const der = build({
    subject: o.subject,
    issuer: issuer.subject,
    spki,
    notBefore: o.notBefore ?? new Date(Date.now() - SKEW_MS),
    validYears: o.validYears ?? 3,
    extensions: [
      ext('2.5.29.19', true, new pkijs.BasicConstraints({ cA: false }).toSchema()),
      ext('2.5.29.15', true, keyUsage(KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation)),
      ext(
        '2.5.29.37',
        false,
        new pkijs.ExtKeyUsage({ keyPurposes: [EKU_EMAIL_PROTECTION, EKU_DOCUMENT_SIGNING] }).toSchema(),
      ),
      ext('2.5.29.14', false, new asn1js.OctetString({ valueHex: subjectKeyId(spki) })),
      ext(
        '2.5.29.35',
        false,
        new pkijs.AuthorityKeyIdentifier({
          keyIdentifier: new asn1js.OctetString({
            valueHex: subjectKeyId(issuer.subjectPublicKeyInfo.toSchema().toBER()),
          }),
        }).toSchema(),
      ),
    ],
    signingKey: root.privateKey,
  });
  return { certificate: der, privateKey, chain: [root.certificate, ...root.chain] };
}

export function parseCertificate(der: Buffer): ParsedCertificate {
  const c = loadCertificate(der);
  return {
    serialHex: serialHexOf(c),
    subject: fromRdn(c.subject),
    issuer: fromRdn(c.issuer),
    subjectText: rdnText(c.subject),
    issuerText: rdnText(c.issuer),
    notBefore: c.notBefore.value,
    notAfter: c.notAfter.value,
    sha256: createHash('sha256').update(der).digest('hex'),
    isCa: isCa(c),
  };
}

/** Parses DER synchronously (pkijs's constructors from a schema do no crypto); throws on garbage. */
export function loadCertificate(der: Uint8Array): pkijs.Certificate {
  const asn = asn1js.fromBER(der);
  if (asn.offset === -1) throw new Error('not a DER certificate');
  return new pkijs.Certificate({ schema: asn.result });
}

const parsed = new Map<string, pkijs.Certificate>();
const PARSED_MAX = 512;

/**
 * loadCertificate through a small cache keyed by the DER's hash: pkijs takes over a millisecond per
 * certificate, and verification sees the same roots and office certificates again and again. The
 * parsed objects are shared, so callers must not modify them.
 */
export function cachedCertificate(der: Uint8Array): pkijs.Certificate {
  const key = createHash('sha256').update(der).digest('base64');
  let cert = parsed.get(key);
  if (cert) {
    parsed.delete(key);
  } else {
    cert = loadCertificate(der);
    if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
  }
  parsed.set(key, cert);
  return cert;
}

export function serialHexOf(c: pkijs.Certificate): string {
  const hex = Buffer.from(c.serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase();
  return hex.replace(/^(00)+(?=.)/, '');
}

export function isCa(c: pkijs.Certificate): boolean {
  const bc = c.extensions?.find((e) => e.extnID === '2.5.29.19')?.parsedValue;
  return bc instanceof pkijs.BasicConstraints && bc.cA === true;
}

/** Whether keyUsage (when present) allows signing certificates. */
export function mayIssue(c: pkijs.Certificate): boolean {
  const ku = c.extensions?.find((e) => e.extnID === '2.5.29.15')?.parsedValue;
  if (!(ku instanceof asn1js.BitString)) return true;
  return ((ku.valueBlock.valueHexView[0] ?? 0) & KEY_USAGE.keyCertSign) !== 0;
}

export function publicKeyOf(c: pkijs.Certificate): KeyObject {
  return publicKeyFromSpki(new Uint8Array(c.subjectPublicKeyInfo.toSchema().toBER()));
}

/** Whether `issuer` is named as `c`'s issuer and its key verifies `c`'s signature. */
export function isSignedBy(c: pkijs.Certificate, issuer: pkijs.Certificate): boolean {
  if (!c.issuer.isEqual(issuer.subject)) return false;
  try {
    return verifySignature(
      c.signatureAlgorithm.algorithmId,
      null,
      c.tbsView,
      publicKeyOf(issuer),
      c.signatureValue.valueBlock.valueHexView,
    );
  } catch {
    return false;
  }
}

function build(o: {
  subject: DistinguishedName;
  issuer: pkijs.RelativeDistinguishedNames;
  spki: Buffer;
  notBefore: Date;
  validYears: number;
  extensions: pkijs.Extension[];
  signingKey: KeyObject;
}): Buffer {
  const notAfter = new Date(o.notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + o.validYears);
  const algorithm = new pkijs.AlgorithmIdentifier({
    algorithmId: OID.sha256WithRsa,
    algorithmParams: new asn1js.Null(),
  });
  const cert = new pkijs.Certificate({
    version: 2,
    serialNumber: new asn1js.Integer({ valueHex: serial() }),
    signature: algorithm,
    issuer: o.issuer,
    subject: toRdn(o.subject),
    notBefore: time(o.notBefore),
    notAfter: time(notAfter),
    subjectPublicKeyInfo: new pkijs.PublicKeyInfo({ schema: asn1js.fromBER(o.spki).result }),
    extensions: o.extensions,
    signatureAlgorithm: algorithm,
  });
  const tbs = Buffer.from(cert.encodeTBS().toBER());
  cert.tbsView = new Uint8Array(tbs);
  cert.signatureValue = new asn1js.BitString({ valueHex: sign('sha256', tbs, o.signingKey) });
  return Buffer.from(cert.toSchema(true).toBER());
}

/** 16 random bytes, the top bit clear (positive) and the next set (no leading zero byte to strip). */
function serial(): Uint8Array {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x40;
  return new Uint8Array(b);
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(d: Date): pkijs.Time {
  return new pkijs.Time({ type: d.getUTCFullYear() < 2050 ? 0 : 1, value: d });
}

function ext(extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER() });
}

/** A named bit string in DER: trailing zero bits dropped. */
function keyUsage(bits: number): asn1js.BitString {
  let unused = 0;
  while (unused < 7 && ((bits >> unused) & 1) === 0) unused++;
  return new asn1js.BitString({ unusedBits: unused, valueHex: Uint8Array.of(bits) });
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function subjectKeyId(spki: ArrayBuffer | Buffer): Uint8Array {
  const info = new pkijs.PublicKeyInfo({ schema: asn1js.fromBER(new Uint8Array(spki)).result });
  return new Uint8Array(createHash('sha1').update(info.subjectPublicKey.valueBlock.valueHexView).digest());
}
