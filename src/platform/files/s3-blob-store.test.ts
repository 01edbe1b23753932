import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3BlobStore } from './s3-blob-store.ts';
import { sign } from './sigv4.ts';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n');
const objects = new Map<string, Buffer>();
let server: http.Server;
let endpoint: string;
const refused: string[] = [];

/** An S3-like server: path-style objects, every request's signature recomputed and checked. */
beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url!, 'http://x');
    const h = req.headers;
    const payload = String(h['x-amz-content-sha256']);
    const signedNames = /SignedHeaders=([^,]+)/.exec(String(h.authorization))?.[1]?.split(';') ?? [];
    const expected = sign({
      method: req.method!,
      path: decodeURIComponent(url.pathname),
      headers: Object.fromEntries(signedNames.map((n) => [n, String(h[n])])),
      payloadSha256: payload,
      region: 'vn-hanoi-1',
      service: 's3',
      accessKeyId: 'KHOA',
      secretAccessKey: 'bi-mat',
      amzDate: String(h['x-amz-date']),
      s3: true,
    }).authorization;
    const hashOk = req.method !== 'PUT' || createHash('sha256').update(body).digest('hex') === payload;
    if (h.authorization !== expected || !hashOk || !signedNames.includes('host')) {
      refused.push(`${req.method} ${url.pathname}`);
      res.writeHead(403).end('SignatureDoesNotMatch');
      return;
    }
    if (req.method === 'PUT') {
      objects.set(url.pathname, body);
      res.writeHead(200).end();
    } else if (req.method === 'DELETE') {
      objects.delete(url.pathname);
      res.writeHead(204).end();
    } else if (objects.has(url.pathname)) res.writeHead(200).end(objects.get(url.pathname));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('the S3-compatible blob store', () => {
  it('puts a checked file with a signed payload hash and gets it back', async () => {
    const staging = await fs.mkdtemp(path.join(os.tmpdir(), 's3-staging-'));
    const store = s3BlobStore({
      endpoint,
      bucket: 'ho-so',
      region: 'vn-hanoi-1',
      accessKeyId: 'KHOA',
      secretAccessKey: 'bi-mat',
      stagingDir: staging,
    });
    const stored = await store.put(Readable.from([PDF]), {
      maxBytes: 1000,
      accept: (t) => t?.mediaType === 'application/pdf',
    });
    expect(refused).toEqual([]);
    expect(objects.get(`/ho-so/${stored.key}`)?.equals(PDF)).toBe(true);
    const back = await store.get(stored.key);
    const chunks: Buffer[] = [];
    for await (const c of back!) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(PDF)).toBe(true);
    expect(await store.get('00000000000000000000000000000000.pdf')).toBeUndefined();
    // Deleted once and again (already gone): no error, and it is gone.
    await store.delete(stored.key);
    await store.delete(stored.key);
    expect(objects.has(`/ho-so/${stored.key}`)).toBe(false);
    expect(await store.get(stored.key)).toBeUndefined();
    expect(refused).toEqual([]);
    const wrong = s3BlobStore({
      endpoint,
      bucket: 'ho-so',
      region: 'vn-hanoi-1',
      accessKeyId: 'KHOA',
      secretAccessKey: 'sai',
      stagingDir: staging,
    });
    await expect(wrong.put(Readable.from([PDF]), { maxBytes: 1000, accept: () => true })).rejects.toThrow(
      /403/,
    );
    await fs.rm(staging, { recursive: true, force: true });
  });
});
