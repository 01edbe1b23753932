/**
 * Filing, step 2 — "Lấy từ kho dữ liệu": for one file slot of a draft, the applicant picks a document of
 * their wallet (radio buttons, a plain form) instead of uploading it. The filing form's button for the
 * slot saves the draft first and leads here; choosing a document copies it into the dossier's files
 * (dossiers.wallet.ts) and goes back to the form with the slot filled. Without a wallet wired the button
 * is not shown and these pages answer 404.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { vietnamWhen } from '../../../platform/clock/index.ts';
import { NotFoundError, ValidationError } from '../../../platform/errors/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import {
  CsrfField,
  ErrorSummary,
  Layout,
  PageHeading,
  pageLocale,
  sendPage,
} from '../../../platform/web/index.ts';
import { fileSlots } from '../dossiers.desk.ts';
import type { WalletItemForDossier } from '../dossiers.ports.ts';
import { NO_WALLET } from '../dossiers.wallet.ts';
import type { EFormContext } from './eform.tsx';
import { filingHelpers, Step } from './filing.shared.tsx';
import { APPLICANTS, IdParams, Loose, one, type PagesDeps } from './shared.tsx';

const PickQuery = Type.Object({ muc: Type.Optional(Type.String({ maxLength: 80 })) });

const KIND_LABELS: Record<WalletItemForDossier['kind'], string> = {
  'certified-copy': 'Bản sao chứng thực điện tử',
  'dossier-result': 'Kết quả giải quyết thủ tục',
  upload: 'Giấy tờ tự tải lên',
};

/** The filing form's button name: `kho:<slot key>` asks for this page after saving the draft. */
export const WALLET_ACTION = 'kho:';

export const walletPickPath = (draftId: string, slotKey: string) =>
  `/ho-so/nhap/${draftId}/kho-du-lieu?muc=${encodeURIComponent(slotKey)}`;

/**
 * Under a file slot of the filing form: the button that leads to the wallet (after saving the draft), and
 * whether the slot's file was taken from the wallet.
 */
export function WalletChoice({
  slot,
  values,
  ctx,
  enabled,
}: {
  slot: { key: string; label: { vi: string } };
  values: Record<string, unknown>;
  ctx: EFormContext;
  enabled: boolean;
}) {
  if (!enabled) return null;
  const value = values[slot.key];
  const up = typeof value === 'string' ? (ctx.uploads.get(value) as WalletUpload | undefined) : undefined;
  return (
    <p class="wallet-choice">
      {up?.wallet_item_id ? (
        <span class="hint">
          {`Đã lấy từ kho dữ liệu${up.verification?.verified ? ' — đã xác thực chữ ký số' : ''}. `}
        </span>
      ) : null}
      <button
        type="submit"
        class="button button--secondary"
        name="hanhDong"
        value={`${WALLET_ACTION}${slot.key}`}
      >
        Lấy từ kho dữ liệu<span class="visually-hidden">{`: ${slot.label.vi}`}</span>
      </button>
    </p>
  );
}

type WalletUpload = { wallet_item_id?: string | null; verification?: { verified: boolean } | null };

function VerdictLine({ item }: { item: WalletItemForDossier }) {
  const v = item.verification;
  return v.verified ? (
    <span class="hint">
      {`Đã xác thực chữ ký số${v.signer ? ` (${v.signer})` : ''} lúc ${vietnamWhen(v.checkedAt)}`}
    </span>
  ) : (
    <span class="hint">{`Chưa xác thực được chữ ký số: ${v.summary.vi}`}</span>
  );
}

