/**
 * Reconciliation for cashiers and accountants:
 * - `/quan-tri/doi-soat`: the days reconciled per intermediary (matched, mismatched, open), and the button
 *   that imports an intermediary's settlement file for a day;
 * - `/quan-tri/doi-soat/{code}/{day}`: the report — counts, the file's version and hash, each mismatch
 *   with its resolve form (kind and text, audited);
 * - `/quan-tri/doi-soat/{code}/{day}.xlsx`: the same as an XLSX workbook.
 */
import { Type } from 'typebox';
import { addDays, vietnamDate, vietnamWhen } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import { NotFoundError } from '../../../platform/errors/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
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
import type { Officers } from '../officers.ts';
import {
  KIND_TEXT,
  RESOLUTION_TEXT,
  type ReconciliationItem,
  type ReconciliationService,
  type ResolutionKind,
} from '../reconciliation/reconciliation.service.ts';
import { intermediaries } from '../registry.repository.ts';
import { reconciliationXlsx } from '../xlsx-report.ts';
import { OFFICER_PAYMENTS, PAYMENT_OFFICERS } from './officers.pages.tsx';

export const RECONCILIATION = '/quan-tri/doi-soat';
const RESOLUTIONS: ResolutionKind[] = ['accept', 'requery', 'refund', 'write-off'];
const DAY = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const CODE = Type.String({ pattern: '^[A-Z0-9]{2,20}$' });

const amount = (n: number | null) => (n === null ? '—' : dong(n));

