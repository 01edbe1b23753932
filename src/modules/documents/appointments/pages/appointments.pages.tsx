/**
 * The appointments' pages (Vietnamese first, no JavaScript needed):
 *   /chung-thuc-ban-sao                    what certification of copies is, the fee, the offices
 *   /chung-thuc-ban-sao/{code}             an office's free slots; "Giữ chỗ" holds one for 10 minutes
 *   /tai-khoan/lich-hen                    my appointments
 *   /tai-khoan/lich-hen/{id}               one: confirm a hold, reschedule, cancel; the queue number
 *   /quan-tri/chung-thuc/lich-hen          the office's day: queue, walk-ins, served / did not come
 *   /quan-tri/chung-thuc/lich-hen/quy-tac  the office's availability rules
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { Type } from 'typebox';
import {
  addDays,
  formatVietnameseDate,
  isIsoDate,
  parseInstant,
  vietnamDate,
  vietnamDateTime,
  vietnamWhen,
  weekdayName,
} from '../../../../platform/clock/index.ts';
import { AppError, ValidationError } from '../../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../../platform/http/index.ts';
import { dong, type Locale, tx } from '../../../../platform/i18n/index.ts';
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
  SummaryList,
  sendPage,
} from '../../../../platform/web/index.ts';
import { computeFee, describeFormula, type FeeFormula } from '../../../catalogue/index.ts';
import type { Office } from '../../offices.repository.ts';
import type { Appointment } from '../appointments.repository.ts';
import { type AppointmentsService, requestHash } from '../appointments.service.ts';
import type { AvailabilityRule } from '../slots.ts';
import { STATUS_TEXT } from '../states.ts';

export const APPOINTMENTS_PAGE = '/chung-thuc-ban-sao';
export const MY_APPOINTMENTS = '/tai-khoan/lich-hen';
export const OFFICER_APPOINTMENTS = '/quan-tri/chung-thuc/lich-hen';
const RULES_PAGE = `${OFFICER_APPOINTMENTS}/quy-tac`;

/**
 * The certified-copy fee (Circular 226/2016/TT-BTC): the same data as the catalogue's
 * CERTIFIED_COPY_FORMULA, which the catalogue's index does not export on this branch yet.
 */
const CERTIFIED_COPY_FEE: FeeFormula = {
  type: 'tiered',
  unit: 'trang',
  item: 'bản',
  tiers: [
    { from: 1, rate: 2_000 },
    { from: 3, rate: 1_000 },
  ],
  capPerItem: 200_000,
};

const people = access.account('citizen', 'business', 'organisation');
const officers = access.officer('certifier', 'agency-admin');
const LangQuery = Type.Object({ lang: S(2) });

type Errors = Record<string, string>;

/** A refusal below 500 becomes errors by field (the service's paths, `body.` dropped) or of the form. */
function errorsOf(e: unknown): { errors: Errors; status: number } {
  if (e instanceof AppError && e.status < 500) {
    const errors: Errors = {};
    for (const p of e.extras.errors ?? []) errors[p.path.replace(/^body\./, '')] ??= p.message;
    if (Object.keys(errors).length === 0) errors._form = e.message;
    return { errors, status: e.status };
  }
  throw e;
}

function Field(props: {
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  children: (described: string | undefined, invalid: boolean) => ComponentChildren;
}) {
  const described =
    [props.hint ? `${props.name}-goi-y` : '', props.error ? `${props.name}-loi` : '']
      .filter(Boolean)
      .join(' ') || undefined;
  return (
    <div class={`field${props.error ? ' field--error' : ''}`}>
      <label for={props.name}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.name}-goi-y`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${props.name}-loi`}>
          {props.error}
        </p>
      ) : null}
      {props.children(described, Boolean(props.error))}
    </div>
  );
}

const time = (d: Date) => vietnamDateTime(d).slice(11);
const dayText = (day: string, locale: Locale) => `${weekdayName(day, locale)}, ${formatVietnameseDate(day)}`;

function officeRows(o: Office, locale: Locale) {
  return [
    { path: 'office', label: tx(locale, 'Nơi chứng thực', 'Office'), value: o.name },
    { path: 'address', label: tx(locale, 'Địa chỉ', 'Address'), value: o.address ?? '—' },
  ];
}

