/**
 * Traffic fines (issue 17; the payments contract, "Traffic fines"): the police's system registers its
 * penalty decisions; anyone finds one by its number and the violator's ID number or the plate, sees what is
 * due today (the surcharge of fines.ts after the 10 days), and pays it; once paid the police's system is
 * told (fines.effect.ts).
 *
 * The surcharge depends on the payment date. A bill carries the surcharge of the Vietnam day it is made on
 * and is valid until that day ends (bills.ts); asked for again the next day, a bill not yet started is
 * replaced by one with the new surcharge. A bill started before midnight and paid after it keeps the
 * amount the payer was shown (the bank has that amount); the notice to the police says which surcharge
 * was collected.
 */
import { createHash } from 'node:crypto';
import { appendAudit } from '../../../platform/audit/index.ts';
import { type Clock, vietnamDate } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../../platform/errors/index.ts';
import { type FineDue, fineSurcharge } from '../domain/fines.ts';
import type { NewPayment } from '../payments.repository.ts';
import type { PaymentsService } from '../payments.service.ts';
import { cancelStaleBill, endOfVietnamDay } from './bills.ts';
import {
  type FineRow,
  fineByKeys,
  insertFine,
  numberKey,
  paidPaymentOf,
  toFine,
} from './fines.repository.ts';
import { maskName } from './mask-name.ts';

/** The body of PUT /api/v1/fines/{decisionNumber} (the contract's JSON). */
export interface FineRegistration {
  decidedOn: string;
  violator: { name: string; idNumber: string };
  plate: string;
  violation: string;
  place: string;
  violatedAt: string;
  amount: number;
  agency: { code: string; name: string };
  treasury: { account: string; bankBin: string; name: string };
}

export interface RegisteringClient {
  clientId: string;
  agencyCodes: readonly string[];
}

/** What a lookup shows: no ID number, the name masked. */
export interface FineView {
  decisionNumber: string;
  decidedOn: string;
  violatorName: string;
  plate: string;
  violation: string;
  place: string;
  violatedAt: string;
  agency: { code: string; name: string };
  amount: number;
  deadline: string;
  asOf: string;
  lateDays: number;
  surcharge: number;
  total: number;
  paid: null | { reference: string; paidAt: string; amount: number };
}

export type FineKey = { idNumber: string } | { plate: string };

/** A decision number like 1234/QĐ-XPHC (the police's own numbering; letters of the unit after QĐ-). */
export const DECISION_NUMBER = /^[0-9]{1,10}\/QĐ-[A-ZĐ0-9]{2,15}$/u;

