/**
 * The feedback module (phản ánh, kiến nghị — PAKN): citizens and businesses send feedback on administrative
 * regulations and dossier handling; the Government Office triages it and forwards it to agencies, which
 * answer; the answer is published and rated (docs/feedback.md, reference/oversight.md). Wired in app.ts with
 * the narrow ports of feedback.ports.ts.
 */
import type { Clock } from '../../platform/clock/index.ts';
import type { AnyDb } from '../../platform/db/index.ts';
import type { BlobStore } from '../../platform/files/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import type { JobDefinition } from '../../platform/jobs/index.ts';
import type { RateLimiter, Secrets } from '../../platform/security/index.ts';
import type { ModuleNavigation } from '../../platform/web/index.ts';
import type { Regime } from './domain/deadlines.ts';
import { feedbackNavigation } from './feedback.navigation.ts';
import type { FeedbackPorts } from './feedback.ports.ts';
import { feedbackRoutes } from './feedback.routes.ts';
import { createFeedbackService } from './feedback.service.ts';
import { figuresPages } from './figures/figures.pages.tsx';
import { figuresRoutes } from './figures/figures.routes.ts';
import { createFeedbackFigures } from './figures/figures.service.ts';
import { feedbackPages } from './pages/feedback.pages.tsx';
import { followPages } from './pages/follow.pages.tsx';
import { handlingPages } from './pages/handling.pages.tsx';

export { DEFAULT_REGIME, type Deadline, type Regime, type WorkingTime } from './domain/deadlines.ts';
export { FEEDBACK_ACTIONS, type FeedbackAction, type FeedbackRole } from './domain/workflow.ts';
export { AGENCY_HANDLER_ROLES, type FeedbackPorts, GOVERNMENT_OFFICE } from './feedback.ports.ts';
export type { FeedbackService } from './feedback.service.ts';
export type { FeedbackFigures } from './figures/figures.service.ts';

export function createFeedbackModule(deps: {
  db: AnyDb;
  clock: Clock;
  /** Attachments' content (e.g. localBlobStore(path.join(dataDir, 'feedback-files')) or the S3 store). */
  blobs: BlobStore;
  limiter: RateLimiter;
  secrets: Secrets;
  ports: FeedbackPorts;
  /** Limits in working days (default: refuse 2, ask 5, handle 15, publish 2, warn 1). */
  regime?: Regime;
  /** Tests only: a fixed one-time code. */
  newCode?: () => string;
}) {
  const service = createFeedbackService(deps);
  const figures = createFeedbackFigures({
    db: deps.db,
    clock: deps.clock,
    ports: deps.ports,
    regime: deps.regime,
  });
  const jobs: JobDefinition[] = [figures.job];
  const navigation: ModuleNavigation = feedbackNavigation({
    service,
    can: deps.ports.can,
    agenciesWhere: deps.ports.agenciesWhere,
  });
  return {
    service,
    figures,
    jobs,
    navigation,
    async routes(app: AppInstance) {
      await app.register(feedbackRoutes, { service });
      await app.register(feedbackPages, { service });
      await app.register(followPages, { service });
      await app.register(handlingPages, { service });
      await app.register(figuresRoutes, { figures });
      await app.register(figuresPages, { figures });
    },
  };
}

export type FeedbackModule = ReturnType<typeof createFeedbackModule>;
