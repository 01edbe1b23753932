/**
 * The owner's wallet page `/kho-du-lieu`: their items with filters, the upload form, consents for agencies
 * (given and withdrawn here) and who fetched from the wallet. Forms post back to the page, which shows
 * problems beside their fields.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { vietnamWhen } from '../../../platform/clock/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import {
  CsrfField,
  DataTable,
  ErrorSummary,
  FormBody,
  isUploadedFile,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  S,
  sendPage,
} from '../../../platform/web/index.ts';
import { documentTypeName } from '../domain/document-types.ts';
import { ITEM_KINDS, isItemKind, KIND_NAMES } from './wallet.domain.ts';
import { WALLET_PAGE } from './wallet.navigation.ts';
import {
  day,
  type Errors,
  ExpiryTag,
  errorsOf,
  Field,
  IdParams,
  ListQuery,
  MetadataFields,
  metaFrom,
  OWNERS,
  TypeSelect,
} from './wallet.page-parts.tsx';
import type { Metadata, WalletService } from './wallet.service.ts';

export function walletListPages(app: AppInstance, service: WalletService) {
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
      const file = isUploadedFile(body.file) ? body.file : undefined;
      const meta = metaFrom(body);
      try {
        await service.upload(
          request.account!.id,
          file && 'bytes' in file
            ? { bytes: file.bytes, fileName: file.fileName }
            : {
                bytes: Buffer.alloc(0),
                fileName: file?.fileName ?? '',
                truncated: file?.error === 'too-large',
              },
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
}
