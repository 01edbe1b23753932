/**
 * The appointments' pages for the public and citizens (Vietnamese first, no JavaScript needed):
 *   /chung-thuc-ban-sao                    what certification of copies is, the fee, the offices
 *   /chung-thuc-ban-sao/{code}             an office's free slots; "Giữ chỗ" holds one for 10 minutes
 *   /tai-khoan/lich-hen                    my appointments
 *   /tai-khoan/lich-hen/{id}               one: confirm a hold, reschedule, cancel; the queue number
 * `appointmentPages` also registers the officers' pages (officer.pages.tsx); what both share is in
 * appointments.shared.tsx.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  addDays,
  isIsoDate,
  parseInstant,
  vietnamDate,
  vietnamWhen,
} from '../../../../platform/clock/index.ts';
import { ValidationError } from '../../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../../platform/http/index.ts';
import { dong, tx } from '../../../../platform/i18n/index.ts';
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
import { CERTIFIED_COPY_FORMULA, computeFee, describeFormula } from '../../../catalogue/index.ts';
import type { Office } from '../../offices.repository.ts';
import type { Appointment } from '../appointments.repository.ts';
import { requestHash } from '../appointments.service.ts';
import { STATUS_TEXT } from '../states.ts';
import {
  APPOINTMENTS_PAGE,
  type AppointmentPagesDeps,
  dayText,
  type Errors,
  errorsOf,
  Field,
  IdParams,
  LangQuery,
  MY_APPOINTMENTS,
  officeRows,
  people,
  time,
} from './appointments.shared.tsx';
import { officerAppointmentPages } from './officer.pages.tsx';

export { APPOINTMENTS_PAGE, MY_APPOINTMENTS, OFFICER_APPOINTMENTS } from './appointments.shared.tsx';

/** The certified-copy fee (Circular 226/2016/TT-BTC), as the catalogue keeps it. */
const CERTIFIED_COPY_FEE = CERTIFIED_COPY_FORMULA;

export async function appointmentPages(app: AppInstance, deps: AppointmentPagesDeps) {
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

  // ── The office: the day, walk-ins, served / did not come, the rules ──────────────────────────────
  officerAppointmentPages(app, { service });
}
