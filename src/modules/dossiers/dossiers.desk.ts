/**
 * What the pages and the API add around the dossier service: e-form drafts (with the one-time token of
 * their filing form), uploads into the blob store, the e-form checked against the procedure's schema,
 * the applicant's list, the officers' inbox (dossiers.inbox.ts), assignment, internal
 * comments and the applicant's rating. Submissions and workflow actions still go through
 * `DossiersService` (idempotency, codes, deadlines, history, audit and outbox live there).
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type Kysely, sql } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { vietnamDate } from '../../platform/clock/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import { storedFileName } from '../../platform/security/index.ts';
import { type FormField, type FormSchema, formValueProblems } from '../catalogue/index.ts';
import { OFFICER_ROLES, type OfficerRole } from './domain/workflow.ts';
import { prefill } from './dossiers.answers.ts';
import { formForCase, resolveCase, valuesForCase } from './dossiers.cases.ts';
import { createInbox, toItem } from './dossiers.inbox.ts';
import type { People, ProcedureForFiling, ProcedureSource } from './dossiers.ports.ts';
import type { AttachmentInput, DossiersService, SubmitInput } from './dossiers.service.ts';
import type { DossiersTables } from './dossiers.tables.ts';
import { type BlobStore, type StoredBlob, UploadRejected } from './files/blob-store.ts';
import { DEFAULT_ACCEPT } from './files/sniff.ts';

export const DEFAULT_UPLOAD_MAX_BYTES = 20 * 1024 * 1024;

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
}

export type Desk = ReturnType<typeof createDesk>;
export { INBOX_TABS, type InboxTab, type ListItem, searchOf } from './dossiers.inbox.ts';

/** The file slots of a form, at any depth (slots are top-level in practice). */
export function fileSlots(form: FormSchema | undefined): Array<Extract<FormField, { type: 'file' }>> {
  const out: Array<Extract<FormField, { type: 'file' }>> = [];
  const walk = (fields: readonly FormField[]) => {
    for (const f of fields) {
      if (f.type === 'file') out.push(f);
      else if (f.type === 'group') walk(f.fields);
    }
  };
  walk(form?.fields ?? []);
  return out;
}

