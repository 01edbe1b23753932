/** Test helpers for other modules: a Vietnamese office PKI made once per process, and trust stores. */
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
