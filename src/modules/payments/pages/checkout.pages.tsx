/**
 * The hosted checkout, for anyone holding a payment's link (its id is an unguessable UUID):
 * - `/thanh-toan/{id}`: what is paid, to whom, how much; choose a bank or e-wallet (its payment page),
 *   or a bank transfer by VietQR; cancel;
 * - `/thanh-toan/{id}/vietqr?ngan-hang=CODE`: the QR to scan in any banking app, and the same by hand
 *   (bank, account, amount, content);
 * - `/thanh-toan/{id}/ket-qua`: where the bank sends the payer back — the result as the portal knows it
 *   (asked of the bank again when still pending), receipts, and the way back to what was paid.
 * Works without JavaScript; the result page refreshes itself while the payment is pending.
 */
import type { ComponentChildren } from 'preact';
import { Type } from 'typebox';
import { vietnamWhen } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import { type AppInstance, access, allowFormActions } from '../../../platform/http/index.ts';
import { dong, type Locale, tx } from '../../../platform/i18n/index.ts';
import {
  CsrfField,
  DataTable,
  FormBody,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  QrCode,
  S,
  SummaryList,
  sendPage,
} from '../../../platform/web/index.ts';
import { buildVietQr } from '../domain/vietqr.ts';
import { FINAL_STATUSES, type Payment, type PaymentStatus } from '../payments.repository.ts';
import type { PaymentsService } from '../payments.service.ts';
import { type Receipt, receiptsOf } from '../receipts.store.ts';
import { payee as findPayee, intermediaries } from '../registry.repository.ts';

export const CHECKOUT = '/thanh-toan';

