/**
 * What a feedback attachment is, from its content (never its name or claimed type): JPG, PDF, DOC, DOCX,
 * XLS, XLSX (reference/oversight.md). The platform's sniffer tells a zip from an OLE compound file by the
 * first bytes; which Office document it is needs a look inside: a DOCX zip holds `word/…` entries and an
 * XLSX `xl/…`; an old Word file has a `WordDocument` stream and an Excel file a `Workbook` (or `Book`) one,
 * their names stored in UTF-16LE in the directory. Pure.
 */
import type { Sniffed } from '../../../platform/files/index.ts';

export const ATTACHMENT_TYPES = {
  'image/jpeg': 'jpg',
  'application/pdf': 'pdf',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
} as const;
export type AttachmentType = keyof typeof ATTACHMENT_TYPES;

export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const ATTACHMENTS_PER_ITEM = 5;

const utf16 = (s: string) => Buffer.from(s, 'utf16le');

/** The attachment type of `content` (sniffed head `sniffed`), or undefined when it is none of the six. */
export function attachmentTypeOf(sniffed: Sniffed | undefined, content: Buffer): AttachmentType | undefined {
  switch (sniffed?.mediaType) {
    case 'image/jpeg':
    case 'application/pdf':
      return sniffed.mediaType;
    case 'application/zip': {
      // Entry names are in the local file headers (PK\x03\x04 … name), in ASCII.
      if (content.includes('[Content_Types].xml') && content.includes('word/'))
        return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
      if (content.includes('[Content_Types].xml') && content.includes('xl/'))
        return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      return undefined;
    }
    case 'application/x-ole-storage':
      if (content.includes(utf16('WordDocument'))) return 'application/msword';
      if (content.includes(utf16('Workbook')) || content.includes(utf16('Book')))
        return 'application/vnd.ms-excel';
      return undefined;
    default:
      return undefined;
  }
}
