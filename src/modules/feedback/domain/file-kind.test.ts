import { describe, expect, it } from 'vitest';
import { sniff } from '../../../platform/files/index.ts';
import { attachmentTypeOf } from './file-kind.ts';

const kind = (b: Buffer) => attachmentTypeOf(sniff(b.subarray(0, 16)), b);
const zip = (...names: string[]) =>
  Buffer.concat([
    Buffer.from([0x50, 0x4b, 0x03, 0x04]),
    Buffer.alloc(26),
    ...names.map((n) => Buffer.from(n)),
  ]);
const ole = (stream: string) =>
  Buffer.concat([
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    Buffer.alloc(504),
    Buffer.from(stream, 'utf16le'),
  ]);

describe('attachment types by content', () => {
  it('recognises the six types', () => {
    expect(kind(Buffer.from('%PDF-1.7\n…'))).toBe('application/pdf');
    expect(
      kind(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1])),
    ).toBe('image/jpeg');
    expect(kind(zip('[Content_Types].xml', 'word/document.xml'))).toMatch(/wordprocessingml/);
    expect(kind(zip('[Content_Types].xml', 'xl/workbook.xml'))).toMatch(/spreadsheetml/);
    expect(kind(ole('WordDocument'))).toBe('application/msword');
    expect(kind(ole('Workbook'))).toBe('application/vnd.ms-excel');
  });

  it('refuses anything else, whatever its name would say', () => {
    expect(
      kind(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0])),
    ).toBeUndefined();
    expect(kind(zip('malware.exe'))).toBeUndefined();
    expect(kind(ole('PowerPoint Document'))).toBeUndefined();
    expect(kind(Buffer.from('MZ\x90\0 not a document'))).toBeUndefined();
  });
});
