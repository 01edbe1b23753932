/**
 * Giám sát đồng bộ: the officers' monitoring pages, all numbers in HTML tables (no JavaScript needed).
 *
 *  - /quan-tri/dong-bo — the agencies the officer may see: last sync, lag, the last 24 hours' items and
 *    rejection share, rejections kept, indicator 1.4 for the period;
 *  - /quan-tri/dong-bo/{agency} — one agency and those below it: indicator 1.4 with its numerator and
 *    denominator (and the form to enter the agency's reported figure), the sending systems, per-hour and
 *    per-day counts, the latest rejected items with their reasons.
 * Who may see an agency is decided by the monitoring service (404 otherwise).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { formatVietnameseDate, vietnamWhen } from '../../../platform/clock/index.ts';
import { AppError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import { CSRF_FIELD } from '../../../platform/security/index.ts';
import { DataTable, Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import type { MonitorService } from '../monitor.service.ts';

/** Every officer role passes the route's gate; the service decides on the agency. */
export const MONITOR_ACCESS = access.officer(
  'receiver',
  'processor',
  'approver',
  'certifier',
  'cashier',
  'accountant',
  'agency-admin',
  'vpcp-supervisor',
  'hotline-operator',
  'system-admin',
);

const DateQ = Type.Optional(Type.String({ maxLength: 10 }));
const Query = Type.Object({ from: DateQ, to: DateQ, lang: Type.Optional(Type.String({ maxLength: 2 })) });
const DetailQuery = Type.Object({
  from: DateQ,
  to: DateQ,
  lang: Type.Optional(Type.String({ maxLength: 2 })),
  saved: Type.Optional(Type.String({ maxLength: 1 })),
});
const AgencyParams = Type.Object({ agency: Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9._-]+$' }) });
const S = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const ReportForm = Type.Object({ _csrf: S(100), from: S(10), to: S(10), dossiers: S(15), note: S(1000) });

const NUM = new Intl.NumberFormat('vi-VN');
const num = (v: number) => NUM.format(v);
const pct = (v: number | null) =>
  v === null ? '—' : `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(v * 100)}%`;
const at = (d: Date | string | null) => {
  if (!d) return '—';
  return vietnamWhen(new Date(d));
};
const day = (d: string) => formatVietnameseDate(d);

/** A lag in words: "45 giây", "12 phút", "3,5 giờ", "2,1 ngày". */
export function lagText(ms: number | null, locale: Locale = 'vi'): string {
  if (ms === null) return '—';
  const f = (v: number) =>
    new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }).format(v);
  if (ms < 60_000) return tx(locale, `${f(ms / 1000)} giây`, `${f(ms / 1000)} s`);
  if (ms < 3_600_000) return tx(locale, `${f(ms / 60_000)} phút`, `${f(ms / 60_000)} min`);
  if (ms < 86_400_000) return tx(locale, `${f(ms / 3_600_000)} giờ`, `${f(ms / 3_600_000)} h`);
  return tx(locale, `${f(ms / 86_400_000)} ngày`, `${f(ms / 86_400_000)} days`);
}

/**
 * Items per day as stacked bars (accepted, duplicate, rejected), drawn on the server as SVG: no
 * JavaScript, and hidden from assistive technology — the table below it carries the same numbers.
 */