export async function reconciliationPages(
  app: AppInstance,
  deps: { db: AnyDb; reconciliation: ReconciliationService; officers: Officers },
) {
  const visible = async (officerId: string, items: ReconciliationItem[]) => {
    const mine = new Set(await deps.officers.agenciesOf(officerId));
    return items.filter((i) => i.payeeAgency === null || mine.has(i.payeeAgency));
  };

  app.get<{ Querystring: { lang?: string; loi?: string } }>(
    RECONCILIATION,
    {
      config: { access: PAYMENT_OFFICERS },
      schema: { hide: true, querystring: Type.Object({ lang: S(2), loi: S(300) }) },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const days = await deps.reconciliation.days();
      const banks = await intermediaries(deps.db, false);
      const yesterday = addDays(vietnamDate(new Date()), -1);
      const title = tx(locale, 'Đối soát với trung gian thanh toán', 'Reconciliation with intermediaries');
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
              'Tệp đối soát của mỗi ngân hàng, ví điện tử được nhập tự động sau nửa đêm cho ngày hôm trước; có thể nhập lại tại đây.',
              'Each intermediary’s settlement file is imported after midnight for the day before; you can import it here too.',
            )}
          />
          {request.query.loi ? <Notice kind="error" title={request.query.loi} /> : null}
          <form method="post" action={`${RECONCILIATION}/nhap`} class="form form--inline">
            <CsrfField token={await reply.csrfToken()} />
            <div class="field">
              <label for="trung-gian">{tx(locale, 'Trung gian', 'Intermediary')}</label>
              <select id="trung-gian" name="trung-gian" required>
                {banks.map((b) => (
                  <option key={b.code} value={b.code}>
                    {b.name} ({b.code})
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="ngay">{tx(locale, 'Ngày đối soát', 'Settlement day')}</label>
              <input type="date" id="ngay" name="ngay" required value={yesterday} max={yesterday} />
            </div>
            <button type="submit" class="button">
              {tx(locale, 'Nhập tệp đối soát', 'Import the settlement file')}
            </button>
          </form>
          <DataTable
            caption={tx(locale, 'Các ngày đã đối soát', 'Days reconciled')}
            columns={[
              {
                header: tx(locale, 'Ngày', 'Day'),
                cell: (d: (typeof days)[number]) => (
                  <a href={`${RECONCILIATION}/${d.intermediary}/${d.day}`}>{d.day}</a>
                ),
              },
              {
                header: tx(locale, 'Trung gian', 'Intermediary'),
                cell: (d: (typeof days)[number]) => d.intermediary,
              },
              {
                header: tx(locale, 'Khớp', 'Matched'),
                cell: (d: (typeof days)[number]) => d.matched,
                numeric: true,
              },
              {
                header: tx(locale, 'Chênh lệch', 'Mismatches'),
                cell: (d: (typeof days)[number]) => d.mismatched,
                numeric: true,
              },
              {
                header: tx(locale, 'Chưa xử lý', 'Open'),
                cell: (d: (typeof days)[number]) => d.open,
                numeric: true,
              },
              {
                header: tx(locale, 'Phiên bản tệp', 'File version'),
                cell: (d: (typeof days)[number]) => d.version,
              },
            ]}
            rows={days}
            rowKey={(d) => `${d.intermediary}:${d.day}`}
            empty={tx(locale, 'Chưa có ngày nào được đối soát.', 'No day reconciled yet.')}
          />
        </Layout>,
      );
    },
  );

  app.post<{ Body: { 'trung-gian'?: string; ngay?: string } }>(
    `${RECONCILIATION}/nhap`,
    {
      config: { access: PAYMENT_OFFICERS },
      schema: { hide: true, body: FormBody({ 'trung-gian': S(20), ngay: S(10) }) },
    },
    async (request, reply) => {
      const code = request.body['trung-gian'] ?? '';
      const day = request.body.ngay ?? '';
      try {
        const r = await deps.reconciliation.importDay(code, day, `officer:${request.account!.id}`);
        return reply.redirect(`${RECONCILIATION}/${code}/${day}?ket-qua=${r.outcome}`, 303);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        return reply.redirect(`${RECONCILIATION}?loi=${encodeURIComponent(message.slice(0, 300))}`, 303);
      }
    },
  );

  app.get<{ Params: { code: string; day: string } }>(
    `${RECONCILIATION}/:code/:day.xlsx`,
    {
      config: { access: PAYMENT_OFFICERS },
      schema: { hide: true, params: Type.Object({ code: CODE, day: DAY }) },
    },
    async (request, reply) => {
      const report = await deps.reconciliation.report(request.params.code, request.params.day);
      if (!report) throw new NotFoundError('Chưa có tệp đối soát của ngày này / no settlement file');
      const bytes = await reconciliationXlsx(report);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="doi-soat-${report.intermediary.code}-${report.settlementDate.replaceAll('-', '')}.xlsx"`,
        )
        .send(Buffer.from(bytes));
    },
  );

  app.get<{
    Params: { code: string; day: string };
    Querystring: { lang?: string; loi?: string; 'ket-qua'?: string };
  }>(
    `${RECONCILIATION}/:code/:day`,
    {
      config: { access: PAYMENT_OFFICERS },
      schema: {
        hide: true,
        params: Type.Object({ code: CODE, day: DAY }),
        querystring: Type.Object({ lang: S(2), loi: S(300), 'ket-qua': S(20) }),
      },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const { code, day } = request.params;
      const summary = await deps.reconciliation.summary(code, day);
      if (!summary) throw new NotFoundError('Chưa có tệp đối soát của ngày này / no settlement file');
      const items = await visible(
        request.account!.id,
        await deps.reconciliation.items({ intermediary: code, day }),
      );
      const open = items.filter((i) => i.state === 'open');
      const done = items.filter((i) => i.state === 'resolved');
      const outcome = request.query['ket-qua'];
      const csrf = await reply.csrfToken();
      const title = tx(locale, `Đối soát ${code} ngày ${day}`, `Reconciliation ${code}, ${day}`);
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={title}
          path={request.url}
          breadcrumbs={[
            { label: tx(locale, 'Đối soát', 'Reconciliation'), href: RECONCILIATION },
            { label: day },
          ]}
        >
          <PageHeading title={title} />
          {request.query.loi ? <Notice kind="error" title={request.query.loi} /> : null}
          {outcome === 'same' ? (
            <Notice
              kind="info"
              title={tx(
                locale,
                'Tệp nhận được giống hệt tệp đã nhập trước: không lưu thêm.',
                'The file received is the same as before: nothing stored.',
              )}
            />
          ) : outcome === 'new-version' ? (
            <Notice
              kind="warning"
              title={tx(
                locale,
                `Nội dung tệp khác lần nhập trước: đã lưu phiên bản ${summary.version} và đối soát lại.`,
                `The file differs from the one imported before: stored as version ${summary.version} and reconciled again.`,
              )}
            />
          ) : null}
          <SummaryList
            rows={[
              { path: 'matched', label: tx(locale, 'Khớp', 'Matched'), value: String(summary.matched) },
              {
                path: 'mismatched',
                label: tx(locale, 'Chênh lệch', 'Mismatches'),
                value: String(summary.mismatched),
              },
              { path: 'open', label: tx(locale, 'Chưa xử lý', 'Open'), value: String(open.length) },
              {
                path: 'settled',
                label: tx(locale, 'Đã ghi vào Kho bạc', 'Posted to the treasury'),
                value: dong(summary.settled),
              },
              {
                path: 'file',
                label: tx(locale, 'Tệp', 'File'),
                value: `v${summary.version}/${summary.versions} · ${summary.line_count} ${tx(locale, 'dòng', 'rows')} · ${vietnamWhen(summary.imported_at)} · sha256 ${summary.sha256.slice(0, 16)}…`,
              },
            ]}
          />
          <p>
            <a href={`${RECONCILIATION}/${code}/${day}.xlsx`} download>
              {tx(locale, 'Tải báo cáo đối soát (XLSX)', 'Download the report (XLSX)')}
            </a>
          </p>
          <h2>{tx(locale, 'Chênh lệch chưa xử lý', 'Open mismatches')}</h2>
          {open.length === 0 ? <p>{tx(locale, 'Không có.', 'None.')}</p> : null}
          {open.map((i) => (
            <section key={i.id} class="card" id={`muc-${i.id}`}>
              <ItemSummary item={i} locale={locale} />
              <form method="post" action={`${RECONCILIATION}/muc/${i.id}`} class="form">
                <CsrfField token={csrf} />
                <fieldset>
                  <legend>{tx(locale, 'Cách xử lý', 'Resolution')}</legend>
                  {RESOLUTIONS.map((k, n) => (
                    <label key={k} class="choice">
                      <input type="radio" name="cach" value={k} checked={n === 0} required />{' '}
                      {RESOLUTION_TEXT[k][locale]}
                    </label>
                  ))}
                </fieldset>
                <div class="field">
                  <label for={`noi-dung-${i.id}`}>
                    {tx(locale, 'Nội dung xử lý', 'What was done and why')}
                  </label>
                  <textarea id={`noi-dung-${i.id}`} name="noi-dung" required maxLength={1000} />
                </div>
                <button type="submit" class="button">
                  {tx(locale, 'Ghi nhận xử lý', 'Record the resolution')}
                </button>
              </form>
            </section>
          ))}
          <DataTable
            caption={tx(locale, 'Đã xử lý', 'Resolved')}
            columns={[
              {
                header: tx(locale, 'Chênh lệch', 'Mismatch'),
                cell: (i: ReconciliationItem) => KIND_TEXT[i.kind][locale],
              },
              {
                header: tx(locale, 'Giao dịch', 'Transaction'),
                cell: (i: ReconciliationItem) => i.txn ?? i.reference ?? '—',
              },
              {
                header: tx(locale, 'Xử lý', 'Resolution'),
                cell: (i: ReconciliationItem) =>
                  `${i.resolutionKind ? RESOLUTION_TEXT[i.resolutionKind][locale] : ''}: ${i.resolution ?? ''}`,
              },
              {
                header: tx(locale, 'Người xử lý', 'By'),
                cell: (i: ReconciliationItem) => i.resolvedBy ?? '',
              },
              {
                header: tx(locale, 'Lúc', 'When'),
                cell: (i: ReconciliationItem) => (i.resolvedAt ? vietnamWhen(i.resolvedAt) : ''),
              },
            ]}
            rows={done}
            rowKey={(i) => i.id}
            empty={tx(locale, 'Chưa có.', 'None yet.')}
          />
        </Layout>,
      );
    },
  );

  app.post<{ Params: { id: string }; Body: { cach?: string; 'noi-dung'?: string } }>(
    `${RECONCILIATION}/muc/:id`,
    {
      config: { access: PAYMENT_OFFICERS },
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: FormBody({ cach: S(20), 'noi-dung': S(1000) }),
      },
    },
    async (request, reply) => {
      const item = await deps.reconciliation.item(request.params.id);
      if (!item || (await visible(request.account!.id, [item])).length === 0)
        throw new NotFoundError('Không tìm thấy mục đối soát / no such item');
      const back = `${RECONCILIATION}/${item.intermediary}/${item.day}`;
      const kind = request.body.cach as ResolutionKind;
      try {
        if (!RESOLUTIONS.includes(kind)) throw new Error('Chọn cách xử lý / choose a resolution');
        await deps.reconciliation.resolve({
          itemId: item.id,
          officerId: request.account!.id,
          kind,
          text: request.body['noi-dung'] ?? '',
        });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        return reply.redirect(`${back}?loi=${encodeURIComponent(message.slice(0, 300))}#muc-${item.id}`, 303);
      }
      return reply.redirect(back, 303);
    },
  );
}

