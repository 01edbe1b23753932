/**
 * Effect `si-contribution`: once a contribution's payment has succeeded it is recorded here
 * (payments.contributions) and at VSS — `POST /api/v1/contributions` `{code, from, months, income, amount,
 * stateSupport, paymentReference, paidAt}`, idempotent there by paymentReference. 201/200 is the
 * acknowledgement (VSS's record id kept); another 4xx (the plan moved on: `wrong-period`, `wrong-support`)
 * is final and recorded — the money is kept and the case is one for reconciliation (a refund or a
 * correction at VSS); VSS unavailable throws, so the outbox tries again.
 */
import type { AnyDb } from '../../../platform/db/index.ts';
import { vietnamIso } from '../fines/bills.ts';
import type { Payment } from '../payments.repository.ts';
import type { Effect } from '../payments.service.ts';
import { acknowledge, recordContribution } from './contributions.repository.ts';
import type { VssPort } from './vss.client.ts';

interface Details {
  code: string;
  from: string;
  to: string;
  months: number;
  income: number;
  gross: number;
  support: number;
  supportedMonths: number;
}

export function siContributionEffect(deps: { db: AnyDb; vss: VssPort; now: () => Date }): Effect {
  return {
    name: 'si-contribution',
    kinds: ['social-insurance'],
    async run(p: Payment) {
      const d = p.details as unknown as Details;
      const row = await recordContribution(
        deps.db,
        {
          paymentId: p.id,
          code: d.code,
          from: d.from,
          to: d.to,
          months: d.months,
          income: d.income,
          gross: d.gross,
          support: d.support,
          supportedMonths: d.supportedMonths,
          amount: p.amount,
        },
        deps.now(),
      );
      if (row.vss_acknowledged_at) return;
      const answer = await deps.vss.contribute({
        code: d.code,
        from: d.from,
        months: d.months,
        income: d.income,
        amount: p.amount,
        stateSupport: d.support,
        paymentReference: p.reference,
        paidAt: vietnamIso(p.succeededAt ?? deps.now()),
      });
      const id = (answer.body as { id?: unknown } | null)?.id;
      await acknowledge(
        deps.db,
        p.id,
        answer,
        answer.status < 300 && typeof id === 'string' ? id : null,
        deps.now(),
      );
    },
  };
}
