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
import { createAnswerMany } from './answer-many.ts';
import { createAnswerTemplates } from './answer-templates.service.ts';
import type { Regime } from './domain/deadlines.ts';
import { feedbackJobs } from './feedback.jobs.ts';
import { feedbackNavigation } from './feedback.navigation.ts';
import type { FeedbackPorts } from './feedback.ports.ts';
import { feedbackRoutes } from './feedback.routes.ts';
import { createFeedbackService } from './feedback.service.ts';
import { handlingToolRoutes } from './handling-tools.routes.ts';
import { feedbackPages } from './pages/feedback.pages.tsx';
import { followPages } from './pages/follow.pages.tsx';
import { handlingPages } from './pages/handling.pages.tsx';
import { handlingToolPages } from './pages/handling-tools.pages.tsx';

export { DEFAULT_REGIME, type Deadline, type Regime, type WorkingTime } from './domain/deadlines.ts';
export { FEEDBACK_ACTIONS, type FeedbackAction, type FeedbackRole } from './domain/workflow.ts';
export {
  AGENCY_HANDLER_ROLES,
  type FeedbackAlerts,
  type FeedbackPorts,
  GOVERNMENT_OFFICE,
} from './feedback.ports.ts';
export type { FeedbackService } from './feedback.service.ts';

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
  /** The portal's address, for links in messages. */
  publicUrl?: string | undefined;
}) {
  const service = createFeedbackService(deps);
  const templates = createAnswerTemplates(deps);
  const answers = createAnswerMany({ service, ports: deps.ports });
  const alerts = deps.ports.alerts;
  // The deadline watch runs where someone can be told (ports.alerts wired).
  const jobs: JobDefinition[] = alerts
    ? feedbackJobs({
        db: deps.db,
        ports: { workingTime: deps.ports.workingTime, alerts },
        regime: deps.regime,
        publicUrl: deps.publicUrl,
      })
    : [];
  const navigation: ModuleNavigation = feedbackNavigation({
    service,
    can: deps.ports.can,
    agenciesWhere: deps.ports.agenciesWhere,
  });
  return {
    service,
    templates,
    answers,
    jobs,
    navigation,
    async routes(app: AppInstance) {
      await app.register(feedbackRoutes, { service });
      await app.register(feedbackPages, { service });
      await app.register(followPages, { service });
      await app.register(handlingToolRoutes, { templates, answers });
      await app.register(handlingToolPages, { templates });
      await app.register(handlingPages, { service, templates, answers });
    },
  };
}

export type FeedbackModule = ReturnType<typeof createFeedbackModule>;
