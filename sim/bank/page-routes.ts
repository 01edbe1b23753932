/**
 * What a person does at the bank: the payment page (`/thanh-toan/<MaGiaoDich>`: pay, cancel or fail, then
 * back to the portal), a VietQR transfer to the portal's collection account (the `/chuyen-khoan` pages and
 * `POST /api/transfers`), and the home page (the transfer form). The HTML is in pages.ts.
 */
import type http from 'node:http';
import { readForm, readJson, sendHtml, sendJson } from './http.ts';
import { confirmPage, paymentPage, transferPage } from './pages.ts';
import { amountOf, parseVietQr, type VietQr } from './protocol.ts';
import type { Outcome, SimTransaction } from './server.ts';
import { Conflict, type Transactions, TransferError } from './transactions.ts';

export interface PageRoutesDeps {
  bankName: string;
  merchant: string;
  store: Pick<Transactions, 'byId' | 'pay' | 'transfer' | 'checkRecipient'>;
}

/** Where the payment page sends the payer back: the portal's `UrlTraVe` with the reference. */
const returnTo = (tx: SimTransaction) => {
  if (!tx.UrlTraVe) return undefined;
  const u = new URL(tx.UrlTraVe);
  u.searchParams.set('ref', tx.MaThamChieu);
  return u.toString();
};

/** The pages' routes: true when the request was answered, false to let the next routes try. */
export function createPageRoutes(deps: PageRoutesDeps) {
  const { bankName, merchant } = deps;
  const { byId, pay, transfer, checkRecipient } = deps.store;

  async function paymentPageRoute(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    method: string,
    id: string,
  ): Promise<boolean> {
    const tx = byId.get(id);
    if (tx?.Loai !== 'PAY') {
      sendHtml(res, 404, paymentPage({ bankName, merchant, notFound: true }));
      return true;
    }
    if (method === 'GET') {
      sendHtml(res, 200, paymentPage({ bankName, merchant, tx }));
      return true;
    }
    if (method !== 'POST') return false;
    const f = await readForm(req, res);
    if (!f) return true;
    const outcome = f.get('outcome') as Outcome | null;
    if (outcome !== 'success' && outcome !== 'cancel' && outcome !== 'fail') {
      sendHtml(
        res,
        400,
        paymentPage({ bankName, merchant, tx, error: 'Hãy chọn một nút / choose a button' }),
      );
      return true;
    }
    try {
      pay({ MaGiaoDich: tx.MaGiaoDich }, outcome);
    } catch (e) {
      if (!(e instanceof Conflict)) throw e;
      // Already decided otherwise: show what happened.
    }
    const back = returnTo(tx);
    if (back) res.writeHead(303, { location: back }).end();
    else sendHtml(res, 200, paymentPage({ bankName, merchant, tx }));
    return true;
  }

  async function transferApi(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const b = await readJson(req, res);
    if (!b) return;
    if (typeof b.payload !== 'string')
      return sendJson(res, 400, { error: 'bad-request', message: 'payload: the QR text is required' });
    const amount = b.amount === undefined ? undefined : amountOf(b.amount);
    if (b.amount !== undefined && amount === undefined)
      return sendJson(res, 400, {
        error: 'bad-request',
        message: 'amount: a whole number of đồng greater than 0',
      });
    try {
      const tx = transfer(b.payload, {
        ...(amount !== undefined ? { amount } : {}),
        ...(typeof b.content === 'string' ? { content: b.content } : {}),
      });
      return sendJson(res, 200, { MaGiaoDich: tx.MaGiaoDich, SoTien: tx.SoTien, NoiDung: tx.NoiDung });
    } catch (e) {
      if (e instanceof TransferError) return sendJson(res, 400, { error: 'bad-payload', message: e.message });
      throw e;
    }
  }

  async function transferForm(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const f = await readForm(req, res);
    if (!f) return;
    const payload = (f.get('payload') ?? '').trim();
    let q: VietQr;
    try {
      q = parseVietQr(payload);
      checkRecipient(q);
    } catch (e) {
      return sendHtml(res, 400, transferPage({ bankName, payload, error: (e as Error).message }));
    }
    const amountText = (f.get('amount') ?? '').replace(/[.\s]/g, '');
    const amount = amountText === '' ? undefined : amountOf(amountText);
    const content = f.get('content') ?? undefined;
    if (f.get('confirm') !== '1' || (!q.dynamic && amount === undefined))
      return sendHtml(
        res,
        amountText !== '' && amount === undefined ? 400 : 200,
        confirmPage({
          bankName,
          payload,
          qr: q,
          ...(amountText !== '' && amount === undefined
            ? { error: 'Số tiền phải là số nguyên đồng lớn hơn 0 / amount: whole đồng above 0' }
            : {}),
        }),
      );
    try {
      const tx = transfer(payload, {
        ...(!q.dynamic && amount !== undefined ? { amount } : {}),
        ...(content ? { content } : {}),
      });
      return sendHtml(res, 200, transferPage({ bankName, done: tx }));
    } catch (e) {
      return sendHtml(res, 400, transferPage({ bankName, payload, error: (e as Error).message }));
    }
  }

  return async function pageRoutes(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    method: string,
    path: string,
  ): Promise<boolean> {
    const pageMatch = /^\/thanh-toan\/([A-Z0-9]{1,40})$/.exec(path);
    if (pageMatch) return paymentPageRoute(req, res, method, pageMatch[1]!);
    if (method === 'POST' && path === '/api/transfers') {
      await transferApi(req, res);
      return true;
    }
    if (path === '/chuyen-khoan') {
      if (method === 'GET') {
        sendHtml(res, 200, transferPage({ bankName }));
        return true;
      }
      if (method === 'POST') {
        await transferForm(req, res);
        return true;
      }
    }
    if (method === 'GET' && path === '/') {
      sendHtml(res, 200, transferPage({ bankName, home: true }));
      return true;
    }
    return false;
  };
}