function DailyBars({
  days,
  locale,
}: {
  days: ReadonlyArray<{ day: string; accepted: number; duplicate: number; rejected: number }>;
  locale: Locale;
}) {
  if (days.length === 0) return null;
  const width = 720;
  const height = 160;
  const max = Math.max(1, ...days.map((d) => d.accepted + d.duplicate + d.rejected));
  const step = width / days.length;
  const bar = Math.max(1, Math.min(24, step * 0.7));
  const y = (v: number) => (v / max) * (height - 20);
  const parts: Array<[keyof (typeof days)[number], string]> = [
    ['accepted', '#1f5fa8'],
    ['duplicate', '#9aa5b1'],
    ['rejected', '#c62828'],
  ];
  return (
    <figure class="chart" aria-hidden="true">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" height={height} role="presentation">
        {days.map((d, i) => {
          let top = height;
          return parts.map(([k, colour]) => {
            const h = y(Number(d[k]));
            top -= h;
            return h > 0 ? (
              <rect
                key={`${d.day}-${k}`}
                x={i * step + (step - bar) / 2}
                y={top}
                width={bar}
                height={h}
                fill={colour}
              />
            ) : null;
          });
        })}
      </svg>
      <figcaption>
        {tx(
          locale,
          `Mục đồng bộ theo ngày (cao nhất ${num(max)}): xanh tiếp nhận, xám trùng, đỏ từ chối.`,
          `Items per day (highest ${num(max)}): blue accepted, grey duplicate, red rejected.`,
        )}
      </figcaption>
    </figure>
  );
}

function PeriodForm({
  locale,
  action,
  period,
}: {
  locale: Locale;
  action: string;
  period: { from: string; to: string };
}) {
  return (
    <form method="get" action={action} class="filter-form">
      <div class="field">
        <label for="from">{tx(locale, 'Từ ngày', 'From')}</label>
        <input id="from" name="from" type="date" value={period.from} required />
      </div>
      <div class="field">
        <label for="to">{tx(locale, 'Đến ngày', 'To')}</label>
        <input id="to" name="to" type="date" value={period.to} required />
      </div>
      <button type="submit" class="button">
        {tx(locale, 'Xem kỳ này', 'Show this period')}
      </button>
    </form>
  );
}

const DEFINITION = {
  vi: 'Chỉ số 1.4 (Quyết định 766/QĐ-TTg), tỷ lệ đồng bộ hồ sơ = số hồ sơ đồng bộ có ngày tiếp nhận trong kỳ ÷ max(số hồ sơ cơ quan báo cáo, số hồ sơ tiếp nhận). Ở đây: “báo cáo” là số hồ sơ tiếp nhận trong kỳ do cơ quan tự báo cáo (cán bộ quản trị nhập trên trang này hoặc hệ thống của cơ quan gửi qua API), chỉ tính các báo cáo có kỳ nằm trong kỳ đang xem và không chồng lấn nhau; “tiếp nhận” là số hồ sơ nộp trên Cổng DVC mà cơ quan đã tiếp nhận trong kỳ. Tỷ lệ có thể vượt 100% khi mẫu số thiếu (chưa có báo cáo); điểm tính tối đa 100%.',
  en: 'Indicator 1.4 (Decision 766/QĐ-TTg), the dossier sync rate = dossiers synced with a receiving date in the period ÷ max(dossiers the agency reported, dossiers received). Here “reported” is the number of dossiers received in the period as the agency itself reports it (entered by its administrator on this page or sent by its system through the API), counting only reports whose period lies inside the one shown and never two that overlap; “received” is the dossiers filed on this portal that the agency received in the period. The rate can exceed 100% when the denominator is short (no report yet); the score is capped at 100%.',
};

