/**
 * The blob store on an S3-compatible object store (path-style URLs: `{endpoint}/{bucket}/{key}`), signed
 * with SigV4. A file is first streamed into a local temporary area (type by content, size limit, SHA-256,
 * exactly as the local store does), then PUT with its hash as the signed payload hash, and the local copy
 * removed. Not yet wired to configuration (the platform's config has no S3 settings); tested against a
 * small S3-like server that checks the signatures, not against a real store.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { type BlobStore, localBlobStore } from './blob-store.ts';
import { EMPTY_SHA256, sign } from './sigv4.ts';

export interface S3Options {
  /** e.g. https://s3.ap-southeast-1.amazonaws.com or http://minio:9000 */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Where files wait while they are checked (a local directory). */
  stagingDir: string;
  prefix?: string;
  fetch?: typeof fetch;
}

export function s3BlobStore(o: S3Options): BlobStore {
  const staging = localBlobStore(o.stagingDir);
  const doFetch = o.fetch ?? fetch;
  const base = new URL(o.endpoint);
  const request = async (method: 'PUT' | 'GET' | 'DELETE', key: string, body?: Buffer, sha?: string) => {
    const objectPath = `${base.pathname.replace(/\/$/, '')}/${o.bucket}/${o.prefix ?? ''}${key}`;
    const amzDate = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const payload = sha ?? EMPTY_SHA256;
    const headers: Record<string, string> = {
      host: base.host,
      'x-amz-date': amzDate,
      'x-amz-content-sha256': payload,
      ...(body ? { 'content-length': String(body.length) } : {}),
    };
    const { authorization } = sign({
      method,
      path: objectPath,
      headers,
      payloadSha256: payload,
      region: o.region,
      service: 's3',
      accessKeyId: o.accessKeyId,
      secretAccessKey: o.secretAccessKey,
      amzDate,
      s3: true,
    });
    const { host: _host, 'content-length': _len, ...sent } = headers;
    return doFetch(
      new URL(
        objectPath
          .split('/')
          .map((p) => encodeURIComponent(p))
          .join('/'),
        base,
      ),
      {
        method,
        headers: { ...sent, authorization },
        ...(body ? { body: new Uint8Array(body) } : {}),
      },
    );
  };
  return {
    async put(content, options) {
      const stored = await staging.put(content, options);
      const file = path.join(o.stagingDir, stored.key.slice(0, 2), stored.key.slice(2, 4), stored.key);
      try {
        const r = await request('PUT', stored.key, await fs.readFile(file), stored.sha256);
        if (!r.ok) throw new Error(`S3 PUT ${stored.key}: ${r.status} ${(await r.text()).slice(0, 200)}`);
        return stored;
      } finally {
        await fs.rm(file, { force: true });
      }
    },
    async get(key) {
      if (!/^[0-9a-f]{32}\.[a-z]{2,5}$/.test(key)) return undefined;
      const r = await request('GET', key);
      if (r.status === 404) return undefined;
      if (!r.ok || !r.body) throw new Error(`S3 GET ${key}: ${r.status}`);
      return Readable.fromWeb(r.body as import('node:stream/web').ReadableStream);
    },
    async delete(key) {
      if (!/^[0-9a-f]{32}\.[a-z]{2,5}$/.test(key)) return;
      // S3 answers 204 whether or not the object existed; some compatible stores answer 404.
      const r = await request('DELETE', key);
      await r.body?.cancel();
      if (!r.ok && r.status !== 404) throw new Error(`S3 DELETE ${key}: ${r.status}`);
    },
  };
}
