/**
 * Filing, step 1 — Nơi giải quyết: the level (when the procedure is handled at several), the province,
 * and for a commune-level matter the commune from a searchable list (a plain GET round trip; typed letters
 * filter the list at once when JavaScript runs). The agency the dossier will go to is named here, or why it
 * cannot go there.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ValidationError } from '../../../platform/errors/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import {
  CsrfField,
  ErrorSummary,
  Layout,
  PageHeading,
  pageLocale,
  sendPage,
} from '../../../platform/web/index.ts';
import { unitDisplayName } from '../dossiers.units.ts';
import { type Errors, idOf } from './eform.tsx';
import { FILING_JS, filingHelpers, Step } from './filing.shared.tsx';
import { APPLICANTS, IdParams, Loose, one, type PagesDeps } from './shared.tsx';

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

export async function placePages(app: AppInstance, deps: PagesDeps) {
  const { desk, units } = deps;
  const { destination, crumbs } = filingHelpers(deps);

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
        <Step current={1} />
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
}
