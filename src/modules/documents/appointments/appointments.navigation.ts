/**
 * Appointments in the shell: booking a certification on the home page, "Lịch hẹn chứng thực" in the
 * account menu of every signed-in person, and on the officers' desk, for certifiers and agency admins of
 * an office, the day's queue (with how many are still expected) and the office's hours.
 */
import { vietnamDate } from '../../../platform/clock/index.ts';
import type { ModuleNavigation } from '../../../platform/web/index.ts';
import type { AppointmentsService } from './appointments.service.ts';
import { APPOINTMENTS_PAGE, MY_APPOINTMENTS, OFFICER_APPOINTMENTS } from './pages/appointments.pages.tsx';

export function appointmentsNavigation(deps: { service: AppointmentsService }): ModuleNavigation {
  const { service } = deps;
  return {
    home: [
      {
        id: 'documents.book-appointment',
        order: 54,
        href: APPOINTMENTS_PAGE,
        title: { vi: 'Đặt lịch chứng thực bản sao', en: 'Book a certification of copies' },
        description: {
          vi: 'Chọn Ủy ban nhân dân xã, phường hoặc tổ chức công chứng và giờ đến; nhận số thứ tự, không phải chờ.',
          en: 'Choose a ward office or notary and a time; get a queue number instead of waiting.',
        },
      },
    ],
    links: [
      {
        id: 'documents.my-appointments',
        area: 'account',
        order: 18,
        href: MY_APPOINTMENTS,
        label: { vi: 'Lịch hẹn chứng thực', en: 'Certification appointments' },
        audience: ['citizen', 'business', 'organisation'],
      },
    ],
    desk: [
      {
        id: 'documents.appointments',
        order: 29,
        title: { vi: 'Lịch hẹn chứng thực', en: 'Certification appointments' },
        description: {
          vi: 'Hàng đợi trong ngày, tiếp nhận người đến trực tiếp, giờ tiếp nhận và số chỗ.',
          en: "The day's queue, walk-ins, opening hours and places.",
        },
        async resolve(viewer) {
          if (viewer.kind !== 'officer') return null;
          const offices = await service.officesOf(viewer.accountId);
          if (offices.length === 0) return null;
          const today = vietnamDate(service.now());
          let expected = 0;
          for (const o of offices) {
            const day = await service.dayList(viewer.accountId, o.agencyCode, today);
            expected += day.appointments.filter((a) => a.status === 'booked').length;
          }
          return {
            links: [
              {
                href: OFFICER_APPOINTMENTS,
                label: { vi: 'Người hẹn đến hôm nay', en: 'Expected today' },
                count: expected,
              },
              {
                href: `${OFFICER_APPOINTMENTS}/quy-tac`,
                label: { vi: 'Giờ tiếp nhận và số chỗ', en: 'Hours and places' },
              },
            ],
          };
        },
      },
    ],
  };
}
