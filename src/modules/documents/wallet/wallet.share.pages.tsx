/**
 * The public page of a sharing link `/chia-se/{token}` and its file: the item, its signature checked now,
 * and a download; 404 for an unknown link, 410 once expired, revoked or the item removed.
 */
import { Type } from 'typebox';
import { vietnamWhen } from '../../../platform/clock/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import { documentTypeName } from '../domain/document-types.ts';
import { KIND_NAMES } from './wallet.domain.ts';
import { day, ExpiryTag, fileReply, kb } from './wallet.page-parts.tsx';
import type { ShareOpening, WalletService } from './wallet.service.ts';

const TokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });

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

export function walletSharePages(app: AppInstance, service: WalletService) {
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
