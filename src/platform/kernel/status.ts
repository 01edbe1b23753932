/**
 * Dossier status codes of the national exchange (TrangThaiHoSo, docs/dossiers.md): what the portal's
 * workflow maps its states onto, what agency systems send in DongBoHoSoMC / CapNhatTienDoHoSoMC, and what
 * the lookup shows.
 */

/** TrangThaiHoSo: 1 new … 10 result returned. */
export const STATUS_CODES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
export type StatusCode = (typeof STATUS_CODES)[number];

/** Each code by what it means, for code that must not write raw numbers. */
export const STATUS = Object.freeze({
  submitted: 1,
  received: 2,
  refused: 3,
  processing: 4,
  supplement: 5,
  payment: 6,
  withdrawn: 7,
  stopped: 8,
  processed: 9,
  returned: 10,
} as const satisfies Record<string, StatusCode>);

/** Names of the status codes: Vietnamese as the national portal writes them, and English. */
export const STATUS_NAMES: Readonly<Record<StatusCode, { readonly vi: string; readonly en: string }>> =
  Object.freeze({
    1: { vi: 'Mới đăng ký', en: 'Submitted' },
    2: { vi: 'Được tiếp nhận', en: 'Received' },
    3: { vi: 'Không được tiếp nhận', en: 'Refused' },
    4: { vi: 'Đang xử lý', en: 'Being processed' },
    5: { vi: 'Yêu cầu bổ sung giấy tờ', en: 'Supplement requested' },
    6: { vi: 'Yêu cầu thực hiện nghĩa vụ tài chính', en: 'Payment requested' },
    7: { vi: 'Công dân yêu cầu rút hồ sơ', en: 'Withdrawn' },
    8: { vi: 'Dừng xử lý', en: 'Processing stopped' },
    9: { vi: 'Đã xử lý xong', en: 'Processed' },
    10: { vi: 'Đã trả kết quả', en: 'Result returned' },
  });

export function isStatusCode(n: unknown): n is StatusCode {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 10;
}

/** The Vietnamese name of a status code as stored (a number from outside); the number itself if unknown. */
export function statusName(status: number): string {
  return isStatusCode(status) ? STATUS_NAMES[status].vi : String(status);
}
