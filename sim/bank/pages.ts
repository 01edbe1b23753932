/**
 * The bank's pages, rendered on the server: the payment page (pay, cancel, fail), the transfer page where a
 * VietQR text is pasted, and its confirmation. Vietnamese first, English second; plain forms, no script;
 * one column that reads at 375 px.
 */
import { dong, type VietQr } from './protocol.ts';
import type { SimTransaction } from './server.ts';

export const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const STYLE = `*{box-sizing:border-box}body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b1b1b;line-height:1.5}
main{max-width:32rem;margin:0 auto;padding:1rem}header{background:#0b5394;color:#fff;padding:.75rem 1rem}
header p{margin:0;font-weight:600}.card{background:#fff;border:1px solid #d0d7de;border-radius:.5rem;padding:1rem;margin:1rem 0}
dl{margin:0}dt{color:#555;font-size:.9rem}dd{margin:0 0 .75rem;overflow-wrap:anywhere}.amount{font-size:1.75rem;font-weight:700}
button{display:block;width:100%;font-size:1rem;padding:.8rem;margin:.5rem 0;border-radius:.4rem;border:1px solid #0b5394;cursor:pointer}
.pay{background:#0b5394;color:#fff}.cancel{background:#fff;color:#0b5394}.fail{background:#fff;color:#a40e26;border-color:#a40e26}
textarea,input{width:100%;font:inherit;padding:.5rem;border:1px solid #888;border-radius:.3rem}textarea{min-height:8rem;font-family:monospace}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}.error{color:#a40e26;border-color:#a40e26}.ok{color:#116329}
small{color:#555}code{overflow-wrap:anywhere}`;

function layout(bankName: string, title: string, body: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} — ${esc(bankName)}</title><style>${STYLE}</style></head>
<body><header><p>${esc(bankName)} <small style="color:#dce">(mô phỏng / simulated)</small></p></header>
<main>${body}</main></body></html>`;
}

const STATUS: Record<SimTransaction['status'], string> = {
  pending: 'Chờ thanh toán / Waiting for payment',
  succeeded: 'Đã thanh toán thành công / Paid',
  cancelled: 'Đã hủy / Cancelled',
  failed: 'Thanh toán không thành công (không đủ số dư) / Failed (insufficient funds)',
};

export function paymentPage(p: {
  bankName: string;
  merchant: string;
  tx?: SimTransaction;
  notFound?: boolean;
  error?: string;
}): string {
  if (p.notFound || !p.tx)
    return layout(
      p.bankName,
      'Không tìm thấy giao dịch',
      '<h1>Không tìm thấy giao dịch</h1><p>Payment not found: the link is wrong, or the bank simulator was restarted (it keeps nothing).</p>',
    );
  const tx = p.tx;
  const details = `<dl>
<dt>Đơn vị nhận / Merchant</dt><dd>${esc(p.merchant)}</dd>
<dt>Số tiền / Amount</dt><dd class="amount">${esc(dong(tx.SoTien))}</dd>
<dt>Nội dung / Description</dt><dd>${esc(tx.ThongTinGiaoDich || '—')}</dd>
<dt>Mã tham chiếu / Reference</dt><dd><code>${esc(tx.MaThamChieu)}</code></dd>
<dt>Mã giao dịch / Transaction</dt><dd><code>${esc(tx.MaGiaoDich)}</code></dd>
</dl>`;
  if (tx.status !== 'pending') {
    const back = tx.UrlTraVe ? new URL(tx.UrlTraVe) : undefined;
    back?.searchParams.set('ref', tx.MaThamChieu);
    return layout(
      p.bankName,
      STATUS[tx.status],
      `<h1>${esc(STATUS[tx.status])}</h1><div class="card">${details}</div>` +
        (back
          ? `<p><a href="${esc(back.toString())}">Quay lại ${esc(p.merchant)} / Back to the merchant</a></p>`
          : ''),
    );
  }
  return layout(
    p.bankName,
    'Thanh toán',
    `<h1>Thanh toán / Payment</h1>
