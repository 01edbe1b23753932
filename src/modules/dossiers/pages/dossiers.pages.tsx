/**
 * Dossier pages, Vietnamese first, all working without JavaScript: filing (the e-form from the
 * procedure's schema, files per required document, drafts, submission with the draft's one-time token),
 * the receipt, "Hồ sơ của tôi", one dossier (timeline, files, the applicant's supplement, withdrawal and
 * rating; the officer's action forms, assignment, internal comments), the officers' inbox, form 01 as PDF.
 *
 * The filing route lives at /ho-so/nop/{code}: /nop-ho-so/{code} belongs to the catalogue (its
 * "online filing" information page), which should link here.
 */
import fs from 'node:fs';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, NotFoundError, ValidationError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { DataTable, Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import { CsrfField, ErrorSummary } from '../../identity/pages/forms.tsx';
import { findProcess } from '../domain/processes.ts';
import { STATUS_NAMES, type StatusCode } from '../domain/workflow.ts';
import { type Desk, fileSlots, INBOX_TABS, type InboxTab, type ListItem } from '../dossiers.desk.ts';
import { vnWhen } from '../dossiers.notify.ts';
import type { People, SyncedDossierSummary, SyncedDossiers } from '../dossiers.ports.ts';
import { applicantOf } from '../dossiers.routes.ts';
import type { DossiersService } from '../dossiers.service.ts';
import { type StoredBlob, UploadRejected } from '../files/blob-store.ts';
import { noticePdf, receiptPdf } from '../forms/receipt-pdf.ts';
import { type EFormContext, EFormFields, type Errors, idOf, readEForm, type Unit } from './eform.tsx';

interface PagesDeps {
  service: DossiersService;
  desk: Desk;
  people: People;
  /** Dossiers synced from agencies' systems whose applicant is the account (citizens). */
  synced?: SyncedDossiers | undefined;
  adminUnits(level: 'province' | 'commune', parent?: string): Promise<Unit[]>;
  agencyName(code: string): Promise<string | undefined>;
}

/** What a file part of a multipart form became while it was parsed. */
type FilePart = { stored: StoredBlob; fileName: string } | { error: string; fileName: string };

const CodeParams = Type.Object({ code: Type.String({ maxLength: 60 }) });
const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const FormParams = Type.Object({
  code: Type.String({ maxLength: 60 }),
  form: Type.String({ maxLength: 10 }),
});
const FileParams = Type.Object({ code: Type.String({ maxLength: 60 }), id: Type.String({ maxLength: 40 }) });
const Loose = Type.Record(Type.String(), Type.Unknown());
const applicants = access.account('citizen', 'business', 'organisation');
const OFFICER_ROLES_DECL = access.officer('receiver', 'processor', 'approver', 'cashier');

const TAB_LABELS: Record<InboxTab, string> = {
  new: 'Mới nộp',
  mine: 'Được giao cho tôi',
  'due-soon': 'Sắp đến hạn',
  overdue: 'Quá hạn',
  escalated: 'Đã báo cáo lãnh đạo',
  open: 'Đang giải quyết',
  all: 'Tất cả',
};

const FLAG_LABELS: Record<string, string> = {
  'on-time': 'Trong hạn',
  'due-soon': 'Sắp đến hạn',
  overdue: 'Quá hạn',
  paused: 'Tạm dừng tính thời gian (chờ bổ sung)',
  early: 'Trước hạn',
  late: 'Trễ hạn',
};

const one = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;

const FILING_JS = '/ho-so/tai-nguyen/nop-ho-so.js';
const filingJs = fs.readFileSync(new URL('./assets/nop-ho-so.js', import.meta.url), 'utf8');

export async function dossiersPages(app: AppInstance, deps: PagesDeps) {
  const { service, desk } = deps;
  const maxBytes = desk.uploadMaxBytes;

  app.get(FILING_JS, { config: { access: access.public }, schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(filingJs),
  );

  // Multipart forms (files) on this module's pages only: each file goes to the blob store as it is
  // parsed (type by content, size limit, SHA-256); the handler records it after the CSRF check.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: maxBytes + 64 * 1024, files: 40, fields: 600, fieldSize: 64 * 1024 },
    async onFile(part: MultipartFile) {
      const target = part as unknown as { value?: FilePart };
      const fileName = (part.filename ?? '').normalize('NFC');
      if (!fileName) {
        part.file.resume();
        for await (const _ of part.file) {
          // an empty file input: nothing chosen
        }
        target.value = undefined;
        return;
      }
      try {
        target.value = { stored: await desk.storeBlob(part.file), fileName };
      } catch (e) {
        part.file.resume();
        for await (const _ of part.file) {
          // drain what is left of a refused file
        }
        if (e instanceof UploadRejected || (e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
          target.value = {
            error: desk.uploadMessage(e instanceof UploadRejected ? e.reason : 'too-large', fileName),
            fileName,
          };
        else throw e;
      }
    },
  });

  // Files stored while a form was parsed but not recorded by its handler (a type the slot refuses, a
  // failed CSRF check…) leave the blob store once the answer is sent.
  app.addHook('onResponse', async (request) => {
    const body = request.body;
    if (!body || typeof body !== 'object') return;
    const keys = Object.values(body as Record<string, unknown>)
      .flat()
      .flatMap((v) =>
        v && typeof v === 'object' && 'stored' in v ? [(v as { stored: StoredBlob }).stored.key] : [],
      );
    if (keys.length > 0)
      await desk
        .discardUnrecorded(keys)
        .catch((err) => request.log.warn({ err }, 'discarding unrecorded files'));
  });

  const provinces = async () => deps.adminUnits('province');
  const communeCache = new Map<string, Unit[]>();
  async function communes(province: string) {
    if (!/^\d{2}$/.test(province)) return [];
    let c = communeCache.get(province);
    if (!c) {
      c = await deps.adminUnits('commune', province);
      communeCache.set(province, c);
    }
    return c;
  }

  // ——— filing ———

  app.get(
    '/ho-so/nop/:code',
    { config: { access: applicants }, schema: { hide: true, params: CodeParams } },
    async (request, reply) => {
      const d = await desk.openDraft(request.account!.id, request.params.code.toUpperCase().slice(0, 60));
      return reply.redirect(`/ho-so/nhap/${d.id}`, 303);
    },
  );

  async function renderFiling(
    request: FastifyRequest,
    reply: FastifyReply,
    draftId: string,
    state: {
      values?: Record<string, unknown>;
      errors?: Errors;
      saved?: boolean;
      status?: number;
      caseName?: string | undefined;
    } = {},
  ) {
    const locale = pageLocale(request);
    const d = await desk.draft(request.account!.id, draftId);
    if (d.submitted_dossier)
      return reply.redirect(`/ho-so/${encodeURIComponent(d.submitted_dossier)}/bien-nhan`, 303);
    const p = await desk.procedureFor(d.procedure_code);
    const values = state.values ?? d.form_data;
    const province = Object.values(values)
      .map((v) => (v && typeof v === 'object' ? (v as { province?: unknown }).province : undefined))
      .find((x): x is string => typeof x === 'string');
    const uploadIds = fileSlots(p.form)
      .map((s) => values[s.key])
      .filter((v): v is string => typeof v === 'string');
    const ups = await desk.uploads(request.account!.id, uploadIds);
    const ctx: EFormContext = {
      errors: state.errors ?? {},
      provinces: await provinces(),
      communesOf: () => [],
      uploads: new Map(ups.map((u) => [u.id, u])),
      maxMb: Math.round(maxBytes / 1024 / 1024),
      communesKnown: (await deps.adminUnits('commune')).length > 0,
    };
    const communeList = province ? await communes(province) : [];
    ctx.communesOf = (code) => (code === province ? communeList : []);
    // The cases (trường hợp): with several, the applicant chooses theirs and only its documents count.
    const cases = p.cases ?? [];
    const multi = cases.length > 1;
    const chosenName = 'caseName' in state ? state.caseName : (d.case_name ?? undefined);
    const chosen = cases.findIndex((c) => c.name === chosenName);
    const caseError = ctx.errors['/_truongHop'];
    if (multi && chosen < 0) ctx.optionalFile = 'tùy trường hợp';
    const errorList = Object.fromEntries(Object.entries(ctx.errors).map(([k, v]) => [idOf(k), v]));
    const token = await reply.csrfToken();
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={`Nộp hồ sơ: ${p.name}`}
        path={request.url}
        breadcrumbs={[
          { href: `/thu-tuc/${encodeURIComponent(p.code)}`, label: p.name },
          { label: tx(locale, 'Nộp hồ sơ trực tuyến', 'File online') },
        ]}
      >
        <PageHeading title={p.name} lead={`Mã thủ tục ${p.code} · Nộp hồ sơ trực tuyến`} />
        <p class="hint">
          Bản nháp và tệp đã đính kèm được giữ 30 ngày kể từ lần lưu cuối; quá hạn đó bản nháp bị xoá.
        </p>
        {state.saved ? (
          <Notice kind="success" title="Đã lưu nháp">
            Bạn có thể quay lại hoàn thiện và nộp sau, từ trang “Hồ sơ của tôi”.
          </Notice>
        ) : null}
        <ErrorSummary errors={errorList} title="Tờ khai chưa hợp lệ" />
        <form
          class="form"
          method="post"
          action={`/ho-so/nhap/${d.id}`}
          enctype="multipart/form-data"
          novalidate
        >
          <CsrfField token={token} />
          <input type="hidden" name="token" value={d.submit_token} />
          <h2>Tờ khai</h2>
          <EFormFields
            fields={(p.form?.fields ?? []).filter((f) => f.type !== 'file')}
            values={values}
            path=""
            ctx={ctx}
          />
          <h2>Giấy tờ đính kèm</h2>
          {multi ? (
            <fieldset
              class={`choices${caseError ? ' field--error' : ''}`}
              id="f._truongHop"
              aria-describedby={['f._truongHop-goi-y', caseError ? 'f._truongHop-loi' : '']
                .filter(Boolean)
                .join(' ')}
            >
              <legend>Trường hợp của bạn</legend>
              <p class="hint" id="f._truongHop-goi-y">
                Giấy tờ cần nộp tùy theo trường hợp.
                {chosen < 0 ? (
                  <span data-goi-y-truong-hop="">
                    {' '}
                    Chọn trường hợp rồi bấm “Lưu nháp” để chỉ hiện giấy tờ của trường hợp đó.
                  </span>
                ) : null}
              </p>
              {caseError ? (
                <p class="field-error" id="f._truongHop-loi">
                  {caseError}
                </p>
              ) : null}
              {cases.map((c, i) => (
                <label key={c.name}>
                  <input type="radio" name="truongHop" value={String(i)} checked={i === chosen} /> {c.name}
                </label>
              ))}
            </fieldset>
          ) : null}
          {fileSlots(p.form).map((slot) => {
            const inCases = cases.flatMap((c, i) =>
              c.documents.some((x) => x.code === slot.documentCode) ? [i] : [],
            );
            const requiredIn = cases.flatMap((c, i) =>
              c.documents.some((x) => x.code === slot.documentCode && x.required) ? [i] : [],
            );
            const shown = !multi || chosen < 0 || inCases.includes(chosen);
            const required = multi ? requiredIn.includes(chosen) : slot.required;
            return (
              <div
                key={slot.key}
                data-giay-to=""
                data-trong={inCases.join(' ')}
                data-bat-buoc={requiredIn.join(' ')}
                hidden={!shown}
              >
                <EFormFields fields={[{ ...slot, required }]} values={values} path="" ctx={ctx} />
              </div>
            );
          })}
          {multi ? <script src={FILING_JS} defer /> : null}
          <div class="form-actions">
            <button type="submit" class="button" name="hanhDong" value="nop">
              Nộp hồ sơ
            </button>
            <button type="submit" class="button button--secondary" name="hanhDong" value="luu">
              Lưu nháp
            </button>
          </div>
        </form>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/ho-so/nhap/:id',
    { config: { access: applicants }, schema: { hide: true, params: IdParams } },
    async (request, reply) =>
      renderFiling(request, reply, request.params.id, {
        saved: (request.query as Record<string, unknown>)['da-luu'] === '1',
      }),
  );

  /** Records the files of a posted form as the account's uploads; problems by field path. */
  async function recordFiles(
    accountId: string,
    body: Record<string, unknown>,
    slots: Array<{ key: string; documentCode?: string; accept?: readonly string[]; maxMb?: number }>,
    errors: Errors,
  ): Promise<Record<string, string>> {
    const ids: Record<string, string> = {};
    for (const s of slots) {
      const part = body[`tep.${s.key}`] as FilePart | undefined;
      if (!part || typeof part !== 'object') continue;
      if ('error' in part) {
        errors[`/${s.key}`] = part.error;
        continue;
      }
      try {
        const u = await desk.recordUpload(accountId, part.stored, {
          fileName: part.fileName,
          documentCode: s.documentCode,
          accept: s.accept,
          maxBytes: s.maxMb ? s.maxMb * 1024 * 1024 : undefined,
        });
        ids[s.key] = u.id;
      } catch (e) {
        if (e instanceof ValidationError) errors[`/${s.key}`] = e.message;
        else throw e;
      }
    }
    return ids;
  }

  app.post(
    '/ho-so/nhap/:id',
    { config: { access: applicants }, schema: { hide: true, params: IdParams, body: Loose } },
    async (request, reply) => {
      const accountId = request.account!.id;
      const body = request.body as Record<string, unknown>;
      const d = await desk.draft(accountId, request.params.id);
      if (d.submitted_dossier)
        return reply.redirect(`/ho-so/${encodeURIComponent(d.submitted_dossier)}/bien-nhan`, 303);
      const p = await desk.procedureFor(d.procedure_code);
      const fields = p.form?.fields ?? [];
      const values = readEForm(
        fields.filter((f) => f.type !== 'file'),
        body,
      );
      const errors: Errors = {};
      const slots = fileSlots(p.form);
      const fresh = await recordFiles(
        accountId,
        body,
        slots.map((s) => ({
          key: s.key,
          documentCode: s.documentCode,
          accept: s.accept,
          maxMb: s.maxSizeMb,
        })),
        errors,
      );
      for (const s of slots) {
        const kept = one(body[`f.${s.key}`]);
        const id = fresh[s.key] ?? (kept && /^[0-9a-f-]{36}$/.test(kept) ? kept : undefined);
        if (id) values[s.key] = id;
      }
      const caseIndex = Number(one(body.truongHop) ?? Number.NaN);
      const caseName = Number.isInteger(caseIndex) ? p.cases?.[caseIndex]?.name : undefined;
      if (one(body.hanhDong) !== 'nop' || Object.keys(errors).length > 0) {
        await desk.saveDraft(accountId, d.id, values, caseName);
        if (Object.keys(errors).length > 0)
          return renderFiling(request, reply, d.id, { values, errors, status: 400, caseName });
        return reply.redirect(`/ho-so/nhap/${d.id}?da-luu=1`, 303);
      }
      try {
        const { dossier } = await desk.submitDraft(accountId, d.id, {
          applicant: applicantOf(request),
          formData: values,
          token: one(body.token) ?? '',
          caseName,
        });
        return reply.redirect(`/ho-so/${encodeURIComponent(dossier.code)}/bien-nhan`, 303);
      } catch (e) {
        if (e instanceof ValidationError) {
          const errs: Errors = {};
          for (const x of (e.extras.errors as Array<{ path: string; message: string }>) ?? [])
            errs[x.path === 'case' ? '/_truongHop' : x.path] ??= x.message;
          if (Object.keys(errs).length === 0 || errs[''] !== undefined) errs['/_'] = e.message;
          return renderFiling(request, reply, d.id, { values, errors: errs, status: 400, caseName });
        }
        // A second submit of the same form after the first made the dossier: show that dossier.
        const again = await desk.draft(accountId, d.id);
        if (again.submitted_dossier)
          return reply.redirect(`/ho-so/${encodeURIComponent(again.submitted_dossier)}/bien-nhan`, 303);
        throw e;
      }
    },
  );

  // ——— the applicant's list ———

  app.get(
    '/ho-so/cua-toi',
    { config: { access: applicants }, schema: { hide: true } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const [items, drafts, syncedAll] = await Promise.all([
        desk.mine(request.account!.id, { limit: 200 }),
        desk.drafts(request.account!.id),
        deps.synced && request.account!.kind === 'citizen'
          ? deps.synced.list(request.account!.id)
          : Promise.resolve([] as SyncedDossierSummary[]),
      ]);
      const filed = new Set(items.map((i) => i.code));
      const synced = syncedAll.filter((d) => !filed.has(d.code));
      const names = new Map<string, string>();
      for (const i of items)
        if (!names.has(i.competentAgencyCode))
          names.set(
            i.competentAgencyCode,
            (await deps.agencyName(i.competentAgencyCode)) ?? i.competentAgencyCode,
          );
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title="Hồ sơ của tôi"
          path={request.url}
          breadcrumbs={[{ label: 'Hồ sơ của tôi' }]}
        >
          <PageHeading
            title="Hồ sơ của tôi"
            lead="Hồ sơ bạn đã nộp trực tuyến tại mọi cơ quan, mới nhất trước."
          />
          {drafts.length > 0 ? (
            <>
              <h2>Bản nháp chưa nộp</h2>
              <ul>
                {drafts.map((d) => (
                  <li key={d.id}>
                    <a href={`/ho-so/nhap/${d.id}`}>Thủ tục {d.procedure_code}</a> — lưu lúc{' '}
                    {vnWhen(d.updated_at)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <DossierTable items={items} names={names} caption="Hồ sơ đã nộp" />
          {request.account!.kind === 'citizen' && deps.synced ? (
            <section aria-labelledby="ho-so-dong-bo">
              <h2 id="ho-so-dong-bo">Hồ sơ nộp tại cơ quan</h2>
              <p class="hint">
                Hồ sơ bạn nộp trực tiếp hoặc qua hệ thống của bộ, ngành, địa phương, được hệ thống một cửa của
                cơ quan đồng bộ về Cổng: những hồ sơ ghi số giấy tờ là số định danh cá nhân của tài khoản này
                và họ tên chủ hồ sơ trùng với họ tên của tài khoản.
              </p>
              <DataTable
                caption="Hồ sơ đồng bộ từ hệ thống của cơ quan"
                rows={synced}
                rowKey={(d) => d.code}
                empty="Chưa có hồ sơ nào được đồng bộ về Cổng với số định danh của bạn."
                columns={[
                  {
                    header: 'Mã hồ sơ',
                    cell: (d) => <a href={`/ho-so/dong-bo/${encodeURIComponent(d.code)}`}>{d.code}</a>,
                  },
                  { header: 'Thủ tục', cell: (d) => d.procedureName ?? d.procedureCode },
                  { header: 'Cơ quan', cell: (d) => d.agencyName ?? d.agencyCode },
                  { header: 'Trạng thái', cell: (d) => d.statusName },
                  { header: 'Ngày tiếp nhận', cell: (d) => (d.receivedAt ? vnWhen(d.receivedAt) : '—') },
                  { header: 'Hẹn trả', cell: (d) => (d.dueAt ? vnWhen(d.dueAt) : '—') },
                  { header: 'Đồng bộ từ', cell: (d) => d.source.name ?? d.source.clientId },
                ]}
              />
            </section>
          ) : null}
        </Layout>,
      );
    },
  );

  app.get(
    '/ho-so/dong-bo/:code',
    { config: { access: applicants }, schema: { hide: true, params: CodeParams } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const code = request.params.code.trim().toUpperCase();
      const d = deps.synced ? await deps.synced.find(request.account!.id, code) : undefined;
      if (!d) throw new NotFoundError(`Không có hồ sơ ${code}.`);
      const title = `Hồ sơ ${d.code}`;
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={title}
          path={request.url}
          breadcrumbs={[{ href: '/ho-so/cua-toi', label: 'Hồ sơ của tôi' }, { label: d.code }]}
        >
          <PageHeading title={title} lead={d.procedureName ?? d.procedureCode} />
          <Notice kind="info">
            <p>
              Hồ sơ nộp tại cơ quan, đồng bộ từ <strong>{d.source.name ?? d.source.clientId}</strong>. Thông
              tin do hệ thống của cơ quan gửi về; mọi thắc mắc xin liên hệ cơ quan tiếp nhận.
            </p>
          </Notice>
          <dl class="facts">
            <dt>Thủ tục</dt>
            <dd>
              {d.procedureName ?? ''} ({d.procedureCode})
            </dd>
            <dt>Cơ quan</dt>
            <dd>{d.agencyName ?? d.agencyCode}</dd>
            <dt>Trạng thái</dt>
            <dd>
              <strong>{d.statusName}</strong> (từ {vnWhen(d.statusAt)})
            </dd>
            <dt>Ngày nộp</dt>
            <dd>{d.submittedAt ? vnWhen(d.submittedAt) : '—'}</dd>
            <dt>Ngày tiếp nhận</dt>
            <dd>{d.receivedAt ? vnWhen(d.receivedAt) : '—'}</dd>
            <dt>Ngày hẹn trả</dt>
            <dd>{d.dueAt ? vnWhen(d.dueAt) : '—'}</dd>
            {d.returnedAt ? (
              <>
                <dt>Ngày trả kết quả</dt>
                <dd>{vnWhen(d.returnedAt)}</dd>
              </>
            ) : null}
          </dl>
          <DataTable
            caption="Quá trình xử lý"
            rows={d.history}
            rowKey={(h) => `${h.at.getTime()}-${h.status}-${h.content ?? ''}`}
            empty="Chưa có bước xử lý nào được đồng bộ."
            columns={[
              { header: 'Thời điểm', cell: (h) => vnWhen(h.at) },
              { header: 'Trạng thái', cell: (h) => h.statusName },
              { header: 'Nội dung', cell: (h) => h.content ?? '' },
              { header: 'Bộ phận', cell: (h) => h.department ?? '' },
            ]}
          />
        </Layout>,
      );
    },
  );

  // ——— one dossier ———

  async function renderDossier(
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    state: { error?: string; receipt?: boolean; done?: string; status?: number } = {},
  ) {
    const locale = pageLocale(request);
    const accountId = request.account!.id;
    const v = await service.get(accountId, code);
    const { roles } = await service.scopeOf(accountId, code);
    const officer = [...roles].some((r) => r !== 'applicant');
    const isApplicant = roles.has('applicant');
    const [comments, rating, competent, receiving] = await Promise.all([
      officer ? desk.comments(accountId, code) : Promise.resolve([]),
      desk.rating(code),
      deps.agencyName(v.competentAgencyCode),
      deps.agencyName(v.receivingAgencyCode),
    ]);
    const token = await reply.csrfToken();
    const definition = findProcess(v.process.id, v.process.version)!;
    const row = (await service.scopeOf(accountId, code)).row;
    const officerActions = v.allowedActions.filter((a) =>
      definition.actions[a]!.roles.some((r) => r !== 'applicant' && roles.has(r)),
    );
    const applicantActions = isApplicant
      ? v.allowedActions.filter((a) => definition.actions[a]!.roles.includes('applicant'))
      : [];
    const href = `/ho-so/${encodeURIComponent(v.code)}`;
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={`Hồ sơ ${v.code}`}
        path={request.url}
        breadcrumbs={[
          officer
            ? { href: '/quan-tri/ho-so', label: 'Hồ sơ cần xử lý' }
            : { href: '/ho-so/cua-toi', label: 'Hồ sơ của tôi' },
          { label: v.code },
        ]}
      >
        <PageHeading title={`Hồ sơ ${v.code}`} lead={v.procedure.name} />
        {state.receipt ? (
          <Notice kind="success" title="Đã nộp hồ sơ">
            <p>
              Mã hồ sơ: <strong>{v.code}</strong>. Ngày hẹn trả kết quả: <strong>{vnWhen(v.dueAt)}</strong>.
            </p>
            <p>
              <a href={`${href}/mau-01.pdf`}>Tải giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01, PDF)</a>.
              Bạn sẽ nhận tin nhắn, thư điện tử mỗi khi hồ sơ chuyển trạng thái.
            </p>
          </Notice>
        ) : null}
        {state.done ? <Notice kind="success">{state.done}</Notice> : null}
        {state.error ? (
          <Notice kind="error" title="Chưa thực hiện được">
            {state.error}
          </Notice>
        ) : null}
        <dl class="facts">
          <dt>Trạng thái</dt>
          <dd>
            {v.statusName.vi}
            {v.stateLabel.vi !== v.statusName.vi ? ` (${v.stateLabel.vi})` : ''}
            {v.outcome ? ` — ${v.outcome === 'approved' ? 'Được chấp thuận' : 'Không được chấp thuận'}` : ''}
          </dd>
          <dt>Người nộp</dt>
          <dd>{v.applicant.name}</dd>
          {v.caseName ? (
            <>
              <dt>Trường hợp</dt>
              <dd>{v.caseName}</dd>
            </>
          ) : null}
          <dt>Ngày nộp</dt>
          <dd>{vnWhen(v.submittedAt)}</dd>
          <dt>Ngày hẹn trả</dt>
          <dd>
            {vnWhen(v.dueAt)} — {FLAG_LABELS[v.deadline.flag] ?? v.deadline.flag}
            {v.extensionCount > 0 ? ` (đã gia hạn; hẹn ban đầu ${vnWhen(v.originalDueAt)})` : ''}
          </dd>
          <dt>Cơ quan giải quyết</dt>
          <dd>{competent ?? v.competentAgencyCode}</dd>
          <dt>Nơi tiếp nhận</dt>
          <dd>{receiving ?? v.receivingAgencyCode}</dd>
          {officer ? (
            <>
              <dt>Cán bộ được giao</dt>
              <dd>
                {row.assignee_account_id
                  ? row.assignee_account_id === accountId
                    ? 'Tôi'
                    : ((await deps.people.profileOf(row.assignee_account_id))?.name ?? '—')
                  : 'Chưa giao'}
              </dd>
            </>
          ) : null}
        </dl>
        <p>
          <a href={`${href}/mau-01.pdf`}>Giấy tiếp nhận và hẹn trả kết quả (Mẫu 01, PDF)</a>
        </p>

        {isApplicant && v.state === 'supplement-requested' ? (
          <section>
            <h2>Bổ sung hồ sơ</h2>
            <Notice kind="warning" title="Cơ quan yêu cầu bổ sung">
              {[...v.history].reverse().find((h) => h.action === 'request-supplement')?.content ?? ''}
            </Notice>
            <form class="form" method="post" action={`${href}/thao-tac`} enctype="multipart/form-data">
              <CsrfField token={token} />
              <input type="hidden" name="action" value="supplement-received" />
              <input type="hidden" name="revision" value={String(v.revision)} />
              <div class="field">
                <label for="tep">Tệp bổ sung (PDF, JPEG, PNG)</label>
                <input id="tep" name="tep" type="file" accept="application/pdf,image/jpeg,image/png" />
              </div>
              <div class="field">
                <label for="note">Ghi chú (không bắt buộc)</label>
                <textarea id="note" name="note" rows={3} maxLength={4000} />
              </div>
              <div class="form-actions">
                <button type="submit" class="button">
                  Gửi bổ sung
                </button>
              </div>
            </form>
          </section>
        ) : null}

        {isApplicant && (v.status === 9 || v.status === 10) ? (
          <section>
            <h2>Đánh giá</h2>
            {rating ? (
              <p>
                Bạn đã đánh giá: {rating.satisfied ? 'Hài lòng' : 'Không hài lòng'}
                {rating.comment ? ` — “${rating.comment}”` : ''}.
              </p>
            ) : (
              <form class="form" method="post" action={`${href}/danh-gia`}>
                <CsrfField token={token} />
                <fieldset class="choices">
                  <legend>Bạn có hài lòng với việc giải quyết hồ sơ?</legend>
                  <label>
                    <input type="radio" name="satisfied" value="1" required /> Hài lòng
                  </label>
                  <label>
                    <input type="radio" name="satisfied" value="0" /> Không hài lòng
                  </label>
                </fieldset>
                <div class="field">
                  <label for="comment">Ý kiến (không bắt buộc)</label>
                  <textarea id="comment" name="comment" rows={3} maxLength={2000} />
                </div>
                <div class="form-actions">
                  <button type="submit" class="button">
                    Gửi đánh giá
                  </button>
                </div>
              </form>
            )}
          </section>
        ) : null}

        {officerActions.length > 0 || applicantActions.includes('withdraw') ? (
          <section>
            <h2>{officer ? 'Xử lý hồ sơ' : 'Rút hồ sơ'}</h2>
            {[...officerActions, ...(officer ? [] : applicantActions.filter((a) => a === 'withdraw'))].map(
              (a) => {
                const spec = definition.actions[a]!;
                const file = a === 'return-result' || (a === 'supplement-received' && officer);
                return (
                  <form
                    key={a}
                    class="form"
                    method="post"
                    action={`${href}/thao-tac`}
                    enctype={file ? 'multipart/form-data' : undefined}
                  >
                    <h3>
                      {spec.label.vi}
                      {spec.form ? ` (Mẫu ${spec.form})` : ''}
                    </h3>
                    <CsrfField token={token} />
                    <input type="hidden" name="action" value={a} />
                    <input type="hidden" name="revision" value={String(v.revision)} />
                    {spec.needs.includes('reason') ? (
                      <div class="field">
                        <label for={`reason-${a}`}>
                          {a === 'request-supplement' ? 'Giấy tờ cần bổ sung và lý do' : 'Lý do'}
                        </label>
                        <textarea id={`reason-${a}`} name="reason" rows={3} maxLength={4000} required />
                      </div>
                    ) : null}
                    {spec.needs.includes('new-due-date') ? (
                      <div class="field">
                        <label for={`date-${a}`}>Ngày hẹn trả mới</label>
                        <p class="hint">Kết quả được hẹn trả trước 17:00 ngày này.</p>
                        <input id={`date-${a}`} name="newDueDate" type="date" required />
                      </div>
                    ) : null}
                    {file ? (
                      <div class="field">
                        <label for={`tep-${a}`}>
                          {a === 'return-result' ? 'Tệp kết quả (PDF)' : 'Tệp bổ sung'}
                        </label>
                        <input
                          id={`tep-${a}`}
                          name="tep"
                          type="file"
                          accept="application/pdf,image/jpeg,image/png"
                        />
                      </div>
                    ) : null}
                    {officer ? (
                      <div class="field">
                        <label for={`note-${a}`}>Nội dung xử lý (không bắt buộc)</label>
                        <textarea id={`note-${a}`} name="note" rows={2} maxLength={4000} />
                      </div>
                    ) : null}
                    <div class="form-actions">
                      <button
                        type="submit"
                        class={
                          a === 'withdraw' || a === 'refuse' || a === 'stop'
                            ? 'button button--secondary'
                            : 'button'
                        }
                      >
                        {spec.label.vi}
                      </button>
                    </div>
                  </form>
                );
              },
            )}
          </section>
        ) : null}

        {officer && !row.finished_at ? (
          <section>
            <h2>Phân công</h2>
            <form class="inline-form" method="post" action={`${href}/phan-cong`}>
              <CsrfField token={token} />
              <input
                type="hidden"
                name="assignee"
                value={row.assignee_account_id === accountId ? '' : 'me'}
              />
              <button type="submit" class="button button--secondary">
                {row.assignee_account_id === accountId
                  ? 'Trả lại (bỏ giao cho tôi)'
                  : 'Nhận xử lý (giao cho tôi)'}
              </button>
            </form>
          </section>
        ) : null}

        <section>
          <h2>Giấy tờ, tệp đính kèm</h2>
          <DataTable
            caption="Tệp của hồ sơ"
            rows={v.attachments}
            rowKey={(a) => a.id}
            empty="Chưa có tệp nào."
            columns={[
              { header: 'Tệp', cell: (a) => <a href={`${href}/tep/${a.id}`}>{a.fileName}</a> },
              {
                header: 'Loại',
                cell: (a) =>
                  ({ application: 'Hồ sơ nộp', supplement: 'Bổ sung', result: 'Kết quả' })[a.purpose] ??
                  a.purpose,
              },
              { header: 'Dung lượng', cell: (a) => `${Math.ceil(a.sizeBytes / 1024)} KB`, numeric: true },
              { header: 'SHA-256', cell: (a) => <code>{a.sha256.slice(0, 16)}…</code> },
            ]}
          />
        </section>

        <section>
          <h2>Quá trình xử lý</h2>
          <DataTable
            caption="Lịch sử xử lý hồ sơ"
            rows={v.history}
            rowKey={(h) => `${h.at.toISOString()}-${h.action}`}
            empty="Chưa có bước xử lý nào."
            columns={[
              { header: 'Thời điểm', cell: (h) => vnWhen(h.at) },
              {
                header: 'Người xử lý',
                cell: (h) => [h.actor.name, h.actor.title].filter(Boolean).join(', '),
              },
              { header: 'Phòng ban', cell: (h) => h.actor.department ?? '' },
              {
                header: 'Nội dung',
                cell: (h) => (
                  <>
                    {h.content}
                    {h.form ? (
                      <>
                        {' '}
                        (<a href={`${href}/mau-${h.form}.pdf`}>Mẫu {h.form}</a>)
                      </>
                    ) : null}
                  </>
                ),
              },
              { header: 'Trạng thái', cell: (h) => STATUS_NAMES[h.status as StatusCode].vi },
              { header: 'Bắt đầu', cell: (h) => vnWhen(h.stepStartedAt) },
              { header: 'Hạn theo quy định', cell: (h) => (h.stepDueAt ? vnWhen(h.stepDueAt) : '') },
            ]}
          />
        </section>

        {officer ? (
          <section>
            <h2>Ý kiến nội bộ</h2>
            <p class="hint">Chỉ cán bộ thấy; người nộp hồ sơ không thấy.</p>
            {comments.length === 0 ? <p class="empty">Chưa có ý kiến.</p> : null}
            <ul>
              {comments.map((c) => (
                <li key={c.id}>
                  <strong>{c.author_name}</strong> ({vnWhen(c.created_at)}): {c.body}
                </li>
              ))}
            </ul>
            <form class="form" method="post" action={`${href}/y-kien`}>
              <CsrfField token={token} />
              <div class="field">
                <label for="body">Thêm ý kiến</label>
                <textarea id="body" name="body" rows={3} maxLength={4000} required />
              </div>
              <div class="form-actions">
                <button type="submit" class="button button--secondary">
                  Lưu ý kiến
                </button>
              </div>
            </form>
          </section>
        ) : null}
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/ho-so/:code',
    { config: { access: access.account() }, schema: { hide: true, params: CodeParams } },
    async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      return renderDossier(request, reply, request.params.code, {
        done: q['da-xu-ly'] === '1' ? 'Đã cập nhật hồ sơ.' : undefined,
      });
    },
  );

  app.get(
    '/ho-so/:code/bien-nhan',
    { config: { access: access.account() }, schema: { hide: true, params: CodeParams } },
    async (request, reply) => renderDossier(request, reply, request.params.code, { receipt: true }),
  );

  app.get(
    '/ho-so/:code/tep/:id',
    { config: { access: access.account() }, schema: { hide: true, params: FileParams } },
    async (request, reply) => {
      if (!/^[0-9a-f-]{36}$/.test(request.params.id)) throw new NotFoundError('Không tìm thấy tệp.');
      const f = await desk.attachmentContent(request.account!.id, request.params.code, request.params.id);
      return reply
        .type(f.mediaType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
        .header('x-content-type-options', 'nosniff')
        .send(f.stream);
    },
  );

  app.get(
    '/ho-so/:code/mau-01.pdf',
    { config: { access: access.account() }, schema: { hide: true, params: CodeParams } },
    async (request, reply) => {
      const v = await service.get(request.account!.id, request.params.code);
      const pdf = await receiptPdf(v, {
        receiving: (await deps.agencyName(v.receivingAgencyCode)) ?? v.receivingAgencyCode,
        competent: (await deps.agencyName(v.competentAgencyCode)) ?? v.competentAgencyCode,
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="mau-01-${v.code}.pdf"`)
        .send(Buffer.from(pdf));
    },
  );

  app.get(
    '/ho-so/:code/mau-:form',
    { config: { access: access.account() }, schema: { hide: true, params: FormParams } },
    async (request, reply) => {
      const m = /^(0[2-5])\.pdf$/.exec(request.params.form);
      if (!m) throw new NotFoundError('Không có mẫu này.');
      const form = m[1] as '02' | '03' | '04' | '05';
      const v = await service.get(request.account!.id, request.params.code);
      const entry = [...v.history].reverse().find((h) => h.form === form);
      if (!entry) throw new NotFoundError(`Hồ sơ chưa có Mẫu ${form}.`);
      const pdf = await noticePdf(v, form, entry, {
        receiving: (await deps.agencyName(v.receivingAgencyCode)) ?? v.receivingAgencyCode,
        competent: (await deps.agencyName(v.competentAgencyCode)) ?? v.competentAgencyCode,
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="mau-${form}-${v.code}.pdf"`)
        .send(Buffer.from(pdf));
    },
  );

  app.post(
    '/ho-so/:code/thao-tac',
    { config: { access: access.account() }, schema: { hide: true, params: CodeParams, body: Loose } },
    async (request, reply) => {
      const accountId = request.account!.id;
      const body = request.body as Record<string, unknown>;
      const code = request.params.code;
      const action = one(body.action) ?? '';
      try {
        const purpose = action === 'return-result' ? 'result' : 'supplement';
        // The action forms name their single file input "tep".
        const part = body.tep as FilePart | undefined;
        let uploadIds: string[] = [];
        if (part && typeof part === 'object') {
          if ('error' in part) throw new ValidationError(part.error, []);
          const u = await desk.recordUpload(accountId, part.stored, { fileName: part.fileName });
          uploadIds = [u.id];
        }
        const date = one(body.newDueDate);
        await service.act({
          accountId,
          code,
          action,
          reason: one(body.reason),
          note: one(body.note),
          newDueAt: date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T17:00:00+07:00`) : undefined,
          expectedRevision: Number(one(body.revision)) || undefined,
          attachments:
            uploadIds.length > 0 ? await desk.attachmentsFor(accountId, uploadIds, purpose) : undefined,
        });
        return reply.redirect(`/ho-so/${encodeURIComponent(code)}?da-xu-ly=1`, 303);
      } catch (e) {
        if (e instanceof AppError && e.status !== 404 && e.status < 500)
          return renderDossier(request, reply, code, { error: e.message, status: e.status });
        throw e;
      }
    },
  );

  app.post(
    '/ho-so/:code/danh-gia',
    { config: { access: applicants }, schema: { hide: true, params: CodeParams, body: Loose } },
    async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      const s = one(body.satisfied);
      try {
        if (s !== '1' && s !== '0') throw new ValidationError('Chọn “Hài lòng” hoặc “Không hài lòng”.', []);
        await desk.rate(request.account!.id, request.params.code, {
          satisfied: s === '1',
          comment: one(body.comment),
        });
        return reply.redirect(`/ho-so/${encodeURIComponent(request.params.code)}?da-xu-ly=1`, 303);
      } catch (e) {
        if (e instanceof AppError && e.status !== 404 && e.status < 500)
          return renderDossier(request, reply, request.params.code, { error: e.message, status: e.status });
        throw e;
      }
    },
  );

  app.post(
    '/ho-so/:code/y-kien',
    { config: { access: OFFICER_ROLES_DECL }, schema: { hide: true, params: CodeParams, body: Loose } },
    async (request, reply) => {
      try {
        await desk.comment(
          request.account!.id,
          request.params.code,
          one((request.body as Record<string, unknown>).body) ?? '',
        );
        return reply.redirect(`/ho-so/${encodeURIComponent(request.params.code)}`, 303);
      } catch (e) {
        if (e instanceof ValidationError)
          return renderDossier(request, reply, request.params.code, { error: e.message, status: 400 });
        throw e;
      }
    },
  );

  app.post(
    '/ho-so/:code/phan-cong',
    { config: { access: OFFICER_ROLES_DECL }, schema: { hide: true, params: CodeParams, body: Loose } },
    async (request, reply) => {
      const who = one((request.body as Record<string, unknown>).assignee);
      await desk.assign(request.account!.id, request.params.code, who === 'me' ? request.account!.id : null);
      return reply.redirect(`/ho-so/${encodeURIComponent(request.params.code)}?da-xu-ly=1`, 303);
    },
  );

  // ——— the officers' inbox ———

  app.get(
    '/quan-tri/ho-so',
    { config: { access: OFFICER_ROLES_DECL }, schema: { hide: true } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const q = request.query as Record<string, unknown>;
      const tab = (INBOX_TABS as readonly string[]).includes(String(q.tab)) ? (q.tab as InboxTab) : 'new';
      const { items } = await desk.inbox(request.account!.id, tab, { limit: 200 });
      const names = new Map<string, string>();
      for (const i of items)
        if (!names.has(i.competentAgencyCode))
          names.set(
            i.competentAgencyCode,
            (await deps.agencyName(i.competentAgencyCode)) ?? i.competentAgencyCode,
          );
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title="Hồ sơ cần xử lý"
          path={request.url}
          breadcrumbs={[{ label: 'Hồ sơ cần xử lý' }]}
        >
          <PageHeading
            title="Hồ sơ cần xử lý"
            lead="Hồ sơ tại các cơ quan bạn có vai trò tiếp nhận, xử lý, phê duyệt hoặc thu phí."
          />
          <nav aria-label="Nhóm hồ sơ">
            <ul class="tabs">
              {INBOX_TABS.map((t) => (
                <li key={t}>
                  <a href={`/quan-tri/ho-so?tab=${t}`} aria-current={t === tab ? 'page' : undefined}>
                    {TAB_LABELS[t]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <DossierTable items={items} names={names} caption={TAB_LABELS[tab]} officer />
        </Layout>,
      );
    },
  );
}

function DossierTable({
  items,
  names,
  caption,
  officer,
}: {
  items: ListItem[];
  names: Map<string, string>;
  caption: string;
  officer?: boolean;
}) {
  return (
    <DataTable
      caption={caption}
      rows={items}
      rowKey={(i) => i.code}
      empty="Không có hồ sơ nào."
      columns={[
        { header: 'Mã hồ sơ', cell: (i) => <a href={`/ho-so/${encodeURIComponent(i.code)}`}>{i.code}</a> },
        { header: 'Thủ tục', cell: (i) => i.procedureName },
        ...(officer ? [{ header: 'Người nộp', cell: (i: ListItem) => i.applicantName }] : []),
        {
          header: 'Cơ quan giải quyết',
          cell: (i) => names.get(i.competentAgencyCode) ?? i.competentAgencyCode,
        },
        {
          header: 'Trạng thái',
          cell: (i) => (
            <>
              {STATUS_NAMES[i.status as StatusCode].vi}
              {officer && i.escalationLevel ? (
                <>
                  {' '}
                  <strong>— quá hạn, đã báo cáo lãnh đạo (lần {i.escalationLevel})</strong>
                </>
              ) : null}
            </>
          ),
        },
        { header: 'Ngày nộp', cell: (i) => vnWhen(i.submittedAt) },
        { header: 'Hẹn trả', cell: (i) => vnWhen(i.dueAt) },
      ]}
    />
  );
}
