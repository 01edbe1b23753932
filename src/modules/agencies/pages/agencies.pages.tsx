/**
 * Pages of the agencies module: agencies and administrative units on any date, with their history
 * (the 2025 restructuring of ministries and the merger of 63 provinces into 34).
 */

import { addDays, formatVietnameseDate } from '../../../platform/clock/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import { access } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import {
  DataTable,
  DateText,
  Layout,
  LinkList,
  Notice,
  PageHeading,
  pageLocale,
  sendPage,
} from '../../../platform/web/index.ts';
import type { AgenciesService } from '../agencies.service.ts';
import { adminUnitPages } from './admin-units.pages.tsx';
import { agencyKindLabel, levelLabel, weekdaysText } from './labels.ts';
import {
  agencyHref,
  agencyName,
  CodeParams,
  DateForm,
  emptyToUndefined,
  PageQuery,
  unitName,
  validity,
} from './page-parts.tsx';

/** Communes' People's Committees listed at most on the agencies page (a province has at most 168). */
const COMMUNE_LIMIT = 200;

export async function agenciesPages(app: AppInstance, { service }: { service: AgenciesService }) {
  app.get(
    '/co-quan',
    { config: { access: access.public }, schema: { hide: true, querystring: PageQuery } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const q = emptyToUndefined(request.query.q);
      const province = emptyToUndefined(request.query.tinh);
      const date = service.todayOr(emptyToUndefined(request.query.ngay));
      // One query per section, each narrowed by level or kind: the communes' People's Committees alone
      // are 3,321, so they are listed for one province, or for a search (at most COMMUNE_LIMIT).
      const list = async (f: Parameters<AgenciesService['listAgencies']>[0]) =>
        (await service.listAgencies({ date, q, ...f })).items;
      const narrowed = q !== undefined || province !== undefined;
      const [provinces, central, provincial, centres, departments, communes] = await Promise.all([
        service.listAdminUnits({ date, level: 'province' }),
        province ? [] : list({ level: 'central' }),
        list({ level: 'province', kind: 'people-committee', adminUnit: province }),
        list({ kind: 'one-stop-centre', adminUnit: province }),
        narrowed ? list({ kind: 'department', adminUnit: province }) : [],
        narrowed
          ? list({
              level: 'commune',
              parent: province ? `UBND-${province}` : undefined,
              limit: COMMUNE_LIMIT + 1,
            })
          : [],
      ]);
      const title = tx(locale, 'Cơ quan nhà nước', 'State agencies');
      type Item = (typeof central)[number];
      const columns = [
        {
          header: tx(locale, 'Cơ quan', 'Agency'),
          cell: (a: Item) => <a href={`/co-quan/${a.code}?ngay=${date}`}>{agencyName(a, locale)}</a>,
        },
        { header: tx(locale, 'Loại', 'Kind'), cell: (a: Item) => agencyKindLabel(a.kind, locale) },
        {
          header: tx(locale, 'Mã định danh', 'Identifier code'),
          cell: (a: Item) => (a.identifiers.length > 0 ? <code>{a.identifiers.join(', ')}</code> : '—'),
        },
      ];
      const none = tx(locale, 'Không có cơ quan nào phù hợp.', 'No matching agency.');
      const section = (heading: string, rows: Item[]) => (
        <>
          <h2>{`${heading} (${rows.length})`}</h2>
          <DataTable caption={heading} columns={columns} rows={rows} rowKey={(a) => a.code} empty={none} />
        </>
      );
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading
            title={title}
            lead={tx(
              locale,
              `Các cơ quan đang hoạt động vào ngày ${formatVietnameseDate(date)}: Chính phủ, các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân và Trung tâm Phục vụ hành chính công của các tỉnh, thành phố. Chọn một tỉnh, thành phố hoặc tìm theo tên để xem các sở, ban, ngành và Ủy ban nhân dân cấp xã.`,
              `Agencies in existence on ${date}: the Government, ministries, ministerial-level and Government agencies, and each province's People's Committee and one-stop service centre. Choose a province or search by name for departments and communes' People's Committees.`,
            )}
          />
          <DateForm
            action="/co-quan"
            date={date}
            q={q}
            locale={locale}
            presets={[
              {
                date: '2025-02-28',
                label: tx(locale, 'Trước sắp xếp bộ, ngành (28/02/2025)', 'Before the 2025 restructuring'),
              },
              {
                date: '2025-06-30',
                label: tx(locale, '63 tỉnh, thành phố (30/06/2025)', '63 provinces (30 Jun 2025)'),
              },
              {
                date: '2025-07-01',
                label: tx(locale, '34 tỉnh, thành phố (từ 01/07/2025)', '34 provinces (from 1 Jul 2025)'),
              },
            ]}
          >
            <div class="field">
              <label for="tinh">{tx(locale, 'Tỉnh, thành phố', 'Province')}</label>
              <select id="tinh" name="tinh">
                <option value="">{tx(locale, 'Tất cả', 'All')}</option>
                {provinces.items.map((p) => (
                  <option key={p.code} value={p.code} selected={p.code === province}>
                    {unitName(p, locale)}
                  </option>
                ))}
              </select>
            </div>
          </DateForm>
          {province ? null : section(tx(locale, 'Cơ quan trung ương', 'Central agencies'), central)}
          {section(tx(locale, 'Ủy ban nhân dân cấp tỉnh', "Provincial People's Committees"), provincial)}
          <h2>
            {tx(
              locale,
              `Trung tâm Phục vụ hành chính công (${centres.length})`,
              `One-stop service centres (${centres.length})`,
            )}
          </h2>
          <LinkList
            items={centres.map((a) => ({
              href: `/co-quan/${a.code}?ngay=${date}`,
              label: agencyName(a, locale),
            }))}
            empty={none}
          />
          {narrowed ? (
            <>
              <h2>
                {tx(
                  locale,
                  `Sở, ban, ngành cấp tỉnh (${departments.length})`,
                  `Provincial departments (${departments.length})`,
                )}
              </h2>
              <LinkList
                items={departments.map((a) => ({
                  href: `/co-quan/${a.code}?ngay=${date}`,
                  label: agencyName(a, locale),
                }))}
                empty={none}
              />
              {section(
                tx(locale, 'Ủy ban nhân dân cấp xã', "Communes' People's Committees"),
                communes.slice(0, COMMUNE_LIMIT),
              )}
              {communes.length > COMMUNE_LIMIT ? (
                <p class="hint">
                  {tx(
                    locale,
                    `Chỉ hiển thị ${COMMUNE_LIMIT} cơ quan đầu tiên; hãy chọn tỉnh, thành phố hoặc gõ thêm từ khóa.`,
                    `Only the first ${COMMUNE_LIMIT} are shown; choose a province or type more words.`,
                  )}
                </p>
              ) : null}
            </>
          ) : null}
        </Layout>,
      );
    },
  );

  app.get(
    '/co-quan/:code',
    { config: { access: access.public }, schema: { hide: true, params: CodeParams, querystring: PageQuery } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const a = await service.getAgency(request.params.code, { date: emptyToUndefined(request.query.ngay) });
      const name = agencyName(a, locale);
      const current =
        (a.validFrom === null || a.validFrom <= a.date) && (a.validTo === null || a.validTo >= a.date);
      const subordinates = a.children.filter((c) => c.level !== 'commune');
      const communeCommittees = a.children.filter((c) => c.level === 'commune');
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={name}
          path={request.url}
          breadcrumbs={[
            { href: '/co-quan', label: tx(locale, 'Cơ quan nhà nước', 'State agencies') },
            { label: name },
          ]}
        >
          <PageHeading title={name}>
            <p class="lead" lang={locale === 'vi' ? 'en' : 'vi'}>
              {locale === 'vi' ? a.nameEn : a.name}
            </p>
          </PageHeading>
          {!current ? (
            <Notice
              kind="warning"
              title={tx(
                locale,
                'Cơ quan không còn tồn tại vào ngày đã chọn',
                'Not in existence on the chosen date',
              )}
            >
              <p>
                {tx(
                  locale,
                  'Thông tin dưới đây là phiên bản cuối cùng, có hiệu lực ',
                  'Shown: its last version, valid ',
                )}
                {validity(a, locale)}.
              </p>
            </Notice>
          ) : null}
          {a.successors.length > 0 ? (
            <Notice kind="info" title={tx(locale, 'Đã được tổ chức lại', 'Reorganised')}>
              <p>
                {tx(locale, 'Từ ', 'From ')}
                <DateText date={addDays(a.validTo!, 1)} />
                {tx(locale, ', nhiệm vụ chuyển sang: ', ', its duties passed to: ')}
                {a.successors.map((s, i) => (
                  <span key={s.code}>
                    {i > 0 ? ', ' : ''}
                    <a href={agencyHref(s)}>{agencyName(s, locale)}</a>
                  </span>
                ))}
                .
              </p>
            </Notice>
          ) : null}
          <dl class="facts">
            <dt>{tx(locale, 'Mã cơ quan trên Cổng', 'Portal code')}</dt>
            <dd>
              <code>{a.code}</code>
            </dd>
            {a.shortName ? (
              <>
                <dt>{tx(locale, 'Tên viết tắt', 'Abbreviation')}</dt>
                <dd>{a.shortName}</dd>
              </>
            ) : null}
            <dt>{tx(locale, 'Loại cơ quan', 'Kind')}</dt>
            <dd>
              {agencyKindLabel(a.kind, locale)} · {levelLabel(a.level, locale)}
            </dd>
            <dt>{tx(locale, 'Cơ quan cấp trên', 'Parent agency')}</dt>
            <dd>
              {a.parent ? <a href={agencyHref(a.parent, a.date)}>{agencyName(a.parent, locale)}</a> : '—'}
            </dd>
            {a.adminUnitCode ? (
              <>
                <dt>{tx(locale, 'Địa bàn', 'Territory')}</dt>
                <dd>
                  <a
                    href={`/don-vi-hanh-chinh/${a.adminUnitCode}?ngay=${current ? a.date : (a.validTo ?? a.date)}`}
                  >
                    {a.adminUnit
                      ? `${locale === 'en' && a.adminUnit.nameEn ? a.adminUnit.nameEn : a.adminUnit.name} (${a.adminUnitCode})`
                      : a.adminUnitCode}
                  </a>
                </dd>
              </>
            ) : null}
            <dt>{tx(locale, 'Thời gian hiệu lực', 'Valid')}</dt>
            <dd>{validity(a, locale)}</dd>
            <dt>{tx(locale, 'Giờ làm việc', 'Office hours')}</dt>
            <dd>
              {a.officeHours.sessions.map((s) => `${s.start}–${s.end}`).join(', ')}
              {' · '}
              {weekdaysText(a.officeHours.weekdays ?? [1, 2, 3, 4, 5], locale)}
            </dd>
            {a.note ? (
              <>
                <dt>{tx(locale, 'Ghi chú', 'Note')}</dt>
                <dd>{a.note}</dd>
              </>
            ) : null}
          </dl>
          <h2>{tx(locale, 'Mã định danh điện tử', 'Electronic identifier codes')}</h2>
          <p class="hint">
            {tx(
              locale,
              'Theo Quyết định 20/2020/QĐ-TTg (sửa đổi bởi Quyết định 09/2025/QĐ-TTg). Mã hồ sơ của cơ quan bắt đầu bằng một trong các mã này. Bảng mã do đơn vị vận hành cấu hình.',
              'Under Decision 20/2020/QĐ-TTg (amended by Decision 09/2025/QĐ-TTg). Dossier codes of the agency start with one of them. The operator configures this table.',
            )}
          </p>
          <DataTable
            caption={tx(locale, 'Mã định danh', 'Identifier codes')}
            columns={[
              { header: tx(locale, 'Mã', 'Code'), cell: (i) => <code>{i.identifier}</code> },
              { header: tx(locale, 'Hiệu lực', 'Valid'), cell: (i) => validity(i, locale) },
              {
                header: tx(locale, 'Đã đối chiếu', 'Verified'),
                cell: (i) => (i.verified ? tx(locale, 'Có', 'Yes') : tx(locale, 'Chưa', 'Not yet')),
              },
              { header: tx(locale, 'Nguồn', 'Source'), cell: (i) => i.source ?? '—' },
            ]}
            rows={a.identifiers}
            rowKey={(i) => `${i.identifier}@${i.validFrom ?? ''}`}
            empty={tx(
              locale,
              'Chưa có mã định danh nào được cấu hình cho cơ quan này.',
              'No identifier code is configured for this agency yet.',
            )}
          />
          {subordinates.length > 0 ? (
            <>
              <h2>{tx(locale, 'Cơ quan trực thuộc', 'Subordinate agencies')}</h2>
              <LinkList
                items={subordinates.map((c) => ({
                  href: agencyHref(c, a.date),
                  label: agencyName(c, locale),
                  meta: agencyKindLabel(c.kind, locale),
                }))}
                empty=""
              />
            </>
          ) : null}
          {communeCommittees.length > 0 ? (
            <>
              <h2>
                {tx(
                  locale,
                  `Ủy ban nhân dân cấp xã trực thuộc (${communeCommittees.length})`,
                  `Communes' People's Committees under it (${communeCommittees.length})`,
                )}
              </h2>
              <LinkList
                items={communeCommittees.map((c) => ({
                  href: agencyHref(c, a.date),
                  label: agencyName(c, locale),
                  meta: c.adminUnitCode ?? '',
                }))}
                empty=""
              />
            </>
          ) : null}
          {a.predecessors.length > 0 ? (
            <>
              <h2>{tx(locale, 'Hình thành từ', 'Formed from')}</h2>
              <LinkList
                items={a.predecessors.map((p) => ({
                  href: agencyHref(p),
                  label: agencyName(p, locale),
                  meta: validity(p, locale),
                }))}
                empty=""
              />
            </>
          ) : null}
          {a.versions.length > 1 ? (
            <>
              <h2>{tx(locale, 'Các phiên bản', 'Versions')}</h2>
              <LinkList
                items={a.versions.map((v) => ({
                  href: `/co-quan/${v.code}?ngay=${v.validFrom ?? v.validTo ?? a.date}`,
                  label: agencyName(v, locale),
                  meta: validity(v, locale),
                }))}
                empty=""
              />
            </>
          ) : null}
        </Layout>,
      );
    },
  );

  await app.register(adminUnitPages, { service });
}