export async function monitorPages(app: AppInstance, deps: { monitor: MonitorService }) {
  const { monitor } = deps;

  app.get(
    '/quan-tri/dong-bo',
    { config: { access: MONITOR_ACCESS }, schema: { hide: true, querystring: Query } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const title = tx(locale, 'Giám sát đồng bộ hồ sơ', 'Dossier sync monitoring');
      let error: string | undefined;
      let view: Awaited<ReturnType<MonitorService['overview']>>;
      try {
        view = await monitor.overview(request.account!.id, request.query);
      } catch (e) {
        if (!(e instanceof AppError) || e.status >= 500) throw e;
        error = e.message;
        view = await monitor.overview(request.account!.id, {});
      }
      const { period, agencies } = view;
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading
            title={title}
            lead={tx(
              locale,
              'Các cơ quan trong phạm vi của bạn đã gửi dữ liệu đồng bộ hoặc có số liệu báo cáo trong kỳ. Số liệu của mỗi dòng là của riêng cơ quan đó; trang chi tiết gộp cả các cơ quan trực thuộc.',
              'Agencies in your scope that have synced, or reported a figure for the period. Each row counts that agency alone; its page adds the agencies below it.',
            )}
          />
          {error ? <Notice kind="error">{error}</Notice> : null}
          <PeriodForm locale={locale} action="/quan-tri/dong-bo" period={period} />
          <DataTable
            caption={tx(
              locale,
              `Đồng bộ theo cơ quan; chỉ số 1.4 kỳ ${day(period.from)} – ${day(period.to)}`,
              `Sync by agency; indicator 1.4 for ${period.from} – ${period.to}`,
            )}
            rows={agencies}
            rowKey={(a) => a.agencyCode}
            empty={tx(
              locale,
              'Chưa có cơ quan nào trong phạm vi của bạn gửi dữ liệu đồng bộ.',
              'No agency in your scope has synced yet.',
            )}
            columns={[
              {
                header: tx(locale, 'Cơ quan', 'Agency'),
                cell: (a) => (
                  <a
                    href={`/quan-tri/dong-bo/${encodeURIComponent(a.agencyCode)}?from=${period.from}&to=${period.to}`}
                  >
                    {a.agencyName ?? a.agencyCode}
                  </a>
                ),
              },
              { header: tx(locale, 'Đồng bộ gần nhất', 'Last sync'), cell: (a) => at(a.lastSyncAt) },
              {
                header: tx(locale, 'Độ trễ (p95, lô gần nhất)', 'Lag (p95, last batch)'),
                cell: (a) => lagText(a.lagP95Ms, locale),
              },
              {
                header: tx(locale, 'Tiếp nhận 24 giờ', 'Accepted, 24 h'),
                numeric: true,
                cell: (a) => num(a.last24h.accepted),
              },
              {
                header: tx(locale, 'Trùng 24 giờ', 'Duplicates, 24 h'),
                numeric: true,
                cell: (a) => num(a.last24h.duplicate),
              },
              {
                header: tx(locale, 'Từ chối 24 giờ', 'Rejected, 24 h'),
                numeric: true,
                cell: (a) => `${num(a.last24h.rejected)} (${pct(a.last24h.rejectedShare)})`,
              },
              {
                header: tx(locale, 'Mục/giờ (24 giờ)', 'Items/hour (24 h)'),
                numeric: true,
                cell: (a) => num(Math.round(a.last24h.itemsPerHour)),
              },
              {
                header: tx(locale, 'Tổng bị từ chối', 'Rejected, all time'),
                numeric: true,
                cell: (a) => num(a.rejectedTotal),
              },
              {
                header: tx(locale, 'Chỉ số 1.4', 'Indicator 1.4'),
                numeric: true,
                cell: (a) =>
                  `${pct(a.indicator.rate)} (${num(a.indicator.numerator)}/${num(a.indicator.denominator)})`,
              },
            ]}
          />
          <p class="hint">{DEFINITION[locale]}</p>
        </Layout>,
        { status: error ? 400 : 200 },
      );
    },
  );

  async function detailPage(
    request: FastifyRequest,
    reply: FastifyReply,
    agency: string,
    query: { from?: string | undefined; to?: string | undefined },
    state: {
      error?: string;
      saved?: boolean;
      form?: Record<string, string | undefined>;
      status?: number;
    } = {},
  ) {
    const locale = pageLocale(request);
    const accountId = request.account!.id;
    let error = state.error;
    let v: Awaited<ReturnType<MonitorService['detail']>>;
    try {
      v = await monitor.detail(accountId, agency, query);
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500 || e.status === 404) throw e;
      error ??= e.message;
      v = await monitor.detail(accountId, agency, {});
    }
    const mayReport = await monitor.mayReport(accountId, v.agencyCode);
    const title = tx(locale, `Đồng bộ: ${v.agencyName}`, `Sync: ${v.agencyName}`);
    const self = `/quan-tri/dong-bo/${encodeURIComponent(v.agencyCode)}`;
    const i = v.indicator;
    const token = mayReport ? await reply.csrfToken() : '';
    const f = state.form ?? {};
    const countColumns = <
      R extends {
        accepted: number;
        duplicate: number;
        rejected: number;
        pending: number;
        lagP95Ms: number | null;
        lagMaxMs: number | null;
        lagMeanMs: number | null;
      },
    >() => [
      { header: tx(locale, 'Tiếp nhận', 'Accepted'), numeric: true, cell: (r: R) => num(r.accepted) },
      {
        header: tx(locale, 'Trong đó chờ hồ sơ', 'Of which pending'),
        numeric: true,
        cell: (r: R) => num(r.pending),
      },
      { header: tx(locale, 'Trùng', 'Duplicate'), numeric: true, cell: (r: R) => num(r.duplicate) },
      { header: tx(locale, 'Từ chối', 'Rejected'), numeric: true, cell: (r: R) => num(r.rejected) },
      { header: tx(locale, 'Trễ trung bình', 'Mean lag'), cell: (r: R) => lagText(r.lagMeanMs, locale) },
      { header: tx(locale, 'Trễ p95 (lô)', 'p95 lag (batch)'), cell: (r: R) => lagText(r.lagP95Ms, locale) },
      { header: tx(locale, 'Trễ lớn nhất', 'Max lag'), cell: (r: R) => lagText(r.lagMaxMs, locale) },
    ];
    const basis =
      i.basis === 'reported'
        ? tx(locale, 'số cơ quan báo cáo', 'the reported figure')
        : i.basis === 'received'
          ? tx(locale, 'số hồ sơ tiếp nhận trên Cổng', 'dossiers received on the portal')
          : tx(locale, 'không có số liệu', 'no figure');
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={title}
        path={request.url}
        breadcrumbs={[
          {
            href: '/quan-tri/dong-bo',
            label: tx(locale, 'Giám sát đồng bộ hồ sơ', 'Dossier sync monitoring'),
          },
          { label: v.agencyName },
        ]}
      >
        <PageHeading
          title={title}
          lead={
            v.agenciesBelow > 0
              ? tx(
                  locale,
                  `Mã ${v.agencyCode}, gồm cả ${v.agenciesBelow} cơ quan trực thuộc. Đồng bộ gần nhất: ${at(v.lastSyncAt)}.`,
                  `Code ${v.agencyCode}, with the ${v.agenciesBelow} agencies below it. Last sync: ${at(v.lastSyncAt)}.`,
                )
              : tx(
                  locale,
                  `Mã ${v.agencyCode}. Đồng bộ gần nhất: ${at(v.lastSyncAt)}.`,
                  `Code ${v.agencyCode}. Last sync: ${at(v.lastSyncAt)}.`,
                )
          }
        />
        {error ? <Notice kind="error">{error}</Notice> : null}
        {state.saved ? (
          <Notice kind="success">{tx(locale, 'Đã lưu số liệu báo cáo.', 'Reported figure saved.')}</Notice>
        ) : null}
        <PeriodForm locale={locale} action={self} period={v.period} />

        <section aria-labelledby="chi-so">
          <h2 id="chi-so">
            {tx(
              locale,
              `Chỉ số 1.4 — tỷ lệ đồng bộ hồ sơ, kỳ ${day(v.period.from)} – ${day(v.period.to)}`,
              `Indicator 1.4 — dossier sync rate, ${v.period.from} – ${v.period.to}`,
            )}
          </h2>
          <dl class="facts" id="chi-so-1-4">
            <dt>
              {tx(
                locale,
                'Tử số: hồ sơ đồng bộ có ngày tiếp nhận trong kỳ',
                'Numerator: synced dossiers received in the period',
              )}
            </dt>
            <dd data-field="numerator">{num(i.numerator)}</dd>
            <dt>{tx(locale, 'Số hồ sơ cơ quan báo cáo', 'Dossiers reported by the agency')}</dt>
            <dd data-field="reported">
              {i.reported === null
                ? tx(locale, 'chưa có báo cáo cho kỳ này', 'no report for this period')
                : `${num(i.reported)} ${tx(locale, `(báo cáo phủ ${i.reportedCoverage.days}/${i.reportedCoverage.of} ngày của kỳ)`, `(reports cover ${i.reportedCoverage.days}/${i.reportedCoverage.of} days)`)}`}
            </dd>
            <dt>
              {tx(
                locale,
                'Số hồ sơ tiếp nhận (nộp trên Cổng DVC)',
                'Dossiers received (filed on this portal)',
              )}
            </dt>
            <dd data-field="received">{num(i.received)}</dd>
            <dt>{tx(locale, 'Mẫu số: max(báo cáo, tiếp nhận)', 'Denominator: max(reported, received)')}</dt>
            <dd data-field="denominator">
              {num(i.denominator)} ({basis})
            </dd>
            <dt>{tx(locale, 'Tỷ lệ', 'Rate')}</dt>
            <dd data-field="rate">
              <strong>{pct(i.rate)}</strong>
              {i.rate !== null && i.rate > 1
                ? tx(locale, ` — điểm tính tối đa ${pct(i.score)}`, ` — scored at ${pct(i.score)}`)
                : ''}
            </dd>
          </dl>
          <p class="hint">{DEFINITION[locale]}</p>
          {i.reports.length > 0 ? (
            <DataTable
              caption={tx(locale, 'Số liệu báo cáo được tính', 'Reported figures counted')}
              rows={i.reports}
              rowKey={(r) => `${r.from}-${r.to}`}
              empty=""
              columns={[
                { header: tx(locale, 'Kỳ báo cáo', 'Period'), cell: (r) => `${day(r.from)} – ${day(r.to)}` },
                { header: tx(locale, 'Số hồ sơ', 'Dossiers'), numeric: true, cell: (r) => num(r.dossiers) },
                {
                  header: tx(locale, 'Nguồn', 'Source'),
                  cell: (r) =>
                    `${r.source === 'officer' ? tx(locale, 'Cán bộ nhập', 'Entered by') : tx(locale, 'Hệ thống gửi', 'Sent by')}: ${r.reporterName}`,
                },
                { header: tx(locale, 'Lúc', 'When'), cell: (r) => at(r.reportedAt) },
                { header: tx(locale, 'Ghi chú', 'Note'), cell: (r) => r.note ?? '' },
              ]}
            />
          ) : null}
          {mayReport ? (
            <form method="post" action={`${self}/so-lieu-bao-cao`} class="form" novalidate>
              <input type="hidden" name={CSRF_FIELD} value={token} />
              <h3>{tx(locale, 'Nhập số liệu báo cáo của cơ quan', 'Enter the agency’s reported figure')}</h3>
              <p class="hint">
                {tx(
                  locale,
                  'Số hồ sơ cơ quan (và các cơ quan trực thuộc) đã tiếp nhận trong kỳ, theo báo cáo của cơ quan. Nhập lại cùng kỳ sẽ thay số cũ (nhật ký kiểm toán giữ cả hai).',
                  'Dossiers the agency (and those below it) received in the period, as it reports them. Entering the same period again replaces the figure (the audit log keeps both).',
                )}
              </p>
              <div class="field">
                <label for="bc-from">{tx(locale, 'Từ ngày', 'From')}</label>
                <input id="bc-from" name="from" type="date" value={f.from ?? v.period.from} required />
              </div>
              <div class="field">
                <label for="bc-to">{tx(locale, 'Đến ngày', 'To')}</label>
                <input id="bc-to" name="to" type="date" value={f.to ?? v.period.to} required />
              </div>
              <div class="field">
                <label for="bc-dossiers">{tx(locale, 'Số hồ sơ tiếp nhận', 'Dossiers received')}</label>
                <input
                  id="bc-dossiers"
                  name="dossiers"
                  inputMode="numeric"
                  value={f.dossiers ?? ''}
                  required
                />
              </div>
              <div class="field">
                <label for="bc-note">
                  {tx(locale, 'Ghi chú (số báo cáo, nguồn)', 'Note (report number, source)')}
                </label>
                <input id="bc-note" name="note" maxLength={1000} value={f.note ?? ''} />
              </div>
              <button type="submit" class="button">
                {tx(locale, 'Lưu số liệu', 'Save')}
              </button>
            </form>
          ) : null}
        </section>

        <section aria-labelledby="he-thong">
          <h2 id="he-thong">{tx(locale, 'Hệ thống gửi dữ liệu', 'Sending systems')}</h2>
          <DataTable
            caption={tx(
              locale,
              'Lần đồng bộ gần nhất theo hệ thống (90 ngày)',
              'Last sync per system (90 days)',
            )}
            rows={v.clients}
            rowKey={(c) => c.clientId}
            empty={tx(
              locale,
              'Chưa có hệ thống nào gửi dữ liệu trong 90 ngày qua.',
              'No system has synced in the last 90 days.',
            )}
            columns={[
              { header: tx(locale, 'Hệ thống', 'System'), cell: (c) => `${c.clientName} (${c.clientId})` },
              { header: tx(locale, 'Đồng bộ gần nhất', 'Last sync'), cell: (c) => at(c.lastSyncAt) },
              {
                header: tx(locale, 'Độ trễ p95 (lô gần nhất)', 'p95 lag (last batch)'),
                cell: (c) => lagText(c.lagP95Ms, locale),
              },
              {
                header: tx(locale, 'Tiếp nhận', 'Accepted'),
                numeric: true,
                cell: (c) => num(c.last90Days.accepted),
              },
              {
                header: tx(locale, 'Trùng', 'Duplicate'),
                numeric: true,
                cell: (c) => num(c.last90Days.duplicate),
              },
              {
                header: tx(locale, 'Từ chối', 'Rejected'),
                numeric: true,
                cell: (c) => num(c.last90Days.rejected),
              },
            ]}
          />
          {v.agencies.length > 1 || v.agenciesBelow > 0 ? (
            <DataTable
              caption={tx(locale, 'Theo cơ quan', 'By agency')}
              rows={v.agencies}
              rowKey={(a) => a.agencyCode}
              empty={tx(locale, 'Chưa có dữ liệu.', 'No data yet.')}
              columns={[
                {
                  header: tx(locale, 'Cơ quan', 'Agency'),
                  cell: (a) => (
                    <a href={`/quan-tri/dong-bo/${encodeURIComponent(a.agencyCode)}`}>{a.agencyName}</a>
                  ),
                },
                { header: tx(locale, 'Lần đầu', 'First sync'), cell: (a) => at(a.firstSyncAt) },
                { header: tx(locale, 'Gần nhất', 'Last sync'), cell: (a) => at(a.lastSyncAt) },
                { header: tx(locale, 'Độ trễ p95', 'p95 lag'), cell: (a) => lagText(a.lagP95Ms, locale) },
                {
                  header: tx(locale, 'Tổng bị từ chối', 'Rejected, all time'),
                  numeric: true,
                  cell: (a) => num(a.rejectedTotal),
                },
              ]}
            />
          ) : null}
        </section>

        <section aria-labelledby="theo-gio">
          <h2 id="theo-gio">{tx(locale, '48 giờ qua, theo giờ', 'Last 48 hours, by hour')}</h2>
          <DataTable
            caption={tx(locale, 'Mục đồng bộ theo giờ (giờ Việt Nam)', 'Sync items by hour (Vietnam time)')}
            rows={v.hours}
            rowKey={(h) => String(h.hour)}
            empty={tx(locale, 'Không có dữ liệu trong 48 giờ qua.', 'Nothing in the last 48 hours.')}
            columns={[
              { header: tx(locale, 'Giờ', 'Hour'), cell: (h) => at(h.hour) },
              ...countColumns<(typeof v.hours)[number]>(),
            ]}
          />
        </section>

        <section aria-labelledby="theo-ngay">
          <h2 id="theo-ngay">{tx(locale, 'Theo ngày trong kỳ', 'By day in the period')}</h2>
          <DailyBars days={v.days} locale={locale} />
          <DataTable
            caption={tx(locale, 'Mục đồng bộ theo ngày', 'Sync items by day')}
            rows={v.days}
            rowKey={(d) => d.day}
            empty={tx(locale, 'Không có dữ liệu trong kỳ.', 'Nothing in the period.')}
            columns={[
              { header: tx(locale, 'Ngày', 'Day'), cell: (d) => day(d.day) },
              ...countColumns<(typeof v.days)[number]>(),
            ]}
          />
        </section>

        <section aria-labelledby="tu-choi">
          <h2 id="tu-choi">{tx(locale, 'Mục bị từ chối gần đây', 'Latest rejected items')}</h2>
          <p class="hint">
            {tx(
              locale,
              'Lý do là câu trả lời đã gửi cho hệ thống của cơ quan. Cổng giữ 1.000 mục bị từ chối gần nhất của mỗi cơ quan; trang này hiện 100 mục mới nhất (API: tới 1.000).',
              'The reason is the answer sent to the agency’s system. The portal keeps the latest 1,000 rejected items of each agency; this page shows the newest 100 (API: up to 1,000).',
            )}
          </p>
          <DataTable
            caption={tx(locale, 'Mục bị từ chối và lý do', 'Rejected items and reasons')}
            rows={v.rejections}
            rowKey={(r) => `${r.agencyCode}-${String(r.at)}-${r.list}-${r.index}-${r.code ?? ''}`}
            empty={tx(locale, 'Không có mục nào bị từ chối.', 'No rejected item.')}
            columns={[
              { header: tx(locale, 'Lúc', 'When'), cell: (r) => at(r.at) },
              { header: tx(locale, 'Hệ thống', 'System'), cell: (r) => r.clientName },
              {
                header: tx(locale, 'Mục', 'Item'),
                cell: (r) =>
                  `${r.list === 'dossiers' ? tx(locale, 'hồ sơ', 'dossier') : tx(locale, 'tiến độ', 'history')} #${r.index}`,
              },
              { header: tx(locale, 'Mã hồ sơ', 'Dossier code'), cell: (r) => r.code ?? '—' },
              { header: tx(locale, 'Lý do', 'Reason'), cell: (r) => r.reason },
            ]}
          />
        </section>
      </Layout>,
      { status: state.status ?? (error ? 400 : 200) },
    );
  }

  app.get(
    '/quan-tri/dong-bo/:agency',
    {
      config: { access: MONITOR_ACCESS },
      schema: { hide: true, params: AgencyParams, querystring: DetailQuery },
    },
    async (request, reply) =>
      detailPage(request, reply, request.params.agency, request.query, {
        saved: request.query.saved === '1',
      }),
  );

  app.post(
    '/quan-tri/dong-bo/:agency/so-lieu-bao-cao',
    { config: { access: MONITOR_ACCESS }, schema: { hide: true, params: AgencyParams, body: ReportForm } },
    async (request, reply) => {
      const b = request.body;
      const account = request.account!;
      if (!(await monitor.mayView(account.id, request.params.agency.toUpperCase())))
        return detailPage(request, reply, request.params.agency, {}); // answers 404
      const dossiers = Number((b.dossiers ?? '').replace(/[.\s]/g, ''));
      try {
        const r = await monitor.report(
          { kind: 'officer', accountId: account.id, name: account.displayName },
          {
            agencyCode: request.params.agency,
            from: b.from ?? '',
            to: b.to ?? '',
            dossiers: b.dossiers?.trim() ? dossiers : Number.NaN,
            note: b.note,
          },
        );
        return reply
          .code(303)
          .redirect(
            `/quan-tri/dong-bo/${encodeURIComponent(r.agencyCode)}?from=${r.from}&to=${r.to}&saved=1`,
          );
      } catch (e) {
        if (!(e instanceof AppError) || e.status >= 500 || e.status === 404) throw e;
        return detailPage(
          request,
          reply,
          request.params.agency,
          {},
          {
            error: e.message,
            form: { from: b.from, to: b.to, dossiers: b.dossiers, note: b.note },
            status: 400,
          },
        );
      }
    },
  );
}
