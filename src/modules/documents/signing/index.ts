/**
 * Signing of certified copies and signed results: the PKI (root CA, office certificates, PKCS#12),
 * the signer port, PAdES B-B signing and verification of a PDF's signatures. Pure: no database.
 */
export {
  type CertifiedKey,
  createRootCa,
  issueOfficeCertificate,
  type ParsedCertificate,
  parseCertificate,
} from './certificates.ts';
export type { Reason } from './messages.ts';
export type { DistinguishedName } from './names.ts';
export { signPdf } from './pdf-sign.ts';
export {
  type CertificateRef,
  inspectPdfSignatures,
  type SignatureVerdict,
  type TrustStore,
} from './pdf-verify.ts';
export { exportPkcs12, importPkcs12 } from './pkcs12.ts';
export { keySigner, pkcs12Signer, type Signer } from './signer.ts';
