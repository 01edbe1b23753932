/**
 * Pages of administrative units on any date: the provinces (63 until 30 June 2025, 34 after), a
 * province's communes (before July 2025: its districts, each with its communes), and one unit with its
 * history — a statistical code may name another unit later (00004: Phường Trúc Bạch, then Phường Ba Đình).
 */

import type { ComponentChildren } from 'preact';
import { formatVietnameseDate } from '../../../platform/clock/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import { access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import {
  type Breadcrumb,
  DataTable,
  DateText,
  Layout,
  LinkList,
  Notice,
  PageHeading,
  pageLocale,
  sendPage,
} from '../../../platform/web/index.ts';
import type { AdminUnit, AdminUnitDetail, AgenciesService } from '../agencies.service.ts';
import { agencyKindLabel, changeLabel, changeSentence, levelLabel, unitKindLabel } from './labels.ts';
import {
  agencyHref,
  agencyName,
  DateForm,
  emptyToUndefined,
  isValidOn,
  PageQuery,
  UnitCodeParams,
  unitHref,
  unitName,
  unitTitle,
  validity,
} from './page-parts.tsx';

const MERGER_DATE = '2025-07-01';
/** Communes shown for a search across the country. */
const SEARCH_LIMIT = 100;

const kindText = (u: AdminUnit, locale: Locale) => unitKindLabel(u.kind, locale, u.level);

/** The table of a list of units, linking each to its page on the date. */
function UnitTable({
  units,
  date,
  caption,
  locale,
  extra,
}: {
  units: AdminUnit[];
  date: string;
  caption: string;
  locale: Locale;
  extra?: { header: string; cell: (u: AdminUnit) => ComponentChildren };
}) {
  return (
    <DataTable
      caption={caption}
      columns={[
        { header: tx(locale, 'Mã', 'Code'), cell: (u: AdminUnit) => <code>{u.code}</code> },
        {
          header: tx(locale, 'Tên', 'Name'),
          cell: (u: AdminUnit) => (
            <a href={`/don-vi-hanh-chinh/${u.code}?ngay=${date}`}>{unitName(u, locale)}</a>
          ),
        },
        { header: tx(locale, 'Loại', 'Kind'), cell: (u: AdminUnit) => kindText(u, locale) },
        ...(extra ? [extra] : []),
      ]}
      rows={units}
      rowKey={(u) => `${u.code}@${u.validFrom ?? ''}`}
      empty={tx(locale, 'Không có đơn vị nào phù hợp.', 'No matching unit.')}
    />
  );
}

/** "Showing 100 of 250": when a list was cut. */
function Shown({ shown, total, locale }: { shown: number; total: number; locale: Locale }) {
  if (shown >= total) return null;
  return (
    <p class="hint">
      {tx(
        locale,
        `Hiển thị ${shown} trên ${total} đơn vị; hãy gõ thêm từ khóa để thu hẹp.`,
        `Showing ${shown} of ${total} units; type more words to narrow the search.`,
      )}
    </p>
  );
}

/** The search box of a unit's page: the date stays, the words change. */
function UnitSearch({
  u,
  date,
  q,
  locale,
}: {
  u: AdminUnit;
  date: string;
  q?: string | undefined;
  locale: Locale;
}) {
  return (
    <form method="get" action={`/don-vi-hanh-chinh/${u.code}`} class="filter-form">
      <input type="hidden" name="ngay" value={date} />
      <div class="field">
        <label for="q">
          {tx(
            locale,
            'Tìm đơn vị cấp xã (có dấu hoặc không dấu)',
            'Find a commune (with or without diacritics)',
          )}
        </label>
        <input type="search" id="q" name="q" value={q ?? ''} maxLength={100} />
      </div>
      <button type="submit" class="button">
        {tx(locale, 'Tìm', 'Search')}
      </button>
    </form>
  );
}

