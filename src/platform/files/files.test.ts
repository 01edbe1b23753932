import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { localBlobStore, UploadRejected } from './blob-store.ts';
import { sniff } from './sniff.ts';

const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
  Buffer.from('JFIF\0'),
  Buffer.alloc(40),
]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40)]);

describe('sniff: the type from the content', () => {
  it('recognises PDF, JPEG, PNG, TIFF, WebP, zip (Office) and old Office files', () => {
    expect(sniff(PDF)?.mediaType).toBe('application/pdf');
    expect(sniff(JPEG)?.mediaType).toBe('image/jpeg');
    expect(sniff(PNG)?.mediaType).toBe('image/png');
    expect(sniff(Buffer.from('II*\0abcdefgh'))?.mediaType).toBe('image/tiff');
    expect(sniff(Buffer.from('RIFF\x10\0\0\0WEBPVP8 '))?.mediaType).toBe('image/webp');
    expect(sniff(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2]))?.mediaType).toBe('application/zip');
  });
  it('does not trust names or claims: text, executables, HTML are not recognised', () => {
    expect(sniff(Buffer.from('MZ\x90\0'))).toBeUndefined();
    expect(sniff(Buffer.from('<html><script>'))).toBeUndefined();
    expect(sniff(Buffer.from(' %PDF-1.4'))).toBeUndefined();
    expect(sniff(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('the local blob store', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'blobs-'));
  const store = localBlobStore(dir);
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));
  const accept = (t: { mediaType: string } | undefined) => t?.mediaType === 'application/pdf';

  it('stores a stream under a new key with its SHA-256, size and type, and gives it back', async () => {
    const a = await store.put(Readable.from([PDF.subarray(0, 3), PDF.subarray(3)]), {
      maxBytes: 1000,
      accept,
    });
    expect(a.sha256).toBe(createHash('sha256').update(PDF).digest('hex'));
    expect(a).toMatchObject({ sizeBytes: PDF.length, type: { mediaType: 'application/pdf' } });
    const b = await store.put(Readable.from([PDF]), { maxBytes: 1000, accept });
    expect(b.key).not.toBe(a.key);
    const back = await store.get(a.key);
    const chunks: Buffer[] = [];
    for await (const c of back!) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(PDF)).toBe(true);
    expect(await store.get('../../etc/passwd')).toBeUndefined();
  });

  it('deletes a blob, and takes a blob already gone or a strange key calmly', async () => {
    const a = await store.put(Readable.from([PDF]), { maxBytes: 1000, accept });
    await store.delete(a.key);
    expect(await store.get(a.key)).toBeUndefined();
    await store.delete(a.key);
    await store.delete('../../etc/passwd');
    await store.delete('00000000000000000000000000000000.pdf');
  });

  it('refuses a wrong type, an empty file and one over the limit, and keeps nothing', async () => {
    await expect(store.put(Readable.from([PNG]), { maxBytes: 1000, accept })).rejects.toMatchObject({
      reason: 'type',
    });
    await expect(
      store.put(Readable.from([Buffer.alloc(0)]), { maxBytes: 1000, accept }),
    ).rejects.toBeInstanceOf(UploadRejected);
    const big = Buffer.concat([PDF, Buffer.alloc(5000)]);
    await expect(
      store.put(Readable.from([big.subarray(0, 2000), big.subarray(2000)]), { maxBytes: 4000, accept }),
    ).rejects.toMatchObject({ reason: 'too-large' });
    expect(await fs.readdir(path.join(dir, 'tmp'))).toEqual([]);
  });
});
