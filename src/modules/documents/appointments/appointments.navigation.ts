import type { ModuleNavigation } from '../../../platform/web/index.ts';
import type { AppointmentsService } from './appointments.service.ts';

export function appointmentsNavigation(_deps: { service: AppointmentsService }): ModuleNavigation {
  return {};
}
