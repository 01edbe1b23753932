/**
 * The hotline desk (tổng đài hỗ trợ 18001096) for hotline operators of the Government Office: calls
 * logged once (turned into a support answer sent to the caller, or a feedback item, or a callback), callers
 * looked up with the read recorded for them, a callback queue claimed by one operator at a time, and the
 * day's figures (docs/hotline.md). Wired in app.ts with the narrow ports of hotline.ports.ts.
 */
import type { Clock } from '../../platform/clock/index.ts';
import type { AnyDb } from '../../platform/db/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import type { RateLimiter } from '../../platform/security/index.ts';
import { hotlineNavigation } from './hotline.navigation.ts';
import type { HotlinePorts } from './hotline.ports.ts';
import { hotlineRoutes } from './hotline.routes.ts';
import { createHotlineService } from './hotline.service.ts';
import { createLookupService } from './lookup.service.ts';
import { callPages } from './pages/call.pages.tsx';
import { deskPages } from './pages/desk.pages.tsx';

export { HOTLINE_NUMBER, OUTCOMES, TOPICS } from './domain/vocabulary.ts';
export type { CallerAccount, CallerDossier, HotlinePorts } from './hotline.ports.ts';
export type { HotlineService } from './hotline.service.ts';

export function createHotlineModule(deps: {
  db: AnyDb;
  clock: Clock;
  limiter: RateLimiter;
  ports: HotlinePorts;
}) {
  const service = createHotlineService(deps);
  const lookup = createLookupService({ ...deps, service });
  const now = () => deps.clock.now();
  return {
    service,
    lookup,
    navigation: hotlineNavigation({ service, can: deps.ports.can }),
    async routes(app: AppInstance) {
      await app.register(hotlineRoutes, { service, lookup, now });
      await app.register(deskPages, { service, lookup, now });
      await app.register(callPages, { service, now });
    },
  };
}

export type HotlineModule = ReturnType<typeof createHotlineModule>;
