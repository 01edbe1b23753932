/**
 * Reads a zip back for tests, from its central directory: every entry's name and text, each checked
 * against its CRC-32 and sizes. Written from the zip specification (APPNOTE 4.3), not from zip.ts.
 */
import { crc32, inflateRawSync } from 'node:zlib';

export function unzip(bytes: Uint8Array): Map<string, string> {
  const buf = Buffer.from(bytes);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`central header ${i} missing`);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const size = buf.readUInt32LE(at + 20);
    const usize = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const skip = nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error(`local header of ${name} missing`);
    if (buf.readUInt32LE(local + 14) !== crc) throw new Error(`${name}: local and central CRC differ`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    const data = method === 8 ? inflateRawSync(raw) : method === 0 ? raw : null;
    if (!data) throw new Error(`${name}: method ${method}`);
    if (data.length !== usize) throw new Error(`${name}: size ${data.length}, said ${usize}`);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC differs`);
    out.set(name, data.toString('utf8'));
    at += 46 + skip;
  }
  return out;
}
