/**
 * AWS Signature Version 4 (the signing S3-compatible stores accept: AWS S3, MinIO, Ceph, the cloud
 * providers' object storage), written out here rather than pulling an SDK for two requests. Checked
 * against AWS's published examples (files/sigv4.test.ts).
 */
import { createHash, createHmac } from 'node:crypto';

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');

/** RFC 3986 encoding as SigV4 wants it (`/` kept in paths). */
export function uriEncode(s: string, keepSlash = false): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')) return c;
      return `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

export interface SignInput {
  method: string;
  /** The path, not yet encoded. */
  path: string;
  query?: Record<string, string>;
  /** Header names in any case; host and x-amz-date must be among them. */
  headers: Record<string, string>;
  payloadSha256: string;
  region: string;
  service: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** 20150830T123600Z */
  amzDate: string;
  /** S3 does not normalise paths (no double encoding); other services encode twice. */
  s3?: boolean;
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

export function canonicalRequest(i: SignInput): { text: string; signedHeaders: string } {
  const headers = Object.entries(i.headers)
    .map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, ' ')] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const signedHeaders = headers.map(([k]) => k).join(';');
  const path = i.s3 ? uriEncode(i.path, true) : uriEncode(uriEncode(i.path, true), true);
  const query = Object.entries(i.query ?? {})
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const text = [
    i.method,
    path || '/',
    query,
    ...headers.map(([k, v]) => `${k}:${v}`),
    '',
    signedHeaders,
    i.payloadSha256,
  ].join('\n');
  return { text, signedHeaders };
}

/** The Authorization header value (and the pieces, for tests). */
export function sign(i: SignInput) {
  const { text, signedHeaders } = canonicalRequest(i);
  const date = i.amzDate.slice(0, 8);
  const scope = `${date}/${i.region}/${i.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', i.amzDate, scope, sha256(text)].join('\n');
  const signature = createHmac('sha256', signingKey(i.secretAccessKey, date, i.region, i.service))
    .update(stringToSign, 'utf8')
    .digest('hex');
  return {
    canonicalRequestHash: sha256(text),
    stringToSign,
    signature,
    authorization: `AWS4-HMAC-SHA256 Credential=${i.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}
