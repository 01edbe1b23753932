/**
 * The hotline's codes and their names, in one place: what a call is about (topic), how it ended
 * (outcome), which way it went (direction). The database checks the same codes
 * (db/migrations/0091_hotline_create-hotline.sql).
 */

export interface Name {
  vi: string;
  en: string;
}

/** The hotline's number as callers know it (tổng đài hỗ trợ). */
export const HOTLINE_NUMBER = '18001096';

export const TOPICS = ['dossier', 'procedure', 'account', 'payment', 'feedback', 'other'] as const;
export type Topic = (typeof TOPICS)[number];
export const TOPIC_NAMES: Readonly<Record<Topic, Name>> = {
  dossier: { vi: 'Tra cứu hồ sơ', en: 'Dossier lookup' },
  procedure: { vi: 'Hướng dẫn thủ tục hành chính', en: 'Procedure guidance' },
  account: { vi: 'Tài khoản, đăng nhập', en: 'Account and sign-in' },
  payment: { vi: 'Thanh toán trực tuyến', en: 'Online payments' },
  feedback: { vi: 'Phản ánh, kiến nghị', en: 'Feedback' },
  other: { vi: 'Khác', en: 'Other' },
};

export const OUTCOMES = ['answered', 'feedback', 'callback', 'transferred', 'dropped'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_NAMES: Readonly<Record<Outcome, Name>> = {
  answered: { vi: 'Đã trả lời, hướng dẫn', en: 'Answered' },
  feedback: { vi: 'Chuyển thành phản ánh, kiến nghị', en: 'Turned into feedback' },
  callback: { vi: 'Cần gọi lại', en: 'Callback needed' },
  transferred: { vi: 'Chuyển cơ quan, bộ phận khác', en: 'Transferred' },
  dropped: { vi: 'Mất kết nối, không liên lạc được', en: 'Dropped or unreachable' },
};
/** What an outbound call back may end with (another callback is the same callback tried again). */
export const CALLBACK_OUTCOMES: readonly Outcome[] = ['answered', 'feedback', 'transferred', 'dropped'];

export const DIRECTIONS = ['inbound', 'outbound'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const DIRECTION_NAMES: Readonly<Record<Direction, Name>> = {
  inbound: { vi: 'Cuộc gọi đến', en: 'Inbound' },
  outbound: { vi: 'Gọi lại cho người dân', en: 'Callback' },
};

export const CALLBACK_STATES = ['open', 'claimed', 'done'] as const;
export type CallbackState = (typeof CALLBACK_STATES)[number];
export const CALLBACK_STATE_NAMES: Readonly<Record<CallbackState, Name>> = {
  open: { vi: 'Chờ gọi lại', en: 'Waiting' },
  claimed: { vi: 'Đang gọi lại', en: 'Being called back' },
  done: { vi: 'Đã gọi lại', en: 'Done' },
};

/** The categories of a feedback item made from a call (the feedback module's). */
export const FEEDBACK_CATEGORIES = ['regulation', 'dossier-handling', 'other'] as const;
export type FeedbackCategory = (typeof FEEDBACK_CATEGORIES)[number];
export const FEEDBACK_CATEGORY_NAMES: Readonly<Record<FeedbackCategory, Name>> = {
  regulation: { vi: 'Quy định hành chính', en: 'Administrative regulation' },
  'dossier-handling': { vi: 'Giải quyết hồ sơ, thủ tục', en: 'Handling of a dossier' },
  other: { vi: 'Khác', en: 'Other' },
};
