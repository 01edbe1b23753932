/**
 * `/lich-lam-viec`: the year's holidays and official schedule, and a due-date calculator that works as a
 * plain GET form (no JavaScript needed).
 */

import { Type } from 'typebox';
import {
  formatVietnameseDate,
  parseVietnamLocal,
  vietnamDate,
  vietnamDateTime,
  weekdayName,
} from '../../platform/clock/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import { access } from '../../platform/http/index.ts';
import { type Locale, tx } from '../../platform/i18n/index.ts';
import { DataTable, Layout, Notice, PageHeading, pageLocale, sendPage } from '../../platform/web/index.ts';
import type { CalendarService, DueUnit } from './calendar.service.ts';

const weekday = weekdayName;

const KIND_LABELS: Record<string, { vi: string; en: string }> = {
  holiday: { vi: 'Ngày lễ', en: 'Public holiday' },
  compensatory: { vi: 'Nghỉ bù', en: 'Compensatory day' },
  'official-break': { vi: 'Theo lịch nghỉ được công bố', en: 'Announced schedule' },
};

const UNITS: Array<{ value: DueUnit; vi: string; en: string }> = [
  { value: 'working-day', vi: 'ngày làm việc', en: 'working days' },
  { value: 'working-hour', vi: 'giờ làm việc', en: 'working hours' },
  { value: 'day', vi: 'ngày (theo lịch)', en: 'calendar days' },
];

const PageQuery = Type.Object({
  nam: Type.Optional(Type.String({ maxLength: 4 })),
  batdau: Type.Optional(Type.String({ maxLength: 16 })),
  soluong: Type.Optional(Type.String({ maxLength: 8 })),
  donvi: Type.Optional(Type.String({ maxLength: 20 })),
  coquan: Type.Optional(Type.String({ maxLength: 40 })),
  quytac15h: Type.Optional(Type.String({ maxLength: 5 })),
  lang: Type.Optional(Type.String({ maxLength: 2 })),
});

function localText(d: Date, locale: Locale): string {
  const [date, time] = vietnamDateTime(d).split(' ') as [string, string];
  return `${time} ${weekday(date, locale)}, ${formatVietnameseDate(date)}`;
}

