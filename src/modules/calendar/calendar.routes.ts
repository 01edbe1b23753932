/** JSON API of the working-time calendar: holidays of a year and due-date arithmetic. */

import { Type } from 'typebox';
import { parseInstant, vietnamDateTime } from '../../platform/clock/index.ts';
import { ValidationError } from '../../platform/errors/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import { access } from '../../platform/http/index.ts';
import type { CalendarService } from './calendar.service.ts';

const Holiday = Type.Object({
  date: Type.String({ format: 'date' }),
  name: Type.String({ examples: ['Tết Nguyên đán (mùng 1)'] }),
  nameEn: Type.String(),
  holiday: Type.String({
    description: 'new-year, tet, hung-kings, reunification, labour-day, national-day, extra',
  }),
  kind: Type.String({ description: 'holiday, compensatory or official-break' }),
  source: Type.Optional(Type.String()),
});

const HolidaysResponse = Type.Object({
  year: Type.Integer(),
  items: Type.Array(Holiday, {
    description: 'Days off of the year besides ordinary weekends, and the weekend days of a holiday',
  }),
  workingDays: Type.Array(
    Type.Object({
      date: Type.String({ format: 'date' }),
      name: Type.String(),
      nameEn: Type.Optional(Type.String()),
    }),
    { description: 'Weekend days worked in exchange for a bridge day' },
  ),
});

/** An instant with an explicit offset: 2026-11-27T09:00:00Z or 2026-11-27T16:00:00+07:00. */
const INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';

const DueQuery = Type.Object({
  start: Type.String({
    pattern: INSTANT,
    description: 'When the clock starts (ISO 8601 instant with offset)',
  }),
  amount: Type.Number({
    minimum: 0,
    maximum: 3650,
    description: 'How much time (fractions allowed, e.g. 0.5)',
  }),
  unit: Type.Union([Type.Literal('working-day'), Type.Literal('working-hour'), Type.Literal('day')]),
  agency: Type.Optional(
    Type.String({
      maxLength: 40,
      pattern: '^[A-Za-z0-9.-]+$',
      description: 'Use this agency’s office hours',
    }),
  ),
  rule15h: Type.Optional(Type.Boolean({ description: 'Filed after 15:00 counts from the next working day' })),
  pause: Type.Optional(
    Type.Array(Type.String({ maxLength: 80 }), {
      maxItems: 20,
      description:
        'Clock stopped (supplement requests): from/to ISO instants, e.g. 2026-12-01T02:00:00Z/2026-12-03T02:00:00Z',
    }),
  ),
});

const DueResponse = Type.Object({
  start: Type.String(),
  amount: Type.Number(),
  unit: Type.String(),
  due: Type.String({ description: 'The due instant (ISO 8601, UTC)' }),
  dueLocal: Type.String({ description: 'The due instant in Vietnam time, YYYY-MM-DD HH:mm' }),
  agency: Type.Union([Type.String(), Type.Null()]),
  officeHours: Type.Object({
    sessions: Type.Array(Type.Object({ start: Type.String(), end: Type.String() })),
  }),
});

function parsePauses(raw: string[] | undefined): Array<{ from: Date; to: Date }> {
  return (raw ?? []).map((p, i) => {
    const [a, b, extra] = p.split('/');
    const from = parseInstant(a ?? '');
    const to = parseInstant(b ?? '');
    if (!from || !to || extra !== undefined || to < from) {
      throw new ValidationError(`Khoảng tạm dừng "${p}" không hợp lệ; dùng dạng từ/đến theo ISO 8601.`, [
        { path: `pause.${i}`, message: 'must be from/to ISO instants with from ≤ to' },
      ]);
    }
    return { from, to };
  });
}

export async function calendarRoutes(app: AppInstance, { calendar }: { calendar: CalendarService }) {
  app.get(
    '/api/v1/calendar/holidays',
    {
      config: { access: access.public },
      schema: {
        tags: ['calendar'],
        summary:
          'Public holidays and official days off of a year (Labour Code art. 112 and announced schedules)',
        querystring: Type.Object({ year: Type.Integer({ minimum: 1990, maximum: 2100 }) }),
        response: { 200: HolidaysResponse },
      },
    },
    async (request) => calendar.holidays(request.query.year),
  );

  app.get(
    '/api/v1/calendar/due-date',
    {
      config: { access: access.public },
      schema: {
        tags: ['calendar'],
        summary: 'Due date of a time limit in working days, working hours or calendar days',
        description:
          'Hạn giải quyết tính theo giờ hành chính: nộp ngoài giờ tính từ đầu giờ làm việc tiếp theo, nộp trong giờ nghỉ trưa tính từ 13:30, ' +
          'tùy chọn quy tắc sau 15:00, trừ thời gian tạm dừng (yêu cầu bổ sung). Một ngày làm việc là 8 giờ làm việc.',
        querystring: DueQuery,
        response: { 200: DueResponse },
      },
    },
    async (request) => {
      const q = request.query;
      const start = parseInstant(q.start);
      if (!start || start.getUTCFullYear() < 1990 || start.getUTCFullYear() > 2100) {
        throw new ValidationError(
          `Thời điểm bắt đầu "${q.start}" không hợp lệ: cần ngày giờ ISO 8601 có múi giờ, năm 1990–2100.`,
          [{ path: 'start', message: 'invalid instant' }],
        );
      }
      const { due, officeHours } = await calendar.dueDate({
        start,
        amount: q.amount,
        unit: q.unit,
        agency: q.agency,
        rule15h: q.rule15h,
        pauses: parsePauses(q.pause),
      });
      return {
        start: start.toISOString(),
        amount: q.amount,
        unit: q.unit,
        due: due.toISOString(),
        dueLocal: vietnamDateTime(due),
        agency: q.agency ?? null,
        officeHours,
      };
    },
  );
}
