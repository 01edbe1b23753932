/**
 * PKCS#12 (RFC 7292) files for office keys, written and read here with asn1js and Node's crypto: the
 * key in a PKCS#8 shrouded bag under PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), the certificates in
 * plain bags (they are public), and an HMAC-SHA256 integrity MAC — what `openssl pkcs12` writes by
 * default since 3.0, so the files open there and in Windows, NSS and the national CA's tools.
 * Reading also takes openssl's encrypted certificate bags and the legacy 3DES key encryption
 * (older token exports).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  pbkdf2Sync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import * as asn1js from 'asn1js';
import { digestByOid, OID } from './algorithms.ts';
import {
  child,
  children,
  der,
  explicit,
  explicitOf,
  integer,
  intOf,
  isContext,
  octets,
  octetsOf,
  oid,
  oidOf,
  parseDer,
  seqOf,
} from './asn.ts';
import { type CertifiedKey, isSignedBy, loadCertificate } from './certificates.ts';

const P12 = {
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbeSha1TripleDes: '1.2.840.113549.1.12.1.3',
};
const HMAC_PRF: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
const AES_CBC: Record<string, string> = {
  '2.16.840.1.101.3.4.1.2': 'aes-128-cbc',
  '2.16.840.1.101.3.4.1.22': 'aes-192-cbc',
  '2.16.840.1.101.3.4.1.42': 'aes-256-cbc',
};
/** The same count for the key and the MAC: a cheaper MAC would be the faster way to guess the passphrase. */
const ITERATIONS = 100_000;

export class Pkcs12Error extends Error {
  override name = 'Pkcs12Error';
}

export async function exportPkcs12(o: {
  privateKey: KeyObject;
  certificate: Buffer;
  chain: Buffer[];
  passphrase: string;
  friendlyName?: string;
}): Promise<Buffer> {
  const localKeyId = createHash('sha1').update(o.certificate).digest();
  const attributes = (withName: boolean) => {
    const attrs = [seqOf(oidOf(P12.localKeyId), new asn1js.Set({ value: [octetsOf(localKeyId)] }))];
    if (withName && o.friendlyName) {
      attrs.unshift(
        seqOf(
          oidOf(P12.friendlyName),
          new asn1js.Set({ value: [new asn1js.BmpString({ value: o.friendlyName.normalize('NFC') })] }),
        ),
      );
    }
    return new asn1js.Set({ value: attrs });
  };

  const pkcs8 = o.privateKey.export({ format: 'der', type: 'pkcs8' });
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(o.passphrase.normalize('NFC'), 'utf8'), salt, ITERATIONS, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  const algorithm = seqOf(
    oidOf(P12.pbes2),
    seqOf(
      seqOf(
        oidOf(P12.pbkdf2),
        seqOf(
          octetsOf(salt),
          intOf(ITERATIONS),
          intOf(32),
          seqOf(oidOf('1.2.840.113549.2.9'), new asn1js.Null()),
        ),
      ),
      seqOf(oidOf('2.16.840.1.101.3.4.1.42'), octetsOf(iv)),
    ),
  );
  const keyBag = seqOf(
    oidOf(P12.shroudedKeyBag),
    explicitOf(0, seqOf(algorithm, octetsOf(encrypted))),
    attributes(true),
  );
  const certBags = [o.certificate, ...o.chain].map((c, i) => {
    const bag = [
      oidOf(P12.certBag),
      explicitOf(0, seqOf(oidOf(P12.x509Certificate), explicitOf(0, octetsOf(c)))),
    ];
    return i === 0 ? seqOf(...bag, attributes(true)) : seqOf(...bag);
  });
  const dataInfo = (safeContents: asn1js.Sequence) =>
    seqOf(oidOf(OID.data), explicitOf(0, octetsOf(der(safeContents))));
  const authSafe = der(seqOf(dataInfo(seqOf(keyBag)), dataInfo(seqOf(...certBags))));

  const macSalt = randomBytes(16);
  const macKey = pkcs12Kdf('sha256', o.passphrase, macSalt, 3, ITERATIONS, 32);
  const mac = createHmac('sha256', macKey).update(authSafe).digest();
  const pfx = seqOf(
    intOf(3),
    seqOf(oidOf(OID.data), explicitOf(0, octetsOf(authSafe))),
    seqOf(
      seqOf(seqOf(oidOf(OID.sha256), new asn1js.Null()), octetsOf(mac)),
      octetsOf(macSalt),
      intOf(ITERATIONS),
    ),
  );
  return der(pfx);
}

