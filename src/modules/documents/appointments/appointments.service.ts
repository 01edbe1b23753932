/**
 * Appointments at certifying offices: slots, holds, bookings, rescheduling, cancellation, the counter's
 * walk-ins and the day's queue, the offices' availability rules, reminders. Each change is one
 * transaction: the place taken or given back (the database enforces capacity, see
 * appointments.repository.ts `takePlace`), the appointment at its expected revision, the queue number,
 * the notification (outbox) and, for officers' acts, the audit row.
 */
import { createHash } from 'node:crypto';
import { appendAudit } from '../../../platform/audit/index.ts';
import type { WorkingCalendar } from '../../../platform/calendar/index.ts';
import {
  addDays,
  type Clock,
  isIsoDate,
  vietnamDate,
  vietnamDateTime,
  vietnamWhen,
} from '../../../platform/clock/index.ts';
import type { AnyDb, AnyTransaction } from '../../../platform/db/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../platform/errors/index.ts';
import { notifyAccount } from '../../notifications/index.ts';
import { getOffice, listOffices, type Office } from '../offices.repository.ts';
import {
  type Appointment,
  appointmentsOf,
  appointmentsOfDay,
  dueReminders,
  expireHolds,
  findAppointment,
  findByKey,
  findByQueueNumber,
  insertAppointment,
  listRules,
  lockAppointment,
  lockCounters,
  nextQueueNumber,
  placesTaken,
  releasePlaces,
  replaceRules,
  takePlace,
  updateAppointment,
} from './appointments.repository.ts';
import {
  type AvailabilityRule,
  BOOKING_HORIZON_DAYS,
  deriveSlots,
  findSlot,
  MAX_RANGE_DAYS,
  ruleProblems,
  type Slot,
  slotsOfDay,
  vietnamInstant,
} from './slots.ts';
import { type AppointmentAction, allowedActions, decide } from './states.ts';

export type OfficeRole = 'certifier' | 'agency-admin';

/** A person as the identity module knows them: who comes, and where to tell them. */
export interface Person {
  name: string;
  idNumber: string | null;
  phone: string | null;
  email: string | null;
}

export interface AppointmentsServiceDeps {
  db: AnyDb;
  clock: Clock;
  publicUrl: string;
  /** The holiday calendar (calendar module: `calendar.service.calendarFor()`). */
  calendar(): Promise<WorkingCalendar>;
  officers: {
    can(accountId: string, role: OfficeRole, agencyCode: string): Promise<boolean>;
    agenciesWhere(accountId: string, role: OfficeRole): Promise<string[]>;
  };
  personOf(accountId: string): Promise<Person | undefined>;
  /** How long a hold keeps its place (default 10 minutes). */
  holdMinutes?: number;
  horizonDays?: number;
  /** Online booking closes this many minutes before a slot starts (default 0). */
  leadMinutes?: number;
}

export interface SlotView {
  start: Date;
  end: Date;
  day: string;
  onlineCapacity: number;
  onlineRemaining: number;
  counterCapacity: number;
  counterRemaining: number;
}

/** What the certification counter needs of the appointment it serves. */
export interface CounterAppointment {
  id: string;
  agencyCode: string;
  accountId: string | null;
  name: string;
  idNumber: string | null;
  documents: string;
  copies: number | null;
  startsAt: Date;
  queueNumber: number | null;
  status: Appointment['status'];
}

export const FULL_MESSAGE = 'Khung giờ đã hết chỗ / this slot is fully booked';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const requestHash = (body: unknown): string =>
  createHash('sha256').update(JSON.stringify(body)).digest('hex');

const notFound = () => new NotFoundError('Không tìm thấy lịch hẹn / appointment not found');
const officeNotFound = () =>
  new NotFoundError('Không tìm thấy cơ quan chứng thực / certifying office not found');

export type AppointmentsService = ReturnType<typeof createAppointmentsService>;

