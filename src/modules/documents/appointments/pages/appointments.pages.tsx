import type { AppInstance } from '../../../../platform/http/index.ts';
import type { AppointmentsService } from '../appointments.service.ts';

export const APPOINTMENTS_PAGE = '/chung-thuc-ban-sao';
export const MY_APPOINTMENTS = '/tai-khoan/lich-hen';
export const OFFICER_APPOINTMENTS = '/quan-tri/chung-thuc/lich-hen';

export async function appointmentPages(
  _app: AppInstance,
  _deps: { service: AppointmentsService; provinces?: () => Promise<Array<{ code: string; name: string }>> },
) {}
