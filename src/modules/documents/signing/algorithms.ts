/** The signature and digest algorithms we read and write, by OID, mapped to Node's names. */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';

export const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  sha1: '1.3.14.3.2.26',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  encryptedData: '1.2.840.113549.1.7.6',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

export const digestByOid: Readonly<Record<string, string>> = {
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
  [OID.sha1]: 'sha1',
};

/** Signature algorithm OID → the digest it implies (null: take it from the signer info's digest). */
const signatureDigest: Readonly<Record<string, string | null>> = {
  [OID.rsaEncryption]: null,
  '1.2.840.113549.1.1.5': 'sha1',
  [OID.sha256WithRsa]: 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  [OID.ecPublicKey]: null,
  [OID.ecdsaSha256]: 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

/**
 * Verifies a PKCS#1 v1.5 or ECDSA (DER) signature. Unknown algorithms (RSASSA-PSS included, which no
 * Vietnamese CA issues) and malformed keys verify as false rather than throw: the input is untrusted.
 */
export function verifySignature(
  signatureOid: string,
  digestOid: string | null,
  data: Uint8Array,
  publicKey: KeyObject,
  signature: Uint8Array,
): boolean {
  const implied = signatureDigest[signatureOid];
  if (implied === undefined) return false;
  const digest = implied ?? (digestOid ? digestByOid[digestOid] : undefined);
  if (!digest) return false;
  try {
    return verify(digest, data, publicKey, signature);
  } catch {
    return false;
  }
}

export function publicKeyFromSpki(spki: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
}
