/**
 * Kinds of originals citizens most often bring for certified copies, and of documents in the wallet.
 * The codes are the portal's own (there is no published national list of document types for the
 * e-document store); `khac` covers the rest, with the title saying what it is.
 */
export const DOCUMENT_TYPES = [
  ['giay-khai-sinh', 'Giấy khai sinh', 'Birth certificate'],
  ['can-cuoc', 'Thẻ căn cước / căn cước công dân', 'Identity card'],
  ['ho-chieu', 'Hộ chiếu', 'Passport'],
  ['giay-ket-hon', 'Giấy chứng nhận kết hôn', 'Marriage certificate'],
  ['xac-nhan-hon-nhan', 'Giấy xác nhận tình trạng hôn nhân', 'Certificate of marital status'],
  ['van-bang', 'Văn bằng, chứng chỉ', 'Diploma or certificate'],
  ['hoc-ba', 'Học bạ', 'School record'],
  ['giay-chung-nhan-qsdd', 'Giấy chứng nhận quyền sử dụng đất', 'Land use right certificate'],
  ['dang-ky-xe', 'Giấy chứng nhận đăng ký xe', 'Vehicle registration certificate'],
  ['giay-phep-lai-xe', 'Giấy phép lái xe', 'Driving licence'],
  ['dang-ky-doanh-nghiep', 'Giấy chứng nhận đăng ký doanh nghiệp', 'Business registration certificate'],
  ['van-ban-uy-quyen', 'Văn bản ủy quyền, giấy ủy quyền', 'Power of attorney'],
  ['quyet-dinh', 'Quyết định của cơ quan nhà nước', 'Decision of a State authority'],
  ['ket-qua-thu-tuc', 'Kết quả giải quyết thủ tục hành chính', 'Result of an administrative procedure'],
  ['khac', 'Giấy tờ khác', 'Other document'],
] as const;

export type DocumentTypeCode = (typeof DOCUMENT_TYPES)[number][0];

const NAMES = new Map<string, { vi: string; en: string }>(
  DOCUMENT_TYPES.map(([c, vi, en]) => [c, { vi, en }]),
);

export const isDocumentType = (code: string): code is DocumentTypeCode => NAMES.has(code);

/** The type's name; an unknown code is shown as "other". */
export const documentTypeName = (code: string) => NAMES.get(code) ?? NAMES.get('khac')!;
