/**
 * The page of one item `/kho-du-lieu/{id}`: metadata, verification, download, editing an upload, sharing
 * links (created, listed with who opened them, revoked) and removal. Forms post back to the page, which
 * shows problems beside their fields.
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
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  S,
  sendPage,
} from '../../../platform/web/index.ts';
import { documentTypeName } from '../domain/document-types.ts';
import { KIND_NAMES, SHARE_CHOICES } from './wallet.domain.ts';
import { WALLET_PAGE } from './wallet.navigation.ts';
import {
  day,
  type Errors,
  ExpiryTag,
  errorsOf,
  fileReply,
  IdParams,
  kb,
  ListQuery,
  MetadataFields,
  MetaFields,
  metaFrom,
  OWNERS,
} from './wallet.page-parts.tsx';
import type { Metadata, WalletService } from './wallet.service.ts';

export function walletItemPages(app: AppInstance, service: WalletService) {
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
}
