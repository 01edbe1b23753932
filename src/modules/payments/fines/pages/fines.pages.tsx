/**
 * Nộp phạt vi phạm giao thông (`/nop-phat`): anyone enters the decision number and the violator's ID
 * number or the plate (a plain GET form), sees the decision — the name masked, what is due today with the
 * surcharge after the 10 days — and "Thanh toán" (a POST with the CSRF field) makes the bill and sends
 * them to the hosted checkout (`/thanh-toan/{id}`), where they choose a bank or a VietQR transfer.
 * Works without JavaScript; lookups count against the API's limit per address.
 */
import type { ComponentChildren } from 'preact';
import { Type } from 'typebox';
import { formatVietnameseDate, vietnamWhen } from '../../../../platform/clock/index.ts';
import { AppError, NotFoundError } from '../../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../../platform/http/index.ts';
import { dong, type Locale, tx } from '../../../../platform/i18n/index.ts';
import {
  CsrfField,
  FormBody,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  S,
  SummaryList,
  sendPage,
} from '../../../../platform/web/index.ts';
import type { PaymentsService } from '../../payments.service.ts';
import { FINE_LOOKUP_LIMIT, fineKey, type LookupLimiter } from '../fines.routes.ts';
import type { FineKey, FinesService, FineView } from '../fines.service.ts';

export const FINES_PAGE = '/nop-phat';

const Query = Type.Object({
  so: S(60),
  cccd: S(20),
  'bien-so': S(20),
  loi: S(300),
  lang: S(2),
});

const row = (path: string, label: string, value: string, html?: ComponentChildren) => ({
  path,
  label,
  value,
  ...(html !== undefined ? { html } : {}),
});

function Decision({ f, locale }: { f: FineView; locale: Locale }) {
  return (
    <SummaryList
      id="quyet-dinh"
      rows={[
        row('number', tx(locale, 'Số quyết định', 'Decision number'), f.decisionNumber),
        row('decided', tx(locale, 'Ngày quyết định', 'Decided on'), formatVietnameseDate(f.decidedOn)),
        row('agency', tx(locale, 'Đơn vị ra quyết định', 'Issued by'), f.agency.name),
        row('violator', tx(locale, 'Người vi phạm', 'Violator'), f.violatorName),
        row('plate', tx(locale, 'Biển số xe', 'Plate'), f.plate),
        row('violation', tx(locale, 'Hành vi vi phạm', 'Violation'), f.violation),
        row(
          'when',
          tx(locale, 'Thời gian, địa điểm', 'When and where'),
          `${vietnamWhen(new Date(f.violatedAt))}, ${f.place}`,
        ),
        row('amount', tx(locale, 'Số tiền phạt', 'Fine'), dong(f.amount)),
        row(
          'deadline',
          tx(locale, 'Hạn nộp không tính chậm nộp', 'Pay without surcharge by'),
          formatVietnameseDate(f.deadline),
        ),
        row(
          'surcharge',
          f.paid
            ? tx(locale, 'Tiền chậm nộp đã nộp', 'Surcharge paid')
            : tx(
                locale,
                `Tiền chậm nộp (${f.lateDays} ngày, tính đến ${formatVietnameseDate(f.asOf)})`,
                `Late surcharge (${f.lateDays} days, as of ${f.asOf})`,
              ),
          dong(f.surcharge),
        ),
        row(
          'total',
          f.paid
            ? tx(locale, 'Đã nộp', 'Paid')
            : tx(locale, 'Tổng số tiền phải nộp hôm nay', 'Total due today'),
          dong(f.total),
          <strong>{dong(f.total)}</strong>,
        ),
      ]}
    />
  );
}