export async function calendarPages(app: AppInstance, { calendar }: { calendar: CalendarService }) {
  app.get(
    '/lich-lam-viec',
    { config: { access: access.public }, schema: { hide: true, querystring: PageQuery } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const q = request.query;
      const today = vietnamDate(calendar.now());
      const askedYear = q.nam && /^\d{4}$/.test(q.nam) ? Number(q.nam) : Number(today.slice(0, 4));
      const year = Math.min(2100, Math.max(1990, askedYear));
      const { items, workingDays } = await calendar.holidays(year);

      let result: { due: Date; start: Date } | undefined;
      let formError: string | undefined;
      const asked = q.batdau !== undefined || q.soluong !== undefined;
      if (asked) {
        const start = parseVietnamLocal(q.batdau ?? '');
        const amount = Number((q.soluong ?? '').replace(',', '.'));
        const unit = UNITS.find((u) => u.value === q.donvi)?.value;
        if (!start)
          formError = tx(
            locale,
            'Hãy nhập thời điểm nộp hồ sơ (ngày và giờ).',
            'Enter when the dossier was filed (date and time).',
          );
        else if (!Number.isFinite(amount) || amount < 0 || amount > 3650)
          formError = tx(
            locale,
            'Thời hạn phải là một số từ 0 đến 3650.',
            'The time limit must be a number from 0 to 3650.',
          );
        else if (!unit)
          formError = tx(locale, 'Hãy chọn đơn vị thời hạn.', 'Choose the unit of the time limit.');
        else {
          try {
            const r = await calendar.dueDate({
              start,
              amount,
              unit,
              agency: q.coquan?.trim() ? q.coquan.trim() : undefined,
              rule15h: q.quytac15h === 'on' || q.quytac15h === 'true',
            });
            result = { due: r.due, start };
          } catch (e) {
            if (e instanceof AppError && e.status < 500) formError = e.message;
            else throw e;
          }
        }
      }

      const title = tx(locale, 'Lịch làm việc và hạn giải quyết', 'Working calendar and due dates');
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading
            title={title}
            lead={tx(
              locale,
              'Cơ quan hành chính làm việc từ thứ Hai đến thứ Sáu, 8 giờ mỗi ngày (mặc định 07:00–11:30 và 13:30–17:00). Hạn giải quyết hồ sơ được tính theo ngày làm việc, trừ ngày nghỉ lễ, Tết và ngày nghỉ bù.',
              'State agencies work Monday to Friday, 8 hours a day (by default 07:00–11:30 and 13:30–17:00). Dossier deadlines count working days, skipping public holidays, Tết and compensatory days.',
            )}
          />

          <section aria-labelledby="tinh-han">
            <h2 id="tinh-han">{tx(locale, 'Tính hạn giải quyết', 'Compute a due date')}</h2>
            <form method="get" action="/lich-lam-viec#tinh-han" class="filter-form">
              <input type="hidden" name="nam" value={String(year)} />
              <div class="field">
                <label for="batdau">
                  {tx(locale, 'Thời điểm nộp hồ sơ (giờ Việt Nam)', 'Filed at (Vietnam time)')}
                </label>
                <input
                  type="datetime-local"
                  id="batdau"
                  name="batdau"
                  value={q.batdau ?? ''}
                  required
                  aria-invalid={formError ? 'true' : undefined}
                  aria-describedby={formError ? 'loi-tinh-han' : undefined}
                />
              </div>
              <div class="field">
                <label for="soluong">{tx(locale, 'Thời hạn', 'Time limit')}</label>
                <input
                  type="number"
                  id="soluong"
                  name="soluong"
                  min="0"
                  max="3650"
                  step="0.5"
                  value={q.soluong ?? ''}
                  required
                />
              </div>
              <div class="field">
                <label for="donvi">{tx(locale, 'Đơn vị', 'Unit')}</label>
                <select id="donvi" name="donvi">
                  {UNITS.map((u) => (
                    <option key={u.value} value={u.value} selected={q.donvi === u.value}>
                      {u[locale]}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="coquan">
                  {tx(locale, 'Mã cơ quan (không bắt buộc)', 'Agency code (optional)')}
                </label>
                <input
                  type="text"
                  id="coquan"
                  name="coquan"
                  value={q.coquan ?? ''}
                  maxLength={40}
                  placeholder="UBND-01"
                />
              </div>
              <div class="field field--checkbox">
                <input type="checkbox" id="quytac15h" name="quytac15h" checked={q.quytac15h === 'on'} />
                <label for="quytac15h">
                  {tx(
                    locale,
                    'Áp dụng quy tắc nhận sau 15:00 (chứng thực, hộ tịch)',
                    'Apply the after-15:00 rule (certification, civil status)',
                  )}
                </label>
              </div>
              <button type="submit" class="button">
                {tx(locale, 'Tính hạn', 'Compute')}
              </button>
            </form>
            {formError ? (
              <Notice kind="error" title={tx(locale, 'Chưa tính được hạn', 'Could not compute')}>
                <p id="loi-tinh-han">{formError}</p>
              </Notice>
            ) : null}
            {result ? (
              <Notice kind="success" title={tx(locale, 'Hạn giải quyết', 'Due')}>
                <p>
                  <strong>{localText(result.due, locale)}</strong>
                </p>
                <p class="hint">
                  {tx(locale, 'Nộp lúc ', 'Filed at ')}
                  {localText(result.start, locale)}.{' '}
                  {tx(
                    locale,
                    'Nộp ngoài giờ hành chính được tính từ đầu giờ làm việc tiếp theo; nộp trong giờ nghỉ trưa được tính từ đầu buổi chiều.',
                    'Filing outside office hours counts from the next opening; during the lunch break, from the afternoon opening.',
                  )}
                </p>
              </Notice>
            ) : null}
          </section>

          <section aria-labelledby="ngay-nghi">
            <h2 id="ngay-nghi">{tx(locale, `Ngày nghỉ lễ, Tết năm ${year}`, `Public holidays ${year}`)}</h2>
            <p class="presets">
              {year > 1990 ? (
                <a href={`/lich-lam-viec?nam=${year - 1}#ngay-nghi`}>
                  ← {tx(locale, 'Năm', 'Year')} {year - 1}
                </a>
              ) : null}
              {year < 2100 ? (
                <a href={`/lich-lam-viec?nam=${year + 1}#ngay-nghi`}>
                  {tx(locale, 'Năm', 'Year')} {year + 1} →
                </a>
              ) : null}
            </p>
            <DataTable
              caption={tx(locale, `Ngày nghỉ năm ${year}`, `Days off in ${year}`)}
              columns={[
                { header: tx(locale, 'Ngày', 'Date'), cell: (h) => formatVietnameseDate(h.date) },
                { header: tx(locale, 'Thứ', 'Weekday'), cell: (h) => weekday(h.date, locale) },
                {
                  header: tx(locale, 'Ngày nghỉ', 'Holiday'),
                  cell: (h) => (locale === 'vi' ? h.name : h.nameEn),
                },
                { header: tx(locale, 'Loại', 'Kind'), cell: (h) => KIND_LABELS[h.kind]?.[locale] ?? h.kind },
              ]}
              rows={items}
              rowKey={(h) => h.date}
              empty={tx(locale, 'Không có ngày nghỉ nào.', 'No days off.')}
            />
            {workingDays.length > 0 ? (
              <>
                <h3>{tx(locale, 'Ngày làm bù', 'Weekend days worked in exchange')}</h3>
                <ul>
                  {workingDays.map((w) => (
                    <li key={w.date}>
                      {weekday(w.date, locale)}, {formatVietnameseDate(w.date)} —{' '}
                      {locale === 'vi' ? w.name : (w.nameEn ?? w.name)}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <p class="hint">
              {tx(
                locale,
                'Ngày nghỉ theo Điều 112 Bộ luật Lao động 2019; Tết Nguyên đán và Giỗ Tổ Hùng Vương tính theo âm lịch Việt Nam (múi giờ UTC+7). Lịch nghỉ chính thức do Thủ tướng Chính phủ quyết định hằng năm được cập nhật dưới dạng dữ liệu.',
                'Holidays under Art. 112 of the Labour Code 2019; Tết and the Hùng Kings’ day follow the Vietnamese lunar calendar (UTC+7). The official schedule decided each year by the Prime Minister is kept as data.',
              )}
            </p>
          </section>
        </Layout>,
      );
    },
  );
}