export async function walletPages(app: AppInstance, deps: PagesDeps) {
  const { desk } = deps;
  const { crumbs } = filingHelpers(deps);

  async function slotOf(accountId: string, draftId: string, key: string | undefined) {
    if (!desk.walletEnabled) throw new NotFoundError(NO_WALLET);
    const d = await desk.draft(accountId, draftId);
    const p = await desk.procedureFor(d.procedure_code);
    const slot = fileSlots(p.form).find((s) => s.key === key);
    if (!slot) throw new NotFoundError('Không có mục giấy tờ này trong tờ khai.');
    return { d, p, slot };
  }

  async function renderPick(
    request: FastifyRequest,
    reply: FastifyReply,
    draftId: string,
    key: string | undefined,
    state: { error?: string; status?: number } = {},
  ) {
    const accountId = request.account!.id;
    const { d, p, slot } = await slotOf(accountId, draftId, key);
    if (d.submitted_dossier)
      return reply.redirect(`/ho-so/${encodeURIComponent(d.submitted_dossier)}/bien-nhan`, 303);
    const accept = slot.accept && slot.accept.length > 0 ? slot.accept : undefined;
    const items = (await desk.walletItems(accountId)).filter(
      (i) => !accept || accept.includes(i.contentType),
    );
    const token = await reply.csrfToken();
    const action = `/ho-so/nhap/${d.id}/kho-du-lieu`;
    return sendPage(
      request,
      reply,
      <Layout
        locale={pageLocale(request)}
        title={`Lấy từ kho dữ liệu: ${slot.label.vi}`}
        path={request.url}
        breadcrumbs={crumbs(pageLocale(request), p)}
      >
        <PageHeading title={p.name} lead={`Mã thủ tục ${p.code} · Nộp hồ sơ trực tuyến`} />
        <Step current={2} />
        <h2>Lấy từ kho dữ liệu: {slot.label.vi}</h2>
        <p>
          Chọn một giấy tờ trong kho dữ liệu điện tử của bạn để dùng cho mục này thay vì tải tệp lên. Bản sao
          của giấy tờ được lưu vào hồ sơ cùng kết quả xác thực chữ ký số của Cổng; cán bộ thấy giấy tờ được
          lấy từ kho dữ liệu.
        </p>
        <ErrorSummary errors={state.error ? { 'f.giayTo': state.error } : {}} title="Chưa lấy được giấy tờ" />
        {items.length === 0 ? (
          <p class="empty">Kho dữ liệu của bạn chưa có giấy tờ nào dùng được cho mục này.</p>
        ) : (
          <form class="form" method="post" action={action}>
            <CsrfField token={token} />
            <input type="hidden" name="muc" value={slot.key} />
            <fieldset class={`choices${state.error ? ' field--error' : ''}`} id="f.giayTo">
              <legend>Giấy tờ trong kho dữ liệu</legend>
              {state.error ? (
                <p class="field-error" id="f.giayTo-loi">
                  {state.error}
                </p>
              ) : null}
              {items.map((i, n) => (
                <label key={i.id}>
                  <input type="radio" name="giayTo" value={i.id} checked={n === 0} required />{' '}
                  <strong>{i.title}</strong>
                  {` — ${KIND_LABELS[i.kind]}`}
                  {i.issuer ? `, ${i.issuer}` : ''}
                  {i.number ? `, số ${i.number}` : ''}
                  {i.issuedOn ? `, ngày ${i.issuedOn.split('-').reverse().join('/')}` : ''}
                  {i.expiresOn ? `, hiệu lực đến ${i.expiresOn.split('-').reverse().join('/')}` : ''}
                  <br />
                  <VerdictLine item={i} />
                </label>
              ))}
            </fieldset>
            <div class="form-actions">
              <button type="submit" class="button">
                Dùng giấy tờ này
              </button>
            </div>
          </form>
        )}
        <p>
          <a href={`/ho-so/nhap/${d.id}`}>Quay lại tờ khai</a>
        </p>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/ho-so/nhap/:id/kho-du-lieu',
    { config: { access: APPLICANTS }, schema: { hide: true, params: IdParams, querystring: PickQuery } },
    async (request, reply) => renderPick(request, reply, request.params.id, request.query.muc),
  );

  app.post(
    '/ho-so/nhap/:id/kho-du-lieu',
    { config: { access: APPLICANTS }, schema: { hide: true, params: IdParams, body: Loose } },
    async (request, reply) => {
      const accountId = request.account!.id;
      const body = request.body as Record<string, unknown>;
      const key = one(body.muc);
      const { d, slot } = await slotOf(accountId, request.params.id, key);
      if (d.submitted_dossier)
        return reply.redirect(`/ho-so/${encodeURIComponent(d.submitted_dossier)}/bien-nhan`, 303);
      const itemId = one(body.giayTo) ?? '';
      let uploadId: string;
      try {
        const u = await desk.uploadFromWallet(accountId, {
          walletItemId: itemId,
          documentCode: slot.documentCode,
          accept: slot.accept,
          maxBytes: slot.maxSizeMb ? slot.maxSizeMb * 1024 * 1024 : undefined,
        });
        uploadId = u.id;
      } catch (e) {
        if (e instanceof ValidationError || e instanceof NotFoundError)
          return renderPick(request, reply, d.id, key, { error: e.message, status: 400 });
        throw e;
      }
      await desk.saveDraft(
        accountId,
        d.id,
        { ...d.form_data, [slot.key]: uploadId },
        d.case_name ?? undefined,
      );
      return reply.redirect(`/ho-so/nhap/${d.id}`, 303);
    },
  );
}
