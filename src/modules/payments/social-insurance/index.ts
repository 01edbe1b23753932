/**
 * Voluntary social insurance, as one piece of the payments module: the participant lookup at VSS, the bill
 * source `social-insurance`, the page `/bhxh-tu-nguyen` (a card on the home page) and the effect
 * `si-contribution` that records the contribution at VSS. `socialInsuranceFeature(deps)` builds it;
 * payments/index.ts exports it and app.ts wires it.
 */
import type { Clock } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import { ValidationError } from '../../../platform/errors/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import type { ModuleNavigation } from '../../../platform/web/index.ts';
import type { LookupLimiter } from '../fines/fines.routes.ts';
import type { BillSource } from '../payments.routes.ts';
import type { Effect, PaymentsService } from '../payments.service.ts';
import { SI_PAGE, socialInsurancePages } from './pages/social-insurance.pages.tsx';
import { siContributionEffect } from './social-insurance.effect.ts';
import { socialInsuranceRoutes } from './social-insurance.routes.ts';
import { createSocialInsuranceService } from './social-insurance.service.ts';
import { httpVss, type VssEndpoint, type VssPort } from './vss.client.ts';

export type { VssEndpoint } from './vss.client.ts';

export function socialInsuranceFeature(deps: {
  db: AnyDb;
  clock: Clock;
  payments: PaymentsService;
  limiter: LookupLimiter;
  /** VSS (SOCIAL_INSURANCE_URL, SOCIAL_INSURANCE_API_KEY); app.ts leaves the feature out without it. */
  vss: VssEndpoint | undefined;
  /** Tests: another way to reach VSS. */
  vssPort?: VssPort;
}): {
  routes(app: AppInstance): Promise<void>;
  billSource: BillSource;
  effect: Effect;
  navigation: ModuleNavigation;
} {
  const vss = deps.vssPort ?? httpVss(deps.vss);
  const si = createSocialInsuranceService({ db: deps.db, clock: deps.clock, vss, payments: deps.payments });
  return {
    async routes(app) {
      await app.register(socialInsuranceRoutes, { service: si, limiter: deps.limiter });
      await app.register(socialInsurancePages, { si, payments: deps.payments, limiter: deps.limiter });
    },
    billSource: {
      kind: 'social-insurance',
      async bill(body) {
        if (typeof body.code !== 'string' || typeof body.months !== 'number')
          throw new ValidationError('Cần mã số BHXH và số tháng / code and months are required', [
            { path: 'body.code', message: 'code and months are required' },
          ]);
        // The bill carries its own expiry (the end of the Vietnam day): payments.create takes it.
        return si.bill(body.code, body.months, typeof body.income === 'number' ? body.income : undefined);
      },
    },
    effect: siContributionEffect({ db: deps.db, vss, now: () => deps.clock.now() }),
    navigation: {
      home: [
        {
          id: 'payments.social-insurance',
          order: 41,
          href: SI_PAGE,
          title: { vi: 'Đóng BHXH tự nguyện', en: 'Pay voluntary social insurance' },
          description: {
            vi: 'Tra cứu bằng mã số BHXH, chọn số tháng và mức thu nhập, nộp trực tuyến; Nhà nước hỗ trợ một phần.',
            en: 'Look up by social-insurance code, choose the months and income, and pay online; the State pays a share.',
          },
        },
      ],
    },
  };
}
