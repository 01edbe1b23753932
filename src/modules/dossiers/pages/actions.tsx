/**
 * One workflow action as a form on the dossier page: the fields the action needs (a reason, a new due date,
 * the amount and items of a payment, a file), the revision the officer saw, the CSRF token.
 */
import { ValidationError } from '../../../platform/errors/index.ts';
import { CsrfField } from '../../../platform/web/index.ts';
import type { ProcessDefinition } from '../domain/workflow.ts';
import { dong, parseAmount } from '../dossiers.payment.ts';
import { one } from './shared.tsx';

export function ActionForm({
  action,
  spec,
  href,
  token,
  revision,
  officer,
  payment,
}: {
  action: string;
  spec: ProcessDefinition['actions'][string];
  href: string;
  token: string;
  revision: number;
  officer: boolean;
  /** request-payment: what the procedure's fee lines come to for this dossier. */
  payment?: { amount: number | undefined; items: string } | undefined;
}) {
  const file = action === 'return-result' || (action === 'supplement-received' && officer);
  return (
    <form
      class="form"
      method="post"
      action={`${href}/thao-tac`}
      enctype={file ? 'multipart/form-data' : undefined}
    >
      <h3>
        {spec.label.vi}
        {spec.form ? ` (Mẫu ${spec.form})` : ''}
      </h3>
      <CsrfField token={token} />
      <input type="hidden" name="action" value={action} />
      <input type="hidden" name="revision" value={String(revision)} />
      {spec.needs.includes('reason') ? (
        <div class="field">
          <label for={`reason-${action}`}>
            {action === 'request-supplement' ? 'Giấy tờ cần bổ sung và lý do' : 'Lý do'}
          </label>
          <textarea id={`reason-${action}`} name="reason" rows={3} maxLength={4000} required />
        </div>
      ) : null}
      {spec.needs.includes('new-due-date') ? (
        <div class="field">
          <label for={`date-${action}`}>Ngày hẹn trả mới</label>
          <p class="hint">Kết quả được hẹn trả trước 17:00 ngày này.</p>
          <input id={`date-${action}`} name="newDueDate" type="date" required />
        </div>
      ) : null}
      {payment ? <PaymentFields suggestion={payment} /> : null}
      {file ? (
        <div class="field">
          <label for={`tep-${action}`}>
            {action === 'return-result' ? 'Tệp kết quả (PDF)' : 'Tệp bổ sung'}
          </label>
          <input id={`tep-${action}`} name="tep" type="file" accept="application/pdf,image/jpeg,image/png" />
        </div>
      ) : null}
      {officer ? (
        <div class="field">
          <label for={`note-${action}`}>Nội dung xử lý (không bắt buộc)</label>
          <textarea id={`note-${action}`} name="note" rows={2} maxLength={4000} />
        </div>
      ) : null}
      <div class="form-actions">
        <button
          type="submit"
          class={
            action === 'withdraw' || action === 'refuse' || action === 'stop'
              ? 'button button--secondary'
              : 'button'
          }
        >
          {spec.label.vi}
        </button>
      </div>
    </form>
  );
}

/** The processor's amount and items when asking for payment, pre-filled with what the fee lines come to. */
function PaymentFields({ suggestion }: { suggestion: { amount: number | undefined; items: string } }) {
  return (
    <>
      <div class="field">
        <label for="payment-amount">Số tiền phải nộp (đồng)</label>
        <p class="hint" id="payment-amount-goi-y">
          {suggestion.amount !== undefined
            ? `Theo biểu phí của thủ tục và tờ khai: ${dong(suggestion.amount)}; sửa nếu cần.`
            : 'Không tính được từ biểu phí của thủ tục: nhập số tiền theo quy định.'}
        </p>
        <input
          id="payment-amount"
          name="paymentAmount"
          type="text"
          inputMode="numeric"
          maxLength={20}
          required
          aria-describedby="payment-amount-goi-y"
          value={suggestion.amount !== undefined ? String(suggestion.amount) : ''}
        />
      </div>
      <div class="field">
        <label for="payment-items">Khoản phải nộp</label>
        <input
          id="payment-items"
          name="paymentItems"
          type="text"
          maxLength={1000}
          required
          value={suggestion.items || 'Phí, lệ phí giải quyết thủ tục'}
        />
      </div>
    </>
  );
}

/** The payment fields of an action form; a malformed amount is a 400 with the field named. */
export function paymentFrom(body: Record<string, unknown>): { amount: number; items: string } | undefined {
  const amountText = one(body.paymentAmount);
  if (amountText === undefined) return undefined;
  const amount = parseAmount(amountText);
  if (amount === undefined)
    throw new ValidationError('Số tiền phải là số đồng nguyên, ví dụ 10000.', [
      { path: 'payment.amount', message: 'integer đồng' },
    ]);
  return { amount, items: one(body.paymentItems) ?? '' };
}
