/** Server-rendered views of the catalogue's groupings: the list of sectors and a life-event bundle. */
import type { Locale } from '../../../platform/i18n/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { Layout, Notice, PageHeading } from '../../../platform/web/index.ts';
import type { CatalogueService } from '../catalogue.service.ts';
import { ASSET_CSS } from './assets.ts';
import { onlineLabel } from './labels.ts';

export function SectorsPage({
  locale,
  path,
  sectors,
}: {
  locale: Locale;
  path: string;
  sectors: Awaited<ReturnType<CatalogueService['sectors']>>;
}) {
  return (
    <Layout
      stylesheets={[ASSET_CSS]}
      locale={locale}
      title={tx(locale, 'Lĩnh vực thủ tục hành chính', 'Sectors')}
      path={path}
      breadcrumbs={[
        { href: '/thu-tuc', label: tx(locale, 'Thủ tục hành chính', 'Procedures') },
        { label: tx(locale, 'Lĩnh vực', 'Sectors') },
      ]}
    >
      <PageHeading title={tx(locale, 'Lĩnh vực thủ tục hành chính', 'Sectors')} />
      <ul class="link-list">
        {sectors
          .filter((s) => s.procedures > 0)
          .map((s) => (
            <li key={s.code}>
              <a href={`/thu-tuc/linh-vuc/${encodeURIComponent(s.code)}`}>
                {locale === 'en' && s.nameEn ? s.nameEn : s.name}
              </a>
              <span class="link-list__meta">
                {s.procedures.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB')}{' '}
                {tx(locale, 'thủ tục', 'procedures')}
              </span>
            </li>
          ))}
      </ul>
    </Layout>
  );
}

export function BundlePage({
  locale,
  path,
  b,
}: {
  locale: Locale;
  path: string;
  b: Awaited<ReturnType<CatalogueService['bundle']>>;
}) {
  const name = locale === 'en' && b.nameEn ? b.nameEn : b.name;
  return (
    <Layout
      stylesheets={[ASSET_CSS]}
      locale={locale}
      title={name}
      path={path}
      breadcrumbs={[
        { href: '/thu-tuc', label: tx(locale, 'Thủ tục hành chính', 'Procedures') },
        { label: tx(locale, 'Liên thông', 'Bundle') },
      ]}
    >
      <PageHeading title={name} lead={locale === 'en' && b.descriptionEn ? b.descriptionEn : b.description} />
      {b.legalBasis ? (
        <p class="hint">
          {tx(locale, 'Căn cứ', 'Basis')}: {b.legalBasis}
        </p>
      ) : null}
      <h2>{tx(locale, 'Các thủ tục trong nhóm', 'Procedures in the bundle')}</h2>
      <ol class="results">
        {b.members.map((m) => (
          <li key={m.code}>
            <h3>
              {m.published ? (
                <a href={`/thu-tuc/${encodeURIComponent(m.code)}`}>{m.name}</a>
              ) : (
                <span>{m.code}</span>
              )}
            </h3>
            <p class="meta">
              {tx(locale, 'Mã', 'Code')} {m.code}
              {m.content
                ? ` · ${onlineLabel(m.content.onlineLevel, locale)}`
                : tx(locale, ' · chưa công khai', ' · not published')}
            </p>
            {m.published ? (
              <p>
                <a href={`/ho-so/nop/${encodeURIComponent(m.code)}`}>
                  {tx(locale, 'Nộp hồ sơ thủ tục này', 'File this procedure')}
                </a>
              </p>
            ) : null}
          </li>
        ))}
      </ol>
      <Notice kind="info">
        <p>
          {tx(
            locale,
            'Nộp một lần cho cả nhóm thủ tục liên thông chưa mở trên Cổng; hiện bạn nộp từng thủ tục theo thứ tự trên.',
            'Filing the whole bundle at once is not open yet; file each procedure in the order above.',
          )}
        </p>
      </Notice>
    </Layout>
  );
}
