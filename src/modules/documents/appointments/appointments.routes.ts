/**
 * The appointments API:
 *   GET  /api/v1/certification/offices?commune=&province=        (public)
 *   GET  /api/v1/certification/offices/{code}/slots?from=&to=    (public)
 *   POST /api/v1/certification/appointments  (Idempotency-Key)   book, or hold with {hold: true}
 *   GET  /api/v1/certification/appointments                      mine
 *   GET  /api/v1/certification/appointments/{id}
 *   POST /api/v1/certification/appointments/{id}/confirm|reschedule|cancel
 * and for the office's certifiers and agency admins:
 *   GET  /api/v1/certification/offices/{code}/rules        PUT the same (the whole set)
 *   GET  /api/v1/certification/offices/{code}/appointments?day=
 *   POST /api/v1/certification/offices/{code}/walk-ins
 *   POST /api/v1/certification/appointments/{id}/served | /no-show
 */
import { type Static, Type } from 'typebox';
import { parseInstant } from '../../../platform/clock/index.ts';
import { NotFoundError, ValidationError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import {
  AppointmentView,
  appointmentView,
  ConfirmBody,
  CreateAppointmentBody,
  IdParams,
  OfficerAppointmentView,
  OfficesQuery,
  OfficeView,
  officerAppointmentView,
  officeView,
  RescheduleBody,
  RuleSchema,
  RulesBody,
  SlotItem,
  SlotsQuery,
  slotItem,
  WalkInBody,
} from './appointments.schemas.ts';
import { type AppointmentsService, requestHash } from './appointments.service.ts';

export const API = '/api/v1/certification';
const people = access.account('citizen', 'business', 'organisation');
const officers = access.officer('certifier', 'agency-admin');
const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) });

const instant = (text: string, path: string): Date => {
  const d = parseInstant(text);
  if (!d)
    throw new ValidationError('Thời điểm không hợp lệ / invalid instant', [
      { path, message: 'RFC 3339, e.g. 2026-12-08T08:00:00+07:00' },
    ]);
  return d;
};