export async function importPkcs12(p12: Buffer, passphrase: string): Promise<CertifiedKey> {
  let pfx: asn1js.AsnType;
  let authSafe: Uint8Array;
  try {
    pfx = parseDer(p12);
    if (integer(child(pfx, 0)) !== 3) throw new Error('version');
    const info = child(pfx, 1);
    if (oid(child(info, 0)) !== OID.data) throw new Error('public-key integrity mode');
    authSafe = octets(explicit(child(info, 1)));
  } catch {
    throw new Pkcs12Error('not a PKCS#12 file (or one using public-key integrity, which is not supported)');
  }
  const macData = children(pfx)[2];
  if (macData) verifyMac(macData, authSafe, passphrase);

  const keys: KeyObject[] = [];
  const certs: Buffer[] = [];
  for (const info of children(parseDer(authSafe))) {
    const type = oid(child(info, 0));
    let safeContents: Uint8Array;
    if (type === OID.data) safeContents = octets(explicit(child(info, 1)));
    else if (type === OID.encryptedData) {
      const eci = child(explicit(child(info, 1)), 1);
      const content = children(eci)[2];
      if (!isContext(content, 0)) continue;
      safeContents = decrypt(child(eci, 1), octets(content), passphrase);
    } else throw new Pkcs12Error(`unsupported PKCS#12 content (${type}): public-key privacy mode`);
    for (const bag of children(parseDer(safeContents))) {
      const bagId = oid(child(bag, 0));
      const value = explicit(child(bag, 1));
      if (bagId === P12.shroudedKeyBag) {
        const pkcs8 = decrypt(child(value, 0), octets(child(value, 1)), passphrase);
        keys.push(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }));
      } else if (bagId === P12.keyBag) {
        keys.push(createPrivateKey({ key: Buffer.from(encodedOf(value)), format: 'der', type: 'pkcs8' }));
      } else if (bagId === P12.certBag && oid(child(value, 0)) === P12.x509Certificate) {
        certs.push(Buffer.from(octets(explicit(child(value, 1)))));
      }
    }
  }
  if (keys.length !== 1)
    throw new Pkcs12Error(`a PKCS#12 file for signing holds one private key, not ${keys.length}`);
  const privateKey = keys[0]!;
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const parsed = certs.map((der) => ({ der, cert: loadCertificate(der) }));
  const own = parsed.find((c) => Buffer.from(c.cert.subjectPublicKeyInfo.toSchema().toBER()).equals(spki));
  if (!own) throw new Pkcs12Error('the PKCS#12 file has no certificate for its private key');
  const chain: Buffer[] = [];
  let current = own;
  for (;;) {
    const next = parsed.find(
      (c) => c !== current && !chain.includes(c.der) && isSignedBy(current.cert, c.cert),
    );
    if (!next || next.der.equals(current.der)) break;
    chain.push(next.der);
    current = next;
  }
  return { certificate: own.der, privateKey, chain };
}

function encodedOf(b: asn1js.AsnType): Uint8Array {
  return new Uint8Array((b as asn1js.BaseBlock).toBER());
}

function verifyMac(macData: asn1js.AsnType, authSafe: Uint8Array, passphrase: string): void {
  const digestInfo = child(macData, 0);
  const hash = digestByOid[oid(child(child(digestInfo, 0), 0))];
  if (!hash) throw new Pkcs12Error('unsupported PKCS#12 MAC algorithm');
  const expected = octets(child(digestInfo, 1));
  const salt = octets(child(macData, 1));
  const iterationsNode = children(macData)[2];
  const iterations = iterationsNode ? integer(iterationsNode) : 1;
  const size = createHash(hash).digest().length;
  const mac = createHmac(hash, pkcs12Kdf(hash, passphrase, salt, 3, iterations, size))
    .update(authSafe)
    .digest();
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
    throw new Pkcs12Error('wrong passphrase for the PKCS#12 file (or the file is corrupt)');
  }
}

function decrypt(algorithm: asn1js.AsnType, data: Uint8Array, passphrase: string): Uint8Array {
  const scheme = oid(child(algorithm, 0));
  const params = child(algorithm, 1);
  try {
    if (scheme === P12.pbes2) {
      const kdf = child(params, 0);
      if (oid(child(kdf, 0)) !== P12.pbkdf2) throw new Pkcs12Error('unsupported PBES2 key derivation');
      const kdfParams = children(child(kdf, 1));
      const salt = octets(kdfParams[0]);
      const iterations = integer(kdfParams[1]);
      const prfNode = kdfParams.find((n) => n instanceof asn1js.Sequence);
      const prf = prfNode ? HMAC_PRF[oid(child(prfNode, 0))] : 'sha1';
      const enc = child(params, 1);
      const cipherName = AES_CBC[oid(child(enc, 0))];
      if (!prf || !cipherName) throw new Pkcs12Error('unsupported PBES2 cipher or PRF');
      const keyLength = Number(cipherName.slice(4, 7)) / 8;
      const key = pbkdf2Sync(
        Buffer.from(passphrase.normalize('NFC'), 'utf8'),
        salt,
        iterations,
        keyLength,
        prf,
      );
      const decipher = createDecipheriv(cipherName, key, octets(child(enc, 1)));
      return Buffer.concat([decipher.update(data), decipher.final()]);
    }
    if (scheme === P12.pbeSha1TripleDes) {
      const salt = octets(child(params, 0));
      const iterations = integer(child(params, 1));
      const key = pkcs12Kdf('sha1', passphrase, salt, 1, iterations, 24);
      const iv = pkcs12Kdf('sha1', passphrase, salt, 2, iterations, 8);
      const decipher = createDecipheriv('des-ede3-cbc', key, iv);
      return Buffer.concat([decipher.update(data), decipher.final()]);
    }
  } catch (e) {
    if (e instanceof Pkcs12Error) throw e;
    throw new Pkcs12Error('wrong passphrase for the PKCS#12 key (decryption failed)');
  }
  throw new Pkcs12Error(`unsupported PKCS#12 encryption (${scheme})`);
}

/** RFC 7292 appendix B.2: the password as a NUL-terminated BMPString (UTF-16BE). */
function pkcs12Kdf(
  hash: string,
  passphrase: string,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  length: number,
): Buffer {
  const u = createHash(hash).digest().length;
  const v = u > 32 ? 128 : 64;
  const utf16le = Buffer.from(`${passphrase.normalize('NFC')}\0`, 'utf16le');
  const password = Buffer.from(utf16le.swap16());
  const fill = (b: Uint8Array) => {
    if (b.length === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(v * Math.ceil(b.length / v));
    for (let i = 0; i < out.length; i++) out[i] = b[i % b.length]!;
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(salt), fill(password)]);
  const out: Buffer[] = [];
  for (let produced = 0; produced < length; produced += u) {
    let A = createHash(hash).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(hash).update(A).digest();
    out.push(A);
    const B = fill(A);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, length);
}
