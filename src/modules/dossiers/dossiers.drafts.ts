/**
 * E-form drafts: one open per account and procedure (with the one-time token of its filing form), the
 * place the dossier will go, the e-form checked against the procedure's schema for the case filed
 * under, and the submission through `DossiersService.submit` (idempotency, codes, deadlines, history,
 * audit and outbox live there).
 */
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { vietnamDate } from '../../platform/clock/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import { type FormField, type FormSchema, formValueProblems } from '../catalogue/index.ts';
import { prefill } from './dossiers.answers.ts';
import { formForCase, resolveCase, valuesForCase } from './dossiers.cases.ts';
import type { People, ProcedureForFiling, ProcedureSource } from './dossiers.ports.ts';
import type { DossiersService, SubmitInput } from './dossiers.service.ts';
import type { DossiersTables } from './dossiers.tables.ts';
import type { Uploads } from './dossiers.uploads.ts';

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

export interface DraftsDeps {
  db: Kysely<DossiersTables>;
  clock: Clock;
  service: Pick<DossiersService, 'submit'>;
  procedures: ProcedureSource;
  people: Pick<People, 'applicantProfile'>;
  uploads: Pick<Uploads, 'uploadsOf' | 'toAttachment'>;
  /** Does this province (2 digits) or commune (5 digits) exist today (for address fields)? */
  isAdminUnit(code: string, level: 'province' | 'commune'): Promise<boolean> | boolean;
  /** The province a commune (valid today) lies in. */
  provinceOf?(communeCode: string): Promise<string | undefined>;
}

export function createDrafts(deps: DraftsDeps) {
  const { db, clock, service, procedures, people } = deps;
  const { uploadsOf, toAttachment } = deps.uploads;

  async function procedureFor(code: string): Promise<ProcedureForFiling> {
    const p = await procedures.find(code);
    if (!p) throw new NotFoundError(`Không có thủ tục mã ${code} đang công khai.`);
    return p;
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

  const drafts = {
    procedureFor,
    /** A published procedure's version, as filed under (undefined once it is no longer known). */
    procedureVersion: (code: string, version: number) => procedures.find(code, version),
    checkForm,

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
      const d = await drafts.draft(accountId, id);
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
      const d = await drafts.draft(accountId, id);
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
        if (!d.submitted_dossier) await drafts.saveDraft(accountId, id, input.formData, input.caseName);
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
  };
  return drafts;
}
