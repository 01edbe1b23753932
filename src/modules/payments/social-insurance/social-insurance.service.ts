/**
 * Voluntary social insurance (issue 17; the payments contract, "Voluntary social insurance"): the
 * participant's registered plan comes from VSS by their 10-digit code; the amount from the chosen income
 * and number of months with the State support of domain/social-insurance.ts (22 %, 1.5–46.8 million,
 * support 20–50 % of 22 % × the poverty line, only while fewer than 120 months were supported); the period
 * starts the month after the plan's `paidThrough`. A bill is `si:<code>:<from>` (one open payment per
 * period start), collected by BHXH, valid until the end of the Vietnam day (bills.ts). After the payment,
 * the effect `si-contribution` records the contribution at VSS (social-insurance.effect.ts).
 */
import type { Clock } from '../../../platform/clock/index.ts';
import { vietnamDate } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import { NotFoundError } from '../../../platform/errors/index.ts';
import {
  type Contribution,
  MAX_SUPPORTED_MONTHS,
  MODES,
  SUPPORT_PERCENT,
  voluntaryContribution,
} from '../domain/social-insurance.ts';
import { cancelStaleBill, endOfVietnamDay } from '../fines/bills.ts';
import { maskName } from '../fines/mask-name.ts';
import type { NewPayment } from '../payments.repository.ts';
import type { PaymentsService } from '../payments.service.ts';
import type { Participant, VssPort } from './vss.client.ts';

/** The payee of every contribution: Vietnam Social Security (an onboarded payee). */
export const SI_PAYEE = 'BHXH';

export interface ParticipantView {
  code: string;
  name: string;
  plan: Participant['plan'];
  /** The State's share in percent, and the months it still supports. */
  supportPercent: number;
  supportedMonthsLeft: number;
  /** The plan's income in each mode (1, 3, 6, 12 months): what would be paid today. */
  options: Contribution[];
}

export function createSocialInsuranceService(deps: {
  db: AnyDb;
  clock: Clock;
  vss: VssPort;
  payments: Pick<PaymentsService, 'cancel'>;
}) {
  const { db, clock } = deps;

  async function participant(code: string): Promise<Participant> {
    const p = await deps.vss.participant(code.trim());
    if (!p)
      throw new NotFoundError(
        'Không tìm thấy người tham gia BHXH tự nguyện với mã số này / no participant with this code',
      );
    return p;
  }

  const quoteFor = (p: Participant, months: number, income?: number): Contribution =>
    voluntaryContribution({
      income: income ?? p.plan.income,
      months,
      supportGroup: p.plan.supportGroup,
      supportedMonthsUsed: p.plan.supportedMonthsUsed,
      paidThrough: p.plan.paidThrough,
      today: vietnamDate(clock.now()),
    });

  return {
    /** What the page and GET /api/v1/social-insurance/{code} show: the name masked, no ID number. */
    async view(code: string): Promise<ParticipantView> {
      const p = await participant(code);
      return {
        code: p.code,
        name: maskName(p.name),
        plan: p.plan,
        supportPercent: SUPPORT_PERCENT[p.plan.supportGroup] ?? 0,
        supportedMonthsLeft: Math.max(0, MAX_SUPPORTED_MONTHS - p.plan.supportedMonthsUsed),
        options: MODES.map((m) => quoteFor(p, m)),
      };
    },

    /** The contribution for `months` at `income` (default the plan's). ValidationError on bad input. */
    async quote(code: string, months: number, income?: number): Promise<Contribution> {
      return quoteFor(await participant(code), months, income);
    },

    /** The bill (bill source `social-insurance`): one line, the net amount; the support in the details. */
    async bill(code: string, months: number, income?: number): Promise<NewPayment> {
      const p = await participant(code);
      const c = quoteFor(p, months, income);
      const now = clock.now();
      const billKey = `si:${p.code}:${c.from}`;
      await cancelStaleBill(db, deps.payments, billKey, c.amount);
      const chosen = income ?? p.plan.income;
      return {
        kind: 'social-insurance',
        subject: p.code,
        billKey,
        lines: [
          {
            kind: 'social-insurance',
            code: p.code,
            name: `BHXH tự nguyện ${c.from} – ${c.to} (${c.months} tháng) / voluntary social insurance, ${c.months} months`,
            amount: c.amount,
          },
        ],
        description: `Đóng BHXH tự nguyện, mã số ${p.code}, ${c.months} tháng từ ${c.from}`,
        payeeAgency: SI_PAYEE,
        payer: { name: p.name, idNumber: p.idNumber },
        details: {
          code: p.code,
          from: c.from,
          to: c.to,
          months: c.months,
          income: chosen,
          monthly: c.monthly,
          gross: c.gross,
          support: c.support,
          supportedMonths: c.supportedMonths,
          supportGroup: p.plan.supportGroup,
          amount: c.amount,
        },
        expiresAt: endOfVietnamDay(now),
      };
    },
  };
}

export type SocialInsuranceService = ReturnType<typeof createSocialInsuranceService>;