/** Canonical JSON (keys sorted), for the content hash. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

const nfc = (s: string) => s.normalize('NFC').trim();
const invalid = (path: string, vi: string, en: string) =>
  new ValidationError(`${vi} / ${en}`, [{ path, message: `${vi} / ${en}` }]);

export function createFinesService(deps: {
  db: AnyDb;
  clock: Clock;
  payments: Pick<PaymentsService, 'cancel'>;
  /** The agency and its ancestors, nearest first (agencies module). */
  lineageOf(agencyCode: string): Promise<string[]>;
}) {
  const { db, clock } = deps;

  function due(row: FineRow, today: string): FineDue {
    return fineSurcharge({ amount: Number(row.amount), decidedOn: toFine(row).decidedOn, paidOn: today });
  }

  async function view(row: FineRow): Promise<FineView> {
    const f = toFine(row);
    const today = vietnamDate(clock.now());
    const paid = await paidPaymentOf(db, f.decisionNumber);
    const d = due(row, [today, f.decidedOn].sort()[1]!);
    return {
      decisionNumber: f.decisionNumber,
      decidedOn: f.decidedOn,
      violatorName: maskName(f.violator.name),
      plate: f.plate,
      violation: f.violation,
      place: f.place,
      violatedAt: f.violatedAt.toISOString(),
      agency: f.agency,
      amount: f.amount,
      deadline: d.deadline,
      asOf: today,
      // Once paid: what was collected (the surcharge of the day of the bill).
      lateDays: d.lateDays,
      surcharge: paid ? Number(paid.amount) - f.amount : d.surcharge,
      total: paid ? Number(paid.amount) : d.total,
      paid: paid
        ? { reference: paid.reference, paidAt: paid.succeeded_at.toISOString(), amount: Number(paid.amount) }
        : null,
    };
  }

  return {
    /**
     * The police's system registers a decision: 201 new, 200 the same again, 409 another content for a
     * number already registered (by anyone), 403 an agency the client does not act for.
     */
    async register(
      client: RegisteringClient,
      decisionNumber: string,
      body: FineRegistration,
    ): Promise<{ created: boolean; decisionNumber: string }> {
      const number = nfc(decisionNumber);
      if (!DECISION_NUMBER.test(number))
        throw invalid(
          'params.decisionNumber',
          'Số quyết định có dạng 1234/QĐ-XPHC',
          'the decision number looks like 1234/QĐ-XPHC',
        );
      const violatedAt = new Date(body.violatedAt);
      if (Number.isNaN(violatedAt.getTime()))
        throw invalid('body.violatedAt', 'Thời điểm vi phạm không hợp lệ', 'violatedAt is not a date-time');
      // Validates the decision date (a real date) and the amount on the way.
      fineSurcharge({ amount: body.amount, decidedOn: body.decidedOn, paidOn: body.decidedOn });
      const found = await deps.lineageOf(body.agency.code).catch(() => []);
      const lineage = found.length > 0 ? found : [body.agency.code];
      if (!lineage.some((a) => client.agencyCodes.includes(a)))
        throw new ForbiddenError(
          `Hệ thống này không được đăng ký quyết định của đơn vị ${body.agency.code} / this client does not act for ${body.agency.code}`,
        );
      const fields = {
        decidedOn: body.decidedOn,
        violator: { name: nfc(body.violator.name), idNumber: body.violator.idNumber },
        plate: nfc(body.plate).toUpperCase(),
        violation: nfc(body.violation),
        place: nfc(body.place),
        violatedAt: violatedAt.toISOString(),
        amount: body.amount,
        agency: { code: body.agency.code, name: nfc(body.agency.name) },
        treasury: {
          account: body.treasury.account,
          bankBin: body.treasury.bankBin,
          name: nfc(body.treasury.name),
        },
      };
      const contentHash = createHash('sha256')
        .update(canonical({ decisionNumber: numberKey(number), ...fields }))
        .digest('hex');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const { row, created } = await insertFine(trx, {
          ...fields,
          decisionNumber: number,
          violatedAt,
          contentHash,
          registeredBy: client.clientId,
        });
        if (!created) {
          if (row.content_hash !== contentHash || row.registered_by !== client.clientId)
            throw new ConflictError(
              `Quyết định ${row.decision_number} đã được đăng ký với nội dung khác / decision already registered with other contents`,
              { state: 'registered-differently' },
            );
          return { created: false, decisionNumber: row.decision_number };
        }
        await appendAudit(
          trx,
          {
            actor: `client:${client.clientId}`,
            action: 'fine.registered',
            subject: `fine:${number}`,
            data: { amount: body.amount, decidedOn: body.decidedOn, agency: body.agency.code },
          },
          now,
        );
        return { created: true, decisionNumber: number };
      });
    },

    /** A decision for anyone holding its number and the ID number or plate; 404 alike otherwise. */
    async lookup(decisionNumber: string, key: FineKey): Promise<FineView> {
      const row = await fineByKeys(db, decisionNumber, key);
      if (!row)
        throw new NotFoundError(
          'Không tìm thấy quyết định xử phạt với số quyết định và thông tin đã nhập / no decision matches what was entered',
        );
      return view(row);
    },

    /** The bill of a decision as of today (bill source `fine`). */
    async bill(decisionNumber: string, key: FineKey): Promise<NewPayment> {
      const row = await fineByKeys(db, decisionNumber, key);
      if (!row)
        throw new NotFoundError(
          'Không tìm thấy quyết định xử phạt với số quyết định và thông tin đã nhập / no decision matches what was entered',
        );
      const f = toFine(row);
      const now = clock.now();
      const today = vietnamDate(now);
      const d = due(row, [today, f.decidedOn].sort()[1]!);
      const lines: NewPayment['lines'] = [
        {
          kind: 'fine',
          code: f.decisionNumber,
          name: `Tiền phạt theo quyết định ${f.decisionNumber} / fine`,
          amount: f.amount,
        },
      ];
      if (d.surcharge > 0)
        lines.push({
          kind: 'surcharge',
          code: f.decisionNumber,
          name: `Tiền chậm nộp phạt ${d.lateDays} ngày (0,05 %/ngày) / late surcharge, ${d.lateDays} days`,
          amount: d.surcharge,
        });
      const billKey = `fine:${f.decisionNumber}`;
      await cancelStaleBill(db, deps.payments, billKey, d.total);
      return {
        kind: 'fine',
        subject: f.decisionNumber,
        billKey,
        lines,
        description: `Nộp phạt vi phạm giao thông, quyết định ${f.decisionNumber}`,
        payeeAgency: f.agency.code,
        payer: { name: f.violator.name, idNumber: f.violator.idNumber },
        details: {
          decidedOn: f.decidedOn,
          deadline: d.deadline,
          asOf: today,
          lateDays: d.lateDays,
          amount: f.amount,
          surcharge: d.surcharge,
          plate: f.plate,
          treasury: f.treasury,
        },
        expiresAt: endOfVietnamDay(now),
      };
    },
  };
}

export type FinesService = ReturnType<typeof createFinesService>;