export function createAppointmentsService(deps: AppointmentsServiceDeps) {
  const { db, clock } = deps;
  const holdMinutes = deps.holdMinutes ?? 10;
  const horizonDays = deps.horizonDays ?? BOOKING_HORIZON_DAYS;
  const leadMinutes = deps.leadMinutes ?? 0;
  const link = (id: string) => `${deps.publicUrl}/tai-khoan/lich-hen/${id}`;

  async function activeOffice(code: string): Promise<Office> {
    const o = await getOffice(db, code);
    if (!o?.active) throw officeNotFound();
    return o;
  }

  async function slotAt(office: string, start: Date, now: Date): Promise<Slot> {
    const slot = findSlot({
      rules: await listRules(db, office),
      calendar: await deps.calendar(),
      start,
      now,
      horizonDays,
      leadMinutes,
    });
    if (!slot)
      throw new ValidationError(
        'Không có khung giờ nhận hồ sơ này (ngoài giờ làm việc, ngày nghỉ, đã qua hoặc quá xa) / no such slot to book',
        [{ path: 'start', message: 'Không phải khung giờ có thể đặt / not a bookable slot' }],
      );
    return slot;
  }

  function conflict(a: Appointment, action: AppointmentAction, now: Date): never {
    const d = decide(a, action, now);
    if (d.ok) throw new Error('conflict() called for an allowed action');
    throw new ConflictError(`${d.reason.vi} / ${d.reason.en}`, {
      state: a.status,
      allowedActions: d.allowed,
    });
  }

  async function tell(
    trx: AnyDb,
    a: Appointment,
    template: string,
    person: Person | undefined,
    office: Office,
    extra: Record<string, string> = {},
  ) {
    if (!a.accountId) return;
    await notifyAccount(trx, {
      accountId: a.accountId,
      template,
      params: {
        office: office.name,
        address: office.address ?? '',
        when: vietnamWhen(a.startsAt),
        queue: a.queueNumber === null ? '' : String(a.queueNumber),
        documents: a.documents,
        link: link(a.id),
        ...extra,
      },
      sms: person?.phone ?? null,
      email: person?.email ?? null,
      dedupeKey: `appointment:${a.id}:${template}:${a.revision}`,
    });
  }

  /** Runs a change of one appointment at its revision; a concurrent change answers 409. */
  async function change(
    trx: AnyDb,
    a: Appointment,
    fields: Parameters<typeof updateAppointment>[3],
    now: Date,
  ): Promise<Appointment> {
    const out = await updateAppointment(trx, a.id, a.revision, fields, now);
    if (!out)
      throw new ConflictError('Lịch hẹn vừa được thay đổi, hãy tải lại / changed meanwhile, reload', {
        state: a.status,
      });
    return out;
  }

  async function ownLocked(trx: AnyDb, accountId: string, id: string): Promise<Appointment> {
    if (!UUID.test(id)) throw notFound();
    const a = await lockAppointment(trx, id);
    if (!a || a.accountId !== accountId || a.channel !== 'online') throw notFound();
    return a;
  }

  const isUnique = (e: unknown, constraint?: string) =>
    (e as { code?: unknown }).code === '23505' &&
    (constraint === undefined ||
      String((e as { constraint?: unknown }).constraint ?? (e as Error).message).includes(constraint));

  const service = {
    holdMinutes,
    horizonDays,
    now: () => clock.now(),

    offices: (filter: { commune?: string | undefined; province?: string | undefined }) =>
      listOffices(db, filter),

    office: activeOffice,

    rules: (agencyCode: string) => listRules(db, agencyCode),

    /** Bookable slots of an office between two Vietnam dates (inclusive), with the places left. */
    async slots(code: string, from: string, to: string): Promise<{ office: Office; items: SlotView[] }> {
      const problems: Array<{ path: string; message: string }> = [];
      if (!isIsoDate(from)) problems.push({ path: 'from', message: 'Ngày dạng YYYY-MM-DD / a date' });
      if (!isIsoDate(to)) problems.push({ path: 'to', message: 'Ngày dạng YYYY-MM-DD / a date' });
      if (problems.length === 0 && to < from)
        problems.push({ path: 'to', message: 'Không trước ngày bắt đầu / not before from' });
      if (problems.length === 0 && to > addDays(from, MAX_RANGE_DAYS - 1))
        problems.push({
          path: 'to',
          message: `Tối đa ${MAX_RANGE_DAYS} ngày mỗi lần / at most ${MAX_RANGE_DAYS} days`,
        });
      if (problems.length > 0)
        throw new ValidationError('Khoảng ngày không hợp lệ / invalid date range', problems);
      const office = await activeOffice(code);
      const now = clock.now();
      const slots = deriveSlots({
        rules: await listRules(db, code),
        calendar: await deps.calendar(),
        from,
        to,
        now,
        horizonDays,
        leadMinutes,
      });
      if (slots.length === 0) return { office, items: [] };
      const taken = await placesTaken(
        db,
        code,
        slots[0]!.start,
        new Date(slots[slots.length - 1]!.start.getTime() + 1),
        now,
      );
      return {
        office,
        items: slots.map((s) => {
          const t = taken.get(s.start.getTime()) ?? { online: 0, counter: 0 };
          return {
            ...s,
            onlineRemaining: Math.max(0, s.onlineCapacity - t.online),
            counterRemaining: Math.max(0, s.counterCapacity - t.counter),
          };
        }),
      };
    },

    /**
     * Books (or, with `hold`, holds for `holdMinutes`) an online place. Idempotent per (account, key):
     * the same key and body answer the same appointment (`replayed`); the same key with another body is
     * 409. The last place goes to exactly one of any number of concurrent requests; the others get 409
     * "Khung giờ đã hết chỗ".
     */
    async book(input: {
      accountId: string;
      key: string;
      office: string;
      start: Date;
      documents: string;
      copies?: number | undefined;
      hold?: boolean | undefined;
      hash: string;
    }): Promise<{ appointment: Appointment; replayed: boolean }> {
      const replay = async () => {
        const seen = await findByKey(db, input.accountId, input.key);
        if (!seen) return undefined;
        if (seen.requestHash !== input.hash)
          throw new ConflictError(
            'Idempotency-Key này đã dùng cho yêu cầu khác / this key was used for another request',
            { state: 'key-reused' },
          );
        return { appointment: seen, replayed: true };
      };
      const before = await replay();
      if (before) return before;
      const now = clock.now();
      const office = await activeOffice(input.office);
      const slot = await slotAt(office.agencyCode, input.start, now);
      const documents = input.documents.trim();
      if (!input.hold && documents.length === 0)
        throw new ValidationError('Hãy cho biết giấy tờ cần chứng thực / say what you will bring', [
          { path: 'documents', message: 'Bắt buộc / required' },
        ]);
      const person = await deps.personOf(input.accountId);
      if (!person) throw new NotFoundError('Không tìm thấy tài khoản / account not found');
      try {
        return await db.transaction().execute(async (trx) => {
          await expireHolds(trx, now, { agencyCode: office.agencyCode, startsAt: slot.start });
          const took = await takePlace(trx, 'online', office.agencyCode, slot.start, {
            online: slot.onlineCapacity,
            counter: slot.counterCapacity,
          });
          if (!took) throw new ConflictError(FULL_MESSAGE, { state: 'full' });
          const booked = !input.hold;
          const a = await insertAppointment(trx, {
            agencyCode: office.agencyCode,
            startsAt: slot.start,
            endsAt: slot.end,
            day: slot.day,
            channel: 'online',
            accountId: input.accountId,
            name: person.name,
            idNumber: person.idNumber,
            documents,
            copies: input.copies ?? null,
            status: booked ? 'booked' : 'held',
            holdExpiresAt: booked ? null : new Date(now.getTime() + holdMinutes * 60_000),
            queueNumber: booked ? await nextQueueNumber(trx, office.agencyCode, slot.day) : null,
            idempotencyKey: input.key,
            requestHash: input.hash,
            now,
          });
          if (booked) await tell(trx, a, 'appointment.booked', person, office);
          return { appointment: a, replayed: false };
        });
      } catch (e) {
        if (isUnique(e, 'appointments_key_uq')) {
          const again = await replay();
          if (again) return again;
        }
        if (isUnique(e, 'appointments_one_per_slot_uq'))
          throw new ConflictError(
            'Bạn đã có lịch hẹn trong khung giờ này / you already have an appointment in this slot',
            { state: 'duplicate' },
          );
        throw e;
      }
    },

    /** A hold becomes a booking: what the person brings, and a queue number. */
    async confirm(
      accountId: string,
      id: string,
      input: { documents: string; copies?: number | undefined },
    ): Promise<Appointment> {
      const documents = input.documents.trim();
      if (documents.length === 0)
        throw new ValidationError('Hãy cho biết giấy tờ cần chứng thực / say what you will bring', [
          { path: 'documents', message: 'Bắt buộc / required' },
        ]);
      // Everything read before the transaction: on PGlite the connection is the transaction's.
      const office = await activeOffice((await service.get(accountId, id)).agencyCode);
      const person = await deps.personOf(accountId);
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const a = await ownLocked(trx, accountId, id);
        if (a.status === 'booked') return a;
        if (!decide(a, 'confirm', now).ok) conflict(a, 'confirm', now);
        const out = await change(
          trx,
          a,
          {
            status: 'booked',
            holdExpiresAt: null,
            documents,
            copies: input.copies ?? a.copies,
            queueNumber: await nextQueueNumber(trx, a.agencyCode, a.day),
          },
          now,
        );
        await tell(trx, out, 'appointment.booked', person, office);
        return out;
      });
    },

    /** Moves a held or booked appointment to another slot of the same office (before it starts). */
    async reschedule(accountId: string, id: string, start: Date): Promise<Appointment> {
      const office = await activeOffice((await service.get(accountId, id)).agencyCode);
      const slot = await slotAt(office.agencyCode, start, clock.now());
      const person = await deps.personOf(accountId);
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const a = await ownLocked(trx, accountId, id);
        if (!decide(a, 'reschedule', now).ok) conflict(a, 'reschedule', now);
        if (a.startsAt.getTime() === start.getTime()) return a;
        // Appointment rows before counters, as booking does; the two counters in order of time.
        await expireHolds(trx, now, { agencyCode: a.agencyCode, startsAt: slot.start });
        await lockCounters(trx, a.agencyCode, [a.startsAt, slot.start]);
        const took = await takePlace(trx, 'online', a.agencyCode, slot.start, {
          online: slot.onlineCapacity,
          counter: slot.counterCapacity,
        });
        if (!took) throw new ConflictError(FULL_MESSAGE, { state: 'full' });
        await releasePlaces(trx, 'online', a.agencyCode, a.startsAt);
        const out = await change(
          trx,
          a,
          {
            startsAt: slot.start,
            endsAt: slot.end,
            day: slot.day,
            ...(a.status === 'booked' && slot.day !== a.day
              ? { queueNumber: await nextQueueNumber(trx, a.agencyCode, slot.day) }
              : {}),
            remindedAt: null,
          },
          now,
        ).catch((e) => {
          if (isUnique(e, 'appointments_one_per_slot_uq'))
            throw new ConflictError(
              'Bạn đã có lịch hẹn trong khung giờ này / you already have an appointment in this slot',
              { state: 'duplicate' },
            );
          throw e;
        });
        if (out.status === 'booked')
          await tell(trx, out, 'appointment.rescheduled', person, office, {
            before: vietnamWhen(a.startsAt),
          });
        return out;
      });
    },

    /** Cancels a held or booked appointment before it starts; its place is given back. */
    async cancel(accountId: string, id: string): Promise<Appointment> {
      const office = await getOffice(db, (await service.get(accountId, id)).agencyCode);
      const person = await deps.personOf(accountId);
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const a = await ownLocked(trx, accountId, id);
        if (a.status === 'cancelled') return a;
        if (!decide(a, 'cancel', now).ok) conflict(a, 'cancel', now);
        await releasePlaces(trx, 'online', a.agencyCode, a.startsAt);
        const out = await change(trx, a, { status: 'cancelled', holdExpiresAt: null }, now);
        if (a.status === 'booked' && office) await tell(trx, out, 'appointment.cancelled', person, office);
        return out;
      });
    },

    mine: (accountId: string) => appointmentsOf(db, accountId, clock.now()),

    async get(accountId: string, id: string): Promise<Appointment> {
      if (!UUID.test(id)) throw notFound();
      const a = await findAppointment(db, id);
      if (!a || a.accountId !== accountId || a.channel !== 'online') throw notFound();
      return a;
    },

    allowedActions: (a: Appointment) => allowedActions(a, clock.now()),

    // ── Officers ────────────────────────────────────────────────────────────────────────────────

    /** The active offices where the officer is a certifier or the agency's administrator. */
    async officesOf(accountId: string): Promise<Office[]> {
      const codes = new Set([
        ...(await deps.officers.agenciesWhere(accountId, 'certifier')),
        ...(await deps.officers.agenciesWhere(accountId, 'agency-admin')),
      ]);
      const out: Office[] = [];
      for (const code of [...codes].sort()) {
        const o = await getOffice(db, code);
        if (o?.active) out.push(o);
      }
      return out;
    },

    async mayManage(accountId: string, agencyCode: string): Promise<boolean> {
      return (
        (await deps.officers.can(accountId, 'certifier', agencyCode)) ||
        (await deps.officers.can(accountId, 'agency-admin', agencyCode))
      );
    },

    async dayList(officerId: string, agencyCode: string, day: string) {
      if (!isIsoDate(day))
        throw new ValidationError('Ngày dạng YYYY-MM-DD / a date', [{ path: 'day', message: 'YYYY-MM-DD' }]);
      if (!(await service.mayManage(officerId, agencyCode))) throw officeNotFound();
      const office = await activeOffice(agencyCode);
      const slots = slotsOfDay(await listRules(db, agencyCode), day);
      const taken = await placesTaken(db, agencyCode, vietnamInstant(day, 0), vietnamInstant(day, 24 * 60));
      return {
        office,
        appointments: await appointmentsOfDay(db, agencyCode, day),
        slots: slots.map((s) => {
          const t = taken.get(s.start.getTime()) ?? { online: 0, counter: 0 };
          return { ...s, onlineTaken: t.online, counterTaken: t.counter };
        }),
      };
    },

    /**
     * A person who came without an appointment: a counter place in the given slot of today (default:
     * the slot under way, else the next one) and a queue number.
     */
    async walkIn(
      officerId: string,
      agencyCode: string,
      input: {
        name: string;
        idNumber?: string | undefined;
        accountId?: string | undefined;
        documents: string;
        copies?: number | undefined;
        start?: Date | undefined;
      },
    ): Promise<Appointment> {
      if (!(await service.mayManage(officerId, agencyCode))) throw officeNotFound();
      const problems: Array<{ path: string; message: string }> = [];
      const name = input.name.trim();
      if (name.length === 0 || name.length > 200)
        problems.push({ path: 'name', message: 'Bắt buộc / required' });
      if (input.idNumber && !/^[0-9]{9,12}$/.test(input.idNumber))
        problems.push({ path: 'idNumber', message: '9 đến 12 chữ số / 9–12 digits' });
      if (problems.length) throw new ValidationError('Thông tin chưa hợp lệ / invalid input', problems);
      const office = await activeOffice(agencyCode);
      const now = clock.now();
      const today = vietnamDate(now);
      const closed = (await deps.calendar())
        .holidays(Number(today.slice(0, 4)))
        .some((h) => h.date === today);
      const slots = closed ? [] : slotsOfDay(await listRules(db, agencyCode), today);
      const slot = input.start
        ? slots.find((s) => s.start.getTime() === input.start!.getTime())
        : (slots.find((s) => s.start <= now && now < s.end) ?? slots.find((s) => s.start > now));
      if (!slot)
        throw new ValidationError('Hôm nay không còn khung giờ tiếp nhận / no slot left today', [
          { path: 'start', message: 'Không có khung giờ / no slot' },
        ]);
      return db.transaction().execute(async (trx) => {
        const took = await takePlace(trx, 'counter', agencyCode, slot.start, {
          online: slot.onlineCapacity,
          counter: slot.counterCapacity,
        });
        if (!took) throw new ConflictError(FULL_MESSAGE, { state: 'full' });
        const a = await insertAppointment(trx, {
          agencyCode,
          startsAt: slot.start,
          endsAt: slot.end,
          day: slot.day,
          channel: 'counter',
          accountId: input.accountId ?? null,
          name,
          idNumber: input.idNumber || null,
          documents: input.documents.trim().slice(0, 500),
          copies: input.copies ?? null,
          status: 'booked',
          holdExpiresAt: null,
          queueNumber: await nextQueueNumber(trx, agencyCode, slot.day),
          idempotencyKey: null,
          requestHash: null,
          now,
        });
        await appendAudit(
          trx as AnyTransaction,
          {
            actor: `officer:${officerId}`,
            action: 'appointment.walk-in',
            subject: `appointment:${a.id}`,
            data: { office: office.agencyCode, start: slot.start.toISOString(), queue: a.queueNumber },
          },
          now,
        );
        return a;
      });
    },

    /** The officer marks an appointment served (without a certification) or not come. */
    async mark(officerId: string, id: string, action: 'serve' | 'no-show'): Promise<Appointment> {
      const seen = UUID.test(id) ? await findAppointment(db, id) : undefined;
      if (!seen || !(await service.mayManage(officerId, seen.agencyCode))) throw notFound();
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const a = await lockAppointment(trx, id);
        if (!a || a.agencyCode !== seen.agencyCode) throw notFound();
        const d = decide(a, action, now);
        if (!d.ok) conflict(a, action, now);
        const out = await change(trx, a, { status: d.to }, now);
        await appendAudit(
          trx as AnyTransaction,
          {
            actor: `officer:${officerId}`,
            action: action === 'serve' ? 'appointment.served' : 'appointment.no-show',
            subject: `appointment:${a.id}`,
            data: { office: a.agencyCode },
          },
          now,
        );
        return out;
      });
    },

    /** The certification counter: the booking it certifies from, by id or by the day's queue number. */
    async appointmentForCounter(
      agencyCode: string,
      idOrQueueNumber: string,
      day: string,
    ): Promise<CounterAppointment | undefined> {
      const key = idOrQueueNumber.trim();
      const a = UUID.test(key)
        ? await findAppointment(db, key)
        : /^[0-9]{1,6}$/.test(key) && isIsoDate(day)
          ? await findByQueueNumber(db, agencyCode, day, Number(key))
          : undefined;
      if (!a || a.agencyCode !== agencyCode) return undefined;
      return {
        id: a.id,
        agencyCode: a.agencyCode,
        accountId: a.accountId,
        name: a.name,
        idNumber: a.idNumber,
        documents: a.documents,
        copies: a.copies,
        startsAt: a.startsAt,
        queueNumber: a.queueNumber,
        status: a.status,
      };
    },

    /**
     * The same for a certifier who gives only the appointment's id (the counter's form): undefined unless
     * the officer may work at its office.
     */
    async appointmentForOfficer(officerId: string, id: string): Promise<CounterAppointment | undefined> {
      const a = UUID.test(id) ? await findAppointment(db, id) : undefined;
      if (!a || !(await service.mayManage(officerId, a.agencyCode))) return undefined;
      return service.appointmentForCounter(a.agencyCode, a.id, a.day);
    },

    /**
     * The certification counter served the appointment with a certification (in its own transaction, or
     * in `trx` when given). Idempotent: the same certification again changes nothing.
     */
    async markServed(id: string, certificationId: string, trx?: AnyDb): Promise<void> {
      const run = async (t: AnyDb) => {
        const now = clock.now();
        const a = UUID.test(id) ? await lockAppointment(t, id) : undefined;
        if (!a) throw notFound();
        if (a.status === 'served' && a.certificationId === certificationId) return;
        if (a.status === 'served' && a.certificationId === null) {
          await change(t, a, { certificationId }, now);
          return;
        }
        if (!decide(a, 'serve', now).ok) conflict(a, 'serve', now);
        await change(t, a, { status: 'served', certificationId }, now);
      };
      if (trx) await run(trx);
      else await db.transaction().execute(run);
    },

    /** Publishes the office's whole set of rules (certifier or agency admin). */
    async setRules(officerId: string, agencyCode: string, rules: AvailabilityRule[]): Promise<void> {
      if (!(await service.mayManage(officerId, agencyCode))) throw officeNotFound();
      await activeOffice(agencyCode);
      if (rules.length > 20)
        throw new ValidationError('Tối đa 20 quy tắc / at most 20 rules', [
          { path: 'rules', message: '≤ 20' },
        ]);
      const problems = rules.flatMap((r, i) =>
        ruleProblems(r).map((p) => ({ path: `rules.${i}.${p.path}`, message: p.message })),
      );
      for (const [i, r] of rules.entries())
        for (const [k, v] of [
          ['validFrom', r.validFrom],
          ['validTo', r.validTo],
        ] as const)
          if (v !== null && !isIsoDate(v))
            problems.push({ path: `rules.${i}.${k}`, message: 'Ngày dạng YYYY-MM-DD / a date' });
      if (problems.length) throw new ValidationError('Quy tắc chưa hợp lệ / invalid rules', problems);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await replaceRules(trx, agencyCode, rules, officerId);
        await appendAudit(
          trx as AnyTransaction,
          {
            actor: `officer:${officerId}`,
            action: 'appointment.rules-set',
            subject: `office:${agencyCode}`,
            data: { rules },
          },
          now,
        );
      });
    },

    // ── Jobs ────────────────────────────────────────────────────────────────────────────────────

    /** Lapses holds past their expiry, giving their places back. */
    async expireHolds(now = clock.now()): Promise<number> {
      return (await db.transaction().execute((trx) => expireHolds(trx, now))).length;
    },

    /** Reminds everyone booked for tomorrow (Vietnam date), once each, from 7:00 (not in the night). */
    async sendReminders(now = clock.now()): Promise<number> {
      if (Number(vietnamDateTime(now).slice(11, 13)) < 7) return 0;
      const tomorrow = addDays(vietnamDate(now), 1);
      const due = await dueReminders(db, vietnamInstant(tomorrow, 0), vietnamInstant(tomorrow, 24 * 60));
      let sent = 0;
      for (const a of due) {
        const person = a.accountId ? await deps.personOf(a.accountId) : undefined;
        const office = await getOffice(db, a.agencyCode);
        if (!office) continue;
        await db.transaction().execute(async (trx) => {
          const out = await updateAppointment(trx, a.id, a.revision, { remindedAt: now }, now);
          if (!out) return;
          await tell(trx, out, 'appointment.reminder', person, office);
          sent++;
        });
      }
      return sent;
    },
  };
  return service;
}
