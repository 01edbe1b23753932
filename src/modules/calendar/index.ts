/**
 * The calendar module: the official holiday schedules (table `platform.calendar_overrides`, loaded
 * from db/reference/calendar-overrides.csv), an agency's working calendar and office hours for deadline
 * arithmetic, the JSON API `/api/v1/calendar/*` and the page `/lich-lam-viec` (decision 0007). The pure
 * arithmetic — lunar calendar, Labour Code holidays, working time — is `src/platform/calendar`.
 */
import type { AppInstance } from '../../platform/http/index.ts';
import { calendarPages } from './calendar.pages.tsx';
import { calendarRoutes } from './calendar.routes.ts';
import { type CalendarServiceDeps, createCalendarService } from './calendar.service.ts';

export {
  type AgencyHours,
  CALENDAR_REFERENCE_FILE,
  type CalendarService,
  type CalendarServiceDeps,
  calendarReferenceData,
  createCalendarService,
  type DueUnit,
} from './calendar.service.ts';

export function createCalendarModule(deps: CalendarServiceDeps) {
  const service = createCalendarService(deps);
  return {
    service,
    async routes(app: AppInstance) {
      await app.register(calendarRoutes, { calendar: service });
      await app.register(calendarPages, { calendar: service });
    },
  };
}

export type CalendarModule = ReturnType<typeof createCalendarModule>;
