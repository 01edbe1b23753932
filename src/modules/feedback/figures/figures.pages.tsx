/**
 * The figures page, usable without JavaScript:
 *   /quan-tri/phan-anh-kien-nghi/so-lieu?tu=&den=&nhom=   filters, the table, indicators 5.1–5.3 per agency, CSV link
 * Bad dates are shown by their field; anyone but the Government Office and agencies' handlers gets 403.
 */
import { Type } from 'typebox';
import { formatVietnameseDate } from '../../../platform/clock/index.ts';
import { ValidationError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import {
  type Column,
  DataTable,
  ErrorSummary,
  Layout,
  PageHeading,
  pageLocale,
  S,
  sendPage,
} from '../../../platform/web/index.ts';
import { OFFICE_INBOX } from '../pages/paths.ts';
import { type FeedbackFigures, type FiguresRow, type FiguresTable, GROUPINGS } from './figures.service.ts';
import { agencyLabel, CATEGORY_LABELS, type Label } from './indicators.ts';

export const FIGURES_PAGE = '/quan-tri/phan-anh-kien-nghi/so-lieu';

const GROUP_NAMES: Record<(typeof GROUPINGS)[number], Label> = {
  agency: { vi: 'Cơ quan', en: 'Agency' },
  category: { vi: 'Lĩnh vực phản ánh', en: 'Category' },
  status: { vi: 'Trạng thái', en: 'Status' },
  month: { vi: 'Tháng', en: 'Month' },
};

const rate = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v}%`);
const num = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(v));

function FiguresTableView({ t, locale }: { t: FiguresTable; locale: Locale }) {
  const columns: Column<FiguresRow>[] = [
    { header: GROUP_NAMES[t.groupBy][locale], cell: (r) => r.label[locale] },
    ...t.columns.map((c) => ({
      header: c.label[locale],
      numeric: true,
      cell: (r: FiguresRow) => (c.key.endsWith('Rate') ? rate(r.values[c.key]) : num(r.values[c.key])),
    })),
  ];
  const rows = t.groupBy === 'status' ? t.rows : [...t.rows, t.total];
  return (
    <DataTable
      caption={tx(
        locale,
        `Số liệu từ ${formatVietnameseDate(t.from)} đến ${formatVietnameseDate(t.to)}`,
        `Figures from ${t.from} to ${t.to}`,
      )}
      columns={columns}
      rows={t.rows.length === 0 ? [] : rows}
      rowKey={(r) => r.key}
      empty={tx(locale, 'Không có số liệu trong kỳ này.', 'No figures for this period.')}
    />
  );
}

function IndicatorsView({ t, locale }: { t: FiguresTable; locale: Locale }) {
  type I = FiguresTable['indicators'][number];
  const columns: Column<I>[] = [
    { header: tx(locale, 'Cơ quan', 'Agency'), cell: (i) => agencyLabel(i.agency)[locale] },
    { header: tx(locale, 'Tiếp nhận', 'Received'), numeric: true, cell: (i) => i.received },
    ...(['regulation', 'dossier-handling', 'other'] as const).map((c) => ({
      header: `5.1 ${CATEGORY_LABELS[c][locale]}`,
      numeric: true,
      cell: (i: I) => `${i.byCategory[c].count} (${rate(i.byCategory[c].share)})`,
    })),
    {
      header: tx(locale, '5.2 Xử lý đúng hạn', '5.2 Handled on time'),
      numeric: true,
      cell: (i) =>
        `${rate(i.onTime.rate)} (${i.onTime.answeredOnTime}/${i.onTime.answered + i.onTime.overdueAtEnd})`,
    },
    {
      header: tx(locale, '5.3 Hài lòng', '5.3 Satisfaction'),
      numeric: true,
      cell: (i) =>
        `${rate(i.satisfaction.rate)} (${i.satisfaction.satisfied}/${i.satisfaction.satisfied + i.satisfaction.unsatisfied + i.satisfaction.overdueAtEnd})`,
    },
  ];
  return (
    <DataTable
      caption={tx(locale, 'Chỉ số 5.1–5.3 theo Quyết định 766/QĐ-TTg', 'Indicators 5.1–5.3 of Decision 766')}
      columns={columns}
      rows={t.indicators}
      rowKey={(i) => i.agency}
      empty={tx(locale, 'Chưa có cơ quan nào có số liệu.', 'No agency has figures yet.')}
    />
  );
}

export async function figuresPages(app: AppInstance, { figures }: { figures: FeedbackFigures }) {
  app.get<{ Querystring: { tu?: string; den?: string; nhom?: string } }>(
    FIGURES_PAGE,
    {
      config: { access: access.account() },
      schema: { hide: true, querystring: Type.Object({ tu: S(20), den: S(20), nhom: S(20) }) },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const q = { from: request.query.tu, to: request.query.den, groupBy: request.query.nhom };
      const title = tx(locale, 'Số liệu phản ánh, kiến nghị', 'Feedback figures');
      let t: FiguresTable | undefined;
      const errors: Record<string, string> = {};
      try {
        t = await figures.table(request.account!.id, q);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        const field: Record<string, string> = { from: 'tu', to: 'den', groupBy: 'nhom' };
        for (const x of e.extras.errors ?? []) errors[field[x.path] ?? '_form'] = x.message;
      }
      const shown = t;
      const csv = shown
        ? `/api/v1/feedback/figures.csv?from=${shown.from}&to=${shown.to}&groupBy=${shown.groupBy}`
        : undefined;
      const fieldError = (name: string) =>
        errors[name] ? (
          <p class="field-error" id={`${name}-loi`}>
            {errors[name]}
          </p>
        ) : null;
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={title}
          path={request.url}
          breadcrumbs={[
            { label: tx(locale, 'Phản ánh, kiến nghị cần xử lý', 'Feedback to handle'), href: OFFICE_INBOX },
            { label: title },
          ]}
        >
          <PageHeading
            title={title}
            lead={tx(
              locale,
              'Số phản ánh theo cơ quan, lĩnh vực, trạng thái và tháng; tỷ lệ xử lý đúng hạn và mức độ hài lòng (chỉ số 5.1–5.3, Quyết định 766/QĐ-TTg).',
              'Items by agency, category, status and month; on-time handling and satisfaction (indicators 5.1–5.3, Decision 766).',
            )}
          />
          <ErrorSummary
            errors={errors}
            title={tx(locale, 'Chưa xem được số liệu', 'Could not show the figures')}
          />
          <form method="get" action={FIGURES_PAGE} class="filter-form">
            <div class="field">
              <label for="tu">{tx(locale, 'Từ ngày', 'From')}</label>
              {fieldError('tu')}
              <input id="tu" name="tu" type="date" value={shown?.from ?? q.from ?? ''} maxLength={20} />
            </div>
            <div class="field">
              <label for="den">{tx(locale, 'Đến ngày', 'To')}</label>
              {fieldError('den')}
              <input id="den" name="den" type="date" value={shown?.to ?? q.to ?? ''} maxLength={20} />
            </div>
            <div class="field">
              <label for="nhom">{tx(locale, 'Nhóm theo', 'Group by')}</label>
              {fieldError('nhom')}
              <select id="nhom" name="nhom">
                {GROUPINGS.map((g) => (
                  <option key={g} value={g} selected={(shown?.groupBy ?? q.groupBy) === g}>
                    {GROUP_NAMES[g][locale]}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit">{tx(locale, 'Xem', 'Show')}</button>
          </form>
          {shown ? (
            <>
              <p>
                <a href={csv}>{tx(locale, 'Tải về bảng số liệu (CSV)', 'Download the table (CSV)')}</a>
              </p>
              <FiguresTableView t={shown} locale={locale} />
              <h2>{tx(locale, 'Chỉ số theo cơ quan', 'Indicators per agency')}</h2>
              <IndicatorsView t={shown} locale={locale} />
              <p class="meta">
                {tx(
                  locale,
                  `Đang xử lý và quá hạn tính đến cuối ngày ${formatVietnameseDate(shown.end)}. 5.2 = trả lời đúng hạn ÷ (đã trả lời + quá hạn chưa trả lời); 5.3 = hài lòng ÷ (đã đánh giá + trả lời quá hạn + quá hạn chưa trả lời). Số liệu cập nhật mỗi 5 phút.`,
                  `Open and overdue as at the end of ${shown.end}. 5.2 = answered on time ÷ (answered + overdue unanswered); 5.3 = satisfied ÷ (rated + answered late + overdue unanswered). Updated every 5 minutes.`,
                )}
              </p>
            </>
          ) : null}
        </Layout>,
        { status: shown ? 200 : 400 },
      );
    },
  );
}
