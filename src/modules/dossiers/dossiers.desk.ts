/**
 * What the pages and the API add around the dossier service, by job: uploads into the blob store
 * (dossiers.uploads.ts), e-form drafts and their submission (dossiers.drafts.ts), the applicant's list
 * and the officers' inbox (dossiers.inbox.ts), assignment, internal comments and the applicant's rating
 * (dossiers.handling.ts). Submissions and workflow actions still go through `DossiersService`
 * (idempotency, codes, deadlines, history, audit and outbox live there).
 */
import { type Kysely, sql } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { BlobStore } from '../../platform/files/index.ts';
import { OFFICER_ROLES, type OfficerRole } from './domain/workflow.ts';
import { createDrafts } from './dossiers.drafts.ts';
import { createHandling } from './dossiers.handling.ts';
import { createInbox, toItem } from './dossiers.inbox.ts';
import type { People, ProcedureSource, WalletPort } from './dossiers.ports.ts';
import type { DossiersService } from './dossiers.service.ts';
import type { DossiersTables } from './dossiers.tables.ts';
import { createUploads, DEFAULT_UPLOAD_MAX_BYTES } from './dossiers.uploads.ts';
import { createWalletReuse } from './dossiers.wallet.ts';

export { fileSlots } from './dossiers.drafts.ts';
export { DEFAULT_UPLOAD_MAX_BYTES } from './dossiers.uploads.ts';

export interface DeskDeps {
  db: Kysely<DossiersTables>;
  clock: Clock;
  service: DossiersService;
  procedures: ProcedureSource;
  people: People;
  blobs: BlobStore;
  /** The agency and every agency below it (agencies module). */
  subtreeOf(code: string): Promise<Array<{ code: string; name: string }>>;
  /** Does this province (2 digits) or commune (5 digits) exist today (for address fields)? */
  isAdminUnit(code: string, level: 'province' | 'commune'): Promise<boolean> | boolean;
  /** The province a commune (valid today) lies in. */
  provinceOf?(communeCode: string): Promise<string | undefined>;
  uploadMaxBytes?: number;
  /** The applicant's wallet (documents module): filing may take documents from it instead of uploads. */
  wallet?: WalletPort | undefined;
}

export type Desk = ReturnType<typeof createDesk>;
export { INBOX_TABS, type InboxTab, type ListItem, searchOf } from './dossiers.inbox.ts';

export function createDesk(deps: DeskDeps) {
  const { db, clock, service, people, blobs } = deps;
  const maxBytes = deps.uploadMaxBytes ?? DEFAULT_UPLOAD_MAX_BYTES;

  /** Agencies (with their subtrees) where the account holds each officer role. */
  async function officerScope(accountId: string): Promise<Record<OfficerRole, string[]>> {
    const out = { receiver: [], processor: [], approver: [], cashier: [] } as Record<OfficerRole, string[]>;
    if (!people.agenciesWhere) return out;
    for (const role of OFFICER_ROLES) {
      const granted = await people.agenciesWhere(accountId, role);
      const codes = new Set<string>();
      for (const g of granted) for (const a of await deps.subtreeOf(g)) codes.add(a.code);
      out[role] = [...codes];
    }
    return out;
  }

  const inbox = createInbox({ db, clock, service, officerScope });
  const uploads = createUploads({ db, service, blobs, maxBytes });
  const drafts = createDrafts({ ...deps, uploads });

  return {
    uploadMaxBytes: maxBytes,
    officerScope,
    ...inbox,
    ...uploads.methods,
    ...drafts,
    ...createWalletReuse({ db, blobs, wallet: deps.wallet, maxBytes }),
    ...createHandling({ db, clock, service, people }),

    // ——— lists ———

    /** The account's own dossiers (as applicant or filer) at every agency, newest first. */
    async mine(accountId: string, options: { limit?: number; before?: string } = {}) {
      const rows = await db
        .selectFrom('dossiers.dossiers')
        .selectAll()
        .where((eb) =>
          eb.or([eb('applicant_account_id', '=', accountId), eb('filed_by_account_id', '=', accountId)]),
        )
        .$if(options.before !== undefined, (q) => q.where('submitted_at', '<', new Date(options.before!)))
        .orderBy('submitted_at', 'desc')
        .limit(Math.min(options.limit ?? 50, 200))
        .execute();
      return rows.map(toItem);
    },

    /** Counts by state, for a dashboard line (the officer's scope). */
    async counts(codes: string[]) {
      if (codes.length === 0) return [];
      const r = await sql<{ state: string; n: number }>`
        select state, count(*)::int as n from dossiers.dossiers
        where receiving_agency_code in (${sql.join(codes)}) or competent_agency_code in (${sql.join(codes)})
        group by state`.execute(db);
      return r.rows;
    },
  };
}
