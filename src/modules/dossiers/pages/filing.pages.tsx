/**
 * Filing online, in three steps that each work without JavaScript:
 *  1. Nơi giải quyết — the level (when the procedure is handled at several), the province, and for a
 *     commune-level matter the commune, from a searchable list (a plain GET round trip; typed letters
 *     filter the list at once when JavaScript runs). The agency the dossier will go to is named here.
 *  2. Tờ khai và giấy tờ — the e-form, pre-filled from the account, and one file per document; a refused
 *     file comes back beside its field with the rest of the draft kept.
 *  3. Kiểm tra lại thông tin — every answer and document with a "Sửa" link, the place and the agency,
 *     then the final submit with the draft's one-time token (a double submit makes one dossier).
 *
 * The filing route lives at /ho-so/nop/{code}: /nop-ho-so/{code} belongs to the catalogue (its
 * "online filing" information page), which links here.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, ValidationError } from '../../../platform/errors/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import { CsrfField, ErrorSummary } from '../../identity/pages/forms.tsx';
import { answerRows } from '../dossiers.answers.ts';
import { fileSlots } from '../dossiers.desk.ts';
import { vnWhen } from '../dossiers.notify.ts';
import type { ProcedureForFiling } from '../dossiers.ports.ts';
import { applicantOf } from '../dossiers.routes.ts';
import { unitDisplayName } from '../dossiers.units.ts';
import { type EFormContext, EFormFields, type Errors, idOf, readEForm } from './eform.tsx';
import {
  APPLICANTS,
  CodeParams,
  type FilePart,
  IdParams,
  Loose,
  one,
  type PagesDeps,
  SummaryList,
} from './shared.tsx';

export const FILING_JS = '/ho-so/tai-nguyen/nop-ho-so.js';

const PlaceQuery = Type.Object({
  cap: Type.Optional(Type.String({ maxLength: 10 })),
  tinh: Type.Optional(Type.String({ maxLength: 2 })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  lang: Type.Optional(Type.String({ maxLength: 2 })),
});

type Level = 'commune' | 'province' | 'central';
const LEVEL_LABELS: Record<Level, string> = {
  commune: 'Cấp xã: Ủy ban nhân dân xã, phường, đặc khu',
  province: 'Cấp tỉnh: cơ quan của tỉnh, thành phố',
  central: 'Cấp trung ương: bộ, cơ quan ngang bộ',
};

type Draft = Awaited<ReturnType<PagesDeps['desk']['draft']>>;

/** "Bước 2 trên 3": where the applicant is in the filing. */
function Steps({ current }: { current: 1 | 2 | 3 }) {
  const steps = ['Nơi giải quyết', 'Tờ khai và giấy tờ', 'Kiểm tra và nộp'];
  return (
    <ol class="steps" aria-label="Các bước nộp hồ sơ">
      {steps.map((s, i) => (
        <li key={s} aria-current={i + 1 === current ? 'step' : undefined}>
          <span class="steps__number">{i + 1}</span> {s}
        </li>
      ))}
    </ol>
  );
}