function ItemSummary({ item: i, locale }: { item: ReconciliationItem; locale: Locale }) {
  return (
    <>
      <h3>
        {KIND_TEXT[i.kind][locale]} — {i.type ?? ''} {i.txn ?? ''}
      </h3>
      <SummaryList
        rows={[
          { path: 'ref', label: tx(locale, 'Mã thanh toán', 'Reference'), value: i.reference ?? '—' },
          {
            path: 'portal',
            label: tx(locale, 'Cổng ghi nhận', 'Portal'),
            value: `${amount(i.portalAmount)} · ${i.portalStatus ?? '—'}`,
          },
          {
            path: 'file',
            label: tx(locale, 'Tệp đối soát', 'Settlement file'),
            value: `${amount(i.intermediaryAmount)} · ${i.intermediaryStatus ?? '—'}`,
          },
          ...(i.note ? [{ path: 'note', label: tx(locale, 'Ghi chú', 'Note'), value: i.note }] : []),
          ...(i.paymentId
            ? [
                {
                  path: 'payment',
                  label: tx(locale, 'Khoản thu', 'Payment'),
                  value: i.reference ?? i.paymentId,
                  html: <a href={`${OFFICER_PAYMENTS}/${i.paymentId}`}>{i.reference ?? i.paymentId}</a>,
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
