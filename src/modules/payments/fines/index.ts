/**
 * Traffic fines, as one piece of the payments module: the police's registration API, the public lookup,
 * the bill source `fine`, the page `/nop-phat` (a card on the home page) and the effect `fine-paid` that
 * tells the police's system. `finesFeature(deps)` builds it; payments/index.ts exports it and app.ts wires it.
 */
import type { Clock } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import { ValidationError } from '../../../platform/errors/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import type { ModuleNavigation } from '../../../platform/web/index.ts';
import type { BillSource } from '../payments.routes.ts';
import type { Effect, PaymentsService } from '../payments.service.ts';
import { finePaidEffect, type PoliceEndpoint } from './fines.effect.ts';
import { fineKey, finesRoutes, type LookupLimiter } from './fines.routes.ts';
import { createFinesService } from './fines.service.ts';
import { FINES_PAGE, finesPages } from './pages/fines.pages.tsx';

export type { PoliceEndpoint } from './fines.effect.ts';

export function finesFeature(deps: {
  db: AnyDb;
  clock: Clock;
  payments: PaymentsService;
  lineageOf(agencyCode: string): Promise<string[]>;
  limiter: LookupLimiter;
  /** The police's system (POLICE_URL, POLICE_WEBHOOK_SECRET); absent: paid notices wait in the outbox. */
  police: PoliceEndpoint | undefined;
}): {
  routes(app: AppInstance): Promise<void>;
  billSource: BillSource;
  effect: Effect;
  navigation: ModuleNavigation;
} {
  const fines = createFinesService({
    db: deps.db,
    clock: deps.clock,
    payments: deps.payments,
    lineageOf: deps.lineageOf,
  });
  return {
    async routes(app) {
      await app.register(finesRoutes, { service: fines, limiter: deps.limiter });
      await app.register(finesPages, { fines, payments: deps.payments, limiter: deps.limiter });
    },
    billSource: {
      kind: 'fine',
      async bill(body) {
        if (typeof body.decisionNumber !== 'string')
          throw new ValidationError('Cần số quyết định / decisionNumber is required', [
            { path: 'body.decisionNumber', message: 'required' },
          ]);
        const key = fineKey({
          idNumber: typeof body.idNumber === 'string' ? body.idNumber : undefined,
          plate: typeof body.plate === 'string' ? body.plate : undefined,
        });
        // The bill carries its own expiry (the end of the Vietnam day): payments.create takes it.
        return fines.bill(body.decisionNumber, key);
      },
    },
    effect: finePaidEffect({ db: deps.db, police: deps.police, now: () => deps.clock.now() }),
    navigation: {
      home: [
        {
          id: 'payments.fines',
          order: 40,
          href: FINES_PAGE,
          title: { vi: 'Nộp phạt vi phạm giao thông', en: 'Pay a traffic fine' },
          description: {
            vi: 'Tra cứu quyết định xử phạt bằng số quyết định và CCCD hoặc biển số xe, rồi nộp phạt trực tuyến.',
            en: 'Look a penalty decision up by its number and the ID number or plate, and pay it online.',
          },
        },
      ],
    },
  };
}
