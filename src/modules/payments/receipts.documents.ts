/**
 * The stored receipts as documents: a receipt row, its payment and the payee become the
 * `ReceiptDocument` that `renderReceipt` draws; `receiptPdf(paymentId)` gives every receipt of a payment
 * in one PDF (the 1.0.6 RECEIPT answer); `notifyPayerEffect` tells a payer with an account that the
 * money arrived, with the link to the result page where the receipts are.
 *
 * The legal basis printed: the portal does not (yet) keep each payee's registered receipt template and
 * its basis, so it prints only what holds for every e-receipt it issues — e-receipts for fees and
 * charges are "chứng từ" under Nghị định 123/2020/NĐ-CP and Thông tư 78/2021/TT-BTC. Fine receipts name
 * the Law on Handling Administrative Violations and say the form is the Ministry of Finance's, without a
 * circular number the portal has not verified. Nghị định 11/2020/NĐ-CP (administrative procedures of the
 * State Treasury) is not a receipt's basis and is not printed.
 */
import { PDFDocument } from 'pdf-lib';
import { vietnamWhen } from '../../platform/clock/index.ts';
import type { AnyDb } from '../../platform/db/index.ts';
import { dong } from '../../platform/i18n/index.ts';
import { notifyAccount } from '../notifications/index.ts';
import { byId, type Payment, toPayment } from './payments.repository.ts';
import type { Effect } from './payments.service.ts';
import { type ReceiptDocument, renderReceipt } from './receipt-pdf.ts';
import { type Receipt, receiptsOf } from './receipts.store.ts';
import { payee as findPayee, type Payee } from './registry.repository.ts';

export const LEGAL_BASIS: Record<'phi' | 'le-phi' | 'fine', string> = {
  phi: 'Nghị định 123/2020/NĐ-CP về hóa đơn, chứng từ; Thông tư 78/2021/TT-BTC',
  'le-phi': 'Nghị định 123/2020/NĐ-CP về hóa đơn, chứng từ; Thông tư 78/2021/TT-BTC',
  fine: 'Luật Xử lý vi phạm hành chính; mẫu biên lai thu tiền phạt của Bộ Tài chính',
};

const METHOD: Record<string, string> = {
  online: 'Thanh toán trực tuyến',
  vietqr: 'Chuyển khoản VietQR',
  cash: 'Tiền mặt tại quầy',
};

/** The document of one stored receipt; undefined for a kind the renderer has no form for (social insurance). */
export function receiptDocument(
  r: Receipt,
  p: Payment,
  payee: Payee,
  publicUrl: string,
): ReceiptDocument | undefined {
  if (r.kind === 'social-insurance') return undefined;
  const kind = r.kind;
  const items = p.lines
    .filter((l) => (kind === 'fine' ? l.kind === 'fine' || l.kind === 'surcharge' : l.kind === kind))
    .map((l) => ({ name: l.name, amount: l.amount }));
  return {
    kind,
    series: r.series,
    number: r.number,
    agency: { name: payee.name, code: payee.agencyCode, taxCode: payee.taxCode ?? undefined },
    payer: { name: p.payer.name ?? '(không ghi tên / not given)', idNumber: p.payer.idNumber ?? '—' },
    purpose: p.description,
    items,
    payment: {
      method: `${METHOD[p.method ?? ''] ?? 'Thanh toán'}${p.intermediary ? ` qua ${p.intermediary}` : ''}`,
      reference: p.reference,
      transactionCode: p.intermediaryTxn ?? p.reference,
      paidAt: p.succeededAt ?? r.issuedAt,
    },
    issuedAt: r.issuedAt,
    legalBasis: LEGAL_BASIS[kind],
    verifyUrl: `${publicUrl}/thanh-toan/${p.id}/ket-qua`,
  };
}

/** One receipt of a payment as a PDF; undefined when there is no such receipt or no form for it. */
export async function receiptPdf(
  db: AnyDb,
  publicUrl: string,
  paymentId: string,
  receiptId: string,
): Promise<{ pdf: Uint8Array; payment: Payment; receipt: Receipt } | undefined> {
  const row = await byId(db, paymentId);
  if (!row) return undefined;
  const receipt = (await receiptsOf(db, paymentId)).find((r) => r.id === receiptId);
  const payee = await findPayee(db, row.payee_agency);
  if (!receipt || !payee) return undefined;
  const payment = toPayment(row);
  const doc = receiptDocument(receipt, payment, payee, publicUrl);
  return doc ? { pdf: await renderReceipt(doc), payment, receipt } : undefined;
}

/** Every receipt of a payment in one PDF (protocol 1.0.6 RECEIPT); undefined before there is one. */
export async function paymentReceiptsPdf(
  db: AnyDb,
  publicUrl: string,
  paymentId: string,
): Promise<Uint8Array | undefined> {
  const row = await byId(db, paymentId);
  if (!row) return undefined;
  const payee = await findPayee(db, row.payee_agency);
  if (!payee) return undefined;
  const payment = toPayment(row);
  const docs = (await receiptsOf(db, paymentId))
    .map((r) => receiptDocument(r, payment, payee, publicUrl))
    .filter((d): d is ReceiptDocument => d !== undefined);
  if (docs.length === 0) return undefined;
  if (docs.length === 1) return renderReceipt(docs[0]!);
  const out = await PDFDocument.create({ updateMetadata: false });
  for (const d of docs) {
    const one = await PDFDocument.load(await renderReceipt(d));
    for (const page of await out.copyPages(one, one.getPageIndices())) out.addPage(page);
  }
  out.setTitle(`Biên lai điện tử — ${payment.reference}`);
  out.setCreationDate(docs[0]!.issuedAt);
  out.setModificationDate(docs[0]!.issuedAt);
  return out.save();
}

/** The payer's verified contacts (identity), or undefined when the account is gone. */
export type ContactOf = (
  accountId: string,
) => Promise<{ phone: string | null; email: string | null } | undefined>;

/**
 * `notify-payer`: a payer with an account is told the money arrived — in the portal inbox and on the
 * verified phone and e-mail — with the link to the result page and its receipts. Once per payment.
 */
export function notifyPayerEffect(deps: { db: AnyDb; publicUrl: string; contactOf: ContactOf }): Effect {
  return {
    name: 'notify-payer',
    kinds: ['dossier-fee', 'fine', 'social-insurance', 'partner', 'certification-fee'],
    async run(p: Payment) {
      const accountId = p.payer.accountId;
      if (!accountId) return;
      const contact = await deps.contactOf(accountId);
      if (!contact) return;
      await deps.db.transaction().execute((trx) =>
        notifyAccount(trx, {
          accountId,
          template: 'payment.succeeded',
          params: {
            amount: dong(p.amount),
            what: p.description,
            reference: p.reference,
            when: vietnamWhen(p.succeededAt ?? new Date()),
            link: `${deps.publicUrl}/thanh-toan/${p.id}/ket-qua`,
          },
          sms: contact.phone,
          email: contact.email,
          dedupeKey: `payment.succeeded:${p.id}`,
        }),
      );
    },
  };
}
