/**
 * The wallet's pages, Vietnamese first, all working without JavaScript: `/kho-du-lieu` (the owner's items
 * with filters, the upload form, consents for agencies and who fetched), `/kho-du-lieu/{id}` (one item:
 * metadata, verification, download, editing an upload, sharing links, removal) and the public page of a
 * sharing link `/chia-se/{token}` (410 once expired or revoked). Forms post back to the page, which shows
 * problems beside their fields.
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { formatVietnameseDate, vietnamWhen } from '../../../platform/clock/index.ts';
import { ValidationError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import {
  CsrfField,
  DataTable,
  ErrorSummary,
  FormBody,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  S,
  sendPage,
} from '../../../platform/web/index.ts';
import { DOCUMENT_TYPES, documentTypeName } from '../domain/document-types.ts';
import {
  EXPIRY_LABELS,
  ITEM_KINDS,
  isItemKind,
  KIND_NAMES,
  SHARE_CHOICES,
  UPLOAD_MAX_BYTES,
} from './wallet.domain.ts';
import { WALLET_PAGE } from './wallet.navigation.ts';
import type { Metadata, ShareOpening, WalletItem, WalletService } from './wallet.service.ts';

const OWNERS = access.account('citizen', 'business', 'organisation');
const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const TokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });
const ListQuery = Type.Object({
  loai: S(40),
  kieu: S(40),
  q: S(200),
  ok: S(20),
  lang: S(5),
});
const MetaFields = {
  documentType: S(40),
  title: S(600),
  issuer: S(400),
  number: S(200),
  issuedOn: S(20),
  expiresOn: S(20),
};

type Errors = Record<string, string>;
/**
 * The upload form's file as the body holds it: the bytes behind a function, so that the platform's
 * checks of form fields (which walk objects) never walk ten million bytes.
 */
type FileField = { content(): Buffer; fileName: string; truncated: boolean } | undefined;

const errorsOf = (e: unknown): Errors | undefined => {
  if (!(e instanceof ValidationError)) return undefined;
  const out: Errors = {};
  for (const x of e.extras.errors ?? []) out[x.path] ??= x.message;
  if (Object.keys(out).length === 0) out._form = e.message;
  return out;
};

const day = (d: string | null) => (d ? formatVietnameseDate(d) : '—');
const kb = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;

function ExpiryTag({ item, locale }: { item: WalletItem; locale: Locale }) {
  if (item.expiry === 'none') return null;
  const label = EXPIRY_LABELS[item.expiry];
  return (
    <span class={item.expiry === 'expired' ? 'tag tag--danger' : 'tag'}>
      {tx(locale, label.vi, label.en)}
      {item.expiresOn ? ` (${day(item.expiresOn)})` : ''}
    </span>
  );
}

/** A text input with its hint and error, linked for screen readers. */
function Field(props: {
  name: string;
  label: string;
  value?: string | undefined;
  error?: string | undefined;
  type?: 'text' | 'date';
  hint?: string;
  required?: boolean;
  max?: number;
}) {
  const described = [props.hint ? `${props.name}-goi-y` : '', props.error ? `${props.name}-loi` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={props.error ? 'field field--error' : 'field'}>
      <label for={props.name}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.name}-goi-y`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${props.name}-loi`}>
          {props.error}
        </p>
      ) : null}
      {props.type === 'date' ? (
        <input
          id={props.name}
          name={props.name}
          type="date"
          value={props.value ?? ''}
          required={props.required}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={described || undefined}
        />
      ) : (
        <input
          id={props.name}
          name={props.name}
          type="text"
          value={props.value ?? ''}
          required={props.required}
          maxLength={props.max}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={described || undefined}
        />
      )}
    </div>
  );
}

function TypeSelect({
  value,
  error,
  locale,
  name = 'documentType',
  any,
}: {
  value?: string | undefined;
  error?: string | undefined;
  locale: Locale;
  name?: string;
  any?: boolean;
}) {
  return (
    <div class={error ? 'field field--error' : 'field'}>
      <label for={name}>{tx(locale, 'Loại giấy tờ', 'Document type')}</label>
      {error ? (
        <p class="field-error" id={`${name}-loi`}>
          {error}
        </p>
      ) : null}
      <select id={name} name={name} aria-describedby={error ? `${name}-loi` : undefined}>
        {any ? <option value="">{tx(locale, 'Tất cả', 'All')}</option> : null}
        {DOCUMENT_TYPES.map(([code, vi, en]) => (
          <option key={code} value={code} selected={value === code}>
            {tx(locale, vi, en)}
          </option>
        ))}
      </select>
    </div>
  );
}