export async function filingPages(app: AppInstance, deps: PagesDeps) {
  const { service, desk, units } = deps;
  const maxBytes = desk.uploadMaxBytes;

  /** The draft's place as the routing reads it; undefined until the place step is done. */
  const placeOf = (d: Draft) =>
    d.place_province_code && d.place_level
      ? {
          provinceCode: d.place_province_code,
          ...(d.place_level === 'commune' && d.place_commune_code
            ? { communeCode: d.place_commune_code }
            : {}),
        }
      : undefined;

  /** "Ủy ban nhân dân phường Ba Đình" (and its province), or the reason the dossier cannot go there. */
  async function destination(p: ProcedureForFiling, d: Draft) {
    const place = placeOf(d);
    if (!place) return undefined;
    try {
      const route = await service.routeFor(p.code, place);
      return { ok: true as const, competent: route.competent.name, receiving: route.receiving.name };
    } catch (e) {
      if (e instanceof AppError && e.status < 500) return { ok: false as const, message: e.message };
      throw e;
    }
  }

  async function placeWords(d: Draft): Promise<string> {
    const parts: string[] = [];
    if (d.place_commune_code && d.place_level === 'commune') {
      const c = await units.find(d.place_commune_code);
      parts.push(c ? unitDisplayName(c) : d.place_commune_code);
    }
    if (d.place_province_code) {
      const p = await units.find(d.place_province_code);
      parts.push(p ? unitDisplayName(p) : d.place_province_code);
    }
    return parts.join(', ');
  }

  const crumbs = (locale: 'vi' | 'en', p: ProcedureForFiling) => [
    { href: `/thu-tuc/${encodeURIComponent(p.code)}`, label: p.name },
    { label: tx(locale, 'Nộp hồ sơ trực tuyến', 'File online') },
  ];

  app.get(
    '/ho-so/nop/:code',
    { config: { access: APPLICANTS }, schema: { hide: true, params: CodeParams } },
    async (request, reply) => {
      const d = await desk.openDraft(request.account!.id, request.params.code.toUpperCase().slice(0, 60));
      return reply.redirect(placeOf(d) ? `/ho-so/nhap/${d.id}` : `/ho-so/nhap/${d.id}/noi-giai-quyet`, 303);
    },
  );

  // ——— step 1: the place ———

  async function renderPlace(
    request: FastifyRequest,
    reply: FastifyReply,
    draftId: string,
    state: {
      query: { cap?: string | undefined; tinh?: string | undefined; q?: string | undefined };
      errors?: Errors;
      status?: number;
    },
  ) {
    const locale = pageLocale(request);
    const d = await desk.draft(request.account!.id, draftId);
    if (d.submitted_dossier)
      return reply.redirect(`/ho-so/${encodeURIComponent(d.submitted_dossier)}/bien-nhan`, 303);
    const p = await desk.procedureFor(d.procedure_code);
    const levels = desk.placeLevels(p);
    const wanted = state.query.cap as Level | undefined;
    const level: Level =
      wanted && levels.includes(wanted)
        ? wanted
        : ((d.place_level as Level | null) ?? (levels.includes('commune') ? 'commune' : levels[0]!));
    const addressProvince = (d.form_data.noiCuTru as { province?: unknown } | undefined)?.province;
    const province =
      state.query.tinh ??
      d.place_province_code ??
      (typeof addressProvince === 'string' ? addressProvince : undefined) ??
      '';
    const provinces = await units.provinces();
    const provinceKnown = provinces.some((x) => x.code === province);
    const q = (state.query.q ?? '').trim();
    const communes = level === 'commune' && provinceKnown ? await units.searchCommunes(province, q) : [];
    const allCount = level === 'commune' && provinceKnown ? (await units.communesOf(province)).length : 0;
    const chosenCommune = d.place_level === 'commune' ? d.place_commune_code : null;
    const errors = state.errors ?? {};
    const errorList = Object.fromEntries(Object.entries(errors).map(([k, v]) => [idOf(k), v]));
    const token = await reply.csrfToken();
    const action = `/ho-so/nhap/${d.id}/noi-giai-quyet`;
    const agencies = p.implementingAgencies.map((a) => a.name).join('; ');
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={`Nơi giải quyết hồ sơ: ${p.name}`}
        path={request.url}
        breadcrumbs={crumbs(locale, p)}
      >
        <PageHeading title={p.name} lead={`Mã thủ tục ${p.code} · Nộp hồ sơ trực tuyến`} />
        <Steps current={1} />
        <h2>Nơi giải quyết hồ sơ</h2>
        <p>
          Cơ quan thực hiện theo quy định: <strong>{agencies}</strong>. Chọn nơi giải quyết để hồ sơ được
          chuyển đến đúng cơ quan có thẩm quyền.
        </p>
        <ErrorSummary errors={errorList} title="Chưa chọn được nơi giải quyết" />
        <form class="form" method="get" action={action} id="chon-tinh">
          {levels.length > 1 ? (
            <fieldset class="choices" id="f._capGiaiQuyet">
              <legend>Cấp giải quyết</legend>
              {levels.map((l) => (
                <label key={l}>
                  <input type="radio" name="cap" value={l} checked={l === level} /> {LEVEL_LABELS[l]}
                </label>
              ))}
            </fieldset>
          ) : (
            <input type="hidden" name="cap" value={level} />
          )}
          <div class={`field${errors['/_tinh'] ? ' field--error' : ''}`}>
            <label for="f._tinh">Tỉnh, thành phố</label>
            {errors['/_tinh'] ? (
              <p class="field-error" id="f._tinh-loi">
                {errors['/_tinh']}
              </p>
            ) : null}
            <select
              id="f._tinh"
              name="tinh"
              aria-invalid={errors['/_tinh'] ? 'true' : undefined}
              aria-describedby={errors['/_tinh'] ? 'f._tinh-loi' : undefined}
            >
              <option value="">— Chọn tỉnh, thành phố —</option>
              {provinces.map((x) => (
                <option key={x.code} value={x.code} selected={x.code === province}>
                  {unitDisplayName(x)}
                </option>
              ))}
            </select>
          </div>
          {level === 'commune' && provinceKnown ? (
            <div class="field">
              <label for="tim-xa">Tìm xã, phường, đặc khu</label>
              <p class="hint" id="tim-xa-goi-y">
                Gõ tên, có dấu hoặc không dấu, ví dụ “ba dinh”.
              </p>
              <input
                id="tim-xa"
                name="q"
                type="search"
                value={q}
                maxLength={100}
                autocomplete="off"
                aria-describedby="tim-xa-goi-y"
                aria-controls="danh-sach-xa"
                data-loc-xa=""
              />
            </div>
          ) : null}
          <div class="form-actions">
            <button type="submit" class="button button--secondary">
              {level === 'commune'
                ? provinceKnown
                  ? 'Tìm xã, phường'
                  : 'Hiện danh sách xã, phường'
                : 'Chọn tỉnh, thành phố'}
            </button>
          </div>
        </form>
        {provinceKnown ? (
          <form class="form" method="post" action={action}>
            <CsrfField token={token} />
            <input type="hidden" name="cap" value={level} />
            <input type="hidden" name="tinh" value={province} />
            {level === 'commune' ? (
              <fieldset
                class={`choices choices--list${errors['/_xa'] ? ' field--error' : ''}`}
                id="f._xa"
                aria-describedby={errors['/_xa'] ? 'f._xa-loi' : 'danh-sach-xa-dem'}
              >
                <legend>Xã, phường, đặc khu</legend>
                {errors['/_xa'] ? (
                  <p class="field-error" id="f._xa-loi">
                    {errors['/_xa']}
                  </p>
                ) : null}
                <p class="hint" id="danh-sach-xa-dem" aria-live="polite" data-dem-xa="">
                  {q
                    ? `${communes.length} trên ${allCount} xã, phường khớp với “${q}”.`
                    : `${allCount} xã, phường, đặc khu.`}
                </p>
                <div id="danh-sach-xa" class="choice-list">
                  {communes.map((c) => (
                    <label key={c.code} data-ten={c.name}>
                      <input type="radio" name="xa" value={c.code} checked={c.code === chosenCommune} />{' '}
                      {c.name}
                    </label>
                  ))}
                </div>
                {communes.length === 0 ? (
                  <p class="empty">Không có xã, phường nào khớp; hãy gõ tên khác.</p>
                ) : null}
              </fieldset>
            ) : null}
            <div class="form-actions">
              <button type="submit" class="button">
                Tiếp tục
              </button>
            </div>
          </form>
        ) : null}
        <script src={FILING_JS} defer />
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/ho-so/nhap/:id/noi-giai-quyet',
    { config: { access: APPLICANTS }, schema: { hide: true, params: IdParams, querystring: PlaceQuery } },
    async (request, reply) => renderPlace(request, reply, request.params.id, { query: request.query }),
  );

  app.post(
    '/ho-so/nhap/:id/noi-giai-quyet',
    { config: { access: APPLICANTS }, schema: { hide: true, params: IdParams, body: Loose } },
    async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      const query = { cap: one(body.cap), tinh: one(body.tinh) };
      const accountId = request.account!.id;
      try {
        await desk.saveDraftPlace(accountId, request.params.id, {
          level: query.cap ?? '',
          provinceCode: query.tinh ?? '',
          communeCode: one(body.xa),
        });
      } catch (e) {
        if (e instanceof ValidationError) {
          const errors: Errors = {};
          for (const x of (e.extras.errors as Array<{ path: string; message: string }>) ?? [])
            errors[x.path] ??= x.message;
          return renderPlace(request, reply, request.params.id, { query, errors, status: 400 });
        }
        throw e;
      }
      const d = await desk.draft(accountId, request.params.id);
      const p = await desk.procedureFor(d.procedure_code);
      // The agency must be able to take it (an identifier for the dossier's code): say so here, not at the end.
      const to = await destination(p, d);
      if (to && !to.ok)
        return renderPlace(request, reply, d.id, {
          query: { ...query, q: undefined },
          errors: { [query.cap === 'commune' ? '/_xa' : '/_tinh']: to.message },
          status: 409,
        });
      return reply.redirect(`/ho-so/nhap/${d.id}`, 303);
    },
  );

  // ——— step 2: the e-form and the documents ———

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
    if (!placeOf(d)) return reply.redirect(`/ho-so/nhap/${d.id}/noi-giai-quyet`, 303);
    const p = await desk.procedureFor(d.procedure_code);
    const values = state.values ?? d.form_data;
    const uploadIds = fileSlots(p.form)
      .map((s) => values[s.key])
      .filter((v): v is string => typeof v === 'string');
    const ups = await desk.uploads(request.account!.id, uploadIds);
    const ctx = await eformContext(values, state.errors ?? {});
    ctx.uploads = new Map(ups.map((u) => [u.id, u]));
    // The cases (trường hợp): with several, the applicant chooses theirs and only its documents count.
    const cases = p.cases ?? [];
    const multi = cases.length > 1;
    const chosenName = 'caseName' in state ? state.caseName : (d.case_name ?? undefined);
    const chosen = cases.findIndex((c) => c.name === chosenName);
    const caseError = ctx.errors['/_truongHop'];
    if (multi && chosen < 0) ctx.optionalFile = 'tùy trường hợp';
    const errorList = Object.fromEntries(Object.entries(ctx.errors).map(([k, v]) => [idOf(k), v]));
    const token = await reply.csrfToken();
    const to = await destination(p, d);
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={`Nộp hồ sơ: ${p.name}`}
        path={request.url}
        breadcrumbs={crumbs(locale, p)}
      >
        <PageHeading title={p.name} lead={`Mã thủ tục ${p.code} · Nộp hồ sơ trực tuyến`} />
        <Steps current={2} />
        {state.saved ? (
          <Notice kind="success" title="Đã lưu nháp">
            Bạn có thể quay lại hoàn thiện và nộp sau, từ trang “Hồ sơ của tôi”.
          </Notice>
        ) : null}
        <ErrorSummary errors={errorList} title="Tờ khai chưa hợp lệ" />
        <dl class="summary-list">
          <div class="summary-list__row">
            <dt>Nơi giải quyết</dt>
            <dd>
              {to?.ok ? (
                <>
                  <strong>{to.competent}</strong>
                  <br />
                </>
              ) : null}
              {await placeWords(d)}
            </dd>
            <dd class="summary-list__action">
              <a href={`/ho-so/nhap/${d.id}/noi-giai-quyet`}>
                Đổi<span class="visually-hidden"> nơi giải quyết</span>
              </a>
            </dd>
          </div>
        </dl>
        <p class="hint">
          Các ô đã điền sẵn theo thông tin tài khoản của bạn; hãy kiểm tra và sửa nếu cần. Bản nháp và tệp đã
          đính kèm được giữ 30 ngày kể từ lần lưu cuối.
        </p>
        <form
          class="form"
          method="post"
          action={`/ho-so/nhap/${d.id}`}
          enctype="multipart/form-data"
          novalidate
        >
          <CsrfField token={token} />
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
          <script src={FILING_JS} defer />
          <div class="form-actions">
            <button type="submit" class="button" name="hanhDong" value="tiep">
              Tiếp tục
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

  /** The e-form's context: provinces, the communes of every province its address answers name. */
  async function eformContext(values: Record<string, unknown>, errors: Errors): Promise<EFormContext> {
    const provinces = await units.provinces();
    const named = new Set<string>();
    const collect = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') {
        const a = v as Record<string, unknown>;
        if (typeof a.province === 'string' && /^\d{2}$/.test(a.province)) named.add(a.province);
        Object.values(a).forEach(collect);
      }
    };
    collect(values);
    const communes = new Map<string, Awaited<ReturnType<typeof units.communesOf>>>();
    for (const code of named) communes.set(code, await units.communesOf(code));
    return {
      errors,
      provinces: provinces.map((x) => ({ code: x.code, name: unitDisplayName(x) })),
      communesOf: (code) => communes.get(code) ?? [],
      uploads: new Map(),
      maxMb: Math.round(maxBytes / 1024 / 1024),
    };
  }

  app.get(
    '/ho-so/nhap/:id',
    { config: { access: APPLICANTS }, schema: { hide: true, params: IdParams } },
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

  /** Problems of a filing as errors by path, the e-form's way ('/_truongHop' for the case). */
  function errorsOf(e: ValidationError): Errors {
    const errs: Errors = {};
    for (const x of (e.extras.errors as Array<{ path: string; message: string }>) ?? [])
      errs[x.path === 'case' ? '/_truongHop' : x.path] ??= x.message;
    if (Object.keys(errs).length === 0 || errs[''] !== undefined) errs['/_'] = e.message;
    return errs;
  }

  app.post(
    '/ho-so/nhap/:id',
    { config: { access: APPLICANTS }, schema: { hide: true, params: IdParams, body: Loose } },
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
      // The draft keeps everything that was accepted, whatever else was refused.
      await desk.saveDraft(accountId, d.id, values, caseName);
      if (Object.keys(errors).length > 0)
        return renderFiling(request, reply, d.id, { values, errors, status: 400, caseName });
      if (one(body.hanhDong) !== 'tiep') return reply.redirect(`/ho-so/nhap/${d.id}?da-luu=1`, 303);
      const { problems } = await desk.checkForm(p, values, { caseName });
      if (problems.length > 0)
        return renderFiling(request, reply, d.id, {
          values,
          errors: errorsOf(new ValidationError('Tờ khai chưa hợp lệ.', problems)),
          status: 400,
          caseName,
        });
      return reply.redirect(`/ho-so/nhap/${d.id}/kiem-tra`, 303);
    },
  );

  // ——— step 3: check the answers, then submit ———

  async function renderReview(
    request: FastifyRequest,
    reply: FastifyReply,
    draftId: string,
    state: { errors?: Errors; status?: number } = {},
  ) {
    const locale = pageLocale(request);
    const accountId = request.account!.id;
    const d = await desk.draft(accountId, draftId);
    if (d.submitted_dossier)
      return reply.redirect(`/ho-so/${encodeURIComponent(d.submitted_dossier)}/bien-nhan`, 303);
    if (!placeOf(d)) return reply.redirect(`/ho-so/nhap/${d.id}/noi-giai-quyet`, 303);
    const p = await desk.procedureFor(d.procedure_code);
    const { problems, formData, form } = await desk.checkForm(p, d.form_data, {
      caseName: d.case_name ?? undefined,
    });
    const errors: Errors = { ...(state.errors ?? {}) };
    for (const x of problems) errors[x.path === 'case' ? '/_truongHop' : x.path] ??= x.message;
    const to = await destination(p, d);
    if (to && !to.ok) errors['/_noiGiaiQuyet'] ??= to.message;
    const rows = answerRows(form?.fields ?? [], formData, await units.names());
    const slots = fileSlots(form);
    const ups = await desk.uploads(
      accountId,
      slots.map((s) => formData[s.key]).filter((v): v is string => typeof v === 'string'),
    );
    const documents = slots.flatMap((s) => {
      const u = ups.find((x) => x.id === formData[s.key]);
      if (!u && !s.required) return [];
      return [
        {
          path: `/${s.key}`,
          label: s.label.vi,
          value: u ? `${u.file_name} (${Math.ceil(u.size_bytes / 1024)} KB)` : 'Chưa đính kèm',
        },
      ];
    });
    const edit = (r: { path: string }) => `/ho-so/nhap/${d.id}#${idOf(r.path)}`;
    const editFile = (r: { path: string }) => `/ho-so/nhap/${d.id}#tep.${r.path.slice(1)}`;
    const token = await reply.csrfToken();
    const errorList = Object.fromEntries(
      Object.entries(errors).map(([k, v]) => [k === '/_noiGiaiQuyet' ? 'noi-giai-quyet' : idOf(k), v]),
    );
    const ready = Object.keys(errors).length === 0;
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={`Kiểm tra lại thông tin: ${p.name}`}
        path={request.url}
        breadcrumbs={crumbs(locale, p)}
      >
        <PageHeading title="Kiểm tra lại thông tin" lead={`${p.name} (mã thủ tục ${p.code})`} />
        <Steps current={3} />
        {ready ? null : <ErrorSummary errors={errorList} title="Hồ sơ chưa nộp được: hãy sửa các mục sau" />}
        <h2 id="noi-giai-quyet">Nơi giải quyết</h2>
        <SummaryList
          rows={[
            {
              path: '/_noiGiaiQuyet',
              label: 'Cơ quan giải quyết',
              value: to?.ok ? to.competent : (to?.message ?? '—'),
            },
            ...(to?.ok && to.receiving !== to.competent
              ? [{ path: '/_noiTiepNhan', label: 'Nơi tiếp nhận', value: to.receiving }]
              : []),
            { path: '/_diaBan', label: 'Địa bàn', value: await placeWords(d) },
          ]}
          editHref={() => `/ho-so/nhap/${d.id}/noi-giai-quyet`}
        />
        <h2>Tờ khai</h2>
        <SummaryList rows={rows} editHref={edit} />
        <h2>Giấy tờ đính kèm</h2>
        {d.case_name ? <p>Trường hợp: {d.case_name}</p> : null}
        {documents.length === 0 ? (
          <p class="empty">Thủ tục này không yêu cầu giấy tờ đính kèm.</p>
        ) : (
          <SummaryList rows={documents} editHref={editFile} />
        )}
        <p class="hint">Lưu lúc {vnWhen(d.updated_at)}.</p>
        {ready ? (
          <form class="form" method="post" action={`/ho-so/nhap/${d.id}/nop`}>
            <CsrfField token={token} />
            <input type="hidden" name="token" value={d.submit_token} />
            <p>
              Bằng việc nộp hồ sơ, bạn cam đoan những thông tin trên là đúng sự thật và chịu trách nhiệm trước
              pháp luật về nội dung đã khai.
            </p>
            <div class="form-actions">
              <button type="submit" class="button">
                Nộp hồ sơ
              </button>
              <a class="button button--secondary" href={`/ho-so/nhap/${d.id}`}>
                Quay lại sửa
              </a>
            </div>
          </form>
        ) : (
          <p>
            <a class="button" href={`/ho-so/nhap/${d.id}`}>
              Sửa tờ khai
            </a>
          </p>
        )}
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/ho-so/nhap/:id/kiem-tra',
    { config: { access: APPLICANTS }, schema: { hide: true, params: IdParams } },
    async (request, reply) => renderReview(request, reply, request.params.id),
  );

  app.post(
    '/ho-so/nhap/:id/nop',
    { config: { access: APPLICANTS }, schema: { hide: true, params: IdParams, body: Loose } },
    async (request, reply) => {
      const accountId = request.account!.id;
      const body = request.body as Record<string, unknown>;
      const d = await desk.draft(accountId, request.params.id);
      if (d.submitted_dossier)
        return reply.redirect(`/ho-so/${encodeURIComponent(d.submitted_dossier)}/bien-nhan`, 303);
      try {
        const { dossier } = await desk.submitDraft(accountId, d.id, {
          applicant: applicantOf(request),
          formData: d.form_data,
          token: one(body.token) ?? '',
          caseName: d.case_name ?? undefined,
        });
        return reply.redirect(`/ho-so/${encodeURIComponent(dossier.code)}/bien-nhan`, 303);
      } catch (e) {
        if (e instanceof ValidationError)
          return renderReview(request, reply, d.id, { errors: errorsOf(e), status: 400 });
        // A second submit of the same form after the first made the dossier: show that dossier.
        const again = await desk.draft(accountId, d.id);
        if (again.submitted_dossier)
          return reply.redirect(`/ho-so/${encodeURIComponent(again.submitted_dossier)}/bien-nhan`, 303);
        if (e instanceof AppError && e.status < 500)
          return renderReview(request, reply, d.id, { errors: { '/_': e.message }, status: e.status });
        throw e;
      }
    },
  );
}
