/**
 * What the dossiers module needs from the rest of the portal, as narrow interfaces (wired by hand in
 * app.ts), and the adapters that build them from the other modules' public services.
 */

import { NotFoundError } from '../../platform/errors/index.ts';
import { type Channel, documentsOf } from '../../platform/kernel/index.ts';
import type { AgenciesService } from '../agencies/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { CatalogueService, FormSchema } from '../catalogue/index.ts';
import type { ProcessingTime, WorkingTime } from './domain/deadline.ts';
import type { Level } from './domain/routing.ts';
import type { OfficerRole } from './domain/workflow.ts';
import type { FeeLineRef } from './dossiers.payment.ts';
import type { ApplicantKind } from './dossiers.tables.ts';

/** The part of a published procedure version that filing and processing need (from the catalogue). */
export interface ProcedureForFiling {
  code: string;
  version: number;
  name: string;
  /** Levels that implement it. */
  levels: readonly Level[];
  /** COQUANTHUCHIEN; an entry with an agency code names the competent agency outright. */
  implementingAgencies: readonly { name: string; agencyCode?: string | undefined }[];
  /** Who may file it. */
  audiences: readonly ApplicantKind[];
  /**
   * Processing time per channel; the first time of a channel is the one that counts, and its fee lines
   * (phí, lệ phí) are what a dossier filed that way pays.
   */
  channels: readonly {
    channel: Channel;
    times: readonly ProcessingTime[];
    fees?: readonly FeeLineRef[] | undefined;
  }[];
  /** Received after 15:00 → counted from the next working day. */
  after15hRule: boolean;
  /** The e-form (catalogue's form schema) and the documents it has file slots for. */
  form?: FormSchema | undefined;
  documents?: readonly { code: string; name: string; required: boolean }[] | undefined;
  /** The cases (TRUONGHOP) with their documents; with several, the applicant chooses theirs. */
  cases?:
    | readonly { name: string; documents: readonly { code: string; name: string; required: boolean }[] }[]
    | undefined;
  /** The process definition; absent: the default one-stop process (latest version). */
  process?: { id: string; version?: number | undefined } | undefined;
  /**
   * When the fees are paid (catalogue): `before` — the filing ends in checkout and the dossier is
   * received when paid; `after` — at status 6, when the agency asks; `none` — free. Absent: after.
   */
  payment?: 'before' | 'after' | 'none' | undefined;
}

export interface ProcedureSource {
  /** The published version (latest, or the one asked for); undefined when there is none. */
  find(code: string, version?: number): Promise<ProcedureForFiling | undefined>;
}

export interface AgencyRef {
  code: string;
  name: string;
  kind: string;
  level: Level;
  parentCode: string | null;
  adminUnitCode: string | null;
  /** Electronic identifier codes the agency itself owns on the date asked for, sorted. */
  identifiers: string[];
}

/** The agencies module, narrowed: every question is asked for a Vietnam date. */
export interface AgencyDirectory {
  list(filter: {
    date: string;
    kind?: string;
    level?: Level;
    parent?: string;
    adminUnit?: string;
  }): Promise<AgencyRef[]>;
  find(code: string, date: string): Promise<AgencyRef | undefined>;
  /**
   * The province's department (sở) that a procedure names by name ("Sở Tư pháp", "… thuộc Sở Tài
   * chính"), valid on the date; undefined when the name names none.
   */
  department?(provinceCode: string, name: string, date: string): Promise<AgencyRef | undefined>;
}