function MetadataFields({
  values,
  errors,
  locale,
}: {
  values: Partial<Metadata>;
  errors: Errors;
  locale: Locale;
}) {
  return (
    <>
      <TypeSelect value={values.documentType} error={errors.documentType} locale={locale} />
      <Field
        name="title"
        label={tx(locale, 'Tên giấy tờ', 'Title')}
        value={values.title}
        error={errors.title}
        required
        max={500}
      />
      <Field
        name="issuer"
        label={tx(locale, 'Cơ quan cấp (không bắt buộc)', 'Issued by (optional)')}
        value={values.issuer}
        error={errors.issuer}
        max={300}
      />
      <Field
        name="number"
        label={tx(locale, 'Số, ký hiệu (không bắt buộc)', 'Number (optional)')}
        value={values.number}
        error={errors.number}
        max={100}
      />
      <Field
        name="issuedOn"
        type="date"
        label={tx(locale, 'Ngày cấp (không bắt buộc)', 'Date of issue (optional)')}
        value={values.issuedOn}
        error={errors.issuedOn}
      />
      <Field
        name="expiresOn"
        type="date"
        label={tx(locale, 'Ngày hết hạn (không bắt buộc)', 'Expiry date (optional)')}
        value={values.expiresOn}
        error={errors.expiresOn}
      />
    </>
  );
}

const metaFrom = (b: Record<string, unknown>): Metadata => {
  const s = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
  return {
    documentType: s('documentType') ?? '',
    title: s('title') ?? '',
    issuer: s('issuer'),
    number: s('number'),
    issuedOn: s('issuedOn'),
    expiresOn: s('expiresOn'),
  };
};

const ENDED: Record<Exclude<ShareOpening['state'], 'live'>, { vi: string; en: string }> = {
  expired: {
    vi: 'Liên kết chia sẻ này đã hết hạn. Hãy đề nghị người chia sẻ tạo liên kết mới.',
    en: 'This sharing link has expired. Ask the person who shared it for a new one.',
  },
  revoked: {
    vi: 'Người chia sẻ đã thu hồi liên kết này.',
    en: 'The person who shared this link has revoked it.',
  },
  deleted: {
    vi: 'Giấy tờ được chia sẻ không còn trong kho dữ liệu của người chia sẻ.',
    en: 'The shared document is no longer in its owner’s wallet.',
  },
  unknown: {
    vi: 'Không có liên kết chia sẻ này. Hãy kiểm tra lại địa chỉ.',
    en: 'There is no such sharing link. Check the address.',
  },
};

/** Reads what is left of a file part. */
async function drain(part: MultipartFile): Promise<void> {
  if (part.file.destroyed) return;
  try {
    for await (const _ of part.file) {
      // discard
    }
  } catch {
    // torn down already
  }
}

export interface WalletPagesOptions {
  service: WalletService;
}