export async function appointmentRoutes(app: AppInstance, deps: { service: AppointmentsService }) {
  const { service } = deps;
  const view = (a: Parameters<typeof service.allowedActions>[0]) =>
    appointmentView(a, service.allowedActions(a));

  app.get<{ Querystring: Static<typeof OfficesQuery> }>(
    `${API}/offices`,
    {
      config: { access: access.public },
      schema: {
        summary: 'Cơ quan chứng thực / certifying offices',
        description:
          'Active commune People’s Committees and notary offices, optionally of one commune or province.',
        tags: ['certification'],
        querystring: OfficesQuery,
        response: { 200: Type.Object({ items: Type.Array(OfficeView) }) },
      },
    },
    async (request) => ({
      items: (
        await service.offices({ commune: request.query.commune, province: request.query.province })
      ).map(officeView),
    }),
  );

  app.get<{ Params: { code: string }; Querystring: Static<typeof SlotsQuery> }>(
    `${API}/offices/:code/slots`,
    {
      config: { access: access.public },
      schema: {
        summary: 'Khung giờ còn nhận / bookable slots of an office',
        description:
          'Slots derived from the office’s availability rules and the holiday calendar, from `from` to `to` (Vietnam dates, at most 31 days), none in the past or beyond the 30-day booking horizon, each with its online places left.',
        tags: ['certification'],
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) }),
        querystring: SlotsQuery,
        response: { 200: Type.Object({ office: OfficeView, items: Type.Array(SlotItem) }) },
      },
    },
    async (request) => {
      const r = await service.slots(request.params.code, request.query.from, request.query.to);
      return { office: officeView(r.office), items: r.items.map(slotItem) };
    },
  );

  app.post<{ Body: Static<typeof CreateAppointmentBody> }>(
    `${API}/appointments`,
    {
      config: { access: people },
      schema: {
        summary: 'Đặt lịch chứng thực / book (or hold) a slot',
        description:
          'Takes an online place of the slot: booked at once with a queue number, or with `hold: true` held for 10 minutes until confirmed. Idempotent with the Idempotency-Key header: the same key and body answer the same appointment; the same key with another body is 409. A full slot is 409 "Khung giờ đã hết chỗ".',
        tags: ['certification'],
        headers: Type.Object({ 'idempotency-key': Type.String({ pattern: '^[!-~]{1,255}$' }) }),
        body: CreateAppointmentBody,
        response: { 201: AppointmentView },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const r = await service.book({
        accountId: request.account!.id,
        key: request.headers['idempotency-key'] as string,
        hash: requestHash(b),
        office: b.office,
        start: instant(b.start, 'body.start'),
        documents: b.documents ?? '',
        copies: b.copies,
        hold: b.hold,
      });
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(view(r.appointment));
    },
  );

  app.get(
    `${API}/appointments`,
    {
      config: { access: people },
      schema: {
        summary: 'Lịch hẹn của tôi / my appointments',
        tags: ['certification'],
        response: { 200: Type.Object({ items: Type.Array(AppointmentView) }) },
      },
    },
    async (request) => ({ items: (await service.mine(request.account!.id)).map(view) }),
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    `${API}/appointments/:id`,
    {
      config: { access: people },
      schema: {
        summary: 'Một lịch hẹn / one of my appointments',
        tags: ['certification'],
        params: IdParams,
        response: { 200: AppointmentView },
      },
    },
    async (request) => view(await service.get(request.account!.id, request.params.id)),
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof ConfirmBody> }>(
    `${API}/appointments/:id/confirm`,
    {
      config: { access: people },
      schema: {
        summary: 'Xác nhận lịch đang giữ / confirm a held slot',
        description: 'Idempotent: confirming a booked appointment answers it unchanged.',
        tags: ['certification'],
        params: IdParams,
        body: ConfirmBody,
        response: { 200: AppointmentView },
      },
    },
    async (request) =>
      view(
        await service.confirm(request.account!.id, request.params.id, {
          documents: request.body.documents,
          copies: request.body.copies,
        }),
      ),
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof RescheduleBody> }>(
    `${API}/appointments/:id/reschedule`,
    {
      config: { access: people },
      schema: {
        summary: 'Đổi lịch / move to another slot of the office',
        description:
          'Before the start; takes a place in the new slot (409 when full) and gives the old one back.',
        tags: ['certification'],
        params: IdParams,
        body: RescheduleBody,
        response: { 200: AppointmentView },
      },
    },
    async (request) =>
      view(
        await service.reschedule(
          request.account!.id,
          request.params.id,
          instant(request.body.start, 'body.start'),
        ),
      ),
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    `${API}/appointments/:id/cancel`,
    {
      config: { access: people },
      schema: {
        summary: 'Hủy lịch / cancel',
        description:
          'Before the start; the place is given back. Cancelling again answers the cancelled appointment.',
        tags: ['certification'],
        params: IdParams,
        response: { 200: AppointmentView },
      },
    },
    async (request) => view(await service.cancel(request.account!.id, request.params.id)),
  );

  app.get<{ Params: { code: string } }>(
    `${API}/offices/:code/rules`,
    {
      config: { access: officers },
      schema: {
        summary: 'Quy tắc giờ tiếp nhận / the office’s availability rules',
        tags: ['certification'],
        params: CodeParams,
        response: { 200: Type.Object({ rules: Type.Array(RuleSchema) }) },
      },
    },
    async (request) => {
      if (!(await service.mayManage(request.account!.id, request.params.code)))
        throw new NotFoundError('Không tìm thấy cơ quan chứng thực / certifying office not found');
      return {
        rules: (await service.rules(request.params.code)).map(({ id: _id, ...r }) => r),
      };
    },
  );

  app.put<{ Params: { code: string }; Body: Static<typeof RulesBody> }>(
    `${API}/offices/:code/rules`,
    {
      config: { access: officers },
      schema: {
        summary: 'Công bố quy tắc giờ tiếp nhận / publish the office’s rules (the whole set)',
        description:
          'Replaces all of the office’s rules. Slots already booked keep their bookings; the places of a slot never drop below what is taken.',
        tags: ['certification'],
        params: CodeParams,
        body: RulesBody,
        response: { 200: Type.Object({ rules: Type.Array(RuleSchema) }) },
      },
    },
    async (request) => {
      await service.setRules(request.account!.id, request.params.code, request.body.rules);
      return { rules: (await service.rules(request.params.code)).map(({ id: _id, ...r }) => r) };
    },
  );

  app.get<{ Params: { code: string }; Querystring: { day: string } }>(
    `${API}/offices/:code/appointments`,
    {
      config: { access: officers },
      schema: {
        summary: 'Lịch hẹn trong ngày / the office’s appointments of a day',
        tags: ['certification'],
        params: CodeParams,
        querystring: Type.Object({ day: Type.String({ format: 'date' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(OfficerAppointmentView) }) },
      },
    },
    async (request) => {
      const d = await service.dayList(request.account!.id, request.params.code, request.query.day);
      return { items: d.appointments.map(officerAppointmentView) };
    },
  );

  app.post<{ Params: { code: string }; Body: Static<typeof WalkInBody> }>(
    `${API}/offices/:code/walk-ins`,
    {
      config: { access: officers },
      schema: {
        summary: 'Tiếp nhận người đến trực tiếp / a walk-in: a counter place and a queue number',
        tags: ['certification'],
        params: CodeParams,
        body: WalkInBody,
        response: { 201: OfficerAppointmentView },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const a = await service.walkIn(request.account!.id, request.params.code, {
        name: b.name,
        idNumber: b.idNumber,
        documents: b.documents,
        copies: b.copies,
        start: b.start ? instant(b.start, 'body.start') : undefined,
      });
      return reply.code(201).send(officerAppointmentView(a));
    },
  );

  for (const [slug, action] of [
    ['served', 'serve'],
    ['no-show', 'no-show'],
  ] as const)
    app.post<{ Params: Static<typeof IdParams> }>(
      `${API}/appointments/:id/${slug}`,
      {
        config: { access: officers },
        schema: {
          summary:
            action === 'serve'
              ? 'Đã tiếp nhận / the office served it'
              : 'Không đến / the person did not come (after the start)',
          tags: ['certification'],
          params: IdParams,
          response: { 200: OfficerAppointmentView },
        },
      },
      async (request) =>
        officerAppointmentView(await service.mark(request.account!.id, request.params.id, action)),
    );
}
