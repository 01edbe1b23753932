/**
 * The payee agencies' officers (cashier, accountant):
 * - `/quan-tri/thanh-toan`: payments of the officer's agencies, filtered by state, kind, day and reference;
 * - `/quan-tri/thanh-toan/{id}`: one payment — its events, receipts, refunds and the refund form;
 * - `/quan-tri/so-cai`: the accountant's ledger view, balances per account of their agencies.
 */
import { sql } from 'kysely';
import { Type } from 'typebox';
import { vietnamWhen } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import { NotFoundError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { dong, type Locale, tx } from '../../../platform/i18n/index.ts';
import {
  CsrfField,
  DataTable,
  FormBody,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  S,
  SummaryList,
  sendPage,
} from '../../../platform/web/index.ts';
import { accountInfo } from '../domain/ledger.ts';
import { accountName, balances } from '../ledger.store.ts';
import type { Officers } from '../officers.ts';
import { eventsOf, type PaymentKind, type PaymentStatus } from '../payments.repository.ts';
import type { PaymentsService } from '../payments.service.ts';
import { receiptsOf } from '../receipts.store.ts';
import { REFUND_STATUS_TEXT, type RefundsService } from '../refunds.service.ts';
import { payee as findPayee } from '../registry.repository.ts';
import { CHECKOUT, STATUS_TEXT } from './checkout.pages.tsx';

export const OFFICER_PAYMENTS = '/quan-tri/thanh-toan';
export const LEDGER_PAGE = '/quan-tri/so-cai';
export const PAYMENT_OFFICERS = access.officer('cashier', 'accountant');

export const KIND_TEXT: Record<PaymentKind, { vi: string; en: string }> = {
  'dossier-fee': { vi: 'Phí, lệ phí hồ sơ', en: 'Dossier fee' },
  fine: { vi: 'Tiền phạt', en: 'Fine' },
  'social-insurance': { vi: 'BHXH tự nguyện', en: 'Voluntary social insurance' },
  partner: { vi: 'Hệ thống một cửa (1.0.6)', en: 'Agency system (1.0.6)' },
  'certification-fee': { vi: 'Lệ phí chứng thực', en: 'Certification fee' },
};

interface ListRow {
  id: string;
  reference: string;
  kind: PaymentKind;
  description: string;
  amount: string;
  status: PaymentStatus;
  payee_agency: string;
  created_at: Date;
  succeeded_at: Date | null;
}

const Filters = Type.Object({
  lang: S(2),
  'trang-thai': S(20),
  loai: S(30),
  'tu-ngay': S(10),
  'den-ngay': S(10),
  'ma-tham-chieu': S(20),
});
type FilterQuery = { [K in keyof typeof Filters.properties]?: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function Select(props: {
  name: string;
  label: string;
  value: string | undefined;
  options: Array<[string, string]>;
  locale: Locale;
}) {
  return (
    <div class="field">
      <label for={props.name}>{props.label}</label>
      <select id={props.name} name={props.name}>
        <option value="">{tx(props.locale, 'Tất cả', 'All')}</option>
        {props.options.map(([v, l]) => (
          <option key={v} value={v} selected={props.value === v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

export async function officerPages(
  app: AppInstance,
  deps: { db: AnyDb; service: PaymentsService; refunds: RefundsService; officers: Officers },
) {
  app.get<{ Querystring: FilterQuery }>(
    OFFICER_PAYMENTS,
    { config: { access: PAYMENT_OFFICERS }, schema: { hide: true, querystring: Filters } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const q = request.query;
      const agencies = await deps.officers.agenciesOf(request.account!.id);
      const status = q['trang-thai'] && q['trang-thai'] in STATUS_TEXT ? q['trang-thai'] : undefined;
      const kind = q.loai && q.loai in KIND_TEXT ? q.loai : undefined;
      const from = q['tu-ngay'] && DAY.test(q['tu-ngay']) ? q['tu-ngay'] : undefined;
      const to = q['den-ngay'] && DAY.test(q['den-ngay']) ? q['den-ngay'] : undefined;
      const ref = q['ma-tham-chieu']?.trim().toUpperCase() || undefined;
      const rows =
        agencies.length === 0
          ? []
          : (
              await sql<ListRow>`
          select id, reference, kind, description, amount, status, payee_agency, created_at, succeeded_at
            from payments.payments
           where payee_agency in (${sql.join(agencies)})
             ${status ? sql`and status = ${status}` : sql``}
             ${kind ? sql`and kind = ${kind}` : sql``}
             ${from ? sql`and created_at >= ${new Date(`${from}T00:00:00+07:00`)}` : sql``}
             ${to ? sql`and created_at < ${new Date(`${to}T00:00:00+07:00`)} + interval '1 day'` : sql``}
             ${ref ? sql`and reference = ${ref}` : sql``}
           order by created_at desc limit 200`.execute(deps.db)
            ).rows;
      const title = tx(locale, 'Các khoản thu của đơn vị', 'Payments of your agencies');
      // Agencies by name: where the roles are granted (the list covers the agencies below them too,
      // hundreds of codes for a province), and each payment's payee.
      const names = new Map<string, string>();
      const grants = await deps.officers.grantsOf(request.account!.id);
      for (const code of new Set([...grants, ...rows.map((r) => r.payee_agency)]))
        names.set(code, (await findPayee(deps.db, code))?.name ?? code);
      const nameOf = (code: string) => names.get(code) ?? code;
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={title}
          path={request.url}
          breadcrumbs={[
            { label: tx(locale, 'Quản trị', 'Administration'), href: '/quan-tri' },
            { label: title },
          ]}
        >
          <PageHeading
            title={title}
            lead={
              grants.length > 0
                ? tx(
                    locale,
                    `${grants.map(nameOf).join('; ')} và các đơn vị trực thuộc.`,
                    `${grants.map(nameOf).join('; ')} and the agencies under it.`,
                  )
                : undefined
            }
          />
          <form method="get" action={OFFICER_PAYMENTS} class="form form--inline">
            <Select
              name="trang-thai"
              label={tx(locale, 'Trạng thái', 'Status')}
              value={status}
              locale={locale}
              options={Object.entries(STATUS_TEXT).map(([k, v]) => [k, v[locale]])}
            />
            <Select
              name="loai"
              label={tx(locale, 'Loại khoản', 'Kind')}
              value={kind}
              locale={locale}
              options={Object.entries(KIND_TEXT).map(([k, v]) => [k, v[locale]])}
            />
            <div class="field">
              <label for="tu-ngay">{tx(locale, 'Từ ngày', 'From')}</label>
              <input type="date" id="tu-ngay" name="tu-ngay" value={from ?? ''} />
            </div>
            <div class="field">
              <label for="den-ngay">{tx(locale, 'Đến ngày', 'To')}</label>
              <input type="date" id="den-ngay" name="den-ngay" value={to ?? ''} />
            </div>
            <div class="field">
              <label for="ma-tham-chieu">{tx(locale, 'Mã thanh toán', 'Reference')}</label>
              <input
                type="text"
                id="ma-tham-chieu"
                name="ma-tham-chieu"
                value={ref ?? ''}
                maxLength={20}
                autocomplete="off"
              />
            </div>
            <button type="submit" class="button">
              {tx(locale, 'Lọc', 'Filter')}
            </button>
          </form>
          <DataTable
            caption={tx(locale, 'Các khoản thu (tối đa 200)', 'Payments (at most 200)')}
            columns={[
              {
                header: tx(locale, 'Mã thanh toán', 'Reference'),
                cell: (p: ListRow) => <a href={`${OFFICER_PAYMENTS}/${p.id}`}>{p.reference}</a>,
              },
              { header: tx(locale, 'Loại', 'Kind'), cell: (p: ListRow) => KIND_TEXT[p.kind][locale] },
              { header: tx(locale, 'Nội dung', 'For'), cell: (p: ListRow) => p.description },
              { header: tx(locale, 'Đơn vị thu', 'Payee'), cell: (p: ListRow) => nameOf(p.payee_agency) },
              {
                header: tx(locale, 'Số tiền', 'Amount'),
                cell: (p: ListRow) => dong(Number(p.amount)),
                numeric: true,
              },
              {
                header: tx(locale, 'Trạng thái', 'Status'),
                cell: (p: ListRow) => STATUS_TEXT[p.status][locale],
              },
              { header: tx(locale, 'Tạo lúc', 'Created'), cell: (p: ListRow) => vietnamWhen(p.created_at) },
            ]}
            rows={rows}
            rowKey={(p) => p.id}
            empty={tx(locale, 'Không có khoản thu nào phù hợp.', 'No payments match.')}
          />
        </Layout>,
      );
    },
  );

  app.get<{ Params: { id: string }; Querystring: { lang?: string; loi?: string; ok?: string } }>(
    `${OFFICER_PAYMENTS}/:id`,
    {
      config: { access: PAYMENT_OFFICERS },
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object({ lang: S(2), loi: S(300), ok: S(1) }),
      },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const p = await deps.service.get(request.params.id);
      const officerId = request.account!.id;
      if (!(await deps.officers.mayAct(officerId, p.payeeAgency)))
        throw new NotFoundError('Không tìm thấy giao dịch / payment not found');
      const [events, receipts, refunds, left] = await Promise.all([
        eventsOf(deps.db, p.id),
        receiptsOf(deps.db, p.id),
        deps.refunds.of(p.id),
        deps.refunds.refundable(p.id),
      ]);
      const title = `${tx(locale, 'Khoản thu', 'Payment')} ${p.reference}`;
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={title}
          path={request.url}
          breadcrumbs={[
            { label: tx(locale, 'Các khoản thu', 'Payments'), href: OFFICER_PAYMENTS },
            { label: p.reference },
          ]}
        >
          <PageHeading title={title} lead={p.description} />
          {request.query.loi ? <Notice kind="error" title={request.query.loi} /> : null}
          {request.query.ok ? (
            <Notice
              kind="success"
              title={tx(locale, 'Đã ghi nhận yêu cầu hoàn tiền.', 'Refund requested.')}
            />
          ) : null}
          <SummaryList
            rows={[
              { path: 'ref', label: tx(locale, 'Mã thanh toán', 'Reference'), value: p.reference },
              { path: 'kind', label: tx(locale, 'Loại', 'Kind'), value: KIND_TEXT[p.kind][locale] },
              { path: 'amount', label: tx(locale, 'Số tiền', 'Amount'), value: dong(p.amount) },
              {
                path: 'status',
                label: tx(locale, 'Trạng thái', 'Status'),
                value: STATUS_TEXT[p.status][locale],
              },
              { path: 'payer', label: tx(locale, 'Người nộp', 'Payer'), value: p.payer.name ?? '—' },
              {
                path: 'via',
                label: tx(locale, 'Qua', 'Through'),
                value: [p.method, p.intermediary, p.intermediaryTxn].filter(Boolean).join(' · ') || '—',
              },
              ...(p.duplicate
                ? [
                    {
                      path: 'dup',
                      label: tx(locale, 'Lưu ý', 'Note'),
                      value: tx(locale, 'Nộp hai lần', 'Paid twice'),
                    },
                  ]
                : []),
            ]}
          />
          <DataTable
            caption={tx(locale, 'Diễn biến', 'Events')}
            columns={[
              {
                header: tx(locale, 'Thời điểm', 'When'),
                cell: (e: (typeof events)[number]) => vietnamWhen(e.at),
              },
              {
                header: tx(locale, 'Trạng thái', 'Status'),
                cell: (e: (typeof events)[number]) =>
                  `${e.from_status ? `${STATUS_TEXT[e.from_status][locale]} → ` : ''}${STATUS_TEXT[e.to_status][locale]}`,
              },
              { header: tx(locale, 'Nguồn', 'Source'), cell: (e: (typeof events)[number]) => e.source },
            ]}
            rows={events}
            rowKey={(e) => `${e.at.getTime()}:${e.to_status}:${e.source}`}
            empty="—"
          />
          <h2>{tx(locale, 'Biên lai điện tử', 'E-receipts')}</h2>
          {receipts.length === 0 ? (
            <p>—</p>
          ) : (
            <ul>
              {receipts.map((r) => (
                <li key={r.id}>
                  <a href={`${CHECKOUT}/${p.id}/bien-lai/${r.id}.pdf`}>
                    {r.series} {tx(locale, 'số', 'no.')} {String(r.number).padStart(7, '0')} ({dong(r.amount)}
                    , PDF)
                  </a>
                </li>
              ))}
            </ul>
          )}
          <DataTable
            caption={tx(locale, 'Hoàn tiền', 'Refunds')}
            columns={[
              {
                header: tx(locale, 'Yêu cầu lúc', 'Requested'),
                cell: (r: (typeof refunds)[number]) => vietnamWhen(r.requestedAt),
              },
              {
                header: tx(locale, 'Số tiền', 'Amount'),
                cell: (r: (typeof refunds)[number]) => dong(r.amount),
                numeric: true,
              },
              { header: tx(locale, 'Lý do', 'Reason'), cell: (r: (typeof refunds)[number]) => r.reason },
              {
                header: tx(locale, 'Trạng thái', 'Status'),
                cell: (r: (typeof refunds)[number]) =>
                  `${REFUND_STATUS_TEXT[r.status][locale]}${r.failure ? ` — ${r.failure}` : ''}`,
              },
            ]}
            rows={refunds}
            rowKey={(r) => r.id}
            empty={tx(locale, 'Chưa có yêu cầu hoàn tiền.', 'No refunds.')}
          />
          {p.status === 'succeeded' && left > 0 ? (
            <form method="post" action={`${OFFICER_PAYMENTS}/${p.id}/hoan-tien`} class="form">
              <CsrfField token={await reply.csrfToken()} />
              <h2>{tx(locale, 'Hoàn tiền cho người nộp', 'Refund the payer')}</h2>
              <div class="field">
                <label for="so-tien">
                  {tx(locale, `Số tiền (đồng, tối đa ${left})`, `Amount (đồng, at most ${left})`)}
                </label>
                <input
                  id="so-tien"
                  name="so-tien"
                  inputMode="numeric"
                  pattern="[0-9]+"
                  required
                  value={String(left)}
                />
              </div>
              <div class="field">
                <label for="ly-do">{tx(locale, 'Lý do', 'Reason')}</label>
                <textarea id="ly-do" name="ly-do" required maxLength={1000} />
              </div>
              <button type="submit" class="button">
                {tx(locale, 'Yêu cầu hoàn tiền', 'Request the refund')}
              </button>
            </form>
          ) : null}
        </Layout>,
      );
    },
  );

  app.post<{ Params: { id: string }; Body: { 'so-tien'?: string; 'ly-do'?: string } }>(
    `${OFFICER_PAYMENTS}/:id/hoan-tien`,
    {
      config: { access: PAYMENT_OFFICERS },
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: FormBody({ 'so-tien': S(16), 'ly-do': S(1000) }),
      },
    },
    async (request, reply) => {
      const back = `${OFFICER_PAYMENTS}/${request.params.id}`;
      const p = await deps.service.get(request.params.id);
      if (!(await deps.officers.mayAct(request.account!.id, p.payeeAgency)))
        throw new NotFoundError('Không tìm thấy giao dịch / payment not found');
      const amountText = (request.body['so-tien'] ?? '').trim();
      try {
        await deps.refunds.request({
          paymentId: p.id,
          amount: /^\d{1,13}$/.test(amountText) ? Number(amountText) : Number.NaN,
          reason: request.body['ly-do'] ?? '',
          officerId: request.account!.id,
        });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        return reply.redirect(`${back}?loi=${encodeURIComponent(message.slice(0, 300))}`, 303);
      }
      return reply.redirect(`${back}?ok=1`, 303);
    },
  );

  app.get<{ Querystring: { lang?: string } }>(
    LEDGER_PAGE,
    {
      config: { access: access.officer('accountant') },
      schema: { hide: true, querystring: Type.Object({ lang: S(2) }) },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const mine = new Set(await deps.officers.booksOf(request.account!.id));
      const all = await balances(deps.db);
      const rows = [...all]
        .filter(([account]) => {
          const agency = account.split(':')[1];
          return agency !== undefined && mine.has(agency) && !account.startsWith('receivable:');
        })
        .map(([account, balance]) => ({
          account,
          balance,
          info: { name: accountName(account), normal: accountInfo(account)?.normal ?? 'debit' },
        }))
        .sort((a, b) => a.account.localeCompare(b.account));
      const title = tx(locale, 'Sổ cái các khoản thu', 'Ledger of your agencies');
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={title}
          path={request.url}
          breadcrumbs={[
            { label: tx(locale, 'Quản trị', 'Administration'), href: '/quan-tri' },
            { label: title },
          ]}
        >
          <PageHeading
            title={title}
            lead={tx(
              locale,
              'Số dư theo tài khoản của đơn vị (đồng; dương là bên thường của tài khoản).',
              'Balances per account of your agencies (đồng, on the account’s normal side).',
            )}
          />
          <DataTable
            caption={tx(locale, 'Số dư', 'Balances')}
            columns={[
              {
                header: tx(locale, 'Tài khoản', 'Account'),
                cell: (r: (typeof rows)[number]) => <code>{r.account}</code>,
              },
              { header: tx(locale, 'Tên', 'Name'), cell: (r: (typeof rows)[number]) => r.info.name },
              {
                header: tx(locale, 'Số dư', 'Balance'),
                cell: (r: (typeof rows)[number]) => dong(r.info.normal === 'debit' ? r.balance : -r.balance),
                numeric: true,
              },
            ]}
            rows={rows}
            rowKey={(r) => r.account}
            empty={tx(locale, 'Chưa có bút toán nào.', 'No postings yet.')}
          />
        </Layout>,
      );
    },
  );
}