export async function walletPages(app: AppInstance, { service }: WalletPagesOptions) {
  // The upload form's file, kept in memory up to the limit (10 MB) and checked by the service.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: UPLOAD_MAX_BYTES + 1, files: 1, fields: 20, fieldSize: 4 * 1024 },
    throwFileSizeLimit: false,
    async onFile(part: MultipartFile) {
      const target = part as unknown as { value?: FileField };
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of part.file) {
        size += (c as Buffer).length;
        if (size <= UPLOAD_MAX_BYTES + 1) chunks.push(c as Buffer);
      }
      await drain(part);
      const bytes = Buffer.concat(chunks);
      target.value = {
        content: () => bytes,
        fileName: (part.filename ?? '').normalize('NFC'),
        truncated: part.file.truncated || size > UPLOAD_MAX_BYTES,
      };
    },
  });

  async function walletPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: {
      errors?: Errors;
      values?: Partial<Metadata> & { agencyCode?: string; procedureCode?: string; validUntil?: string };
      status?: number;
    } = {},
  ) {
    const locale = pageLocale(request);
    const ownerId = request.account!.id;
    const q = (request.query ?? {}) as { loai?: string; kieu?: string; q?: string; ok?: string };
    const kind = q.loai && isItemKind(q.loai) ? q.loai : undefined;
    const filter = { kind, documentType: q.kieu || undefined, q: q.q?.trim() || undefined };
    const [items, consents, fetches, token] = await Promise.all([
      service.list(ownerId, filter),
      service.consents(ownerId),
      service.fetches(ownerId),
      reply.csrfToken(),
    ]);
    const e = state.errors ?? {};
    const v = state.values ?? {};
    const title = tx(locale, 'Kho dữ liệu của tôi', 'My document wallet');
    const done: Record<string, string> = {
      'tai-len': tx(locale, 'Đã tải giấy tờ lên kho dữ liệu.', 'The document was added to your wallet.'),
      xoa: tx(locale, 'Đã xóa giấy tờ khỏi kho dữ liệu.', 'The document was removed from your wallet.'),
      'dong-y': tx(locale, 'Đã ghi nhận sự đồng ý.', 'Your consent was recorded.'),
      'thu-hoi': tx(locale, 'Đã thu hồi sự đồng ý.', 'Your consent was withdrawn.'),
    };
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
        <PageHeading
          title={title}
          lead={tx(
            locale,
            'Bản sao có chứng thực, kết quả giải quyết thủ tục đã ký số và giấy tờ bạn tự tải lên. Dùng lại khi nộp hồ sơ mà không phải tải lên lại.',
            'Certified copies, signed results of procedures and your own documents. Reuse them in dossiers without uploading again.',
          )}
        />
        {q.ok && done[q.ok] ? (
          <Notice kind="success">
            <p>{done[q.ok]}</p>
          </Notice>
        ) : null}
        <ErrorSummary errors={e} title={tx(locale, 'Có lỗi cần sửa', 'There is a problem')} />
        <form
          class="form form--inline"
          method="get"
          action={WALLET_PAGE}
          aria-label={tx(locale, 'Lọc', 'Filter')}
        >
          <div class="field">
            <label for="loai">{tx(locale, 'Nguồn', 'Source')}</label>
            <select id="loai" name="loai">
              <option value="">{tx(locale, 'Tất cả', 'All')}</option>
              {ITEM_KINDS.map((k) => (
                <option key={k} value={k} selected={kind === k}>
                  {tx(locale, KIND_NAMES[k].vi, KIND_NAMES[k].en)}
                </option>
              ))}
            </select>
          </div>
          <TypeSelect name="kieu" value={filter.documentType} locale={locale} any />
          <div class="field">
            <label for="q">
              {tx(locale, 'Tìm theo tên, cơ quan cấp, số', 'Search title, issuer, number')}
            </label>
            <input id="q" name="q" type="search" value={filter.q ?? ''} maxLength={200} />
          </div>
          <button class="button button--secondary" type="submit">
            {tx(locale, 'Lọc', 'Filter')}
          </button>
        </form>
        <DataTable
          caption={tx(locale, 'Giấy tờ trong kho', 'Documents in the wallet')}
          rows={items}
          rowKey={(i) => i.id}
          empty={tx(locale, 'Chưa có giấy tờ nào.', 'No documents yet.')}
          columns={[
            {
              header: tx(locale, 'Giấy tờ', 'Document'),
              cell: (i) => (
                <>
                  <a href={`${WALLET_PAGE}/${i.id}`}>{i.title}</a>
                  <br />
                  <span class="hint">
                    {tx(locale, documentTypeName(i.documentType).vi, documentTypeName(i.documentType).en)}
                  </span>
                </>
              ),
            },
            {
              header: tx(locale, 'Nguồn', 'Source'),
              cell: (i) => (
                <>
                  {tx(locale, KIND_NAMES[i.kind].vi, KIND_NAMES[i.kind].en)}
                  {i.signed ? (
                    <>
                      {' '}
                      <span class="tag">{tx(locale, 'Đã ký số', 'Signed')}</span>
                    </>
                  ) : null}
                </>
              ),
            },
            { header: tx(locale, 'Cơ quan cấp', 'Issuer'), cell: (i) => i.issuer ?? '—' },
            { header: tx(locale, 'Số, ký hiệu', 'Number'), cell: (i) => i.number ?? '—' },
            { header: tx(locale, 'Ngày cấp', 'Issued'), cell: (i) => day(i.issuedOn) },
            {
              header: tx(locale, 'Thời hạn', 'Expiry'),
              cell: (i) =>
                i.expiresOn ? (
                  <ExpiryTag item={i} locale={locale} />
                ) : (
                  tx(locale, 'Không thời hạn', 'No expiry')
                ),
            },
            {
              header: tx(locale, 'Thao tác', 'Actions'),
              cell: (i) => (
                <>
                  <a href={`${WALLET_PAGE}/${i.id}/tai-ve`}>{tx(locale, 'Tải về', 'Download')}</a>
                  {' · '}
                  <a href={`${WALLET_PAGE}/${i.id}#chia-se`}>{tx(locale, 'Chia sẻ', 'Share')}</a>
                  {' · '}
                  <a href={`${WALLET_PAGE}/${i.id}#xoa`}>{tx(locale, 'Xóa', 'Remove')}</a>
                </>
              ),
            },
          ]}
        />

        <section aria-labelledby="tai-len">
          <h2 id="tai-len">{tx(locale, 'Tải giấy tờ lên', 'Upload a document')}</h2>
          <p class="hint">
            {tx(
              locale,
              'Tệp PDF, JPG hoặc PNG, tối đa 10 MB. Giấy tờ tự tải lên không được Cổng xác thực, trừ tệp PDF có chữ ký số hợp lệ.',
              'A PDF, JPG or PNG file, at most 10 MB. The portal does not verify your own uploads, except PDFs with a valid digital signature.',
            )}
          </p>
          <form class="form" method="post" action={`${WALLET_PAGE}/tai-len`} enctype="multipart/form-data">
            <CsrfField token={token} />
            <div class={e.file ? 'field field--error' : 'field'}>
              <label for="file">{tx(locale, 'Tệp', 'File')}</label>
              {e.file ? (
                <p class="field-error" id="file-loi">
                  {e.file}
                </p>
              ) : null}
              <input
                id="file"
                name="file"
                type="file"
                accept="application/pdf,image/jpeg,image/png"
                aria-describedby={e.file ? 'file-loi' : undefined}
              />
            </div>
            <MetadataFields values={v} errors={e} locale={locale} />
            <button class="button" type="submit">
              {tx(locale, 'Tải lên', 'Upload')}
            </button>
          </form>
        </section>

        <section aria-labelledby="dong-y">
          <h2 id="dong-y">{tx(locale, 'Đồng ý cho cơ quan khai thác', 'Consents for agencies')}</h2>
          <p class="hint">
            {tx(
              locale,
              'Cơ quan chỉ lấy được giấy tờ từ kho của bạn khi bạn đồng ý, đến ngày bạn chọn; bạn thu hồi được bất cứ lúc nào.',
              'An agency can fetch from your wallet only with your consent, until the date you choose; you can withdraw it at any time.',
            )}
          </p>
          <DataTable
            caption={tx(locale, 'Sự đồng ý đã cho', 'Consents given')}
            rows={consents}
            rowKey={(c) => c.id}
            empty={tx(locale, 'Bạn chưa đồng ý cho cơ quan nào.', 'You have not consented for any agency.')}
            columns={[
              {
                header: tx(locale, 'Cơ quan', 'Agency'),
                cell: (c) => (c.agencyName ? `${c.agencyName} (${c.agencyCode})` : c.agencyCode),
              },
              {
                header: tx(locale, 'Thủ tục', 'Procedure'),
                cell: (c) => c.procedureCode ?? tx(locale, 'Mọi thủ tục', 'Any'),
              },
              { header: tx(locale, 'Đến', 'Until'), cell: (c) => vietnamWhen(c.validUntil) },
              {
                header: tx(locale, 'Trạng thái', 'Status'),
                cell: (c) =>
                  c.revokedAt
                    ? tx(locale, 'Đã thu hồi', 'Withdrawn')
                    : c.live
                      ? tx(locale, 'Còn hiệu lực', 'In force')
                      : tx(locale, 'Hết hạn', 'Expired'),
              },
              {
                header: tx(locale, 'Thao tác', 'Actions'),
                cell: (c) =>
                  c.live ? (
                    <form method="post" action={`${WALLET_PAGE}/dong-y/${c.id}/thu-hoi`} class="form--inline">
                      <CsrfField token={token} />
                      <button class="button button--secondary" type="submit">
                        {tx(locale, 'Thu hồi', 'Withdraw')}
                      </button>
                    </form>
                  ) : null,
              },
            ]}
          />
          <form class="form" method="post" action={`${WALLET_PAGE}/dong-y`}>
            <CsrfField token={token} />
            <Field
              name="agencyCode"
              label={tx(locale, 'Mã cơ quan', 'Agency code')}
              value={v.agencyCode}
              error={e.agencyCode}
              required
              max={40}
            />
            <Field
              name="procedureCode"
              label={tx(locale, 'Mã thủ tục (để trống: mọi thủ tục)', 'Procedure code (empty: any)')}
              value={v.procedureCode}
              error={e.procedureCode}
              max={40}
            />
            <Field
              name="validUntil"
              type="date"
              label={tx(locale, 'Đồng ý đến hết ngày', 'Until the end of')}
              value={v.validUntil}
              error={e.validUntil}
              required
            />
            <button class="button" type="submit">
              {tx(locale, 'Đồng ý', 'Consent')}
            </button>
          </form>
        </section>

        <section aria-labelledby="truy-cap">
          <h2 id="truy-cap">{tx(locale, 'Ai đã truy cập dữ liệu của tôi', 'Who accessed my data')}</h2>
          <DataTable
            caption={tx(locale, 'Các lần cơ quan lấy giấy tờ từ kho', 'Agencies’ fetches from the wallet')}
            rows={fetches}
            rowKey={(f) => String(f.id)}
            empty={tx(
              locale,
              'Chưa có cơ quan nào lấy giấy tờ từ kho của bạn.',
              'No agency has fetched from your wallet.',
            )}
            columns={[
              { header: tx(locale, 'Thời điểm', 'When'), cell: (f) => vietnamWhen(f.at) },
              { header: tx(locale, 'Hệ thống', 'System'), cell: (f) => `${f.clientName} (${f.agencyCode})` },
              { header: tx(locale, 'Người yêu cầu', 'Requested by'), cell: (f) => f.requesterName ?? '—' },
              { header: tx(locale, 'Thủ tục', 'Procedure'), cell: (f) => f.procedureCode ?? '—' },
              {
                header: tx(locale, 'Số giấy tờ được lấy', 'Documents given'),
                cell: (f) => String(f.itemIds.length),
              },
            ]}
          />
        </section>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  async function itemPage(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    state: {
      errors?: Errors;
      values?: Partial<Metadata>;
      status?: number;
      newLink?: { url: string; expiresAt: Date };
    } = {},
  ) {
    const locale = pageLocale(request);
    const ownerId = request.account!.id;
    const item = await service.get(ownerId, request.params.id);
    const [shares, verification, token] = await Promise.all([
      service.shares(ownerId, item.id),
      service.verification(ownerId, item.id),
      reply.csrfToken(),
    ]);
    const e = state.errors ?? {};
    const type = documentTypeName(item.documentType);
    const base = `${WALLET_PAGE}/${item.id}`;
    const ok = (request.query as { ok?: string } | undefined)?.ok;
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={item.title}
        path={request.url}
        breadcrumbs={[
          { href: WALLET_PAGE, label: tx(locale, 'Kho dữ liệu của tôi', 'My document wallet') },
          { label: item.title },
        ]}
      >
        <PageHeading title={item.title} lead={tx(locale, type.vi, type.en)} />
        {ok === 'sua' ? (
          <Notice kind="success">
            <p>{tx(locale, 'Đã lưu thông tin giấy tờ.', 'The details were saved.')}</p>
          </Notice>
        ) : null}
        {ok === 'thu-hoi' ? (
          <Notice kind="success">
            <p>{tx(locale, 'Đã thu hồi liên kết chia sẻ.', 'The sharing link was revoked.')}</p>
          </Notice>
        ) : null}
        {state.newLink ? (
          <Notice kind="success" title={tx(locale, 'Đã tạo liên kết chia sẻ', 'Sharing link created')}>
            <p>
              {tx(
                locale,
                'Sao chép liên kết ngay: vì an toàn, Cổng không lưu và không hiển thị lại liên kết này.',
                'Copy the link now: for safety the portal does not keep it and will not show it again.',
              )}
            </p>
            <p>
              <code>{state.newLink.url}</code>
            </p>
            <p>
              {tx(locale, 'Hết hạn lúc', 'Expires at')} {vietnamWhen(state.newLink.expiresAt)}
            </p>
          </Notice>
        ) : null}
        <ErrorSummary errors={e} title={tx(locale, 'Có lỗi cần sửa', 'There is a problem')} />
        {verification ? (
          <Notice kind={verification.verified ? 'success' : 'warning'}>
            <p>{tx(locale, verification.summary.vi, verification.summary.en)}</p>
          </Notice>
        ) : null}
        <dl class="facts">
          <dt>{tx(locale, 'Nguồn', 'Source')}</dt>
          <dd>{tx(locale, KIND_NAMES[item.kind].vi, KIND_NAMES[item.kind].en)}</dd>
          <dt>{tx(locale, 'Cơ quan cấp', 'Issuer')}</dt>
          <dd>{item.issuer ?? '—'}</dd>
          <dt>{tx(locale, 'Số, ký hiệu', 'Number')}</dt>
          <dd>{item.number ?? '—'}</dd>
          <dt>{tx(locale, 'Ngày cấp', 'Issued')}</dt>
          <dd>{day(item.issuedOn)}</dd>
          <dt>{tx(locale, 'Thời hạn', 'Expiry')}</dt>
          <dd>
            {item.expiresOn ? (
              <ExpiryTag item={item} locale={locale} />
            ) : (
              tx(locale, 'Không thời hạn', 'No expiry')
            )}
          </dd>
          {item.dossierCode ? (
            <>
              <dt>{tx(locale, 'Hồ sơ', 'Dossier')}</dt>
              <dd>{item.dossierCode}</dd>
            </>
          ) : null}
          <dt>{tx(locale, 'Tệp', 'File')}</dt>
          <dd>
            <a href={`${base}/tai-ve`}>{item.fileName}</a> ({kb(item.sizeBytes)})
          </dd>
          <dt>SHA-256</dt>
          <dd>
            <code>{item.sha256}</code>
          </dd>
          <dt>{tx(locale, 'Đưa vào kho lúc', 'Added')}</dt>
          <dd>{vietnamWhen(item.createdAt)}</dd>
        </dl>

        {item.kind === 'upload' ? (
          <section aria-labelledby="sua">
            <h2 id="sua">{tx(locale, 'Sửa thông tin', 'Edit details')}</h2>
            <form class="form" method="post" action={`${base}/sua`}>
              <CsrfField token={token} />
              <MetadataFields
                values={
                  state.values ?? {
                    documentType: item.documentType,
                    title: item.title,
                    issuer: item.issuer ?? undefined,
                    number: item.number ?? undefined,
                    issuedOn: item.issuedOn ?? undefined,
                    expiresOn: item.expiresOn ?? undefined,
                  }
                }
                errors={e}
                locale={locale}
              />
              <button class="button" type="submit">
                {tx(locale, 'Lưu', 'Save')}
              </button>
            </form>
          </section>
        ) : null}

        <section aria-labelledby="chia-se">
          <h2 id="chia-se">{tx(locale, 'Chia sẻ có thời hạn', 'Time-limited sharing')}</h2>
          <p class="hint">
            {tx(
              locale,
              'Ai có liên kết đều xem và tải được giấy tờ đến khi liên kết hết hạn hoặc bạn thu hồi. Mọi lần truy cập đều được ghi lại.',
              'Anyone with the link can see and download the document until it expires or you revoke it. Every access is logged.',
            )}
          </p>
          <form class="form form--inline" method="post" action={`${base}/chia-se`}>
            <CsrfField token={token} />
            <div class={e.hours ? 'field field--error' : 'field'}>
              <label for="hours">{tx(locale, 'Thời hạn', 'Valid for')}</label>
              {e.hours ? (
                <p class="field-error" id="hours-loi">
                  {e.hours}
                </p>
              ) : null}
              <select id="hours" name="hours">
                {SHARE_CHOICES.map((c) => (
                  <option key={c.hours} value={String(c.hours)} selected={c.hours === 24}>
                    {c.vi}
                  </option>
                ))}
              </select>
            </div>
            <button class="button" type="submit">
              {tx(locale, 'Tạo liên kết', 'Create a link')}
            </button>
          </form>
          <DataTable
            caption={tx(locale, 'Liên kết đã tạo', 'Links created')}
            rows={shares}
            rowKey={(s) => s.id}
            empty={tx(locale, 'Chưa có liên kết nào.', 'No links yet.')}
            columns={[
              { header: tx(locale, 'Tạo lúc', 'Created'), cell: (s) => vietnamWhen(s.createdAt) },
              { header: tx(locale, 'Hết hạn', 'Expires'), cell: (s) => vietnamWhen(s.expiresAt) },
              {
                header: tx(locale, 'Trạng thái', 'Status'),
                cell: (s) =>
                  s.state === 'live'
                    ? tx(locale, 'Còn hiệu lực', 'Live')
                    : s.state === 'revoked'
                      ? tx(locale, 'Đã thu hồi', 'Revoked')
                      : tx(locale, 'Hết hạn', 'Expired'),
              },
              {
                header: tx(locale, 'Lượt truy cập', 'Accesses'),
                cell: (s) =>
                  `${s.accessCount}${s.lastAccessAt ? ` (${tx(locale, 'gần nhất', 'last')} ${vietnamWhen(s.lastAccessAt)})` : ''}`,
              },
              {
                header: tx(locale, 'Thao tác', 'Actions'),
                cell: (s) =>
                  s.state === 'live' ? (
                    <form
                      method="post"
                      action={`${WALLET_PAGE}/chia-se/${s.id}/thu-hoi`}
                      class="form--inline"
                    >
                      <CsrfField token={token} />
                      <input type="hidden" name="item" value={item.id} />
                      <button class="button button--secondary" type="submit">
                        {tx(locale, 'Thu hồi', 'Revoke')}
                      </button>
                    </form>
                  ) : null,
              },
            ]}
          />
        </section>

        <section aria-labelledby="xoa">
          <h2 id="xoa">{tx(locale, 'Xóa khỏi kho', 'Remove from the wallet')}</h2>
          <p class="hint">
            {item.kind === 'upload'
              ? tx(
                  locale,
                  'Giấy tờ sẽ không còn trong kho và các liên kết chia sẻ ngừng hoạt động.',
                  'The document leaves your wallet and its links stop working.',
                )
              : tx(
                  locale,
                  'Giấy tờ được ẩn khỏi kho của bạn; bản gốc điện tử và sổ chứng thực tại cơ quan vẫn được lưu.',
                  'The document is hidden from your wallet; the agency keeps its record and register entry.',
                )}
          </p>
          <form method="post" action={`${base}/xoa`}>
            <CsrfField token={token} />
            <button class="button button--secondary" type="submit">
              {tx(locale, 'Xóa khỏi kho', 'Remove')}
            </button>
          </form>
        </section>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  const fileReply = (
    reply: FastifyReply,
    item: WalletItem,
    bytes: Buffer,
    disposition: 'inline' | 'attachment',
  ) =>
    reply
      .type(item.contentType)
      .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(item.fileName)}`)
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .send(bytes);

  app.get(
    WALLET_PAGE,
    { config: { access: OWNERS }, schema: { hide: true, querystring: ListQuery } },
    (request, reply) => walletPage(request, reply),
  );

  app.post(
    `${WALLET_PAGE}/tai-len`,
    { config: { access: OWNERS }, schema: { hide: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      // A text field named `file` (a hand-made form) is no file.
      const part = body.file as FileField | string;
      const file = part && typeof part === 'object' && typeof part.content === 'function' ? part : undefined;
      const meta = metaFrom(body);
      try {
        await service.upload(
          request.account!.id,
          file
            ? { bytes: file.content(), fileName: file.fileName, truncated: file.truncated }
            : { bytes: Buffer.alloc(0), fileName: '' },
          meta,
        );
      } catch (err) {
        const errors = errorsOf(err);
        if (!errors) throw err;
        return walletPage(request, reply, { errors, values: meta, status: 400 });
      }
      return reply.code(303).redirect(`${WALLET_PAGE}?ok=tai-len`);
    },
  );

  app.post(
    `${WALLET_PAGE}/dong-y`,
    {
      config: { access: OWNERS },
      schema: { hide: true, body: FormBody({ agencyCode: S(60), procedureCode: S(60), validUntil: S(20) }) },
    },
    async (request, reply) => {
      const b = request.body;
      try {
        await service.giveConsent(request.account!.id, {
          agencyCode: b.agencyCode ?? '',
          procedureCode: b.procedureCode ?? '',
          validUntil: b.validUntil ?? '',
        });
      } catch (err) {
        const errors = errorsOf(err);
        if (!errors) throw err;
        return walletPage(request, reply, {
          errors,
          values: { agencyCode: b.agencyCode, procedureCode: b.procedureCode, validUntil: b.validUntil },
          status: 400,
        });
      }
      return reply.code(303).redirect(`${WALLET_PAGE}?ok=dong-y#dong-y`);
    },
  );

  app.post(
    `${WALLET_PAGE}/dong-y/:id/thu-hoi`,
    { config: { access: OWNERS }, schema: { hide: true, params: IdParams, body: FormBody({}) } },
    async (request, reply) => {
      await service.revokeConsent(request.account!.id, request.params.id);
      return reply.code(303).redirect(`${WALLET_PAGE}?ok=thu-hoi#dong-y`);
    },
  );

  app.post(
    `${WALLET_PAGE}/chia-se/:id/thu-hoi`,
    {
      config: { access: OWNERS },
      schema: { hide: true, params: IdParams, body: FormBody({ item: S(40) }) },
    },
    async (request, reply) => {
      await service.revokeShare(request.account!.id, request.params.id);
      const item = request.body.item;
      return reply
        .code(303)
        .redirect(
          item && /^[0-9a-f-]{36}$/.test(item) ? `${WALLET_PAGE}/${item}?ok=thu-hoi#chia-se` : WALLET_PAGE,
        );
    },
  );

  app.get(
    `${WALLET_PAGE}/:id`,
    { config: { access: OWNERS }, schema: { hide: true, params: IdParams, querystring: ListQuery } },
    (request, reply) => itemPage(request, reply),
  );

  app.get(
    `${WALLET_PAGE}/:id/tai-ve`,
    { config: { access: OWNERS }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const { item, bytes } = await service.read(request.account!.id, request.params.id);
      return fileReply(reply, item, bytes, 'attachment');
    },
  );

  app.post(
    `${WALLET_PAGE}/:id/sua`,
    { config: { access: OWNERS }, schema: { hide: true, params: IdParams, body: FormBody(MetaFields) } },
    async (request, reply) => {
      const meta = metaFrom(request.body as Record<string, unknown>);
      try {
        await service.updateMetadata(request.account!.id, request.params.id, meta);
      } catch (err) {
        const errors = errorsOf(err);
        if (!errors) throw err;
        return itemPage(request, reply, { errors, values: meta, status: 400 });
      }
      return reply.code(303).redirect(`${WALLET_PAGE}/${request.params.id}?ok=sua`);
    },
  );

  app.post(
    `${WALLET_PAGE}/:id/chia-se`,
    {
      config: { access: OWNERS },
      schema: { hide: true, params: IdParams, body: FormBody({ hours: S(10) }) },
    },
    async (request, reply) => {
      const hours = Number(request.body.hours ?? '');
      try {
        const link = await service.createShare(request.account!.id, request.params.id, hours);
        return itemPage(request, reply, { newLink: { url: link.url, expiresAt: link.expiresAt } });
      } catch (err) {
        const errors = errorsOf(err);
        if (!errors) throw err;
        return itemPage(request, reply, { errors, status: 400 });
      }
    },
  );

  app.post(
    `${WALLET_PAGE}/:id/xoa`,
    { config: { access: OWNERS }, schema: { hide: true, params: IdParams, body: FormBody({}) } },
    async (request, reply) => {
      await service.remove(request.account!.id, request.params.id);
      return reply.code(303).redirect(`${WALLET_PAGE}?ok=xoa`);
    },
  );

  // The public page of a sharing link, and its file.
  app.get(
    '/chia-se/:token',
    { config: { access: access.public }, schema: { hide: true, params: TokenParams } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const opening = await service.viewShare(request.params.token, request.ip);
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      if (opening.state !== 'live') {
        const msg = ENDED[opening.state];
        const title = tx(locale, 'Liên kết không còn hiệu lực', 'This link no longer works');
        return sendPage(
          request,
          reply,
          <Layout locale={locale} title={title} path={request.url}>
            <PageHeading title={title} />
            <Notice kind="warning">
              <p>{tx(locale, msg.vi, msg.en)}</p>
            </Notice>
          </Layout>,
          { status: opening.state === 'unknown' ? 404 : 410 },
        );
      }
      const { item, verification } = opening;
      const type = documentTypeName(item.documentType);
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={item.title} path={request.url}>
          <PageHeading
            title={item.title}
            lead={tx(
              locale,
              'Giấy tờ được chia sẻ từ kho dữ liệu điện tử',
              'A document shared from a document wallet',
            )}
          />
          {verification ? (
            <Notice
              kind={verification.verified ? 'success' : 'warning'}
              title={tx(locale, 'Kiểm tra chữ ký số', 'Signature check')}
            >
              <p>{tx(locale, verification.summary.vi, verification.summary.en)}</p>
              <p class="hint">
                {tx(locale, 'Kiểm tra lúc', 'Checked at')} {vietnamWhen(verification.checkedAt)}
              </p>
            </Notice>
          ) : (
            <Notice kind="info">
              <p>
                {tx(
                  locale,
                  'Giấy tờ này không có chữ ký số được Cổng xác thực: nội dung do người chia sẻ cung cấp.',
                  'This document carries no signature the portal verified: its content is the sharer’s.',
                )}
              </p>
            </Notice>
          )}
          <dl class="facts">
            <dt>{tx(locale, 'Loại giấy tờ', 'Type')}</dt>
            <dd>{tx(locale, type.vi, type.en)}</dd>
            <dt>{tx(locale, 'Nguồn', 'Source')}</dt>
            <dd>{tx(locale, KIND_NAMES[item.kind].vi, KIND_NAMES[item.kind].en)}</dd>
            <dt>{tx(locale, 'Cơ quan cấp', 'Issuer')}</dt>
            <dd>{item.issuer ?? '—'}</dd>
            <dt>{tx(locale, 'Số, ký hiệu', 'Number')}</dt>
            <dd>{item.number ?? '—'}</dd>
            <dt>{tx(locale, 'Ngày cấp', 'Issued')}</dt>
            <dd>{day(item.issuedOn)}</dd>
            <dt>{tx(locale, 'Thời hạn', 'Expiry')}</dt>
            <dd>
              {item.expiresOn ? (
                <ExpiryTag item={item} locale={locale} />
              ) : (
                tx(locale, 'Không thời hạn', 'No expiry')
              )}
            </dd>
            <dt>SHA-256</dt>
            <dd>
              <code>{item.sha256}</code>
            </dd>
            <dt>{tx(locale, 'Liên kết hết hạn lúc', 'Link expires at')}</dt>
            <dd>{vietnamWhen(opening.expiresAt)}</dd>
          </dl>
          <p>
            <a class="button" href={`/chia-se/${request.params.token}/tai-ve`}>
              {tx(locale, 'Tải về', 'Download')} ({item.fileName}, {kb(item.sizeBytes)})
            </a>
          </p>
        </Layout>,
      );
    },
  );

  app.get(
    '/chia-se/:token/tai-ve',
    { config: { access: access.public }, schema: { hide: true, params: TokenParams } },
    async (request, reply) => {
      const { opening, bytes } = await service.downloadShare(request.params.token, request.ip);
      if (opening.state !== 'live' || !bytes) {
        const locale = pageLocale(request);
        const msg = ENDED[opening.state === 'live' ? 'deleted' : opening.state];
        const title = tx(locale, 'Liên kết không còn hiệu lực', 'This link no longer works');
        return sendPage(
          request,
          reply,
          <Layout locale={locale} title={title} path={request.url}>
            <PageHeading title={title} />
            <Notice kind="warning">
              <p>{tx(locale, msg.vi, msg.en)}</p>
            </Notice>
          </Layout>,
          { status: opening.state === 'unknown' ? 404 : 410 },
        );
      }
      reply.header('referrer-policy', 'no-referrer');
      return fileReply(reply, opening.item, bytes, 'attachment');
    },
  );
}