/** The identity module, narrowed. */
export interface People {
  /** officers.can: the role held at the agency or above it. */
  can(accountId: string, role: OfficerRole, agencyCode: string): Promise<boolean>;
  /** officers.rolesAt: every role held at the agency or above it, in one look-up (preferred to `can`). */
  rolesAt?(accountId: string, agencyCode: string): Promise<ReadonlySet<string>>;
  /** officers.agenciesWhere: the agencies where a role was granted (their subtrees are covered too). */
  agenciesWhere?(accountId: string, role: OfficerRole): Promise<string[]>;
  /**
   * The leaders of an agency, told when its dossiers are overdue: the accounts holding the approver role
   * at the agency's nearest level that has any (granted at the agency itself, else at its parent…).
   */
  leadersOf?(agencyCode: string): Promise<string[]>;
  /** Where to tell the applicant about their dossier: verified phone and e-mail. */
  contactOf?(accountId: string): Promise<{ phone: string | null; email: string | null } | undefined>;
  /**
   * The applicant's own details as their account holds them: filing pre-fills the e-form with them, and
   * the dossier keeps the ID number (personal ID number or tax code) for the public lookup and the
   * officers' search. Dates are 'YYYY-MM-DD'; the phone is E.164 (+84…); unverified contacts are null.
   */
  applicantProfile?(accountId: string): Promise<ApplicantProfile | undefined>;
  /** delegations.mayActFor: the account may act for the business on this procedure. */
  mayActFor(accountId: string, businessId: string, procedureCode: string): Promise<boolean>;
  /** Name, and for an officer title and department, as the history records them (NguoiXuLy…). */
  profileOf(
    accountId: string,
  ): Promise<{ name: string; title: string | null; department: string | null } | undefined>;
}

export interface ApplicantProfile {
  kind: 'citizen' | 'business' | 'organisation' | 'officer';
  name: string;
  personalId: string | null;
  taxCode: string | null;
  birthDate: string | null;
  phone: string | null;
  email: string | null;
}

/** A dossier synced from an agency's own one-stop-shop system (the sync module), as its applicant sees it. */
export interface SyncedDossierSummary {
  code: string;
  procedureCode: string;
  procedureName: string | null;
  agencyCode: string;
  agencyName: string | null;
  /** TrangThaiHoSo (1–10) and its Vietnamese name. */
  status: number;
  statusName: string;
  statusAt: Date;
  submittedAt: Date | null;
  receivedAt: Date | null;
  dueAt: Date | null;
  /** The agency system it came from. */
  source: { clientId: string; name: string | null };
}

export interface SyncedDossierDetail extends SyncedDossierSummary {
  channel: number;
  finishedAt: Date | null;
  returnedAt: Date | null;
  history: Array<{
    at: Date;
    status: number;
    statusName: string;
    content: string | null;
    department: string | null;
  }>;
}

/**
 * The sync module, narrowed to one applicant: dossiers synced from agencies' systems whose applicant's
 * ID number (SoGiayToChuHoSo) is the account's personal ID number. Only the account's own: another
 * person's dossier is `undefined`, as one that does not exist.
 */
export interface SyncedDossiers {
  list(accountId: string, limit?: number): Promise<SyncedDossierSummary[]>;
  find(accountId: string, code: string): Promise<SyncedDossierDetail | undefined>;
}

/** The working calendar and office hours of an agency at a moment (platform calendar + agencies). */
export type WorkingTimeFor = (agencyCode: string, at: Date) => Promise<WorkingTime>;

// ---------------------------------------------------------------------------------------------------------
// Adapters from the other modules' public services
// ---------------------------------------------------------------------------------------------------------

export function agencyDirectoryFrom(
  agencies: Pick<AgenciesService, 'listAgencies' | 'getAgency' | 'findDepartment'>,
): AgencyDirectory {
  const ref = (
    a: Pick<AgencyRef, 'code' | 'name' | 'kind' | 'level' | 'parentCode' | 'adminUnitCode'>,
    identifiers: string[],
  ): AgencyRef => ({
    code: a.code,
    name: a.name,
    kind: a.kind,
    level: a.level,
    parentCode: a.parentCode,
    adminUnitCode: a.adminUnitCode,
    identifiers: [...identifiers].sort(),
  });
  return {
    async list(filter) {
      return (await agencies.listAgencies(filter)).items.map((a) => ref(a, a.identifiers));
    },
    async department(provinceCode, name, date) {
      const d = await agencies.findDepartment(provinceCode, name, date);
      return d ? this.find(d.code, date) : undefined;
    },
    async find(code, date) {
      try {
        const a = await agencies.getAgency(code, { date });
        const valid = a.identifiers.filter(
          (i) => (i.validFrom === null || i.validFrom <= date) && (i.validTo === null || i.validTo >= date),
        );
        return ref(
          a,
          valid.map((i) => i.identifier),
        );
      } catch (e) {
        if (e instanceof NotFoundError) return undefined;
        throw e;
      }
    },
  };
}

