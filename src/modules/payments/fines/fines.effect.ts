/**
 * Effect `fine-paid`: once a fine's payment has succeeded, the police's system is told —
 * `POST {POLICE_URL}/api/v1/fines/paid` `{decisionNumber, paidAt, amount, surcharge, total,
 * paymentReference}` signed `X-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`. Runs from the outbox
 * (at least once): the police side is idempotent by paymentReference. A 2xx is recorded as told; a 4xx
 * other than 401/408/429 is final (recorded, not retried: a 409 means the decision was paid twice and the
 * second payment is for reconciliation); anything else throws so that the outbox tries again.
 */
import { createHmac } from 'node:crypto';
import type { AnyDb } from '../../../platform/db/index.ts';
import type { Payment } from '../payments.repository.ts';
import type { Effect } from '../payments.service.ts';
import { vietnamIso } from './bills.ts';
import { fineByNumber, markPaid, recordPoliceAnswer } from './fines.repository.ts';

export interface PoliceEndpoint {
  url: string;
  webhookSecret: string;
  timeoutMs?: number;
}

export const signBody = (body: string, secret: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export function finePaidEffect(deps: {
  db: AnyDb;
  police: PoliceEndpoint | undefined;
  now: () => Date;
}): Effect {
  return {
    name: 'fine-paid',
    kinds: ['fine'],
    async run(p: Payment) {
      const fine = await fineByNumber(deps.db, p.subject);
      if (!fine) throw new Error(`fine-paid: no decision ${p.subject}`);
      await markPaid(deps.db, fine.decision_number, p.id);
      if (fine.police_told_at && fine.paid_payment_id === p.id) return;
      if (!deps.police) throw new Error('fine-paid: POLICE_URL is not configured');
      const amount = Number(fine.amount);
      const surcharge = p.lines.filter((l) => l.kind === 'surcharge').reduce((s, l) => s + l.amount, 0);
      const body = JSON.stringify({
        decisionNumber: fine.decision_number,
        paidAt: vietnamIso(p.succeededAt ?? deps.now()),
        amount,
        surcharge,
        total: p.amount,
        paymentReference: p.reference,
      });
      const r = await fetch(`${deps.police.url.replace(/\/$/, '')}/api/v1/fines/paid`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-signature': signBody(body, deps.police.webhookSecret),
        },
        body,
        signal: AbortSignal.timeout(deps.police.timeoutMs ?? 10_000),
      });
      const text = await r.text();
      let answer: unknown = text.slice(0, 2000);
      try {
        answer = JSON.parse(text);
      } catch {}
      const final = r.ok || (r.status >= 400 && r.status < 500 && ![401, 408, 429].includes(r.status));
      if (!final) throw new Error(`fine-paid: the police system answered ${r.status}`);
      await recordPoliceAnswer(deps.db, fine.decision_number, { status: r.status, body: answer }, deps.now());
    },
  };
}
