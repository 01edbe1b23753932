/**
 * `/tai-khoan/thanh-toan`: the signed-in payer's payments, newest first, with their status and the
 * links to their receipts (the payment page's own link is the capability, as for the checkout).
 */
import { sql } from 'kysely';
import { Type } from 'typebox';
import { vietnamWhen } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { dong, tx } from '../../../platform/i18n/index.ts';
import { DataTable, Layout, PageHeading, pageLocale, S, sendPage } from '../../../platform/web/index.ts';
import type { PaymentStatus } from '../payments.repository.ts';
import { CHECKOUT, STATUS_TEXT } from './checkout.pages.tsx';

export const PAYER_HISTORY = '/tai-khoan/thanh-toan';

interface Row {
  id: string;
  reference: string;
  description: string;
  amount: string;
  status: PaymentStatus;
  created_at: Date;
  succeeded_at: Date | null;
  receipts: Array<{ id: string; series: string; number: number }>;
}

export async function payerPages(app: AppInstance, deps: { db: AnyDb }) {
  app.get<{ Querystring: { lang?: string } }>(
    PAYER_HISTORY,
    {
      config: { access: access.account() },
      schema: { hide: true, querystring: Type.Object({ lang: S(2) }) },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const r = await sql<Row>`
        select p.id, p.reference, p.description, p.amount, p.status, p.created_at, p.succeeded_at,
               coalesce((select jsonb_agg(jsonb_build_object('id', x.id, 'series', x.series, 'number', x.number) order by x.kind)
                           from payments.receipts x where x.payment_id = p.id), '[]'::jsonb) as receipts
          from payments.payments p
         where p.payer_account = ${request.account!.id}
         order by p.created_at desc limit 200`.execute(deps.db);
      const title = tx(locale, 'Lịch sử thanh toán', 'Payment history');
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading
            title={title}
            lead={tx(
              locale,
              'Các khoản bạn đã tạo hoặc đã nộp trên Cổng, mới nhất trước, kèm biên lai điện tử.',
              'What you have paid or started paying on the portal, newest first, with the e-receipts.',
            )}
          />
          <DataTable
            caption={tx(locale, 'Các khoản thanh toán', 'Payments')}
            columns={[
              {
                header: tx(locale, 'Mã thanh toán', 'Reference'),
                cell: (p: Row) => <a href={`${CHECKOUT}/${p.id}/ket-qua`}>{p.reference}</a>,
              },
              { header: tx(locale, 'Nội dung', 'For'), cell: (p: Row) => p.description },
              {
                header: tx(locale, 'Số tiền', 'Amount'),
                cell: (p: Row) => dong(Number(p.amount)),
                numeric: true,
              },
              { header: tx(locale, 'Trạng thái', 'Status'), cell: (p: Row) => STATUS_TEXT[p.status][locale] },
              {
                header: tx(locale, 'Thời điểm', 'When'),
                cell: (p: Row) => vietnamWhen(p.succeeded_at ?? p.created_at),
              },
              {
                header: tx(locale, 'Biên lai', 'Receipts'),
                cell: (p: Row) =>
                  p.receipts.length === 0 ? (
                    '—'
                  ) : (
                    <ul class="plain">
                      {p.receipts.map((x) => (
                        <li key={x.id}>
                          <a href={`${CHECKOUT}/${p.id}/bien-lai/${x.id}.pdf`}>
                            {x.series} {tx(locale, 'số', 'no.')} {String(x.number).padStart(7, '0')} (PDF)
                          </a>
                        </li>
                      ))}
                    </ul>
                  ),
              },
            ]}
            rows={r.rows}
            rowKey={(p) => p.id}
            empty={tx(locale, 'Bạn chưa có khoản thanh toán nào.', 'You have no payments yet.')}
          />
        </Layout>,
      );
    },
  );
}
