/**
 * The feedback module (phản ánh, kiến nghị — PAKN): citizens and businesses send feedback on administrative
 * regulations and dossier handling; the Government Office triages it and forwards it to agencies, which
 * answer; the answer is published and rated (docs/feedback.md, reference/oversight.md). Wired in app.ts with
 * the narrow ports of feedback.ports.ts.
 */
import type { Clock } from '../../platform/clock/index.ts';
import { type AnyDb, scoped } from '../../platform/db/index.ts';
import type { BlobStore } from '../../platform/files/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import type { JobDefinition } from '../../platform/jobs/index.ts';
import type { Dispatcher } from '../../platform/outbox/index.ts';
import type { RateLimiter, Secrets } from '../../platform/security/index.ts';
import type { ModuleNavigation } from '../../platform/web/index.ts';
import { agencySystemsRoutes } from './agency-systems/agency-systems.routes.ts';
import { createAgencySystemsService } from './agency-systems/agency-systems.service.ts';
import { ROUTED_TOPIC, type RoutedEvent, routedHandler } from './agency-systems/routed.ts';
import { createAnswerMany } from './answer-many.ts';
import { createAnswerTemplates } from './answer-templates.service.ts';
import { type DemoPeople, seedFeedbackDemo } from './demo.ts';
import type { Regime } from './domain/deadlines.ts';
import { feedbackJobs } from './feedback.jobs.ts';
import { feedbackNavigation } from './feedback.navigation.ts';
import type { FeedbackPorts } from './feedback.ports.ts';
import { feedbackRoutes } from './feedback.routes.ts';
import { createFeedbackService } from './feedback.service.ts';
import type { FeedbackTables } from './feedback.tables.ts';
import { figuresPages } from './figures/figures.pages.tsx';
import { figuresRoutes } from './figures/figures.routes.ts';
import { createFeedbackFigures } from './figures/figures.service.ts';
import { handlingToolRoutes } from './handling-tools.routes.ts';
import { feedbackPages } from './pages/feedback.pages.tsx';
import { followPages } from './pages/follow.pages.tsx';
import { handlingPages } from './pages/handling.pages.tsx';
import { handlingToolPages } from './pages/handling-tools.pages.tsx';

export type { RoutedEvent as FeedbackRoutedEvent } from './agency-systems/routed.ts';
export { DEFAULT_REGIME, type Deadline, type Regime, type WorkingTime } from './domain/deadlines.ts';
export { FEEDBACK_ACTIONS, type FeedbackAction, type FeedbackRole } from './domain/workflow.ts';
export {
  AGENCY_HANDLER_ROLES,
  type FeedbackAlerts,
  type FeedbackPorts,
  GOVERNMENT_OFFICE,
} from './feedback.ports.ts';
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
  /**
   * Agencies' own software (scope feedback): items routed to an agency are queued as `feedback.routed`
   * (the outbox: this dispatcher delivers them to the `onRouted` listeners) and the agency API is served.
   */
  agencySystems?: {
    dispatcher: Dispatcher;
    /** The portal's public address (files' links in the records). */
    publicUrl: string;
    /** An agency and every agency below it (agencies module). */
    subtreeOf(code: string): Promise<string[]>;
  };
  /** The portal's address, for links in messages. */
  publicUrl?: string | undefined;
}) {
  const a = deps.agencySystems;
  const service = createFeedbackService({ ...deps, announceRoutes: a !== undefined });
  const figures = createFeedbackFigures({
    db: deps.db,
    clock: deps.clock,
    ports: deps.ports,
    regime: deps.regime,
  });
  const templates = createAnswerTemplates(deps);
  const answers = createAnswerMany({ service, ports: deps.ports });
  const db = scoped<FeedbackTables>(deps.db);
  const listeners: Array<(event: RoutedEvent) => Promise<void>> = [];
  const systems = a
    ? createAgencySystemsService({
        db,
        feedback: service,
        subtreeOf: a.subtreeOf,
        publicUrl: a.publicUrl,
        blob: (key) => deps.blobs.get(key),
      })
    : undefined;
  if (a)
    a.dispatcher.register(
      ROUTED_TOPIC,
      routedHandler({ db, publicUrl: a.publicUrl, deadlines: service.deadlines, listeners }),
    );
  const alerts = deps.ports.alerts;
  // The figures' refresh always; the deadline watch where someone can be told (ports.alerts wired).
  const jobs: JobDefinition[] = [
    figures.job,
    ...(alerts
      ? feedbackJobs({
          db: deps.db,
          ports: { workingTime: deps.ports.workingTime, alerts },
          regime: deps.regime,
          publicUrl: deps.publicUrl,
        })
      : []),
  ];
  const navigation: ModuleNavigation = feedbackNavigation({
    service,
    can: deps.ports.can,
    agenciesWhere: deps.ports.agenciesWhere,
  });
  return {
    service,
    figures,
    templates,
    answers,
    jobs,
    navigation,
    /**
     * Told after commit, at least once, of every item routed to an agency, with the item as its system
     * gets it (in app.ts: sync's outbound feed and webhooks). Listeners must be idempotent.
     */
    /** The embedded demo's items (README): once, when there are none. */
    seedDemo: (people: DemoPeople) => seedFeedbackDemo(deps.db, service, people),
    onRouted(listener: (event: RoutedEvent) => Promise<void>) {
      listeners.push(listener);
    },
    async routes(app: AppInstance) {
      await app.register(feedbackRoutes, { service });
      await app.register(feedbackPages, { service });
      await app.register(followPages, { service });
      await app.register(handlingToolRoutes, { templates, answers });
      await app.register(handlingToolPages, { templates });
      await app.register(handlingPages, { service, templates, answers });
      await app.register(figuresRoutes, { figures });
      await app.register(figuresPages, { figures });
      if (systems) await app.register(agencySystemsRoutes, { systems });
    },
  };
}

export type FeedbackModule = ReturnType<typeof createFeedbackModule>;
