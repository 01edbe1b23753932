/**
 * The signer port: what signing needs from a key. The PKCS#12 software key is the default; a hardware
 * module (PKCS#11) or a remote signing service implements the same port, so the private key never has
 * to be in this process.
 */
import { sign } from 'node:crypto';
import type { CertifiedKey } from './certificates.ts';
import { importPkcs12 } from './pkcs12.ts';

export interface Signer {
  /** DER of the signing certificate. */
  certificate: Buffer;
  /** DER, the issuer first; embedded in the signature so verifiers can build the path. */
  chain: Buffer[];
  /**
   * The raw signature over `data` (the DER of the CMS signed attributes): PKCS#1 v1.5 for RSA, a DER
   * ECDSA-Sig-Value for ECDSA, as CMS carries them.
   */
  sign(data: Buffer): Promise<Buffer>;
  algorithm: 'rsa-sha256' | 'ecdsa-sha256';
}

export function keySigner(k: CertifiedKey): Signer {
  const type = k.privateKey.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec') throw new Error(`unsupported signing key type: ${type}`);
  return {
    certificate: k.certificate,
    chain: k.chain,
    algorithm: type === 'rsa' ? 'rsa-sha256' : 'ecdsa-sha256',
    sign: async (data) => sign('sha256', data, k.privateKey),
  };
}

export async function pkcs12Signer(p12: Buffer, passphrase: string): Promise<Signer> {
  return keySigner(await importPkcs12(p12, passphrase));
}
