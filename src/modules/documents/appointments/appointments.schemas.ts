/** Request and response schemas of the appointments API (TypeBox → OpenAPI 3.1). */
import { type Static, Type } from 'typebox';
import type { Office } from '../offices.repository.ts';
import type { Appointment } from './appointments.repository.ts';
import type { SlotView } from './appointments.service.ts';
import type { AppointmentAction } from './states.ts';

export const OfficeView = Type.Object({
  code: Type.String({ description: 'the agency code of the office' }),
  name: Type.String(),
  kind: Type.Union([Type.Literal('commune'), Type.Literal('notary')]),
  communeCode: Type.Union([Type.String(), Type.Null()]),
  provinceCode: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
});
export type OfficeView = Static<typeof OfficeView>;

export const officeView = (o: Office): OfficeView => ({
  code: o.agencyCode,
  name: o.name,
  kind: o.kind,
  communeCode: o.communeCode,
  provinceCode: o.provinceCode,
  address: o.address,
});

export const OfficesQuery = Type.Object(
  {
    commune: Type.Optional(Type.String({ pattern: '^[0-9]{5}$' })),
    province: Type.Optional(Type.String({ pattern: '^[0-9]{2}$' })),
  },
  { additionalProperties: false },
);

export const SlotsQuery = Type.Object(
  {
    from: Type.String({ format: 'date', description: 'first day, Vietnam date' }),
    to: Type.String({ format: 'date', description: 'last day (inclusive), at most 31 days after from' }),
  },
  { additionalProperties: false },
);

export const SlotItem = Type.Object({
  start: Type.String({ format: 'date-time' }),
  end: Type.String({ format: 'date-time' }),
  day: Type.String({ format: 'date' }),
  onlineCapacity: Type.Integer(),
  onlineRemaining: Type.Integer({ description: 'online places left' }),
});

export const slotItem = (s: SlotView) => ({
  start: s.start.toISOString(),
  end: s.end.toISOString(),
  day: s.day,
  onlineCapacity: s.onlineCapacity,
  onlineRemaining: s.onlineRemaining,
});

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const CreateAppointmentBody = Type.Object(
  {
    office: Type.String({ minLength: 1, maxLength: 40 }),
    start: Type.String({
      format: 'date-time',
      description: 'the slot start, as the slots endpoint answers it',
    }),
    documents: Type.Optional(
      Type.String({ maxLength: 500, description: 'what you will bring (required unless hold)' }),
    ),
    copies: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    hold: Type.Optional(
      Type.Boolean({
        description: 'true: only hold the place for 10 minutes, confirm with POST …/{id}/confirm',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ConfirmBody = Type.Object(
  {
    documents: Type.String({ minLength: 1, maxLength: 500 }),
    copies: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const RescheduleBody = Type.Object(
  { start: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);

export const AppointmentView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  office: Type.String(),
  start: Type.String({ format: 'date-time' }),
  end: Type.String({ format: 'date-time' }),
  day: Type.String({ format: 'date' }),
  status: Type.Union([
    Type.Literal('held'),
    Type.Literal('booked'),
    Type.Literal('served'),
    Type.Literal('cancelled'),
    Type.Literal('expired'),
    Type.Literal('no-show'),
  ]),
  holdExpiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  queueNumber: Type.Union([Type.Integer(), Type.Null()], { description: 'the number in the day’s queue' }),
  documents: Type.String(),
  copies: Type.Union([Type.Integer(), Type.Null()]),
  allowedActions: Type.Array(Type.String()),
});
export type AppointmentView = Static<typeof AppointmentView>;

export const appointmentView = (a: Appointment, allowed: AppointmentAction[]): AppointmentView => ({
  id: a.id,
  office: a.agencyCode,
  start: a.startsAt.toISOString(),
  end: a.endsAt.toISOString(),
  day: a.day,
  status: a.status,
  holdExpiresAt: a.holdExpiresAt ? a.holdExpiresAt.toISOString() : null,
  queueNumber: a.queueNumber,
  documents: a.documents,
  copies: a.copies,
  allowedActions: allowed,
});

export const RuleSchema = Type.Object(
  {
    weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
      minItems: 1,
      maxItems: 7,
      description: 'ISO weekdays, 1 = Monday … 7 = Sunday',
    }),
    startTime: Type.String({ pattern: '^[0-2][0-9]:[0-5][0-9]$', description: 'HH:MM, Vietnam time' }),
    endTime: Type.String({ pattern: '^[0-2][0-9]:[0-5][0-9]$' }),
    slotMinutes: Type.Integer({ minimum: 5, maximum: 240 }),
    onlineCapacity: Type.Integer({ minimum: 0, maximum: 500 }),
    counterCapacity: Type.Integer({ minimum: 0, maximum: 500 }),
    validFrom: Type.String({ format: 'date' }),
    validTo: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  },
  { additionalProperties: false },
);

export const RulesBody = Type.Object(
  { rules: Type.Array(RuleSchema, { maxItems: 20 }) },
  { additionalProperties: false },
);

export const OfficerAppointmentView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  start: Type.String({ format: 'date-time' }),
  channel: Type.Union([Type.Literal('online'), Type.Literal('counter')]),
  status: Type.String(),
  queueNumber: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.String(),
  idNumber: Type.Union([Type.String(), Type.Null()]),
  documents: Type.String(),
  copies: Type.Union([Type.Integer(), Type.Null()]),
});

export const officerAppointmentView = (a: Appointment) => ({
  id: a.id,
  start: a.startsAt.toISOString(),
  channel: a.channel,
  status: a.status,
  queueNumber: a.queueNumber,
  name: a.name,
  idNumber: a.idNumber,
  documents: a.documents,
  copies: a.copies,
});

export const WalkInBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    idNumber: Type.Optional(Type.String({ pattern: '^[0-9]{9,12}$' })),
    documents: Type.String({ maxLength: 500 }),
    copies: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    start: Type.Optional(
      Type.String({ format: 'date-time', description: 'default: the slot under way, else the next' }),
    ),
  },
  { additionalProperties: false },
);