/** The units under a province or district on a date, as the page lists them. */
async function unitsUnder(service: AgenciesService, u: AdminUnitDetail, date: string, q: string | undefined) {
  if (u.level === 'commune') return undefined;
  if (u.level === 'district') {
    const communes = await service.listAdminUnits({ date, level: 'commune', parent: u.code, q });
    return { kind: 'communes' as const, list: communes, districts: new Map<string, AdminUnit>() };
  }
  const districts = await service.listAdminUnits({ date, level: 'district', parent: u.code });
  if (districts.total === 0) {
    const communes = await service.listAdminUnits({ date, level: 'commune', parent: u.code, q });
    return { kind: 'communes' as const, list: communes, districts: new Map<string, AdminUnit>() };
  }
  const byCode = new Map(districts.items.map((d) => [d.code, d]));
  if (q) {
    const communes = await service.listAdminUnits({ date, level: 'commune', province: u.code, q });
    return { kind: 'communes' as const, list: communes, districts: byCode };
  }
  return { kind: 'districts' as const, list: districts, districts: byCode };
}

export async function adminUnitPages(app: AppInstance, { service }: { service: AgenciesService }) {
  app.get(
    '/don-vi-hanh-chinh',
    { config: { access: access.public }, schema: { hide: true, querystring: PageQuery } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const q = emptyToUndefined(request.query.q);
      const date = service.todayOr(emptyToUndefined(request.query.ngay));
      const [{ items }, successions, communes, provinces] = await Promise.all([
        service.listAdminUnits({ date, level: 'province', q }),
        service.provinceSuccessions(),
        q ? service.listAdminUnits({ date, level: 'commune', q, limit: SEARCH_LIMIT }) : undefined,
        q ? service.listAdminUnits({ date, level: 'province' }) : undefined,
      ]);
      const provinceOf = new Map((provinces?.items ?? []).map((p) => [p.code, p]));
      const key = (u: AdminUnit) => `${u.code}@${u.validFrom ?? ''}`;
      const formedFrom = new Map<string, AdminUnit[]>();
      const became = new Map<string, AdminUnit[]>();
      for (const s of successions) {
        if (s.kind !== 'merge') continue;
        formedFrom.set(key(s.successor), [...(formedFrom.get(key(s.successor)) ?? []), s.predecessor]);
        became.set(key(s.predecessor), [...(became.get(key(s.predecessor)) ?? []), s.successor]);
      }
      const after = date >= MERGER_DATE;
      const title = tx(locale, 'Đơn vị hành chính cấp tỉnh', 'Provinces and centrally-run cities');
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading
            title={title}
            lead={tx(
              locale,
              `${items.length} tỉnh, thành phố trực thuộc trung ương có hiệu lực vào ngày ${formatVietnameseDate(date)}. Từ ngày 01/07/2025, cả nước có 34 đơn vị hành chính cấp tỉnh theo Nghị quyết 202/2025/QH15 và 3.321 đơn vị hành chính cấp xã, không còn cấp huyện; hồ sơ cũ vẫn giữ đúng đơn vị tại thời điểm nộp.`,
              `${items.length} provinces and centrally-run cities on ${date}. Since 1 July 2025 the country has 34 provincial units (Resolution 202/2025/QH15) and 3,321 communes, and no districts; older records keep the units of their time.`,
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
                date: MERGER_DATE,
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
              { header: tx(locale, 'Loại', 'Kind'), cell: (u: AdminUnit) => kindText(u, locale) },
              {
                header: after
                  ? tx(locale, 'Hình thành từ', 'Formed from')
                  : tx(locale, 'Từ 01/07/2025 thuộc', 'From 1 Jul 2025 part of'),
                cell: (u: AdminUnit) => {
                  const list = (after ? formedFrom : became).get(key(u)) ?? [];
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
          {communes ? (
            <>
              <h2>
                {tx(locale, `Đơn vị hành chính cấp xã (${communes.total})`, `Communes (${communes.total})`)}
              </h2>
              <Shown shown={communes.items.length} total={communes.total} locale={locale} />
              <UnitTable
                units={communes.items}
                date={date}
                caption={tx(locale, 'Đơn vị hành chính cấp xã', 'Communes')}
                locale={locale}
                extra={{
                  header: tx(locale, 'Tỉnh, thành phố', 'Province'),
                  cell: (c) => {
                    const p = provinceOf.get(c.provinceCode);
                    return (
                      <a href={`/don-vi-hanh-chinh/${c.provinceCode}?ngay=${date}`}>
                        {p ? unitName(p, locale) : c.provinceCode}
                      </a>
                    );
                  },
                }}
              />
            </>
          ) : null}
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
      const q = emptyToUndefined(request.query.q);
      const u = await service.getAdminUnit(request.params.code, {
        date: emptyToUndefined(request.query.ngay),
      });
      const name = unitName(u, locale);
      const onDate = isValidOn(u, u.date);
      const effective = onDate ? u.date : (u.validTo ?? u.date);
      const [agencies, under] = await Promise.all([
        service.listAgencies({ adminUnit: u.code, date: effective }),
        unitsUnder(service, u, effective, q),
      ]);
      const committee = agencies.items.find((a) => a.kind === 'people-committee' && a.level === 'commune');
      const crumbs: Breadcrumb[] = [
        { href: '/don-vi-hanh-chinh', label: tx(locale, 'Đơn vị hành chính', 'Administrative units') },
        ...(u.provinceUnit
          ? [{ href: unitHref(u.provinceUnit, effective), label: unitName(u.provinceUnit, locale) }]
          : []),
        ...(u.parentUnit?.level === 'district'
          ? [{ href: unitHref(u.parentUnit, effective), label: unitName(u.parentUnit, locale) }]
          : []),
        { label: name },
      ];
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={name} path={request.url} breadcrumbs={crumbs}>
          <PageHeading title={unitTitle(u, locale)}>
            {u.level !== 'province' ? (
              <p class="lead">
                {kindText(u, locale)} · {levelLabel(u.level, locale)}
              </p>
            ) : null}
          </PageHeading>
          {!onDate ? (
            <Notice
              kind="warning"
              title={tx(
                locale,
                'Đơn vị không tồn tại vào ngày đã chọn',
                'Not in existence on the chosen date',
              )}
            >
              <p>
                {tx(
                  locale,
                  'Thông tin dưới đây là phiên bản cuối cùng, có hiệu lực ',
                  'Shown: its last version, valid ',
                )}
                {validity(u, locale)}.
              </p>
            </Notice>
          ) : null}
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
                    <a href={unitHref(b)}>{unitTitle(b, locale)}</a>
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
            {u.provinceUnit ? (
              <>
                <dt>{tx(locale, 'Tỉnh, thành phố', 'Province')}</dt>
                <dd>
                  <a href={unitHref(u.provinceUnit, effective)}>{unitTitle(u.provinceUnit, locale)}</a>
                </dd>
              </>
            ) : null}
            {u.parentUnit?.level === 'district' ? (
              <>
                <dt>{tx(locale, 'Quận, huyện, thị xã, thành phố', 'District')}</dt>
                <dd>
                  <a href={unitHref(u.parentUnit, effective)}>{unitName(u.parentUnit, locale)}</a>
                </dd>
              </>
            ) : null}
            <dt>{tx(locale, 'Thời gian hiệu lực', 'Valid')}</dt>
            <dd>{validity(u, locale)}</dd>
            {committee ? (
              <>
                <dt>{tx(locale, 'Ủy ban nhân dân', "People's Committee")}</dt>
                <dd>
                  <a href={agencyHref(committee, effective)}>{agencyName(committee, locale)}</a>
                </dd>
              </>
            ) : null}
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
            {u.level === 'province' || (!onDate && u.nowPartOf.length > 0) ? (
              <>
                <dt>{tx(locale, 'Nay thuộc', 'Today part of')}</dt>
                <dd>
                  {u.nowPartOf.map((n, i) => (
                    <span key={n.code}>
                      {i > 0 ? ', ' : ''}
                      <a href={`/don-vi-hanh-chinh/${n.code}`}>{unitName(n, locale)}</a>
                    </span>
                  ))}
                </dd>
              </>
            ) : null}
            {u.level !== 'province' && u.validTo === '2025-06-30' && u.nowPartOf.length === 0 ? (
              <>
                <dt>{tx(locale, 'Từ 01/07/2025', 'From 1 Jul 2025')}</dt>
                <dd>
                  {u.level === 'district'
                    ? tx(
                        locale,
                        'Không còn cấp huyện: các xã, phường, đặc khu trực thuộc tỉnh, thành phố (chính quyền địa phương hai cấp).',
                        'No more districts: communes, wards and special zones are directly under the province (two-level local government).',
                      )
                    : tx(
                        locale,
                        'Chưa có dữ liệu đơn vị kế tiếp: việc sắp xếp cấp xã năm 2025 theo nghị quyết của từng tỉnh chưa được ghi nhận.',
                        'No successor is recorded: the 2025 commune reorganisation, decided province by province, is not in the data.',
                      )}
                </dd>
              </>
            ) : null}
          </dl>
          {under ? <UnitsUnder u={u} under={under} date={effective} q={q} locale={locale} /> : null}
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
          {u.level === 'province' ? (
            <>
              <h2>{tx(locale, 'Cơ quan của địa phương', 'Agencies of the province')}</h2>
              <LinkList
                items={agencies.items.map((a) => ({
                  href: agencyHref(a),
                  label: agencyName(a, locale),
                  meta: agencyKindLabel(a.kind, locale),
                }))}
                empty={tx(locale, 'Chưa có cơ quan nào.', 'No agency yet.')}
              />
            </>
          ) : null}
        </Layout>,
      );
    },
  );
}

/** A province's communes (or, before July 2025, its districts), or a district's communes, with a search. */
function UnitsUnder({
  u,
  under,
  date,
  q,
  locale,
}: {
  u: AdminUnitDetail;
  under: NonNullable<Awaited<ReturnType<typeof unitsUnder>>>;
  date: string;
  q: string | undefined;
  locale: Locale;
}) {
  const { list, districts } = under;
  const showDistrict = under.kind === 'communes' && districts.size > 0;
  const heading =
    under.kind === 'districts'
      ? tx(locale, `Đơn vị hành chính cấp huyện (${list.total})`, `Districts (${list.total})`)
      : tx(locale, `Đơn vị hành chính cấp xã (${list.total})`, `Communes (${list.total})`);
  return (
    <section class="section" aria-labelledby="units-under">
      <h2 id="units-under">{heading}</h2>
      {date < MERGER_DATE ? (
        <p class="hint">
          {tx(
            locale,
            'Trước ngày 01/07/2025, chính quyền địa phương có ba cấp: tỉnh, huyện, xã. Danh sách cấp huyện và cấp xã là danh sách tại ngày 01/03/2025; các thay đổi trước đó không được ghi nhận.',
            'Until 30 June 2025 local government had three levels: province, district, commune. The district and commune lists are those of 1 March 2025; earlier changes are not recorded.',
          )}
        </p>
      ) : null}
      <UnitSearch u={u} date={date} q={q} locale={locale} />
      <Shown shown={list.items.length} total={list.total} locale={locale} />
      <UnitTable
        units={list.items}
        date={date}
        caption={heading}
        locale={locale}
        {...(showDistrict
          ? {
              extra: {
                header: tx(locale, 'Quận, huyện', 'District'),
                cell: (c: AdminUnit) => {
                  const d = c.parentCode ? districts.get(c.parentCode) : undefined;
                  return d ? <a href={unitHref(d, date)}>{unitName(d, locale)}</a> : (c.parentCode ?? '—');
                },
              },
            }
          : {})}
      />
    </section>
  );
}