export function createDesk(deps: DeskDeps) {
  const { db, clock, service, procedures, people, blobs } = deps;
  const maxBytes = deps.uploadMaxBytes ?? DEFAULT_UPLOAD_MAX_BYTES;

  async function procedureFor(code: string): Promise<ProcedureForFiling> {
    const p = await procedures.find(code);
    if (!p) throw new NotFoundError(`Không có thủ tục mã ${code} đang công khai.`);
    return p;
  }

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

  async function fieldProblems(form: FormSchema | undefined, data: Record<string, unknown>) {
    if (!form) return [];
    const units = new Map<string, boolean>();
    // formValueProblems is synchronous: look the units named in address fields up first.
    const collect = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') {
        const a = v as Record<string, unknown>;
        if (typeof a.province === 'string') units.set(`p:${a.province}`, false);
        if (typeof a.commune === 'string') units.set(`c:${a.commune}`, false);
        Object.values(a).forEach(collect);
      }
    };
    collect(data);
    for (const k of units.keys())
      units.set(k, await deps.isAdminUnit(k.slice(2), k.startsWith('p:') ? 'province' : 'commune'));
    return formValueProblems(form, data, {
      today: vietnamDate(clock.now()),
      isAdminUnit: (code, level) => units.get(`${level === 'province' ? 'p' : 'c'}:${code}`) ?? false,
    });
  }

  /**
   * The e-form checked for the case filed under (dossiers.cases.ts): the case resolved (chosen, the only
   * one, or — `infer`, for the API — the first whose required documents are attached), the form's file
   * slots required as that case says, the answers without the slots it leaves out. Problems by path
   * (`case` when no case is chosen or it is unknown).
   */
  async function checkForm(
    p: ProcedureForFiling,
    data: Record<string, unknown>,
    options: { caseName?: string | undefined; infer?: boolean } = {},
  ) {
    const resolved = resolveCase(p.cases ?? [], p.form, options.caseName, data, {
      infer: options.infer ?? false,
    });
    let form = p.form;
    let formData = data;
    if (p.form && resolved.case) {
      form = formForCase(p.form, resolved.case);
      formData = valuesForCase(p.form, resolved.case, data);
    } else if (p.form && resolved.problem)
      // No case yet: every slot stays, none required (the applicant is asked for the case first).
      form = { fields: p.form.fields.map((f) => (f.type === 'file' ? { ...f, required: false } : f)) };
    const problems = await fieldProblems(form, formData);
    if (resolved.problem) problems.unshift(resolved.problem);
    return { problems, caseName: resolved.case?.name, formData, form };
  }

  async function uploadsOf(accountId: string, ids: string[]) {
    if (ids.length === 0) return [];
    return db
      .selectFrom('dossiers.uploads')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', 'in', ids)
      .execute();
  }

  const toAttachment = (u: Awaited<ReturnType<typeof uploadsOf>>[number]): AttachmentInput => ({
    documentCode: u.document_code ?? undefined,
    fileName: u.file_name,
    mediaType: u.media_type,
    sizeBytes: Number(u.size_bytes),
    sha256: u.sha256,
    blobKey: u.blob_key,
    uploadId: u.id,
  });

  const cleanName = storedFileName;

  function uploadMessage(
    reason: UploadRejected['reason'],
    name: string,
    accept: readonly string[] = DEFAULT_ACCEPT,
    limit = maxBytes,
  ): string {
    if (reason === 'too-large') return `Tệp “${name}” lớn hơn ${Math.round(limit / 1024 / 1024)} MB.`;
    if (reason === 'empty') return `Tệp “${name}” trống.`;
    return `Tệp “${name}” không đúng định dạng cho phép (${accept.map((a) => a.split('/')[1]!.toUpperCase()).join(', ')}); định dạng được xác định theo nội dung tệp, không theo tên tệp.`;
  }

  async function insertUpload(
    accountId: string,
    stored: StoredBlob,
    name: string,
    documentCode: string | undefined,
  ) {
    const row = await db
      .insertInto('dossiers.uploads')
      .values({
        account_id: accountId,
        document_code: documentCode ?? null,
        file_name: name,
        media_type: stored.type.mediaType,
        size_bytes: stored.sizeBytes,
        sha256: stored.sha256,
        blob_key: stored.key,
      })
      .returning(['id', 'file_name', 'media_type', 'size_bytes', 'sha256'])
      .executeTakeFirstOrThrow();
    return { ...row, size_bytes: Number(row.size_bytes) };
  }

  /** The levels at which the applicant may file this procedure online, most local first. */
  function placeLevels(p: Pick<ProcedureForFiling, 'levels'>): Array<'commune' | 'province' | 'central'> {
    return (['commune', 'province', 'central'] as const).filter((l) => p.levels.includes(l));
  }

  async function placeProblems(
    p: ProcedureForFiling,
    place: { level: string; provinceCode: string; communeCode?: string | undefined },
  ): Promise<Array<{ path: string; message: string }>> {
    const levels = placeLevels(p) as string[];
    if (!levels.includes(place.level))
      return [{ path: '/_capGiaiQuyet', message: 'Chọn cấp giải quyết hồ sơ.' }];
    if (!/^\d{2}$/.test(place.provinceCode) || !(await deps.isAdminUnit(place.provinceCode, 'province')))
      return [{ path: '/_tinh', message: 'Chọn tỉnh, thành phố.' }];
    if (place.level !== 'commune') return [];
    const commune = place.communeCode ?? '';
    if (!/^\d{5}$/.test(commune) || !(await deps.isAdminUnit(commune, 'commune')))
      return [{ path: '/_xa', message: 'Chọn xã, phường, đặc khu nơi giải quyết hồ sơ.' }];
    if (deps.provinceOf && (await deps.provinceOf(commune)) !== place.provinceCode)
      return [{ path: '/_xa', message: 'Xã, phường đã chọn không thuộc tỉnh, thành phố đã chọn.' }];
    return [];
  }

  /** A new e-form's answers: the applicant's details from their account, and their last address here. */
  async function startingAnswers(accountId: string, p: ProcedureForFiling) {
    const profile = await people.applicantProfile?.(accountId);
    const last = await db
      .selectFrom('dossiers.dossiers')
      .select(sql<Record<string, unknown> | null>`form_data->'noiCuTru'`.as('address'))
      .where('applicant_account_id', '=', accountId)
      .where(sql<boolean>`jsonb_typeof(form_data->'noiCuTru') = 'object'`)
      .orderBy('submitted_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return prefill(p.form?.fields ?? [], profile, last?.address ?? undefined);
  }

  const inbox = createInbox({ db, clock, service, officerScope });

  return {
    uploadMaxBytes: maxBytes,
    officerScope,
    ...inbox,

    /** Puts a stream into the blob store (any type this module recognises; the slot's check comes after). */
    async storeBlob(stream: Readable) {
      return blobs.put(stream, { maxBytes, accept: (t) => t !== undefined });
    },

    uploadMessage,

    /** Records a stored blob as the account's upload, checking the slot's types and size. */
    async recordUpload(
      accountId: string,
      stored: StoredBlob,
      file: {
        fileName: string;
        documentCode?: string | undefined;
        accept?: readonly string[] | undefined;
        maxBytes?: number | undefined;
      },
    ) {
      const accept = file.accept && file.accept.length > 0 ? file.accept : DEFAULT_ACCEPT;
      const name = cleanName(file.fileName);
      if (!accept.includes(stored.type.mediaType)) {
        const message = uploadMessage('type', name, accept);
        throw new ValidationError(message, [{ path: file.documentCode ?? 'file', message }]);
      }
      const limit = Math.min(file.maxBytes ?? maxBytes, maxBytes);
      if (stored.sizeBytes > limit) {
        const message = uploadMessage('too-large', name, accept, limit);
        throw new ValidationError(message, [{ path: file.documentCode ?? 'file', message }]);
      }
      return insertUpload(accountId, stored, name, file.documentCode);
    },

    /**
     * Stores an uploaded file: its type found by content must be one the slot accepts (PDF, JPEG, PNG by
     * default), at most the configured size; SHA-256 kept. 400 with a Vietnamese message otherwise.
     */
    async upload(
      accountId: string,
      file: {
        stream: Readable;
        fileName: string;
        documentCode?: string | undefined;
        accept?: readonly string[];
      },
    ) {
      const accept = file.accept && file.accept.length > 0 ? file.accept : DEFAULT_ACCEPT;
      const name = cleanName(file.fileName);
      let stored: StoredBlob;
      try {
        stored = await blobs.put(file.stream, {
          maxBytes,
          accept: (t) => !!t && accept.includes(t.mediaType),
        });
      } catch (e) {
        if (e instanceof UploadRejected) {
          const message = uploadMessage(e.reason, name, accept);
          throw new ValidationError(message, [{ path: file.documentCode ?? 'file', message }]);
        }
        throw e;
      }
      return insertUpload(accountId, stored, name, file.documentCode);
    },

    /**
     * Removes from the blob store the files a request stored while its form was parsed but never
     * recorded as uploads (a refused type for the slot, a failed CSRF check, an unknown field).
     */
    async discardUnrecorded(keys: string[]) {
      if (keys.length === 0) return;
      const known = await sql<{ blob_key: string }>`
        select blob_key from dossiers.uploads where blob_key = any(${keys}::text[])
        union select blob_key from dossiers.attachments where blob_key = any(${keys}::text[])`.execute(db);
      const keep = new Set(known.rows.map((r) => r.blob_key));
      for (const key of keys) if (!keep.has(key)) await blobs.delete(key);
    },

    /** Uploads of the account by id (only their own). */
    async uploads(accountId: string, ids: string[]) {
      return (await uploadsOf(accountId, ids)).map((u) => ({ ...u, size_bytes: Number(u.size_bytes) }));
    },

    /** The content of a dossier's attachment, for someone who may see the dossier. */
    async attachmentContent(accountId: string, code: string, attachmentId: string) {
      const v = await service.get(accountId, code);
      const a = v.attachments.find((x) => x.id === attachmentId);
      if (!a) throw new NotFoundError('Không tìm thấy tệp.');
      const row = await db
        .selectFrom('dossiers.attachments')
        .select('blob_key')
        .where('id', '=', attachmentId)
        .executeTakeFirstOrThrow();
      const stream = await blobs.get(row.blob_key);
      if (!stream) throw new NotFoundError('Nội dung tệp không còn trong kho lưu trữ.');
      return { stream, fileName: a.fileName, mediaType: a.mediaType };
    },

    /** The content of the account's own upload (a draft's file). */
    async uploadContent(accountId: string, uploadId: string) {
      if (!/^[0-9a-f-]{36}$/.test(uploadId)) throw new NotFoundError('Không tìm thấy tệp.');
      const [u] = await uploadsOf(accountId, [uploadId]);
      if (!u) throw new NotFoundError('Không tìm thấy tệp.');
      const stream = await blobs.get(u.blob_key);
      if (!stream) throw new NotFoundError('Nội dung tệp không còn trong kho lưu trữ.');
      return { stream, fileName: u.file_name, mediaType: u.media_type };
    },

    procedureFor,
    /** A published procedure's version, as filed under (undefined once it is no longer known). */
    procedureVersion: (code: string, version: number) => procedures.find(code, version),
    checkForm,

    // ——— drafts ———

    /**
     * The open draft the account has for this procedure, or a new one. At most one is open per account
     * and procedure (a partial unique index, migration 0033): two first visits at the same moment both
     * insert, one wins, and the other reads the winner's draft back.
     */
    async openDraft(accountId: string, procedureCode: string) {
      const p = await procedureFor(procedureCode);
      const findOpen = () =>
        db
          .selectFrom('dossiers.drafts')
          .selectAll()
          .where('account_id', '=', accountId)
          .where('procedure_code', '=', procedureCode)
          .where('submitted_dossier', 'is', null)
          .executeTakeFirst();
      // Another request may open it between our look and our insert (`on conflict do nothing` waits for
      // its insert to commit), or even submit it before we look again: then look, and insert, again.
      for (let attempt = 0; attempt < 3; attempt++) {
        const open = await findOpen();
        if (open) return open;
        const created = await db
          .insertInto('dossiers.drafts')
          .values({
            account_id: accountId,
            procedure_code: procedureCode,
            form_data: JSON.stringify(await startingAnswers(accountId, p)),
            submit_token: randomBytes(18).toString('base64url'),
          })
          .onConflict((oc) =>
            oc.columns(['account_id', 'procedure_code']).where('submitted_dossier', 'is', null).doNothing(),
          )
          .returningAll()
          .executeTakeFirst();
        if (created) return created;
      }
      throw new ConflictError('Bản nháp đang được mở ở một cửa sổ khác; hãy tải lại trang.');
    },

    async draft(accountId: string, id: string) {
      if (!/^[0-9a-f-]{36}$/.test(id)) throw new NotFoundError('Không tìm thấy bản nháp.');
      const d = await db
        .selectFrom('dossiers.drafts')
        .selectAll()
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (!d) throw new NotFoundError('Không tìm thấy bản nháp.');
      return d;
    },

    /** The account's open drafts, the latest saved first, each with its procedure's name. */
    async drafts(accountId: string) {
      const rows = await db
        .selectFrom('dossiers.drafts')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('submitted_dossier', 'is', null)
        .orderBy('updated_at', 'desc')
        .limit(50)
        .execute();
      const names = new Map<string, string | null>();
      for (const code of new Set(rows.map((r) => r.procedure_code)))
        names.set(code, (await procedures.find(code))?.name ?? null);
      return rows.map((r) => ({ ...r, procedure_name: names.get(r.procedure_code) ?? null }));
    },

    /**
     * Where the draft's dossier will go: the level (among those the procedure allows), the province, and
     * the commune for a commune-level matter — each checked against today's administrative units.
     */
    async saveDraftPlace(
      accountId: string,
      id: string,
      place: { level: string; provinceCode: string; communeCode?: string | undefined },
    ) {
      const d = await this.draft(accountId, id);
      const p = await procedureFor(d.procedure_code);
      const problems = await placeProblems(p, place);
      if (problems.length > 0) throw new ValidationError(problems[0]!.message, problems);
      const r = await db
        .updateTable('dossiers.drafts')
        .set({
          place_level: place.level,
          place_province_code: place.provinceCode,
          place_commune_code: place.level === 'commune' ? (place.communeCode ?? null) : null,
          updated_at: clock.now(),
        })
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .where('submitted_dossier', 'is', null)
        .executeTakeFirst();
      if (r.numUpdatedRows !== 1n) throw new ConflictError('Bản nháp này đã được nộp hoặc không còn.');
    },

    placeLevels,

    async saveDraft(accountId: string, id: string, formData: Record<string, unknown>, caseName?: string) {
      const now = clock.now();
      const r = await db
        .updateTable('dossiers.drafts')
        .set({
          form_data: JSON.stringify(formData),
          case_name: caseName?.slice(0, 500) || null,
          updated_at: now,
        })
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .where('submitted_dossier', 'is', null)
        .executeTakeFirst();
      if (r.numUpdatedRows !== 1n) throw new ConflictError('Bản nháp này đã được nộp hoặc không còn.');
    },

    /**
     * Submits a draft: the form checked against the procedure's e-form (problems with the fields'
     * paths), files resolved from the account's uploads, then `service.submit` with the draft's
     * one-time token as the idempotency key — a double submit returns the same dossier.
     */
    async submitDraft(
      accountId: string,
      id: string,
      input: {
        applicant: SubmitInput['applicant'];
        formData: Record<string, unknown>;
        token: string;
        /** The case chosen (by name), when the procedure has several. */
        caseName?: string | undefined;
      },
    ) {
      const d = await this.draft(accountId, id);
      if (input.token !== d.submit_token)
        throw new ConflictError('Biểu mẫu này đã cũ; hãy tải lại trang và nộp lại.');
      const p = await procedureFor(d.procedure_code);
      const { problems, caseName, formData, form } = await checkForm(p, input.formData, {
        caseName: input.caseName,
      });
      // Only the slots of the case's documents count (the others' files are not attached).
      const slots = fileSlots(form);
      const ids = slots.map((s) => formData[s.key]).filter((v): v is string => typeof v === 'string');
      const ups = await uploadsOf(accountId, ids);
      for (const s of slots) {
        const v = formData[s.key];
        if (typeof v === 'string' && !ups.some((u) => u.id === v))
          problems.push({ path: `/${s.key}`, message: `“${s.label.vi}”: không tìm thấy tệp đã tải lên` });
      }
      if (problems.length > 0) {
        if (!d.submitted_dossier) await this.saveDraft(accountId, id, input.formData, input.caseName);
        throw new ValidationError('Tờ khai chưa hợp lệ.', problems);
      }
      if (!d.place_province_code || !d.place_level)
        throw new ValidationError('Chọn nơi giải quyết hồ sơ trước khi nộp.', [
          { path: '/_noiGiaiQuyet', message: 'Chọn tỉnh, thành phố (và xã, phường nếu cần)' },
        ]);
      const { dossier, created } = await service.submit({
        accountId,
        applicant: input.applicant,
        idempotencyKey: `draft:${d.submit_token}`,
        procedureCode: d.procedure_code,
        procedureVersion: p.version,
        channel: 'online',
        place: {
          provinceCode: d.place_province_code,
          ...(d.place_level === 'commune' && d.place_commune_code
            ? { communeCode: d.place_commune_code }
            : {}),
        },
        caseName,
        formData,
        attachments: slots.flatMap((s) => {
          const u = ups.find((x) => x.id === formData[s.key]);
          return u ? [{ ...toAttachment(u), documentCode: s.documentCode }] : [];
        }),
      });
      // The uploads were claimed by the submission's own transaction.
      if (created)
        await db
          .updateTable('dossiers.drafts')
          .set({ submitted_dossier: dossier.code, updated_at: clock.now() })
          .where('id', '=', id)
          .execute();
      return { dossier, created };
    },

    /** Attachments for an action from the account's uploads (supplement, result). */
    async attachmentsFor(accountId: string, ids: string[], purpose: 'supplement' | 'result') {
      const ups = await uploadsOf(accountId, ids);
      if (ups.length !== ids.length)
        throw new ValidationError('Không tìm thấy tệp đã tải lên.', [
          { path: 'files', message: 'unknown upload' },
        ]);
      return ups.map((u) => ({ ...toAttachment(u), purpose }));
    },

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

    // ——— assignment, comments, rating ———

    /** Assigns an open dossier to an officer holding a role on it (or to no one). */
    async assign(actorId: string, code: string, assigneeId: string | null) {
      const { row, roles } = await service.scopeOf(actorId, code);
      if (![...roles].some((r) => r !== 'applicant'))
        throw new NotFoundError(`Không tìm thấy hồ sơ ${code}.`);
      if (assigneeId) {
        const theirs = await service.scopeOf(assigneeId, code).catch(() => undefined);
        if (!theirs || ![...theirs.roles].some((r) => r !== 'applicant'))
          throw new ValidationError('Cán bộ được phân công không có vai trò xử lý hồ sơ này.', [
            { path: 'assignee', message: 'no role on this dossier' },
          ]);
      }
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('dossiers.dossiers')
          .set({ assignee_account_id: assigneeId, assigned_at: assigneeId ? now : null, updated_at: now })
          .where('code', '=', row.code)
          .execute();
        await appendAudit(
          trx,
          {
            actor: `officer:${actorId}`,
            action: 'dossier.assign',
            subject: `dossier:${row.code}`,
            data: { assignee: assigneeId },
          },
          now,
        );
      });
    },

    async comments(accountId: string, code: string) {
      const { roles } = await service.scopeOf(accountId, code);
      if (![...roles].some((r) => r !== 'applicant')) return [];
      return db
        .selectFrom('dossiers.comments')
        .selectAll()
        .where('dossier_code', '=', code)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    /** An officer's internal comment (the applicant never sees it). */
    async comment(accountId: string, code: string, body: string) {
      const { roles } = await service.scopeOf(accountId, code);
      if (![...roles].some((r) => r !== 'applicant'))
        throw new NotFoundError(`Không tìm thấy hồ sơ ${code}.`);
      const text = body.normalize('NFC').trim();
      if (text.length < 1 || text.length > 4000)
        throw new ValidationError('Ý kiến từ 1 đến 4.000 ký tự.', [
          { path: 'body', message: '1–4000 characters' },
        ]);
      const p = await people.profileOf(accountId);
      await db
        .insertInto('dossiers.comments')
        .values({
          dossier_code: code,
          account_id: accountId,
          author_name: `${p?.name ?? 'Cán bộ'}${p?.title ? `, ${p.title}` : ''}`.slice(0, 300),
          body: text,
          created_at: clock.now(),
        })
        .execute();
    },

    async rating(code: string) {
      return db
        .selectFrom('dossiers.ratings')
        .selectAll()
        .where('dossier_code', '=', code)
        .executeTakeFirst();
    },

    /** The applicant rates the dossier once its result is out (resolved or returned); once. */
    async rate(accountId: string, code: string, input: { satisfied: boolean; comment?: string | undefined }) {
      const { row, roles } = await service.scopeOf(accountId, code);
      if (!roles.has('applicant')) throw new NotFoundError(`Không tìm thấy hồ sơ ${code}.`);
      if (row.status !== 9 && row.status !== 10)
        throw new ConflictError('Chỉ đánh giá được khi hồ sơ đã có kết quả.', {
          state: row.state,
          status: row.status,
        });
      const comment = input.comment?.normalize('NFC').trim();
      if (comment && comment.length > 2000)
        throw new ValidationError('Ý kiến tối đa 2.000 ký tự.', [
          { path: 'comment', message: 'at most 2000 characters' },
        ]);
      const r = await db
        .insertInto('dossiers.ratings')
        .values({
          dossier_code: code,
          account_id: accountId,
          satisfied: input.satisfied,
          comment: comment || null,
          rated_at: clock.now(),
        })
        .onConflict((oc) => oc.column('dossier_code').doNothing())
        .returning('dossier_code')
        .executeTakeFirst();
      if (!r) throw new ConflictError('Hồ sơ này đã được đánh giá.');
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
