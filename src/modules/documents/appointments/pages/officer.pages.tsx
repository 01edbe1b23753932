/**
 * The appointments' pages for the offices' certifiers and agency admins (Vietnamese first, no
 * JavaScript needed), registered by `appointmentPages` (appointments.pages.tsx):
 *   /quan-tri/chung-thuc/lich-hen          the office's day: queue, walk-ins, served / did not come
 *   /quan-tri/chung-thuc/lich-hen/quy-tac  the office's availability rules
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { addDays, isIsoDate, vietnamDate, weekdayName } from '../../../../platform/clock/index.ts';
import type { AppInstance } from '../../../../platform/http/index.ts';
import { tx } from '../../../../platform/i18n/index.ts';
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
  sendPage,
} from '../../../../platform/web/index.ts';
import type { Office } from '../../offices.repository.ts';
import type { Appointment } from '../appointments.repository.ts';
import type { AppointmentsService } from '../appointments.service.ts';
import type { AvailabilityRule } from '../slots.ts';
import { STATUS_TEXT } from '../states.ts';
import {
  dayText,
  type Errors,
  errorsOf,
  IdParams,
  OFFICER_APPOINTMENTS,
  officers,
  RULES_PAGE,
  time,
} from './appointments.shared.tsx';

export function officerAppointmentPages(app: AppInstance, deps: { service: AppointmentsService }) {
  const { service } = deps;

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
                      const certify = actions.includes('serve') ? (
                        <a class="button" href={`/quan-tri/chung-thuc/moi?lich-hen=${a.id}`}>
                          {tx(locale, 'Chứng thực', 'Certify')}
                        </a>
                      ) : null;
                      return actions.length === 0
                        ? '—'
                        : [
                            certify,
                            ...actions.map((x) => (
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
                            )),
                          ];
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
