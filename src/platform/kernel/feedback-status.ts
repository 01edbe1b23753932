/**
 * Statuses of a feedback item (phản ánh, kiến nghị — PAKN) as the national portal names them
 * (reference/oversight.md), with the two this portal adds: `accepted` (the Government Office has taken the
 * item in and the refusal window is closed) and `withheld` (answered, decided not to be published, with a
 * reason), and `merged` (a duplicate the Government Office merged into another item: it follows that item's
 * answer and is never published on its own). The workflow that moves an item between them is the feedback module's (domain/workflow.ts).
 */

export const FEEDBACK_STATUSES = [
  'submitted',
  'supplemented',
  'awaiting-info',
  'accepted',
  'refused',
  'forwarded',
  'passed',
  'handling',
  'external',
  'returned',
  'answered',
  'published',
  'withheld',
  'merged',
] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

/** Vietnamese as the national portal writes them, and English. */
export const FEEDBACK_STATUS_NAMES: Readonly<
  Record<FeedbackStatus, { readonly vi: string; readonly en: string }>
> = Object.freeze({
  submitted: { vi: 'Mới tiếp nhận VPCP', en: 'New at the Government Office' },
  supplemented: { vi: 'Phản ánh đã bổ sung', en: 'Information supplemented' },
  'awaiting-info': { vi: 'PA chờ bổ sung', en: 'Waiting for more information' },
  accepted: { vi: 'VPCP đã tiếp nhận', en: 'Accepted by the Government Office' },
  refused: { vi: 'Từ chối tiếp nhận', en: 'Refused' },
  forwarded: { vi: 'Tiếp nhận ở địa phương', en: 'Forwarded to the agency' },
  passed: { vi: 'BNĐP gửi trả BNĐP khác', en: 'Passed to another agency' },
  handling: { vi: 'Xử lý ở địa phương', en: 'Being handled by the agency' },
  external: { vi: 'Gửi đơn vị khác bằng phần mềm riêng', en: "Handled in the agency's own system" },
  returned: { vi: 'Trả lại VPCP', en: 'Returned to the Government Office' },
  answered: { vi: 'PAKN chờ công khai', en: 'Answered, waiting for publication' },
  published: { vi: 'PAKN đã công khai', en: 'Answer published' },
  withheld: { vi: 'PAKN không công khai', en: 'Answered, not published' },
  merged: { vi: 'Đã gộp vào PAKN khác', en: 'Merged into another item' },
});

export function isFeedbackStatus(s: unknown): s is FeedbackStatus {
  return typeof s === 'string' && (FEEDBACK_STATUSES as readonly string[]).includes(s);
}