${p.error ? `<p class="error" role="alert">${esc(p.error)}</p>` : ''}
<div class="card">${details}</div>
<form method="post" action="/thanh-toan/${esc(tx.MaGiaoDich)}">
<button class="pay" name="outcome" value="success" type="submit">Thanh toán / Pay</button>
<button class="cancel" name="outcome" value="cancel" type="submit">Hủy / Cancel</button>
<button class="fail" name="outcome" value="fail" type="submit">Báo lỗi thanh toán / Fail (insufficient funds)</button>
</form>
<p><small>Ngân hàng mô phỏng: không có tiền thật. Simulated bank: no real money moves.</small></p>`,
  );
}

export function transferPage(p: {
  bankName: string;
  payload?: string;
  error?: string;
  done?: SimTransaction;
  home?: boolean;
}): string {
  if (p.done)
    return layout(
      p.bankName,
      'Chuyển khoản thành công',
      `<h1 class="ok">Chuyển khoản thành công / Transfer done</h1><div class="card"><dl>
<dt>Số tiền / Amount</dt><dd class="amount">${esc(dong(p.done.SoTien))}</dd>
<dt>Đến tài khoản / To account</dt><dd><code>${esc(p.done.SoTaiKhoan ?? '')}</code></dd>
<dt>Nội dung / Content</dt><dd>${esc(p.done.NoiDung || '—')}</dd>
<dt>Mã giao dịch / Transaction</dt><dd><code>${esc(p.done.MaGiaoDich)}</code></dd></dl></div>
<p><a href="/chuyen-khoan">Chuyển khoản khác / Another transfer</a></p>`,
    );
  return layout(
    p.bankName,
    'Chuyển khoản bằng mã VietQR',
    `<h1>Chuyển khoản bằng mã VietQR / Transfer with a VietQR code</h1>
${p.home ? "<p>Ngân hàng mô phỏng của Cổng Dịch vụ công. The portal's simulated bank: pay pages at <code>/thanh-toan/…</code>, transfers here.</p>" : ''}
${p.error ? `<p class="error" role="alert">Mã QR không dùng được / The QR cannot be used: ${esc(p.error)}</p>` : ''}
<form method="post" action="/chuyen-khoan">
<label for="payload">Nội dung mã QR / The QR code's text</label>
<textarea id="payload" name="payload" required spellcheck="false">${esc(p.payload ?? '')}</textarea>
<button class="pay" type="submit">Tiếp tục / Continue</button>
</form>`,
  );
}

export function confirmPage(p: { bankName: string; payload: string; qr: VietQr; error?: string }): string {
  const q = p.qr;
  const amount =
    q.amount !== undefined ? `<dt>Số tiền / Amount</dt><dd class="amount">${esc(dong(q.amount))}</dd>` : '';
  const needsAmount = !q.dynamic && q.amount === undefined;
  return layout(
    p.bankName,
    'Xác nhận chuyển khoản',
    `<h1>Xác nhận chuyển khoản / Confirm the transfer</h1>
${p.error ? `<p class="error" role="alert">${esc(p.error)}</p>` : ''}
<div class="card"><dl>
<dt>Đến tài khoản / To account</dt><dd><code>${esc(q.account)}</code> (BIN ${esc(q.bin)})</dd>
${q.name ? `<dt>Tên / Name</dt><dd>${esc(q.name)}</dd>` : ''}
${amount}
${q.purpose !== undefined ? `<dt>Nội dung / Content</dt><dd>${esc(q.purpose)}</dd>` : ''}
<dt>Loại mã / Kind</dt><dd>${q.dynamic ? 'Mã động (một lần) / dynamic (one-time)' : 'Mã tĩnh / static'}</dd>
</dl></div>
<form method="post" action="/chuyen-khoan">
<input type="hidden" name="payload" value="${esc(p.payload)}">
<input type="hidden" name="confirm" value="1">
${needsAmount ? '<label for="amount">Số tiền (đồng) / Amount (đồng)</label><input id="amount" name="amount" inputmode="numeric" required pattern="[0-9.]+">' : ''}
${q.purpose === undefined ? '<label for="content">Nội dung chuyển khoản / Transfer content</label><input id="content" name="content" maxlength="200">' : ''}
<button class="pay" type="submit">Chuyển tiền / Transfer</button>
</form>
<p><a href="/chuyen-khoan">Quay lại / Back</a></p>`,
  );
}
