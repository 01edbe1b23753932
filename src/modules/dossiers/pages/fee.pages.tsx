/**
 * Paying a dossier's fee online: `/ho-so/{code}/nop-phi` (the dossier page's button and the link in
 * `payment.requested`) makes the bill payable and sends the applicant to the payments module's hosted
 * checkout; the dossier page's section says what is owed and lists the payments made, with links to
 * their results and receipts.
 */

import { type AppInstance, access } from '../../../platform/http/index.ts';
import { dong } from '../../../platform/i18n/index.ts';
import { DataTable, Notice } from '../../../platform/web/index.ts';
import type { FeePayment } from '../dossiers.fees.ts';
import type { DossierView } from '../dossiers.service.ts';
import { CodeParams, type PagesDeps } from './shared.tsx';

const PAYMENT_STATUS: Record<FeePayment['status'], string> = {
  created: 'Chưa thanh toán / Not paid',
  pending: 'Chờ ngân hàng xác nhận / Awaiting the bank',
  succeeded: 'Đã thanh toán / Paid',
  failed: 'Không thành công / Failed',
  expired: 'Hết hạn / Expired',
  cancelled: 'Đã hủy / Cancelled',
};

const METHOD: Record<string, string> = {
  online: 'Trực tuyến',
  vietqr: 'Chuyển khoản VietQR',
  cash: 'Tiền mặt tại quầy',
};

export async function feePages(app: AppInstance, deps: PagesDeps) {
  app.get(
    '/ho-so/:code/nop-phi',
    {
      config: { access: access.account('citizen', 'business', 'organisation') },
      schema: { hide: true, params: CodeParams },
    },
    async (request, reply) => {
      if (!deps.fees) return reply.redirect(`/ho-so/${encodeURIComponent(request.params.code)}`, 303);
      // One open bill per dossier request: asking again answers the open one (or a new one once expired).
      const p = await deps.fees.flow.payNow(request.account!.id, request.params.code);
      return reply.redirect(p.checkoutUrl, 303);
    },
  );
}

/** What the applicant owes (status 6, or a filing waiting for its fee) and how to pay it online. */
export function FeeSection({
  v,
  owed,
  online,
  isApplicant,
  payments,
  receiving,
}: {
  v: DossierView;
  owed: { amount: number; items: string } | undefined;
  online: boolean;
  isApplicant: boolean;
  payments: FeePayment[];
  receiving: string;
}) {
  const href = `/ho-so/${encodeURIComponent(v.code)}`;
  const waiting = v.state === 'payment-requested' || v.state === 'awaiting-payment';
  if (!waiting && payments.length === 0) return null;
  return (
    <section aria-labelledby="nop-phi">
      <h2 id="nop-phi">
        {isApplicant || !waiting ? 'Nộp phí, lệ phí' : 'Chờ người nộp hồ sơ nộp phí, lệ phí'}
      </h2>
      {waiting ? (
        <Notice
          kind="warning"
          title={owed ? `Số tiền phải nộp: ${dong(owed.amount)}` : 'Chờ nộp phí, lệ phí'}
        >
          {owed ? <p>Khoản nộp: {owed.items}.</p> : null}
          {v.state === 'awaiting-payment' ? (
            <p>
              Hồ sơ được chuyển đến cơ quan tiếp nhận, và thời hạn giải quyết bắt đầu tính, khi khoản nộp được
              ngân hàng xác nhận. / The dossier is received, and its clock starts, once the fee is paid.
            </p>
          ) : null}
          {isApplicant && online && owed ? (
            <p>
              <a class="button" href={`${href}/nop-phi`}>
                {v.state === 'awaiting-payment' ? 'Thanh toán' : 'Nộp phí, lệ phí trực tuyến'}
              </a>{' '}
              <span class="hint">Pay online: a bank or e-wallet, or a VietQR transfer.</span>
            </p>
          ) : null}
          {isApplicant && v.state === 'payment-requested' ? (
            <p>
              {online ? 'Hoặc nộp' : 'Cách nộp: nộp'} trực tiếp tại <strong>{receiving}</strong> (Bộ phận tiếp
              nhận và trả kết quả) trong giờ làm việc, đọc mã hồ sơ <strong>{v.code}</strong> cho cán bộ thu;
              bạn nhận biên lai ngay tại quầy. Hồ sơ tiếp tục được giải quyết ngay khi khoản nộp được ghi
              nhận; thời gian chờ nộp vẫn tính vào thời hạn giải quyết.
            </p>
          ) : null}
        </Notice>
      ) : null}
      {payments.length > 0 ? (
        <DataTable
          caption="Các lần thanh toán / Payments"
          rows={payments}
          rowKey={(p) => p.id}
          empty=""
          columns={[
            { header: 'Mã thanh toán', cell: (p) => <a href={p.resultUrl}>{p.reference}</a> },
            { header: 'Số tiền', cell: (p) => dong(p.amount), numeric: true },
            { header: 'Cách nộp', cell: (p) => (p.method ? (METHOD[p.method] ?? p.method) : '—') },
            { header: 'Trạng thái', cell: (p) => PAYMENT_STATUS[p.status] },
          ]}
        />
      ) : null}
    </section>
  );
}
