/**
 * CMS SignedData (RFC 5652) for PAdES B-B (ETSI EN 319 142-1): detached, SHA-256, signed attributes
 * contentType, messageDigest and signingCertificateV2 (binds the signer's certificate so it cannot be
 * swapped), no signingTime (PAdES takes the time from the signature dictionary's /M).
 *
 * Built by concatenating DER ourselves so the embedded certificates are copied byte for byte.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { OID } from './algorithms.ts';
import { child, children, encoded, explicit, isContext, octets, oid, parseDer } from './asn.ts';
import { loadCertificate } from './certificates.ts';
import type { Signer } from './signer.ts';

const TAG = { integer: 0x02, octets: 0x04, null: 0x05, oid: 0x06, sequence: 0x30, set: 0x31 };

function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.of(n);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.of(0x80 | bytes.length, ...bytes);
  }
  return Buffer.concat([Buffer.of(tag), len, body]);
}

const seq = (...parts: Uint8Array[]) => tlv(TAG.sequence, ...parts);
const oidDer = (value: string) => Buffer.from(new asn1js.ObjectIdentifier({ value }).toBER());
const algorithm = (value: string, withNull: boolean) =>
  withNull ? seq(oidDer(value), Buffer.of(TAG.null, 0)) : seq(oidDer(value));
/** DER SET OF: elements sorted by encoding. */
const setOf = (parts: Buffer[]) => tlv(TAG.set, ...[...parts].sort(Buffer.compare));
const attribute = (type: string, value: Buffer) => seq(oidDer(type), tlv(TAG.set, value));

export async function buildSignedData(digest: Buffer, signer: Signer): Promise<Buffer> {
  const cert = loadCertificate(signer.certificate);
  const issuer = Buffer.from(cert.issuer.toSchema().toBER());
  const serial = Buffer.from(cert.serialNumber.toBER());
  const certHash = createHash('sha256').update(signer.certificate).digest();
  // ESSCertIDv2 with the default hash algorithm (SHA-256) left out, as DER requires.
  const essCertId = seq(tlv(TAG.octets, certHash), seq(seq(tlv(0xa4, issuer)), serial));
  const attributes = [
    attribute(OID.contentType, oidDer(OID.data)),
    attribute(OID.messageDigest, tlv(TAG.octets, digest)),
    attribute(OID.signingCertificateV2, seq(seq(essCertId))),
  ].sort(Buffer.compare);
  const signedAttrs = tlv(TAG.set, ...attributes);
  const signature = await signer.sign(signedAttrs);
  const signatureAlgorithm =
    signer.algorithm === 'rsa-sha256'
      ? algorithm(OID.rsaEncryption, true)
      : algorithm(OID.ecdsaSha256, false);
  const signerInfo = seq(
    tlv(TAG.integer, Buffer.of(1)),
    seq(issuer, serial),
    algorithm(OID.sha256, false),
    tlv(0xa0, ...attributes),
    signatureAlgorithm,
    tlv(TAG.octets, signature),
  );
  const certificates = [signer.certificate, ...signer.chain.filter((c) => !c.equals(signer.certificate))];
  const signedData = seq(
    tlv(TAG.integer, Buffer.of(1)),
    setOf([algorithm(OID.sha256, false)]),
    seq(oidDer(OID.data)),
    tlv(0xa0, ...certificates),
    tlv(TAG.set, signerInfo),
  );
  return seq(oidDer(OID.signedData), tlv(0xa0, signedData));
}

export interface ParsedSignedData {
  certificates: Buffer[];
  digestOid: string;
  signatureOid: string;
  signature: Uint8Array;
  /** The signed attributes re-tagged as the SET they were signed as. */
  signedAttrs: Buffer;
  messageDigest: Uint8Array | null;
  contentType: string | null;
  signingTime: Date | null;
  /** ESS signing-certificate hashes (v2, or v1 with SHA-1), by digest name. */
  signingCertificateHash: { digest: string; hash: Uint8Array } | null;
  /** Issuer DER and serial bytes, or the subject key identifier. */
  sid: { issuer: Buffer; serial: Buffer } | { keyId: Buffer };
}

/** Throws on anything that is not a SignedData with one signer and signed attributes. */
export function parseSignedData(bytes: Uint8Array): ParsedSignedData {
  const info = parseDer(bytes);
  if (oid(child(info, 0)) !== OID.signedData) throw new Error('not SignedData');
  const sd = children(explicit(child(info, 1)));
  const certNode = sd.find((n) => isContext(n, 0));
  const certificates = certNode ? children(certNode).map((c) => Buffer.from(encoded(c))) : [];
  const signerInfos = children(sd[sd.length - 1]);
  if (signerInfos.length !== 1) throw new Error('expected one signer');
  const si = children(signerInfos[0]);
  const sidNode = si[1];
  const sid = isContext(sidNode, 0)
    ? { keyId: Buffer.from(octets(sidNode)) }
    : { issuer: Buffer.from(encoded(child(sidNode, 0))), serial: Buffer.from(encoded(child(sidNode, 1))) };
  const digestOid = oid(child(si[2], 0));
  const attrsNode = si[3];
  if (!isContext(attrsNode, 0)) throw new Error('no signed attributes');
  const signedAttrs = Buffer.from(encoded(attrsNode!));
  signedAttrs[0] = TAG.set;
  const values = new Map<string, asn1js.AsnType>();
  for (const a of children(attrsNode)) values.set(oid(child(a, 0)), child(child(a, 1), 0));
  const signingTimeNode = values.get(OID.signingTime);
  let signingCertificateHash: ParsedSignedData['signingCertificateHash'] = null;
  const v2 = values.get(OID.signingCertificateV2);
  const v1 = values.get('1.2.840.113549.1.9.16.2.12');
  if (v2) {
    const id = children(child(child(v2, 0), 0));
    const withAlgorithm = id[0] instanceof asn1js.Sequence;
    const algorithmOid = withAlgorithm ? oid(child(id[0], 0)) : OID.sha256;
    const digest = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' }[algorithmOid];
    signingCertificateHash = { digest: digest ?? 'unknown', hash: octets(id[withAlgorithm ? 1 : 0]) };
  } else if (v1) {
    signingCertificateHash = { digest: 'sha1', hash: octets(child(child(child(v1, 0), 0), 0)) };
  }
  return {
    certificates,
    digestOid,
    signatureOid: oid(child(si[4], 0)),
    signature: octets(si[5]),
    signedAttrs,
    messageDigest: values.has(OID.messageDigest) ? octets(values.get(OID.messageDigest)) : null,
    contentType: values.has(OID.contentType) ? oid(values.get(OID.contentType)) : null,
    signingTime:
      signingTimeNode instanceof asn1js.UTCTime || signingTimeNode instanceof asn1js.GeneralizedTime
        ? signingTimeNode.toDate()
        : null,
    signingCertificateHash,
    sid,
  };
}