export async function finesPages(
  app: AppInstance,
  deps: { fines: FinesService; payments: Pick<PaymentsService, 'create'>; limiter: LookupLimiter },
) {
  app.get<{ Querystring: { so?: string; cccd?: string; 'bien-so'?: string; loi?: string; lang?: string } }>(
    FINES_PAGE,
    { config: { access: access.public }, schema: { hide: true, querystring: Query } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const title = tx(locale, 'Nộp phạt vi phạm giao thông', 'Pay a traffic fine');
      const number = request.query.so?.trim() ?? '';
      const idNumber = request.query.cccd?.trim() ?? '';
      const plate = request.query['bien-so']?.trim() ?? '';
      let outcome: 'none' | 'invalid' | 'limited' | 'not-found' | 'found' = 'none';
      let found: FineView | undefined;
      let key: FineKey | undefined;
      let status = 200;
      if (number || idNumber || plate) {
        try {
          key = fineKey({ idNumber, plate });
          if (number.length < 3 || ('idNumber' in key && !/^[0-9]{9,12}$/.test(key.idNumber)))
            throw new Error();
        } catch {
          outcome = 'invalid';
          status = 400;
        }
        if (outcome !== 'invalid' && key) {
          const verdict = await deps.limiter.hit(FINE_LOOKUP_LIMIT, request.ip);
          if (!verdict.allowed) {
            outcome = 'limited';
            status = 429;
            reply.header('retry-after', String(verdict.retryAfterSeconds));
          } else {
            found = await deps.fines.lookup(number, key).catch((e: unknown) => {
              if (e instanceof NotFoundError) return undefined;
              throw e;
            });
            outcome = found ? 'found' : 'not-found';
            if (!found) status = 404;
          }
        }
      }
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading
            title={title}
            lead={tx(
              locale,
              'Nhập số quyết định xử phạt và số định danh cá nhân (CCCD) của người vi phạm, hoặc biển số xe. Sau 10 ngày kể từ ngày quyết định, mỗi ngày chậm nộp tính thêm 0,05 % số tiền phạt.',
              'Enter the penalty decision number and the violator’s ID number, or the plate. After 10 days from the decision, each day late adds 0.05 % of the fine.',
            )}
          />
          {request.query.loi ? <Notice kind="error" title={request.query.loi} /> : null}
          <form method="get" action={FINES_PAGE} class="form">
            <div class="field">
              <label for="so">{tx(locale, 'Số quyết định', 'Decision number')}</label>
              <input
                type="text"
                id="so"
                name="so"
                value={number}
                maxLength={60}
                required
                placeholder="1234/QĐ-XPHC"
                autocomplete="off"
              />
            </div>
            <div class="field">
              <label for="cccd">
                {tx(locale, 'Số định danh cá nhân (CCCD) của người vi phạm', 'The violator’s ID number')}
              </label>
              <input
                type="text"
                id="cccd"
                name="cccd"
                value={idNumber}
                maxLength={12}
                inputMode="numeric"
                autocomplete="off"
              />
            </div>
            <div class="field">
              <label for="bien-so">{tx(locale, 'hoặc biển số xe', 'or the plate')}</label>
              <input
                type="text"
                id="bien-so"
                name="bien-so"
                value={plate}
                maxLength={20}
                placeholder="30A-123.45"
                autocomplete="off"
              />
            </div>
            <button type="submit" class="button">
              {tx(locale, 'Tra cứu', 'Look up')}
            </button>
          </form>
          {outcome === 'invalid' ? (
            <Notice kind="error">
              {tx(
                locale,
                'Cần số quyết định và một trong hai: số định danh cá nhân (9–12 chữ số) hoặc biển số xe.',
                'The decision number and one of: the ID number (9–12 digits) or the plate.',
              )}
            </Notice>
          ) : null}
          {outcome === 'limited' ? (
            <Notice kind="error">
              {tx(
                locale,
                'Bạn đã tra cứu quá nhiều lần, vui lòng thử lại sau một phút.',
                'Too many lookups; please try again in a minute.',
              )}
            </Notice>
          ) : null}
          {outcome === 'not-found' ? (
            <Notice kind="error">
              {tx(
                locale,
                'Không tìm thấy quyết định xử phạt với thông tin đã nhập. Kiểm tra lại số quyết định và số định danh hoặc biển số.',
                'No decision matches what you entered. Check the number and the ID number or plate.',
              )}
            </Notice>
          ) : null}
          {found && key ? (
            <>
              <h2>{tx(locale, 'Quyết định xử phạt', 'Penalty decision')}</h2>
              <Decision f={found} locale={locale} />
              {found.paid ? (
                <Notice
                  kind="success"
                  title={tx(locale, 'Quyết định này đã được nộp phạt', 'This fine has been paid')}
                >
                  <p>
                    {tx(locale, 'Mã thanh toán', 'Payment reference')} <code>{found.paid.reference}</code>,{' '}
                    {vietnamWhen(new Date(found.paid.paidAt))}.
                  </p>
                </Notice>
              ) : (
                <form method="post" action={`${FINES_PAGE}/thanh-toan`} class="form">
                  <CsrfField token={await reply.csrfToken()} />
                  <input type="hidden" name="so" value={found.decisionNumber} />
                  {'idNumber' in key ? (
                    <input type="hidden" name="cccd" value={key.idNumber} />
                  ) : (
                    <input type="hidden" name="bien-so" value={key.plate} />
                  )}
                  <button type="submit" class="button">
                    {tx(locale, `Thanh toán ${dong(found.total)}`, `Pay ${dong(found.total)}`)}
                  </button>
                </form>
              )}
            </>
          ) : null}
        </Layout>,
        { status },
      );
    },
  );

  app.post<{ Body: { so?: string; cccd?: string; 'bien-so'?: string } }>(
    `${FINES_PAGE}/thanh-toan`,
    {
      config: { access: access.public },
      schema: { hide: true, body: FormBody({ so: S(60), cccd: S(20), 'bien-so': S(20) }) },
    },
    async (request, reply) => {
      const number = request.body.so?.trim() ?? '';
      const back = (message: string) => {
        const q = new URLSearchParams({ so: number, loi: message.slice(0, 300) });
        if (request.body.cccd) q.set('cccd', request.body.cccd);
        if (request.body['bien-so']) q.set('bien-so', request.body['bien-so']);
        return reply.redirect(`${FINES_PAGE}?${q}`, 303);
      };
      try {
        const key = fineKey({ idNumber: request.body.cccd, plate: request.body['bien-so'] });
        const bill = await deps.fines.bill(number, key);
        const { payment } = await deps.payments.create(bill);
        return reply.redirect(`/thanh-toan/${payment.id}`, 303);
      } catch (e) {
        if (e instanceof AppError) return back(e.message);
        throw e;
      }
    },
  );
}
