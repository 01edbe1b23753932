/**
 * The documents module: certified electronic copies from paper originals (appointments at certifying
 * offices, certification at the counter with its fee, the electronic register, the stamp and the
 * office's digital signature), public verification and revocation, and every account's wallet (kho dữ
 * liệu điện tử) of certified copies, signed dossier results and own uploads, reused in dossiers
 * (docs/documents.md).
 */
import type { Clock } from '../../platform/clock/index.ts';
import type { AnyDb } from '../../platform/db/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import type { JobDefinition } from '../../platform/jobs/index.ts';
import type { Dispatcher } from '../../platform/outbox/index.ts';
import { seedDemoOffices } from './demo.ts';

export { DEMO_OFFICES } from './demo.ts';
export { getOffice, listOffices, type Office, type OfficeKind, upsertOffice } from './offices.repository.ts';

export interface DocumentsDeps {
  db: AnyDb;
  clock: Clock;
  dispatcher: Dispatcher;
  publicUrl: string;
  dataDir: string;
}

export function createDocumentsModule(deps: DocumentsDeps) {
  const jobs: JobDefinition[] = [];
  return {
    jobs,
    /** The demo's certifying offices. */
    async seedDemo() {
      await seedDemoOffices(deps.db);
    },
    async routes(_app: AppInstance) {},
  };
}

export type DocumentsModule = ReturnType<typeof createDocumentsModule>;
