/**
 * Appointments at certifying offices (docs/documents.md, `appointments/`): availability rules, slots
 * derived with the holiday calendar, holds, bookings whose capacity the database enforces, rescheduling,
 * cancellation, reminders, the day's queue and walk-ins; the API under /api/v1/certification and the
 * pages. The documents module wires it (documents/index.ts); the certification counter uses
 * `appointmentForCounter` and `markServed`.
 */
import type { AppInstance } from '../../../platform/http/index.ts';
import type { JobDefinition } from '../../../platform/jobs/index.ts';
import type { ModuleNavigation } from '../../../platform/web/index.ts';
import { appointmentsNavigation } from './appointments.navigation.ts';
import { appointmentRoutes } from './appointments.routes.ts';
import { type AppointmentsServiceDeps, createAppointmentsService } from './appointments.service.ts';
import { seedDemoRules } from './demo.ts';
import { appointmentPages } from './pages/appointments.pages.tsx';

export type { Appointment } from './appointments.repository.ts';
export {
  type AppointmentsService,
  type AppointmentsServiceDeps,
  type CounterAppointment,
  FULL_MESSAGE,
  type OfficeRole,
  type Person,
} from './appointments.service.ts';
export { DEMO_RULES } from './demo.ts';
export { APPOINTMENTS_PAGE, MY_APPOINTMENTS, OFFICER_APPOINTMENTS } from './pages/appointments.shared.tsx';
export { type AvailabilityRule, BOOKING_HORIZON_DAYS, type Slot } from './slots.ts';
export { type AppointmentStatus, STATUS_TEXT } from './states.ts';

export interface AppointmentsDeps extends AppointmentsServiceDeps {
  /** Province names for the office picker (agencies module), when known. */
  provinces?(): Promise<Array<{ code: string; name: string }>>;
}

export function createAppointments(deps: AppointmentsDeps) {
  const service = createAppointmentsService(deps);
  const jobs: JobDefinition[] = [
    {
      // A hold whose form was never confirmed gives its place back.
      name: 'documents.expire-appointment-holds',
      everySeconds: 60,
      leaseSeconds: 55,
      run: async (now) => {
        await service.expireHolds(now);
      },
    },
    {
      // The day before: a reminder to everyone booked (once each, whenever the job runs that day).
      name: 'documents.appointment-reminders',
      everySeconds: 900,
      leaseSeconds: 600,
      run: async (now) => {
        await service.sendReminders(now);
      },
    },
  ];
  const navigation: ModuleNavigation = appointmentsNavigation({ service });
  return {
    service,
    jobs,
    navigation,
    /** The API and the pages (a Fastify plugin). */
    async routes(app: AppInstance) {
      await app.register(appointmentRoutes, { service });
      await app.register(appointmentPages, {
        service,
        ...(deps.provinces ? { provinces: deps.provinces } : {}),
      });
    },
    /** The demo offices' rules (after the documents module's own seed made the offices). */
    async seedDemo() {
      await seedDemoRules(deps.db);
    },
    appointmentForCounter: service.appointmentForCounter,
    appointmentForOfficer: service.appointmentForOfficer,
    markServed: service.markServed,
  };
}

export type Appointments = ReturnType<typeof createAppointments>;