export function procedureSourceFrom(catalogue: Pick<CatalogueService, 'getProcedure'>): ProcedureSource {
  return {
    async find(code, version) {
      let p: Awaited<ReturnType<CatalogueService['getProcedure']>>;
      try {
        p = await catalogue.getProcedure(code, { version });
      } catch (e) {
        if (e instanceof NotFoundError) return undefined;
        throw e;
      }
      const c = p.content;
      return {
        code: p.code,
        version: p.version,
        name: c.name,
        levels: c.levels,
        implementingAgencies: c.implementingAgencies,
        audiences: c.audiences,
        channels: c.channels.map((ch) => ({
          channel: ch.channel,
          times: ch.times.map((t) => ({ amount: t.amount, unit: t.unit })),
          fees: (ch.times[0]?.fees ?? []).map((f) => ({ kind: f.kind, name: f.name, formula: f.formula })),
        })),
        after15hRule: c.after15hRule,
        payment: c.payment,
        form: c.form as FormSchema,
        documents: documentsOf(c),
        cases: c.cases.map((k) => ({
          name: k.name,
          documents: k.documents.map((d) => ({ code: d.code, name: d.name, required: d.required })),
        })),
      };
    },
  };
}

/**
 * `People.leadersOf` from identity's officers: the approvers at the agency's nearest level that has any
 * (a grant at the agency itself, else at its parent, and so on up).
 */
export function leadersFrom(officers: {
  holdersOf(role: 'approver', agencyCode: string): Promise<Array<{ accountId: string; depth: number }>>;
}): (agencyCode: string) => Promise<string[]> {
  return async (agencyCode) => {
    const holders = await officers.holdersOf('approver', agencyCode);
    const nearest = Math.min(...holders.map((h) => h.depth));
    return holders.filter((h) => h.depth === nearest).map((h) => h.accountId);
  };
}

export function workingTimeFrom(calendar: Pick<CalendarService, 'hoursOf' | 'calendarFor'>): WorkingTimeFor {
  return async (agencyCode, at) => {
    const { hours, weekdays } = await calendar.hoursOf(agencyCode, at);
    return { calendar: await calendar.calendarFor(weekdays), hours };
  };
}

// ---------------------------------------------------------------------------------------------------------
// The documents module's wallet (kho dữ liệu điện tử), as filing and results need it
// ---------------------------------------------------------------------------------------------------------

/** A wallet item the applicant may reuse in a dossier, with the portal's verdict on it now. */
export interface WalletItemForDossier {
  id: string;
  kind: 'certified-copy' | 'dossier-result' | 'upload';
  documentType: string;
  title: string;
  issuer: string | null;
  number: string | null;
  issuedOn: string | null;
  expiresOn: string | null;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  /** the portal's own check, now: a signed PDF verified (signature intact, chain trusted, not revoked, copy not revoked) */
  verification: {
    verified: boolean;
    checkedAt: Date;
    summary: { vi: string; en: string };
    signer: string | null;
  };
}

/** The wallet, narrowed (documents module, wired in app.ts); without it filing offers uploads only. */
export interface WalletPort {
  /** The owner's items usable in a dossier (not deleted, not expired), newest first. */
  listForOwner(ownerId: string): Promise<WalletItemForDossier[]>;
  /** One item of the owner with its bytes, verified now; undefined if not theirs / deleted. */
  takeForDossier(
    ownerId: string,
    itemId: string,
  ): Promise<{ item: WalletItemForDossier; bytes: Buffer } | undefined>;
  /** A dossier's result PDF delivered to the applicant's wallet as a signed document. */
  deliverResult(input: {
    ownerId: string;
    dossierCode: string;
    title: string;
    issuer: string;
    agencyCode: string;
    pdf: Buffer;
    fileName: string;
    issuedAt: Date;
  }): Promise<{ itemId: string }>;
}
