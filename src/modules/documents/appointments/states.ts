/**
 * The appointment's state machine. Pure: what an action does to an appointment in a state at a time,
 * or why it may not.
 *
 *   held ──confirm──▶ booked ──serve──▶ served
 *    │  ╲                │  ╲──no-show──▶ no-show
 *    │   ╲expire──▶ expired   ╲
 *    └──cancel──▶ cancelled ◀──cancel
 *   reschedule: held or booked, before the start, keeps the state.
 */
export const APPOINTMENT_STATUSES = ['held', 'booked', 'served', 'cancelled', 'expired', 'no-show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
export type AppointmentAction = 'confirm' | 'cancel' | 'reschedule' | 'serve' | 'no-show' | 'expire';

export const FINAL: readonly AppointmentStatus[] = ['served', 'cancelled', 'expired', 'no-show'];

/** Places a status takes in its slot (a hold takes its place until it lapses). */
export const TAKES_PLACE: readonly AppointmentStatus[] = ['held', 'booked'];

export const STATUS_TEXT: Record<AppointmentStatus, { vi: string; en: string }> = {
  held: { vi: 'Đang giữ chỗ', en: 'Held' },
  booked: { vi: 'Đã đặt lịch', en: 'Booked' },
  served: { vi: 'Đã tiếp nhận', en: 'Served' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
  expired: { vi: 'Hết thời gian giữ chỗ', en: 'Hold expired' },
  'no-show': { vi: 'Không đến', en: 'Did not come' },
};

export interface Decidable {
  status: AppointmentStatus;
  startsAt: Date;
  holdExpiresAt: Date | null;
}

export type Decision =
  | { ok: true; to: AppointmentStatus }
  | { ok: false; reason: { vi: string; en: string }; allowed: AppointmentAction[] };

/** The actions open to an appointment now (for the conflict's `allowedActions` and the pages' buttons). */
export function allowedActions(a: Decidable, now: Date): AppointmentAction[] {
  const before = now.getTime() < a.startsAt.getTime();
  const holdLive = a.status === 'held' && a.holdExpiresAt !== null && now < a.holdExpiresAt;
  switch (a.status) {
    case 'held':
      return holdLive ? ['confirm', 'cancel', 'reschedule'] : ['expire'];
    case 'booked':
      return before ? ['cancel', 'reschedule', 'serve'] : ['serve', 'no-show'];
    default:
      return [];
  }
}

export function decide(a: Decidable, action: AppointmentAction, now: Date): Decision {
  const allowed = allowedActions(a, now);
  if (allowed.includes(action)) {
    const to: AppointmentStatus =
      action === 'confirm'
        ? 'booked'
        : action === 'cancel'
          ? 'cancelled'
          : action === 'serve'
            ? 'served'
            : action === 'no-show'
              ? 'no-show'
              : action === 'expire'
                ? 'expired'
                : a.status;
    return { ok: true, to };
  }
  const reason =
    a.status === 'held' && action !== 'expire'
      ? {
          vi: 'Thời gian giữ chỗ đã hết, hãy chọn lại khung giờ',
          en: 'the hold has lapsed; choose a slot again',
        }
      : a.status === 'booked' && (action === 'cancel' || action === 'reschedule')
        ? { vi: 'Lịch hẹn đã đến giờ, không thể hủy hay đổi', en: 'the appointment has started' }
        : a.status === 'booked' && action === 'no-show'
          ? { vi: 'Chưa đến giờ hẹn', en: 'the appointment has not started yet' }
          : {
              vi: `Lịch hẹn đang ở trạng thái "${STATUS_TEXT[a.status].vi}"`,
              en: `the appointment is ${STATUS_TEXT[a.status].en.toLowerCase()}`,
            };
  return { ok: false, reason, allowed };
}
