/**
 * Filing online, in three steps that each work without JavaScript (steps 1 and 3 in place.pages.tsx and
 * review.pages.tsx):
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
import { ValidationError } from '../../../platform/errors/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import {
  CsrfField,
  ErrorSummary,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  sendPage,
} from '../../../platform/web/index.ts';
import { fileSlots } from '../dossiers.desk.ts';
import { unitDisplayName } from '../dossiers.units.ts';
import { type EFormContext, EFormFields, type Errors, idOf, readEForm } from './eform.tsx';
import { errorsOf, FILING_JS, filingHelpers, Step } from './filing.shared.tsx';
import { placePages } from './place.pages.tsx';
import { reviewPages } from './review.pages.tsx';
import { APPLICANTS, CodeParams, type FilePart, IdParams, Loose, one, type PagesDeps } from './shared.tsx';
import { WALLET_ACTION, WalletChoice, walletPages, walletPickPath } from './wallet.pages.tsx';

export { FILING_JS } from './filing.shared.tsx';

export async function filingPages(app: AppInstance, deps: PagesDeps) {
  const { desk, units } = deps;
  const maxBytes = desk.uploadMaxBytes;
  const { placeOf, destination, placeWords, crumbs } = filingHelpers(deps);

  app.get(
    '/ho-so/nop/:code',
    { config: { access: APPLICANTS }, schema: { hide: true, params: CodeParams } },
    async (request, reply) => {
      const d = await desk.openDraft(request.account!.id, request.params.code.toUpperCase().slice(0, 60));
      return reply.redirect(placeOf(d) ? `/ho-so/nhap/${d.id}` : `/ho-so/nhap/${d.id}/noi-giai-quyet`, 303);
    },
  );

  await placePages(app, deps);

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
        <Step current={2} />
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
                <WalletChoice slot={slot} values={values} ctx={ctx} enabled={desk.walletEnabled} />
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
      const act = one(body.hanhDong) ?? '';
      if (act.startsWith(WALLET_ACTION))
        return reply.redirect(walletPickPath(d.id, act.slice(WALLET_ACTION.length)), 303);
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

  await reviewPages(app, deps);
  await walletPages(app, deps);
}
