/**
 * Pages of the agencies module: agencies and administrative units on any date, with their history
 * (the 2025 restructuring of ministries and the merger of 63 provinces into 34).
 */

import { Type } from 'typebox';
import { addDays, formatVietnameseDate } from '../../../platform/clock/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import { access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
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
import type { AdminUnit, AgenciesService, Agency } from '../agencies.service.ts';
import {
  agencyKindLabel,
  changeLabel,
  changeSentence,
  levelLabel,
  unitKindLabel,
  weekdaysText,
} from './labels.ts';

const PageQuery = Type.Object({
  ngay: Type.Optional(Type.String({ maxLength: 10 })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  lang: Type.Optional(Type.String({ maxLength: 2 })),
});
const CodeParams = Type.Object({
  code: Type.String({ minLength: 2, maxLength: 40, pattern: '^[A-Za-z0-9.-]+$' }),
});
const UnitCodeParams = Type.Object({ code: Type.String({ pattern: '^[0-9]{2}([0-9]{3})?$' }) });

const emptyToUndefined = (s: string | undefined) =>
  s === undefined || s.trim() === '' ? undefined : s.trim();

function validity(v: { validFrom: string | null; validTo: string | null }, locale: Locale): string {
  const from = v.validFrom ? formatVietnameseDate(v.validFrom) : undefined;
  const to = v.validTo ? formatVietnameseDate(v.validTo) : undefined;
  if (from && to) return tx(locale, `từ ${from} đến ${to}`, `from ${from} to ${to}`);
  if (from) return tx(locale, `từ ${from} đến nay`, `since ${from}`);
  if (to) return tx(locale, `đến hết ${to}`, `until ${to}`);
  return tx(locale, 'đang có hiệu lực', 'in force');
}

const unitName = (u: AdminUnit, locale: Locale) => (locale === 'en' && u.nameEn ? u.nameEn : u.name);
const agencyName = (a: Agency, locale: Locale) => (locale === 'en' && a.nameEn ? a.nameEn : a.name);
const unitHref = (u: AdminUnit, date?: string) =>
  `/don-vi-hanh-chinh/${u.code}${date ? `?ngay=${date}` : u.validTo ? `?ngay=${u.validTo}` : ''}`;
const agencyHref = (a: Agency, date?: string) =>
  `/co-quan/${a.code}${date ? `?ngay=${date}` : a.validTo ? `?ngay=${a.validTo}` : ''}`;

function DateForm({
  action,
  date,
  q,
  locale,
  presets,
}: {
  action: string;
  date: string;
  q?: string | undefined;
  locale: Locale;
  presets: Array<{ date: string; label: string }>;
}) {
  return (
    <form method="get" action={action} class="filter-form">
      <div class="field">
        <label for="ngay">{tx(locale, 'Tại ngày', 'On date')}</label>
        <input type="date" id="ngay" name="ngay" value={date} min="1990-01-01" max="2100-12-31" />
      </div>
      <div class="field">
        <label for="q">
          {tx(locale, 'Tên (có dấu hoặc không dấu)', 'Name (with or without diacritics)')}
        </label>
        <input type="search" id="q" name="q" value={q ?? ''} maxLength={100} />
      </div>
      <button type="submit" class="button">
        {tx(locale, 'Xem', 'Show')}
      </button>
      <p class="presets">
        {presets.map((p) => (
          <a key={p.date} href={`${action}?ngay=${p.date}`}>
            {p.label}
          </a>
        ))}
      </p>
    </form>
  );
}

export async function agenciesPages(app: AppInstance, { service }: { service: AgenciesService }) {
  app.get(
    '/co-quan',
    { config: { access: access.public }, schema: { hide: true, querystring: PageQuery } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const q = emptyToUndefined(request.query.q);
      const { date, items } = await service.listAgencies({ date: emptyToUndefined(request.query.ngay), q });
      const central = items.filter((a) => a.level === 'central');
      const provincial = items.filter((a) => a.level === 'province' && a.kind === 'people-committee');
      const centres = items.filter((a) => a.kind === 'one-stop-centre');
      // Departments (sở) are many (12 in each province): listed under their People's Committee, and
      // here only when the search asks for them.
      const departments = q ? items.filter((a) => a.kind === 'department') : [];
      const title = tx(locale, 'Cơ quan nhà nước', 'State agencies');
      const columns = [
        {
          header: tx(locale, 'Cơ quan', 'Agency'),
          cell: (a: (typeof items)[number]) => (
            <a href={`/co-quan/${a.code}?ngay=${date}`}>{agencyName(a, locale)}</a>
          ),
        },
        {
          header: tx(locale, 'Loại', 'Kind'),
          cell: (a: (typeof items)[number]) => agencyKindLabel(a.kind, locale),
        },
        {
          header: tx(locale, 'Mã định danh', 'Identifier code'),
          cell: (a: (typeof items)[number]) =>
            a.identifiers.length > 0 ? <code>{a.identifiers.join(', ')}</code> : '—',
        },
      ];
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading
            title={title}
            lead={tx(
              locale,
              `Các cơ quan đang hoạt động vào ngày ${formatVietnameseDate(date)}: Chính phủ, các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân và Trung tâm Phục vụ hành chính công của các tỉnh, thành phố (các sở, ban, ngành ở trang của từng Ủy ban nhân dân).`,
              `Agencies in existence on ${date}: the Government, ministries, ministerial-level and Government agencies, and each province's People's Committee and one-stop service centre.`,
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
          />
          <h2>
            {tx(locale, `Cơ quan trung ương (${central.length})`, `Central agencies (${central.length})`)}
          </h2>
          <DataTable
            caption={tx(locale, 'Cơ quan trung ương', 'Central agencies')}
            columns={columns}
            rows={central}
            rowKey={(a) => a.code}
            empty={tx(locale, 'Không có cơ quan nào phù hợp.', 'No matching agency.')}
          />
          <h2>
            {tx(
              locale,
              `Ủy ban nhân dân cấp tỉnh (${provincial.length})`,
              `Provincial People's Committees (${provincial.length})`,
            )}
          </h2>
          <DataTable
            caption={tx(locale, 'Ủy ban nhân dân cấp tỉnh', "Provincial People's Committees")}
            columns={columns}
            rows={provincial}
            rowKey={(a) => a.code}
            empty={tx(locale, 'Không có cơ quan nào phù hợp.', 'No matching agency.')}
          />
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
            empty={tx(locale, 'Không có cơ quan nào phù hợp.', 'No matching agency.')}
          />
          {departments.length > 0 ? (
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
                empty=""
              />
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
                    {tx(locale, 'Tỉnh, thành phố mã ', 'Province code ')}
                    {a.adminUnitCode}
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
          {a.children.length > 0 ? (
            <>
              <h2>{tx(locale, 'Cơ quan trực thuộc', 'Subordinate agencies')}</h2>
              <LinkList
                items={a.children.map((c) => ({
                  href: agencyHref(c, a.date),
                  label: agencyName(c, locale),
                  meta: agencyKindLabel(c.kind, locale),
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

  app.get(
    '/don-vi-hanh-chinh',
    { config: { access: access.public }, schema: { hide: true, querystring: PageQuery } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const q = emptyToUndefined(request.query.q);
      const [{ date, items }, successions] = await Promise.all([
        service.listAdminUnits({ date: emptyToUndefined(request.query.ngay), level: 'province', q }),
        service.provinceSuccessions(),
      ]);
      const key = (u: AdminUnit) => `${u.code}@${u.validFrom ?? ''}`;
      const formedFrom = new Map<string, AdminUnit[]>();
      const became = new Map<string, AdminUnit[]>();
      for (const s of successions) {
        if (s.kind !== 'merge') continue;
        formedFrom.set(key(s.successor), [...(formedFrom.get(key(s.successor)) ?? []), s.predecessor]);
        became.set(key(s.predecessor), [...(became.get(key(s.predecessor)) ?? []), s.successor]);
      }
      const title = tx(locale, 'Đơn vị hành chính cấp tỉnh', 'Provinces and centrally-run cities');
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading
            title={title}
            lead={tx(
              locale,
              `${items.length} tỉnh, thành phố trực thuộc trung ương có hiệu lực vào ngày ${formatVietnameseDate(date)}. Từ ngày 01/07/2025, cả nước có 34 đơn vị hành chính cấp tỉnh theo Nghị quyết 202/2025/QH15; hồ sơ cũ vẫn giữ đúng tỉnh tại thời điểm nộp.`,
              `${items.length} provinces and centrally-run cities on ${date}. Since 1 July 2025 the country has 34 provincial units (Resolution 202/2025/QH15); older records keep the province of their time.`,
            )}
          />
          <DateForm
            action="/don-vi-hanh-chinh"
            date={date}
            q={q}
            locale={locale}
            presets={[
              {
                date: '2025-06-30',
                label: tx(locale, '63 tỉnh, thành phố (đến 30/06/2025)', '63 provinces (until 30 Jun 2025)'),
              },
              {
                date: '2025-07-01',
                label: tx(locale, '34 tỉnh, thành phố (từ 01/07/2025)', '34 provinces (from 1 Jul 2025)'),
              },
            ]}
          />
          <DataTable
            caption={title}
            columns={[
              { header: tx(locale, 'Mã', 'Code'), cell: (u: AdminUnit) => <code>{u.code}</code> },
              {
                header: tx(locale, 'Tên', 'Name'),
                cell: (u: AdminUnit) => (
                  <a href={`/don-vi-hanh-chinh/${u.code}?ngay=${date}`}>{unitName(u, locale)}</a>
                ),
              },
              { header: tx(locale, 'Loại', 'Kind'), cell: (u: AdminUnit) => unitKindLabel(u.kind, locale) },
              {
                header:
                  date >= '2025-07-01'
                    ? tx(locale, 'Hình thành từ', 'Formed from')
                    : tx(locale, 'Từ 01/07/2025 thuộc', 'From 1 Jul 2025 part of'),
                cell: (u: AdminUnit) => {
                  const list = (date >= '2025-07-01' ? formedFrom : became).get(key(u)) ?? [];
                  if (list.length === 0) return tx(locale, 'Giữ nguyên', 'Unchanged');
                  return list.map((x, i) => (
                    <span key={key(x)}>
                      {i > 0 ? ', ' : ''}
                      <a href={unitHref(x)}>{unitName(x, locale)}</a>
                    </span>
                  ));
                },
              },
            ]}
            rows={items}
            rowKey={(u) => key(u)}
            empty={tx(locale, 'Không có đơn vị nào phù hợp.', 'No matching unit.')}
          />
        </Layout>,
      );
    },
  );

  app.get(
    '/don-vi-hanh-chinh/:code',
    {
      config: { access: access.public },
      schema: { hide: true, params: UnitCodeParams, querystring: PageQuery },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const u = await service.getAdminUnit(request.params.code, {
        date: emptyToUndefined(request.query.ngay),
      });
      const name = unitName(u, locale);
      const onDate =
        (u.validFrom === null || u.validFrom <= u.date) && (u.validTo === null || u.validTo >= u.date);
      const agencies = await service.listAgencies({
        adminUnit: u.code,
        date: onDate ? u.date : (u.validTo ?? u.date),
      });
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={name}
          path={request.url}
          breadcrumbs={[
            { href: '/don-vi-hanh-chinh', label: tx(locale, 'Đơn vị hành chính', 'Administrative units') },
            { label: name },
          ]}
        >
          <PageHeading
            title={locale === 'en' && u.nameEn ? u.nameEn : `${unitKindLabel(u.kind, locale)} ${u.name}`}
          />
          {u.became.length > 0 ? (
            <Notice kind="info" title={tx(locale, 'Đơn vị đã thay đổi', 'This unit has changed')}>
              <p>
                {tx(locale, 'Từ ngày ', 'From ')}
                <DateText date={u.became[0]!.validFrom ?? u.date} />
                {', '}
                {changeSentence(u.became[0]!.change, locale)}{' '}
                {u.became.map((b, i) => (
                  <span key={b.code}>
                    {i > 0 ? ', ' : ''}
                    <a href={unitHref(b)}>
                      {locale === 'en' && b.nameEn ? b.nameEn : `${unitKindLabel(b.kind, locale)} ${b.name}`}
                    </a>
                  </span>
                ))}
                .
              </p>
            </Notice>
          ) : null}
          <dl class="facts">
            <dt>{tx(locale, 'Mã đơn vị hành chính', 'Code')}</dt>
            <dd>
              <code>{u.code}</code>
            </dd>
            <dt>{tx(locale, 'Thời gian hiệu lực', 'Valid')}</dt>
            <dd>{validity(u, locale)}</dd>
            {u.region ? (
              <>
                <dt>{tx(locale, 'Vùng', 'Region')}</dt>
                <dd>{u.region}</dd>
              </>
            ) : null}
            {u.legalBasis ? (
              <>
                <dt>{tx(locale, 'Căn cứ pháp lý', 'Legal basis')}</dt>
                <dd>{u.legalBasis}</dd>
              </>
            ) : null}
            {u.note ? (
              <>
                <dt>{tx(locale, 'Ghi chú', 'Note')}</dt>
                <dd>{u.note}</dd>
              </>
            ) : null}
            <dt>{tx(locale, 'Nay thuộc', 'Today part of')}</dt>
            <dd>
              {u.nowPartOf.map((n, i) => (
                <span key={n.code}>
                  {i > 0 ? ', ' : ''}
                  <a href={`/don-vi-hanh-chinh/${n.code}`}>{unitName(n, locale)}</a>
                </span>
              ))}
            </dd>
          </dl>
          {u.formedFrom.length > 0 ? (
            <>
              <h2>{tx(locale, 'Hình thành từ', 'Formed from')}</h2>
              <LinkList
                items={u.formedFrom.map((p) => ({
                  href: unitHref(p),
                  label: unitName(p, locale),
                  meta: `${changeLabel(p.change, locale)} · ${validity(p, locale)}`,
                }))}
                empty=""
              />
            </>
          ) : null}
          {u.versions.length > 1 ? (
            <>
              <h2>{tx(locale, 'Các phiên bản của mã này', 'Versions of this code')}</h2>
              <LinkList
                items={u.versions.map((v) => ({
                  href: `/don-vi-hanh-chinh/${v.code}?ngay=${v.validFrom ?? v.validTo ?? u.date}`,
                  label: unitName(v, locale),
                  meta: validity(v, locale),
                }))}
                empty=""
              />
            </>
          ) : null}
          <h2>{tx(locale, 'Cơ quan của địa phương', 'Agencies of the province')}</h2>
          <LinkList
            items={agencies.items.map((a) => ({
              href: agencyHref(a),
              label: agencyName(a, locale),
              meta: agencyKindLabel(a.kind, locale),
            }))}
            empty={tx(locale, 'Chưa có cơ quan nào.', 'No agency yet.')}
          />
        </Layout>,
      );
    },
  );
}