export async function appointmentPages(
  app: AppInstance,
  deps: { service: AppointmentsService; provinces?: () => Promise<Array<{ code: string; name: string }>> },
) {
  const { service } = deps;

  // ── Public: what it is, the fee, the offices ─────────────────────────────────────────────────────
  app.get<{ Querystring: { lang?: string; tinh?: string } }>(
    APPOINTMENTS_PAGE,
    {
      config: { access: access.public },
      schema: { hide: true, querystring: Type.Object({ lang: S(2), tinh: S(2) }) },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const all = await service.offices({});
      const names = new Map((await deps.provinces?.())?.map((p) => [p.code, p.name]) ?? []);
      const provinces = [...new Set(all.map((o) => o.provinceCode))].sort();
      const tinh = /^[0-9]{2}$/.test(request.query.tinh ?? '') ? request.query.tinh : undefined;
      const shown = tinh ? all.filter((o) => o.provinceCode === tinh) : all;
      const title = tx(locale, 'Chứng thực bản sao từ bản chính', 'Certified copies from originals');
      const example = (pages: number) => dong(computeFee(CERTIFIED_COPY_FEE, { units: pages, quantity: 1 }));
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading
            title={title}
            lead={tx(
              locale,
              'Ủy ban nhân dân cấp xã và tổ chức hành nghề công chứng chứng thực bản sao từ bản chính giấy tờ do cơ quan có thẩm quyền cấp. Đặt lịch trước để không phải chờ; mang theo bản chính và giấy tờ tùy thân. Bản sao điện tử có chứng thực được lưu vào kho dữ liệu của bạn.',
              'Commune People’s Committees and notary offices certify copies of documents issued by the authorities. Book a time to avoid the queue; bring the originals and your ID. The certified electronic copy goes into your document wallet.',
            )}
          />
          <h2>{tx(locale, 'Lệ phí', 'Fee')}</h2>
          <p>{describeFormula(CERTIFIED_COPY_FEE, locale)}.</p>
          <ul>
            <li>{tx(locale, `Bản 1 trang: ${example(1)}`, `A 1-page copy: ${example(1)}`)}</li>
            <li>{tx(locale, `Bản 5 trang: ${example(5)}`, `A 5-page copy: ${example(5)}`)}</li>
            <li>
              {tx(
                locale,
                `Bản 300 trang: ${example(300)} (mức tối đa)`,
                `A 300-page copy: ${example(300)} (the cap)`,
              )}
            </li>
          </ul>
          <h2>{tx(locale, 'Chọn nơi chứng thực', 'Choose an office')}</h2>
          <form method="get" action={APPOINTMENTS_PAGE} class="form">
            <div class="field">
              <label for="tinh">{tx(locale, 'Tỉnh, thành phố', 'Province')}</label>
              <select id="tinh" name="tinh">
                <option value="">{tx(locale, 'Tất cả', 'All')}</option>
                {provinces.map((p) => (
                  <option key={p} value={p} selected={p === tinh}>
                    {names.get(p) ?? p}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" class="button button--secondary">
              {tx(locale, 'Lọc', 'Filter')}
            </button>
          </form>
          <DataTable
            caption={tx(locale, 'Nơi chứng thực nhận đặt lịch', 'Offices taking appointments')}
            columns={[
              {
                header: tx(locale, 'Nơi chứng thực', 'Office'),
                cell: (o: Office) => (
                  <a href={`${APPOINTMENTS_PAGE}/${encodeURIComponent(o.agencyCode)}`}>{o.name}</a>
                ),
              },
              { header: tx(locale, 'Địa chỉ', 'Address'), cell: (o: Office) => o.address ?? '—' },
            ]}
            rows={shown}
            rowKey={(o) => o.agencyCode}
            empty={tx(locale, 'Chưa có nơi chứng thực nào ở đây.', 'No office here yet.')}
          />
        </Layout>,
      );
    },
  );

  // ── Public: an office's slots; signed in, each free slot can be held ─────────────────────────────
  app.get<{ Params: { code: string }; Querystring: { lang?: string; tu?: string; loi?: string } }>(
    `${APPOINTMENTS_PAGE}/:code`,
    {
      config: { access: access.public },
      schema: {
        hide: true,
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) }),
        querystring: Type.Object({ lang: S(2), tu: S(10), loi: S(300) }),
      },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const today = vietnamDate(service.now());
      const from = request.query.tu && isIsoDate(request.query.tu) ? request.query.tu : today;
      const to = addDays(from, 6);
      const { office, items } = await service.slots(request.params.code, from, to);
      const signedIn = Boolean(request.account);
      const csrf = signedIn ? await reply.csrfToken() : '';
      const byDay = new Map<string, typeof items>();
      for (const s of items) byDay.set(s.day, [...(byDay.get(s.day) ?? []), s]);
      const here = `${APPOINTMENTS_PAGE}/${encodeURIComponent(office.agencyCode)}`;
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={office.name}
          path={request.url}
          breadcrumbs={[
            { label: tx(locale, 'Chứng thực bản sao', 'Certified copies'), href: APPOINTMENTS_PAGE },
            { label: office.name },
          ]}
        >
          <PageHeading
            title={office.name}
            lead={tx(
              locale,
              'Chọn một khung giờ còn chỗ. Chỗ được giữ cho bạn 10 phút để điền thông tin và xác nhận.',
              'Choose a slot with places left. It is held for you for 10 minutes while you fill in and confirm.',
            )}
          />
          <SummaryList rows={officeRows(office, locale)} />
          {request.query.loi ? <Notice kind="error">{request.query.loi}</Notice> : null}
          {signedIn ? null : (
            <Notice>
              <a href={`/dang-nhap?tiep=${encodeURIComponent(request.url)}`}>
                {tx(locale, 'Đăng nhập để đặt lịch', 'Sign in to book')}
              </a>
            </Notice>
          )}
          <p>
            {from > today ? (
              <a href={`${here}?tu=${addDays(from, -7)}`}>{tx(locale, '← Tuần trước', '← Previous week')}</a>
            ) : null}{' '}
            <a href={`${here}?tu=${addDays(from, 7)}`}>{tx(locale, 'Tuần sau →', 'Next week →')}</a>
          </p>
          {byDay.size === 0 ? (
            <p>{tx(locale, 'Không có khung giờ nào trong những ngày này.', 'No slots on these days.')}</p>
          ) : null}
          {[...byDay.entries()].map(([day, slots]) => (
            <section key={day}>
              <h2>{dayText(day, locale)}</h2>
              <ul class="plain">
                {slots.map((s) => (
                  <li key={s.start.toISOString()}>
                    {signedIn && s.onlineRemaining > 0 ? (
                      <form method="post" action={`${here}/giu-cho`}>
                        <CsrfField token={csrf} />
                        <input type="hidden" name="gio" value={s.start.toISOString()} />
                        <input type="hidden" name="khoa" value={randomUUID()} />
                        <button type="submit" class="button button--secondary">
                          {time(s.start)}–{time(s.end)}:{' '}
                          {tx(
                            locale,
                            `giữ chỗ (còn ${s.onlineRemaining})`,
                            `hold (${s.onlineRemaining} left)`,
                          )}
                        </button>
                      </form>
                    ) : (
                      <span>
                        {time(s.start)}–{time(s.end)}:{' '}
                        {s.onlineRemaining > 0
                          ? tx(locale, `còn ${s.onlineRemaining} chỗ`, `${s.onlineRemaining} left`)
                          : tx(locale, 'đã hết chỗ', 'full')}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </Layout>,
      );
    },
  );

  app.post<{ Params: { code: string }; Body: { gio?: string; khoa?: string } }>(
    `${APPOINTMENTS_PAGE}/:code/giu-cho`,
    {
      config: { access: people },
      schema: {
        hide: true,
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) }),
        body: FormBody({ gio: S(40), khoa: S(80) }),
      },
    },
    async (request, reply) => {
      const back = `${APPOINTMENTS_PAGE}/${encodeURIComponent(request.params.code)}`;
      const start = parseInstant(request.body.gio ?? '');
      const key =
        request.body.khoa && /^[!-~]{1,80}$/.test(request.body.khoa) ? request.body.khoa : randomUUID();
      try {
        if (!start) throw new ValidationError('Khung giờ không hợp lệ / invalid slot');
        const body = { office: request.params.code, start: start.toISOString(), hold: true };
        const r = await service.book({
          accountId: request.account!.id,
          key,
          hash: requestHash(body),
          office: body.office,
          start,
          hold: true,
          documents: '',
        });
        return reply.redirect(`${MY_APPOINTMENTS}/${r.appointment.id}`, 303);
      } catch (e) {
        const { errors } = errorsOf(e);
        const message = errors._form ?? Object.values(errors)[0] ?? '';
        return reply.redirect(`${back}?loi=${encodeURIComponent(message.slice(0, 300))}`, 303);
      }
    },
  );

  // ── The citizen's appointments ───────────────────────────────────────────────────────────────────
  app.get<{ Querystring: { lang?: string } }>(
    MY_APPOINTMENTS,
    { config: { access: people }, schema: { hide: true, querystring: LangQuery } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const mine = await service.mine(request.account!.id);
      const title = tx(locale, 'Lịch hẹn chứng thực', 'Certification appointments');
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading title={title} />
          <p>
            <a href={APPOINTMENTS_PAGE}>{tx(locale, 'Đặt lịch mới', 'Book a new appointment')}</a>
          </p>
          <DataTable
            caption={tx(locale, 'Lịch hẹn của bạn', 'Your appointments')}
            columns={[
              {
                header: tx(locale, 'Thời gian', 'When'),
                cell: (a: Appointment) => (
                  <a href={`${MY_APPOINTMENTS}/${a.id}`}>{vietnamWhen(a.startsAt)}</a>
                ),
              },
              {
                header: tx(locale, 'Trạng thái', 'Status'),
                cell: (a: Appointment) => STATUS_TEXT[a.status][locale],
              },
              {
                header: tx(locale, 'Số thứ tự', 'Queue number'),
                cell: (a: Appointment) => (a.queueNumber === null ? '—' : String(a.queueNumber)),
                numeric: true,
              },
              {
                header: tx(locale, 'Giấy tờ mang theo', 'Bringing'),
                cell: (a: Appointment) => a.documents || '—',
              },
            ]}
            rows={mine}
            rowKey={(a) => a.id}
            empty={tx(locale, 'Bạn chưa có lịch hẹn nào.', 'You have no appointments.')}
          />
        </Layout>,
      );
    },
  );

  async function detail(
    request: FastifyRequest,
    reply: FastifyReply,
    a: Appointment,
    options: { errors?: Errors; status?: number; values?: Record<string, string>; notice?: string } = {},
  ) {
    const locale = pageLocale(request);
    const errors = options.errors ?? {};
    const values = options.values ?? {};
    const office = await service.office(a.agencyCode);
    const allowed = service.allowedActions(a);
    const csrf = await reply.csrfToken();
    const here = `${MY_APPOINTMENTS}/${a.id}`;
    const free = allowed.includes('reschedule')
      ? (
          await service.slots(
            a.agencyCode,
            vietnamDate(service.now()),
            addDays(vietnamDate(service.now()), 13),
          )
        ).items.filter((s) => s.onlineRemaining > 0 && s.start.getTime() !== a.startsAt.getTime())
      : [];
    const title = tx(locale, 'Lịch hẹn chứng thực', 'Certification appointment');
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={title}
        path={request.url}
        breadcrumbs={[
          { label: tx(locale, 'Lịch hẹn', 'Appointments'), href: MY_APPOINTMENTS },
          { label: vietnamWhen(a.startsAt) },
        ]}
      >
        <PageHeading title={title} />
        {options.notice ? <Notice kind="success">{options.notice}</Notice> : null}
        <ErrorSummary errors={errors} title={tx(locale, 'Có lỗi cần sửa', 'There is a problem')} />
        {a.status === 'booked' && a.queueNumber !== null ? (
          <Notice
            kind="success"
            title={tx(locale, `Số thứ tự của bạn: ${a.queueNumber}`, `Your queue number: ${a.queueNumber}`)}
          >
            <p>
              {tx(
                locale,
                `Hãy đến ${office.name} lúc ${vietnamWhen(a.startsAt)}, mang theo bản chính và giấy tờ tùy thân, đọc số thứ tự tại quầy.`,
                `Come to ${office.name} at ${vietnamWhen(a.startsAt)} with the originals and your ID, and give your queue number at the counter.`,
              )}
            </p>
          </Notice>
        ) : null}
        <SummaryList
          rows={[
            ...officeRows(office, locale),
            {
              path: 'when',
              label: tx(locale, 'Thời gian', 'When'),
              value: `${time(a.startsAt)}–${time(a.endsAt)}, ${dayText(a.day, locale)}`,
            },
            {
              path: 'status',
              label: tx(locale, 'Trạng thái', 'Status'),
              value: STATUS_TEXT[a.status][locale],
            },
            ...(a.holdExpiresAt
              ? [
                  {
                    path: 'hold',
                    label: tx(locale, 'Giữ chỗ đến', 'Held until'),
                    value: vietnamWhen(a.holdExpiresAt),
                  },
                ]
              : []),
            {
              path: 'documents',
              label: tx(locale, 'Giấy tờ mang theo', 'Bringing'),
              value: a.documents || '—',
            },
            ...(a.copies
              ? [{ path: 'copies', label: tx(locale, 'Số bản sao', 'Copies'), value: String(a.copies) }]
              : []),
          ]}
        />
        {allowed.includes('confirm') ? (
          <form method="post" action={`${here}/xac-nhan`} class="form" novalidate>
            <CsrfField token={csrf} />
            <h2>{tx(locale, 'Xác nhận đặt lịch', 'Confirm the booking')}</h2>
            <Field
              name="documents"
              label={tx(locale, 'Giấy tờ cần chứng thực', 'Documents to certify')}
              hint={tx(
                locale,
                'Ví dụ: giấy khai sinh, bằng tốt nghiệp (tối đa 500 ký tự)',
                'E.g. birth certificate, diploma (500 characters at most)',
              )}
              error={errors.documents}
            >
              {(described, invalid) => (
                <textarea
                  id="documents"
                  name="documents"
                  maxLength={500}
                  required
                  aria-describedby={described}
                  aria-invalid={invalid ? 'true' : undefined}
                >
                  {values.documents ?? ''}
                </textarea>
              )}
            </Field>
            <Field
              name="copies"
              label={tx(locale, 'Số bản sao dự kiến (không bắt buộc)', 'Copies you expect (optional)')}
              error={errors.copies}
            >
              {(described, invalid) => (
                <input
                  id="copies"
                  name="copies"
                  inputMode="numeric"
                  pattern="[0-9]*"
                  maxLength={3}
                  value={values.copies ?? ''}
                  aria-describedby={described}
                  aria-invalid={invalid ? 'true' : undefined}
                />
              )}
            </Field>
            <button type="submit" class="button">
              {tx(locale, 'Xác nhận', 'Confirm')}
            </button>
          </form>
        ) : null}
        {allowed.includes('reschedule') && free.length > 0 ? (
          <form method="post" action={`${here}/doi-lich`} class="form">
            <CsrfField token={csrf} />
            <h2>{tx(locale, 'Đổi lịch', 'Reschedule')}</h2>
            <Field name="start" label={tx(locale, 'Khung giờ mới', 'New slot')} error={errors.start}>
              {(described, invalid) => (
                <select
                  id="start"
                  name="start"
                  aria-describedby={described}
                  aria-invalid={invalid ? 'true' : undefined}
                >
                  {free.map((s) => (
                    <option key={s.start.toISOString()} value={s.start.toISOString()}>
                      {`${dayText(s.day, locale)} ${time(s.start)}`}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button type="submit" class="button button--secondary">
              {tx(locale, 'Đổi sang khung giờ này', 'Move to this slot')}
            </button>
          </form>
        ) : null}
        {allowed.includes('cancel') ? (
          <form method="post" action={`${here}/huy`} class="form">
            <CsrfField token={csrf} />
            <button type="submit" class="button button--secondary">
              {tx(locale, 'Hủy lịch hẹn', 'Cancel the appointment')}
            </button>
          </form>
        ) : null}
      </Layout>,
      { status: options.status ?? 200 },
    );
  }

  const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

  app.get<{ Params: { id: string }; Querystring: { lang?: string } }>(
    `${MY_APPOINTMENTS}/:id`,
    { config: { access: people }, schema: { hide: true, params: IdParams, querystring: LangQuery } },
    async (request, reply) =>
      detail(request, reply, await service.get(request.account!.id, request.params.id)),
  );

  app.post<{ Params: { id: string }; Body: { documents?: string; copies?: string } }>(
    `${MY_APPOINTMENTS}/:id/xac-nhan`,
    {
      config: { access: people },
      schema: { hide: true, params: IdParams, body: FormBody({ documents: S(500), copies: S(3) }) },
    },
    async (request, reply) => {
      const accountId = request.account!.id;
      const copiesText = (request.body.copies ?? '').trim();
      try {
        if (copiesText !== '' && !/^[0-9]{1,3}$/.test(copiesText))
          throw new ValidationError('Số bản sao là số / copies is a number', [
            { path: 'copies', message: 'Nhập một số từ 1 đến 100 / 1–100' },
          ]);
        const copies = copiesText === '' ? undefined : Number(copiesText);
        if (copies !== undefined && (copies < 1 || copies > 100))
          throw new ValidationError('Số bản sao từ 1 đến 100 / 1–100 copies', [
            { path: 'copies', message: 'Nhập một số từ 1 đến 100 / 1–100' },
          ]);
        const a = await service.confirm(accountId, request.params.id, {
          documents: request.body.documents ?? '',
          copies,
        });
        return detail(request, reply, a, { notice: tx(pageLocale(request), 'Đã đặt lịch.', 'Booked.') });
      } catch (e) {
        const { errors, status } = errorsOf(e);
        return detail(request, reply, await service.get(accountId, request.params.id), {
          errors,
          status,
          values: { documents: request.body.documents ?? '', copies: copiesText },
        });
      }
    },
  );

  app.post<{ Params: { id: string }; Body: { start?: string } }>(
    `${MY_APPOINTMENTS}/:id/doi-lich`,
    {
      config: { access: people },
      schema: { hide: true, params: IdParams, body: FormBody({ start: S(40) }) },
    },
    async (request, reply) => {
      const accountId = request.account!.id;
      try {
        const start = parseInstant(request.body.start ?? '');
        if (!start)
          throw new ValidationError('Chọn khung giờ / choose a slot', [
            { path: 'start', message: 'Chọn khung giờ / choose a slot' },
          ]);
        const a = await service.reschedule(accountId, request.params.id, start);
        return detail(request, reply, a, { notice: tx(pageLocale(request), 'Đã đổi lịch.', 'Rescheduled.') });
      } catch (e) {
        const { errors, status } = errorsOf(e);
        return detail(request, reply, await service.get(accountId, request.params.id), {
          errors: errors._form ? { start: errors._form } : errors,
          status,
        });
      }
    },
  );

  app.post<{ Params: { id: string } }>(
    `${MY_APPOINTMENTS}/:id/huy`,
    { config: { access: people }, schema: { hide: true, params: IdParams, body: FormBody({}) } },
    async (request, reply) => {
      const accountId = request.account!.id;
      try {
        const a = await service.cancel(accountId, request.params.id);
        return detail(request, reply, a, {
          notice: tx(pageLocale(request), 'Đã hủy lịch hẹn.', 'Cancelled.'),
        });
      } catch (e) {
        const { errors, status } = errorsOf(e);
        return detail(request, reply, await service.get(accountId, request.params.id), { errors, status });
      }
    },
  );

  // ── The office: the day, walk-ins, served / did not come ─────────────────────────────────────────
  async function chosenOffice(request: FastifyRequest, code: string | undefined) {
    const mine = await service.officesOf(request.account!.id);
    return { mine, office: mine.find((o) => o.agencyCode === code) ?? mine[0] };
  }

  app.get<{ Querystring: { lang?: string; 'van-phong'?: string; ngay?: string; loi?: string; ok?: string } }>(
    OFFICER_APPOINTMENTS,
    {
      config: { access: officers },
      schema: {
        hide: true,
        querystring: Type.Object({ lang: S(2), 'van-phong': S(40), ngay: S(10), loi: S(300), ok: S(200) }),
      },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const { mine, office } = await chosenOffice(request, request.query['van-phong']);
      const title = tx(locale, 'Lịch hẹn chứng thực trong ngày', 'Appointments of the day');
      const day =
        request.query.ngay && isIsoDate(request.query.ngay) ? request.query.ngay : vietnamDate(service.now());
      const list = office ? await service.dayList(request.account!.id, office.agencyCode, day) : undefined;
      const csrf = await reply.csrfToken();
      const back = office ? `?van-phong=${encodeURIComponent(office.agencyCode)}&ngay=${day}` : '';
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading title={title} lead={office ? `${office.name} — ${dayText(day, locale)}` : undefined} />
          {request.query.loi ? <Notice kind="error">{request.query.loi}</Notice> : null}
          {request.query.ok ? <Notice kind="success">{request.query.ok}</Notice> : null}
          {!office ? (
            <p>
              {tx(locale, 'Bạn chưa được giao nơi chứng thực nào.', 'You are not assigned to an office.')}
            </p>
          ) : (
            <>
              <form method="get" action={OFFICER_APPOINTMENTS} class="form">
                <div class="field">
                  <label for="van-phong">{tx(locale, 'Nơi chứng thực', 'Office')}</label>
                  <select id="van-phong" name="van-phong">
                    {mine.map((o) => (
                      <option
                        key={o.agencyCode}
                        value={o.agencyCode}
                        selected={o.agencyCode === office.agencyCode}
                      >
                        {o.name}
                      </option>
                    ))}
                  </select>
                </div>
                <div class="field">
                  <label for="ngay">{tx(locale, 'Ngày', 'Day')}</label>
                  <input id="ngay" name="ngay" type="date" value={day} />
                </div>
                <button type="submit" class="button button--secondary">
                  {tx(locale, 'Xem', 'Show')}
                </button>
              </form>
              <p>
                <a href={`${RULES_PAGE}?van-phong=${encodeURIComponent(office.agencyCode)}`}>
                  {tx(locale, 'Giờ tiếp nhận và số chỗ', 'Hours and places')}
                </a>
              </p>
              <DataTable
                caption={tx(locale, 'Hàng đợi', 'Queue')}
                columns={[
                  {
                    header: tx(locale, 'Số', 'No.'),
                    cell: (a: Appointment) => (a.queueNumber === null ? '—' : String(a.queueNumber)),
                    numeric: true,
                  },
                  { header: tx(locale, 'Giờ', 'Time'), cell: (a: Appointment) => time(a.startsAt) },
                  {
                    header: tx(locale, 'Người đến', 'Person'),
                    cell: (a: Appointment) => `${a.name}${a.idNumber ? ` (${a.idNumber})` : ''}`,
                  },
                  {
                    header: tx(locale, 'Giấy tờ', 'Documents'),
                    cell: (a: Appointment) => a.documents || '—',
                  },
                  {
                    header: tx(locale, 'Hình thức', 'Channel'),
                    cell: (a: Appointment) =>
                      a.channel === 'online'
                        ? tx(locale, 'Đặt trước', 'Booked')
                        : tx(locale, 'Tại quầy', 'Walk-in'),
                  },
                  {
                    header: tx(locale, 'Trạng thái', 'Status'),
                    cell: (a: Appointment) => STATUS_TEXT[a.status][locale],
                  },
                  {
                    header: tx(locale, 'Thao tác', 'Actions'),
                    cell: (a: Appointment) => {
                      const actions = service
                        .allowedActions(a)
                        .filter((x) => x === 'serve' || x === 'no-show');
                      return actions.length === 0
                        ? '—'
                        : actions.map((x) => (
                            <form
                              key={x}
                              method="post"
                              action={`${OFFICER_APPOINTMENTS}/${a.id}/${x === 'serve' ? 'da-tiep-nhan' : 'vang-mat'}${back}`}
                            >
                              <CsrfField token={csrf} />
                              <button type="submit" class="button button--secondary">
                                {x === 'serve'
                                  ? tx(locale, 'Đã tiếp nhận', 'Served')
                                  : tx(locale, 'Không đến', 'Did not come')}
                              </button>
                            </form>
                          ));
                    },
                  },
                ]}
                rows={list?.appointments ?? []}
                rowKey={(a) => a.id}
                empty={tx(locale, 'Không có lịch hẹn trong ngày.', 'No appointments this day.')}
              />
              <form method="post" action={`${OFFICER_APPOINTMENTS}/tiep-nhan${back}`} class="form">
                <CsrfField token={csrf} />
                <h2>{tx(locale, 'Tiếp nhận người đến trực tiếp', 'Take a walk-in')}</h2>
                <div class="field">
                  <label for="ho-ten">{tx(locale, 'Họ và tên', 'Full name')}</label>
                  <input id="ho-ten" name="ho-ten" maxLength={200} required autocomplete="off" />
                </div>
                <div class="field">
                  <label for="so-dinh-danh">
                    {tx(locale, 'Số định danh cá nhân (không bắt buộc)', 'ID number (optional)')}
                  </label>
                  <input
                    id="so-dinh-danh"
                    name="so-dinh-danh"
                    inputMode="numeric"
                    pattern="[0-9]{9,12}"
                    maxLength={12}
                    autocomplete="off"
                  />
                </div>
                <div class="field">
                  <label for="giay-to">{tx(locale, 'Giấy tờ cần chứng thực', 'Documents')}</label>
                  <input id="giay-to" name="giay-to" maxLength={500} />
                </div>
                <button type="submit" class="button">
                  {tx(locale, 'Cấp số thứ tự', 'Give a queue number')}
                </button>
              </form>
            </>
          )}
        </Layout>,
      );
    },
  );

  const OfficerBack = Type.Object({ lang: S(2), 'van-phong': S(40), ngay: S(10) });
  const backTo = (q: { 'van-phong'?: string; ngay?: string }, extra: string) =>
    `${OFFICER_APPOINTMENTS}?van-phong=${encodeURIComponent(q['van-phong'] ?? '')}&ngay=${encodeURIComponent(q.ngay ?? '')}&${extra}`;

  for (const [slug, action] of [
    ['da-tiep-nhan', 'serve'],
    ['vang-mat', 'no-show'],
  ] as const)
    app.post<{ Params: { id: string }; Querystring: { 'van-phong'?: string; ngay?: string } }>(
      `${OFFICER_APPOINTMENTS}/:id/${slug}`,
      {
        config: { access: officers },
        schema: { hide: true, params: IdParams, querystring: OfficerBack, body: FormBody({}) },
      },
      async (request, reply) => {
        try {
          const a = await service.mark(request.account!.id, request.params.id, action);
          return reply.redirect(
            backTo(request.query, `ok=${encodeURIComponent(`${a.name}: ${STATUS_TEXT[a.status].vi}`)}`),
            303,
          );
        } catch (e) {
          const { errors } = errorsOf(e);
          return reply.redirect(
            backTo(request.query, `loi=${encodeURIComponent((errors._form ?? '').slice(0, 300))}`),
            303,
          );
        }
      },
    );

  app.post<{
    Querystring: { 'van-phong'?: string; ngay?: string };
    Body: { 'ho-ten'?: string; 'so-dinh-danh'?: string; 'giay-to'?: string };
  }>(
    `${OFFICER_APPOINTMENTS}/tiep-nhan`,
    {
      config: { access: officers },
      schema: {
        hide: true,
        querystring: OfficerBack,
        body: FormBody({ 'ho-ten': S(200), 'so-dinh-danh': S(12), 'giay-to': S(500) }),
      },
    },
    async (request, reply) => {
      try {
        const a = await service.walkIn(request.account!.id, request.query['van-phong'] ?? '', {
          name: request.body['ho-ten'] ?? '',
          idNumber: request.body['so-dinh-danh']?.trim() || undefined,
          documents: request.body['giay-to'] ?? '',
        });
        return reply.redirect(
          backTo(request.query, `ok=${encodeURIComponent(`${a.name}: số thứ tự ${a.queueNumber}`)}`),
          303,
        );
      } catch (e) {
        const { errors } = errorsOf(e);
        const message = errors._form ?? Object.values(errors).join('; ');
        return reply.redirect(backTo(request.query, `loi=${encodeURIComponent(message.slice(0, 300))}`), 303);
      }
    },
  );

  // ── The office's rules ───────────────────────────────────────────────────────────────────────────
  const ROWS = 6;
  async function rulesPage(
    request: FastifyRequest,
    reply: FastifyReply,
    office: Office,
    rules: AvailabilityRule[],
    errors: Errors = {},
    status = 200,
    notice?: string,
  ) {
    const locale = pageLocale(request);
    const title = tx(locale, 'Giờ tiếp nhận và số chỗ', 'Hours and places');
    const rows = [...rules, ...Array.from({ length: Math.max(1, ROWS - rules.length) }, () => undefined)];
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={title}
        path={request.url}
        breadcrumbs={[
          {
            label: tx(locale, 'Lịch hẹn trong ngày', 'Appointments of the day'),
            href: `${OFFICER_APPOINTMENTS}?van-phong=${encodeURIComponent(office.agencyCode)}`,
          },
          { label: title },
        ]}
      >
        <PageHeading
          title={title}
          lead={tx(
            locale,
            `${office.name}: các khung giờ được tính từ những quy tắc này, trừ ngày lễ, Tết theo lịch làm việc. Để trống một dòng hoặc chọn "Xóa" để bỏ quy tắc.`,
            `${office.name}: slots are derived from these rules, without public holidays. Leave a row empty or tick "Remove" to drop a rule.`,
          )}
        />
        {notice ? <Notice kind="success">{notice}</Notice> : null}
        <ErrorSummary errors={errors} title={tx(locale, 'Có lỗi cần sửa', 'There is a problem')} />
        <form
          method="post"
          action={`${RULES_PAGE}?van-phong=${encodeURIComponent(office.agencyCode)}`}
          class="form"
          novalidate
        >
          <CsrfField token={await reply.csrfToken()} />
          {rows.map((r, i) => {
            const e = (k: string) => errors[`rules.${i}.${k}`];
            const f = (k: string) => `r${i}-${k}`;
            return (
              <fieldset key={i} class="fieldset">
                <legend>{tx(locale, `Quy tắc ${i + 1}`, `Rule ${i + 1}`)}</legend>
                <div class={`field${e('weekdays') ? ' field--error' : ''}`} id={`rules.${i}.weekdays`}>
                  {e('weekdays') ? <p class="field-error">{e('weekdays')}</p> : null}
                  {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                    <label key={d} class="checkbox">
                      <input
                        type="checkbox"
                        name={f(`thu${d}`)}
                        value="1"
                        checked={r?.weekdays.includes(d) ?? false}
                      />{' '}
                      {weekdayName(addDays('2026-12-07', d - 1), locale)}
                    </label>
                  ))}
                </div>
                {(
                  [
                    [
                      'startTime',
                      'bat-dau',
                      tx(locale, 'Từ giờ (HH:MM)', 'From (HH:MM)'),
                      r?.startTime ?? '',
                    ],
                    ['endTime', 'ket-thuc', tx(locale, 'Đến giờ (HH:MM)', 'Until (HH:MM)'), r?.endTime ?? ''],
                    [
                      'slotMinutes',
                      'phut',
                      tx(locale, 'Mỗi khung (phút)', 'Slot (minutes)'),
                      r ? String(r.slotMinutes) : '',
                    ],
                    [
                      'onlineCapacity',
                      'truc-tuyen',
                      tx(locale, 'Chỗ đặt trực tuyến mỗi khung', 'Online places per slot'),
                      r ? String(r.onlineCapacity) : '',
                    ],
                    [
                      'counterCapacity',
                      'tai-quay',
                      tx(locale, 'Chỗ tại quầy mỗi khung', 'Walk-in places per slot'),
                      r ? String(r.counterCapacity) : '',
                    ],
                    [
                      'validFrom',
                      'tu-ngay',
                      tx(locale, 'Áp dụng từ ngày (YYYY-MM-DD)', 'Valid from (YYYY-MM-DD)'),
                      r?.validFrom ?? '',
                    ],
                    [
                      'validTo',
                      'den-ngay',
                      tx(locale, 'Đến ngày (YYYY-MM-DD, không bắt buộc)', 'Until (YYYY-MM-DD, optional)'),
                      r?.validTo ?? '',
                    ],
                  ] as const
                ).map(([key, name, label, value]) => (
                  <div key={key} class={`field${e(key) ? ' field--error' : ''}`}>
                    <label for={f(name)}>{label}</label>
                    {e(key) ? (
                      <p class="field-error" id={`${f(name)}-loi`}>
                        {e(key)}
                      </p>
                    ) : null}
                    <input
                      id={f(name)}
                      name={f(name)}
                      value={value}
                      maxLength={10}
                      aria-invalid={e(key) ? 'true' : undefined}
                      aria-describedby={e(key) ? `${f(name)}-loi` : undefined}
                    />
                  </div>
                ))}
                {r ? (
                  <label class="checkbox">
                    <input type="checkbox" name={f('xoa')} value="1" />{' '}
                    {tx(locale, 'Xóa quy tắc này', 'Remove this rule')}
                  </label>
                ) : null}
              </fieldset>
            );
          })}
          <button type="submit" class="button">
            {tx(locale, 'Lưu', 'Save')}
          </button>
        </form>
      </Layout>,
      { status },
    );
  }

  app.get<{ Querystring: { lang?: string; 'van-phong'?: string } }>(
    RULES_PAGE,
    {
      config: { access: officers },
      schema: { hide: true, querystring: Type.Object({ lang: S(2), 'van-phong': S(40) }) },
    },
    async (request, reply) => {
      const { office } = await chosenOffice(request, request.query['van-phong']);
      if (!office) return reply.redirect(OFFICER_APPOINTMENTS, 303);
      return rulesPage(request, reply, office, await service.rules(office.agencyCode));
    },
  );

  app.post<{
    Querystring: { lang?: string; 'van-phong'?: string };
    Body: Record<string, string | undefined>;
  }>(
    RULES_PAGE,
    {
      config: { access: officers },
      schema: {
        hide: true,
        querystring: Type.Object({ lang: S(2), 'van-phong': S(40) }),
        body: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 100 }), {
          maxProperties: 200,
        }),
      },
    },
    async (request, reply) => {
      const { office } = await chosenOffice(request, request.query['van-phong']);
      if (!office) return reply.redirect(OFFICER_APPOINTMENTS, 303);
      const b = request.body;
      const rules: AvailabilityRule[] = [];
      for (let i = 0; i < 20; i++) {
        const v = (k: string) => (b[`r${i}-${k}`] ?? '').trim();
        const weekdays = [1, 2, 3, 4, 5, 6, 7].filter((d) => v(`thu${d}`) === '1');
        const filled = weekdays.length > 0 || v('bat-dau') || v('ket-thuc');
        if (!filled || v('xoa') === '1') continue;
        const int = (k: string) => (/^[0-9]{1,4}$/.test(v(k)) ? Number(v(k)) : Number.NaN);
        rules.push({
          weekdays,
          startTime: v('bat-dau'),
          endTime: v('ket-thuc'),
          slotMinutes: int('phut'),
          onlineCapacity: int('truc-tuyen'),
          counterCapacity: int('tai-quay'),
          validFrom: v('tu-ngay') || vietnamDate(service.now()),
          validTo: v('den-ngay') || null,
        });
      }
      try {
        await service.setRules(request.account!.id, office.agencyCode, rules);
        return rulesPage(
          request,
          reply,
          office,
          await service.rules(office.agencyCode),
          {},
          200,
          tx(pageLocale(request), 'Đã lưu.', 'Saved.'),
        );
      } catch (e) {
        const { errors, status } = errorsOf(e);
        return rulesPage(request, reply, office, rules, errors, status);
      }
    },
  );
}
