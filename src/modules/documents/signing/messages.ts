/** Why a PDF's signatures are not valid, Vietnamese first (shown to citizens and officers), then English. */

export interface Reason {
  code: string;
  vi: string;
  en: string;
  /** Index into the verdict's `signatures` when the reason is about one signature. */
  signature?: number;
}

export const REASONS = {
  'not-a-pdf': {
    vi: 'Tệp không phải là tài liệu PDF hoặc đã bị hỏng.',
    en: 'The file is not a PDF document, or it is damaged.',
  },
  unsigned: {
    vi: 'Tài liệu không có chữ ký số.',
    en: 'The document has no digital signature.',
  },
  'malformed-signature': {
    vi: 'Chữ ký số bị hỏng hoặc không đúng cấu trúc.',
    en: 'The digital signature is damaged or malformed.',
  },
  'modified-after-signing': {
    vi: 'Tài liệu đã bị thêm nội dung sau khi ký; phần thêm vào không được chữ ký bảo đảm.',
    en: 'Content was added to the document after it was signed; the additions are not covered by the signature.',
  },
  altered: {
    vi: 'Nội dung tài liệu đã bị thay đổi sau khi ký.',
    en: 'The content of the document was changed after it was signed.',
  },
  'bad-signature': {
    vi: 'Chữ ký số không khớp với chứng thư số của người ký.',
    en: "The signature does not verify with the signer's certificate.",
  },
  untrusted: {
    vi: 'Chứng thư số của người ký không do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp.',
    en: "The signer's certificate was not issued by a trusted certification authority.",
  },
  'certificate-expired': {
    vi: 'Chứng thư số đã hết hiệu lực vào thời điểm ký.',
    en: 'The certificate had expired when the document was signed.',
  },
  'not-yet-valid': {
    vi: 'Chứng thư số chưa có hiệu lực vào thời điểm ký.',
    en: 'The certificate was not yet valid when the document was signed.',
  },
  'certificate-revoked': {
    vi: 'Chứng thư số đã bị thu hồi trước thời điểm ký.',
    en: 'The certificate had been revoked before the document was signed.',
  },
} as const satisfies Record<string, { vi: string; en: string }>;

export type ReasonCode = keyof typeof REASONS;

export function reason(code: ReasonCode, signature?: number): Reason {
  const r: Reason = { code, ...REASONS[code] };
  if (signature !== undefined) r.signature = signature;
  return r;
}