export const STATUS_TEXT: Record<PaymentStatus, { vi: string; en: string }> = {
  created: { vi: 'Chưa thanh toán', en: 'Not paid' },
  pending: { vi: 'Chờ thanh toán', en: 'Awaiting payment' },
  succeeded: { vi: 'Đã thanh toán', en: 'Paid' },
  failed: { vi: 'Thanh toán không thành công', en: 'Payment failed' },
  expired: { vi: 'Hết hạn thanh toán', en: 'Expired' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
};

const LINE_KIND: Record<string, { vi: string; en: string }> = {
  phi: { vi: 'Phí', en: 'Fee' },
  'le-phi': { vi: 'Lệ phí', en: 'Charge' },
  fine: { vi: 'Tiền phạt', en: 'Fine' },
  surcharge: { vi: 'Tiền chậm nộp', en: 'Late surcharge' },
  'social-insurance': { vi: 'Đóng BHXH tự nguyện', en: 'Voluntary social insurance' },
};

/** Where a paid bill leads back to (the dossier, the fine, the contribution): given by app.ts. */
export type SubjectLink = (p: Payment) => { href: string; label: { vi: string; en: string } } | undefined;

/** A row of a summary list: the label, the text, and how it shows when it is more than text. */
const row = (path: string, label: string, value: string, html?: ComponentChildren) => ({
  path,
  label,
  value,
  ...(html !== undefined ? { html } : {}),
});

function Bill({ p, locale, payeeName }: { p: Payment; locale: Locale; payeeName: string }) {
  return (
    <>
      <SummaryList
        rows={[
          row('for', tx(locale, 'Nội dung', 'For'), p.description),
          row('payee', tx(locale, 'Đơn vị thu', 'Collected by'), payeeName),
          row(
            'reference',
            tx(locale, 'Mã thanh toán', 'Payment reference'),
            p.reference,
            <code>{p.reference}</code>,
          ),
          row('amount', tx(locale, 'Số tiền', 'Amount'), dong(p.amount), <strong>{dong(p.amount)}</strong>),
          row('status', tx(locale, 'Trạng thái', 'Status'), STATUS_TEXT[p.status][locale]),
          ...(FINAL_STATUSES.includes(p.status)
            ? []
            : [row('expires', tx(locale, 'Hạn thanh toán', 'Pay by'), vietnamWhen(p.expiresAt))]),
        ]}
      />
      <DataTable
        caption={tx(locale, 'Các khoản', 'Items')}
        columns={[
          {
            header: tx(locale, 'Loại', 'Kind'),
            cell: (l: Payment['lines'][number]) => LINE_KIND[l.kind]?.[locale] ?? l.kind,
          },
          { header: tx(locale, 'Khoản', 'Item'), cell: (l: Payment['lines'][number]) => l.name },
          {
            header: tx(locale, 'Số tiền', 'Amount'),
            cell: (l: Payment['lines'][number]) => dong(l.amount),
            numeric: true,
          },
        ]}
        rows={p.lines}
        rowKey={(l) => `${l.kind}:${l.code}`}
        empty=""
      />
    </>
  );
}

function Receipts({ p, receipts, locale }: { p: Payment; receipts: Receipt[]; locale: Locale }) {
  if (receipts.length === 0) return null;
  return (
    <>
      <h2>{tx(locale, 'Biên lai điện tử', 'Electronic receipts')}</h2>
      <ul>
        {receipts.map((r) => (
          <li key={r.id}>
            <a href={`${CHECKOUT}/${p.id}/bien-lai/${r.id}.pdf`}>
              {tx(locale, 'Biên lai', 'Receipt')} {r.series} {tx(locale, 'số', 'no.')}{' '}
              {String(r.number).padStart(7, '0')} ({dong(r.amount)}, PDF)
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

export async function checkoutPages(
  app: AppInstance,
  deps: { db: AnyDb; service: PaymentsService; subjectLink: SubjectLink },
) {
  const payeeName = async (code: string) => (await findPayee(deps.db, code))?.name ?? code;
  const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

  app.get<{ Params: { id: string }; Querystring: { lang?: string; loi?: string } }>(
    `${CHECKOUT}/:id`,
    {
      config: { access: access.public },
      schema: { hide: true, params: Id, querystring: Type.Object({ lang: S(2), loi: S(200) }) },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const p = await deps.service.get(request.params.id);
      if (FINAL_STATUSES.includes(p.status)) return reply.redirect(`${CHECKOUT}/${p.id}/ket-qua`, 303);
      const banks = await intermediaries(deps.db);
      // "Tiếp tục" ends in a redirect to the bank's payment page, and browsers apply form-action to
      // every redirect after a form submission: the registered intermediaries' origins are allowed.
      allowFormActions(
        reply,
        banks.flatMap((b) => {
          try {
            return [new URL(b.baseUrl).origin];
          } catch {
            return [];
          }
        }),
      );
      const title = tx(locale, 'Thanh toán trực tuyến', 'Pay online');
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading
            title={title}
            lead={tx(
              locale,
              'Kiểm tra khoản phải nộp, rồi chọn ngân hàng hoặc ví điện tử để thanh toán. Cổng chỉ ghi nhận đã nộp khi ngân hàng xác nhận.',
              'Check what you are paying, then choose a bank or e-wallet. The portal records the payment only when the bank confirms it.',
            )}
          />
          {request.query.loi ? <Notice kind="error" title={request.query.loi} /> : null}
          <Bill p={p} locale={locale} payeeName={await payeeName(p.payeeAgency)} />
          <h2>{tx(locale, 'Thanh toán qua ngân hàng, ví điện tử', 'Pay through a bank or e-wallet')}</h2>
          <form method="post" action={`${CHECKOUT}/${p.id}/chon`} class="form">
            <CsrfField token={await reply.csrfToken()} />
            <fieldset>
              <legend>{tx(locale, 'Chọn nơi thanh toán', 'Choose where to pay')}</legend>
              {banks.map((b, i) => (
                <label key={b.code} class="choice">
                  <input type="radio" name="ngan-hang" value={b.code} checked={i === 0} required /> {b.name}
                </label>
              ))}
            </fieldset>
            <button type="submit" class="button">
              {tx(locale, 'Tiếp tục đến trang thanh toán', 'Continue to the payment page')}
            </button>
          </form>
          {banks.some((b) => b.qr) ? (
            <>
              <h2>{tx(locale, 'Chuyển khoản bằng mã VietQR', 'Bank transfer by VietQR')}</h2>
              <ul>
                {banks
                  .filter((b) => b.qr)
                  .map((b) => (
                    <li key={b.code}>
                      <a href={`${CHECKOUT}/${p.id}/vietqr?ngan-hang=${b.code}`}>
                        {tx(
                          locale,
                          `Chuyển khoản vào tài khoản tại ${b.name}`,
                          `Transfer to the account at ${b.name}`,
                        )}
                      </a>
                    </li>
                  ))}
              </ul>
            </>
          ) : null}
          <form method="post" action={`${CHECKOUT}/${p.id}/huy`} class="form">
            <CsrfField token={await reply.csrfToken()} />
            <button type="submit" class="button button--secondary">
              {tx(locale, 'Hủy thanh toán', 'Cancel the payment')}
            </button>
          </form>
        </Layout>,
      );
    },
  );

  app.post<{ Params: { id: string }; Body: { 'ngan-hang'?: string } }>(
    `${CHECKOUT}/:id/chon`,
    {
      config: { access: access.public },
      schema: { hide: true, params: Id, body: FormBody({ 'ngan-hang': S(20) }) },
    },
    async (request, reply) => {
      const code = request.body['ngan-hang'] ?? '';
      try {
        const url = await deps.service.checkout(request.params.id, code, request.ip);
        return reply.redirect(url, 303);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        return reply.redirect(
          `${CHECKOUT}/${request.params.id}?loi=${encodeURIComponent(message.slice(0, 200))}`,
          303,
        );
      }
    },
  );

  app.post<{ Params: { id: string } }>(
    `${CHECKOUT}/:id/huy`,
    { config: { access: access.public }, schema: { hide: true, params: Id, body: FormBody({}) } },
    async (request, reply) => {
      await deps.service.cancel(request.params.id, request.account?.id);
      return reply.redirect(`${CHECKOUT}/${request.params.id}/ket-qua`, 303);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { lang?: string; 'ngan-hang'?: string } }>(
    `${CHECKOUT}/:id/vietqr`,
    {
      config: { access: access.public },
      schema: { hide: true, params: Id, querystring: Type.Object({ lang: S(2), 'ngan-hang': S(20) }) },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const current = await deps.service.get(request.params.id);
      if (FINAL_STATUSES.includes(current.status))
        return reply.redirect(`${CHECKOUT}/${current.id}/ket-qua`, 303);
      const { payment: p, intermediary: bank } = await deps.service.awaitTransfer(
        request.params.id,
        request.query['ngan-hang'] ?? '',
      );
      const qr = bank.qr!;
      const payload = buildVietQr({
        dynamic: true,
        to: 'account',
        bin: qr.bin,
        account: qr.account,
        amount: p.amount,
        purpose: p.reference,
      });
      const title = tx(locale, 'Chuyển khoản bằng mã VietQR', 'Bank transfer by VietQR');
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={title}
          path={request.url}
          breadcrumbs={[
            { label: tx(locale, 'Thanh toán trực tuyến', 'Pay online'), href: `${CHECKOUT}/${p.id}` },
            { label: title },
          ]}
        >
          <PageHeading
            title={title}
            lead={tx(
              locale,
              'Mở ứng dụng ngân hàng, quét mã và xác nhận. Số tiền và nội dung đã có sẵn trong mã; nếu nhập tay, ghi đúng nội dung để Cổng nhận ra khoản nộp.',
              'Open your banking app, scan the code and confirm. The amount and content are in the code; if you type them, keep the content exactly so the portal recognises the payment.',
            )}
          />
          <QrCode
            value={payload}
            label={tx(locale, `Mã VietQR nộp ${dong(p.amount)}`, `VietQR code for ${dong(p.amount)}`)}
            size={240}
          />
          <SummaryList
            rows={[
              row('bank', tx(locale, 'Ngân hàng', 'Bank'), `${bank.name} (BIN ${qr.bin})`),
              row('account', tx(locale, 'Số tài khoản', 'Account'), qr.account, <code>{qr.account}</code>),
              ...(qr.accountName
                ? [row('holder', tx(locale, 'Chủ tài khoản', 'Account holder'), qr.accountName)]
                : []),
              row(
                'amount',
                tx(locale, 'Số tiền', 'Amount'),
                dong(p.amount),
                <strong>{dong(p.amount)}</strong>,
              ),
              row(
                'content',
                tx(locale, 'Nội dung chuyển khoản', 'Transfer content'),
                p.reference,
                <code>{p.reference}</code>,
              ),
            ]}
          />
          <details>
            <summary>{tx(locale, 'Chuỗi mã VietQR', 'The VietQR text')}</summary>
            <textarea
              readOnly
              rows={4}
              cols={60}
              aria-label={tx(locale, 'Chuỗi mã VietQR', 'The VietQR text')}
              data-vietqr
            >
              {payload}
            </textarea>
          </details>
          <p>
            <a class="button" href={`${CHECKOUT}/${p.id}/ket-qua`}>
              {tx(locale, 'Tôi đã chuyển khoản — xem kết quả', 'I have transferred — see the result')}
            </a>
          </p>
        </Layout>,
      );
    },
  );

  app.get<{ Params: { id: string }; Querystring: { lang?: string; ref?: string } }>(
    `${CHECKOUT}/:id/ket-qua`,
    {
      config: { access: access.public },
      schema: { hide: true, params: Id, querystring: Type.Object({ lang: S(2), ref: S(20) }) },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      let p = await deps.service.get(request.params.id);
      // Back from the bank before its CONFIRM arrived: ask it (the redirect itself proves nothing).
      if (p.status === 'pending' && p.method === 'online')
        p = await deps.service.requery(p.id).catch(() => p);
      const receipts = p.status === 'succeeded' ? await receiptsOf(deps.db, p.id) : [];
      const back = deps.subjectLink(p);
      const title = STATUS_TEXT[p.status][locale];
      const pending = !FINAL_STATUSES.includes(p.status);
      if (pending) reply.header('refresh', '5');
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={title}
          path={request.url}
          breadcrumbs={[{ label: tx(locale, 'Thanh toán', 'Payment') }]}
        >
          <PageHeading title={title} />
          {p.status === 'succeeded' ? (
            <Notice kind="success" title={tx(locale, `Đã nộp ${dong(p.amount)}`, `${dong(p.amount)} paid`)}>
              <p>
                {tx(locale, 'Mã thanh toán', 'Payment reference')} <code>{p.reference}</code>
                {p.succeededAt ? ` — ${vietnamWhen(p.succeededAt)}` : ''}
              </p>
            </Notice>
          ) : pending ? (
            <Notice
              kind="info"
              title={tx(locale, 'Đang chờ ngân hàng xác nhận', 'Waiting for the bank to confirm')}
            >
              <p>
                {tx(
                  locale,
                  'Trang tự cập nhật. Nếu bạn đã thanh toán, không cần thanh toán lại.',
                  'This page updates itself. If you have paid, do not pay again.',
                )}
              </p>
            </Notice>
          ) : (
            <Notice kind="error" title={tx(locale, 'Chưa nộp được khoản này', 'This bill is not paid')}>
              <p>
                {tx(
                  locale,
                  'Không có tiền nào bị trừ cho giao dịch này.',
                  'No money was taken for this payment.',
                )}
              </p>
            </Notice>
          )}
          <Bill p={p} locale={locale} payeeName={await payeeName(p.payeeAgency)} />
          <Receipts p={p} receipts={receipts} locale={locale} />
          {pending ? (
            <p>
              <a href={`${CHECKOUT}/${p.id}`}>
                {tx(locale, 'Chọn cách thanh toán khác', 'Choose another way to pay')}
              </a>
            </p>
          ) : null}
          {back ? (
            <p>
              <a class="button" href={back.href}>
                {back.label[locale]}
              </a>
            </p>
          ) : null}
        </Layout>,
      );
    },
  );
}
