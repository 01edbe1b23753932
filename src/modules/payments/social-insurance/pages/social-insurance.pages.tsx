/**
 * Đóng BHXH tự nguyện (`/bhxh-tu-nguyen`): the social-insurance code (a GET form) → the participant (name
 * masked) and their plan, with what each mode costs today → choose the months and the income (default the
 * plan's) and see the amount with the State support → "Thanh toán" (POST with the CSRF field) makes the
 * bill and sends the payer to the hosted checkout. Works without JavaScript.
 */
import type { ComponentChildren } from 'preact';
import { Type } from 'typebox';
import { AppError, NotFoundError } from '../../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../../platform/http/index.ts';
import { dong, type Locale, tx } from '../../../../platform/i18n/index.ts';
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
} from '../../../../platform/web/index.ts';
import type { Contribution } from '../../domain/social-insurance.ts';
import type { LookupLimiter } from '../../fines/fines.routes.ts';
import type { PaymentsService } from '../../payments.service.ts';
import { SI_LOOKUP_LIMIT } from '../social-insurance.routes.ts';
import type { ParticipantView, SocialInsuranceService } from '../social-insurance.service.ts';

export const SI_PAGE = '/bhxh-tu-nguyen';

const Query = Type.Object({ ma: S(20), thang: S(3), 'thu-nhap': S(20), loi: S(300), lang: S(2) });

const row = (path: string, label: string, value: string, html?: ComponentChildren) => ({
  path,
  label,
  value,
  ...(html !== undefined ? { html } : {}),
});

const GROUP: Record<string, { vi: string; en: string }> = {
  poor: { vi: 'hộ nghèo', en: 'poor household' },
  island: { vi: 'xã đảo, đặc khu', en: 'island commune' },
  'near-poor': { vi: 'hộ cận nghèo', en: 'near-poor household' },
  'ethnic-minority': { vi: 'người dân tộc thiểu số', en: 'ethnic minority' },
  other: { vi: 'đối tượng khác', en: 'others' },
};

const month = (ym: string) => `${ym.slice(5, 7)}/${ym.slice(0, 4)}`;
const digits = (s: string | undefined) => (s ? Number(s.replace(/[^0-9]/g, '')) || undefined : undefined);

function Amounts({ c, locale }: { c: Contribution; locale: Locale }) {
  return (
    <SummaryList
      id="so-tien"
      rows={[
        row(
          'period',
          tx(locale, 'Thời gian đóng', 'Period'),
          `${month(c.from)} – ${month(c.to)} (${c.months} ${tx(locale, 'tháng', 'months')})`,
        ),
        row(
          'gross',
          tx(locale, 'Số tiền đóng (22 % thu nhập)', 'Contribution (22 % of income)'),
          dong(c.gross),
        ),
        row(
          'support',
          tx(
            locale,
            `Nhà nước hỗ trợ (${c.supportedMonths} tháng)`,
            `State support (${c.supportedMonths} months)`,
          ),
          dong(c.support),
        ),
        row(
          'amount',
          tx(locale, 'Số tiền phải nộp', 'To pay'),
          dong(c.amount),
          <strong>{dong(c.amount)}</strong>,
        ),
      ]}
    />
  );
}

export async function socialInsurancePages(
  app: AppInstance,
  deps: { si: SocialInsuranceService; payments: Pick<PaymentsService, 'create'>; limiter: LookupLimiter },
) {
  app.get<{ Querystring: { ma?: string; thang?: string; 'thu-nhap'?: string; loi?: string; lang?: string } }>(
    SI_PAGE,
    { config: { access: access.public }, schema: { hide: true, querystring: Query } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const title = tx(locale, 'Đóng bảo hiểm xã hội tự nguyện', 'Pay voluntary social insurance');
      const code = request.query.ma?.trim() ?? '';
      const months = digits(request.query.thang);
      const income = digits(request.query['thu-nhap']);
      let error: string | undefined = request.query.loi;
      let view: ParticipantView | undefined;
      let quote: Contribution | undefined;
      let status = 200;
      if (code) {
        if (!/^[0-9]{10}$/.test(code)) {
          error = tx(locale, 'Mã số BHXH gồm 10 chữ số.', 'The social-insurance code has 10 digits.');
          status = 400;
        } else {
          const verdict = await deps.limiter.hit(SI_LOOKUP_LIMIT, request.ip);
          if (!verdict.allowed) {
            error = tx(
              locale,
              'Bạn đã tra cứu quá nhiều lần, vui lòng thử lại sau một phút.',
              'Too many lookups; try again in a minute.',
            );
            status = 429;
          } else {
            try {
              view = await deps.si.view(code);
              if (months) quote = await deps.si.quote(code, months, income);
            } catch (e) {
              if (!(e instanceof AppError)) throw e;
              error = e.message;
              status = e instanceof NotFoundError ? 404 : e.status;
            }
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
              'Nhập mã số BHXH (10 chữ số, trên sổ BHXH hoặc ứng dụng VssID) để xem phương thức đóng đã đăng ký và số tiền phải nộp. Ai cũng có thể đóng thay người tham gia.',
              'Enter the 10-digit social-insurance code (on the SI book or in VssID) to see the registered plan and what is due. Anyone may pay for the participant.',
            )}
          />
          {error ? <Notice kind="error" title={error} /> : null}
          <form method="get" action={SI_PAGE} class="form">
            <div class="field">
              <label for="ma">{tx(locale, 'Mã số BHXH', 'Social-insurance code')}</label>
              <input
                type="text"
                id="ma"
                name="ma"
                value={code}
                maxLength={10}
                minLength={10}
                required
                inputMode="numeric"
                autocomplete="off"
                placeholder="0123456789"
              />
            </div>
            <button type="submit" class="button">
              {tx(locale, 'Tra cứu', 'Look up')}
            </button>
          </form>
          {view ? (
            <>
              <h2>{tx(locale, 'Người tham gia', 'Participant')}</h2>
              <SummaryList
                id="nguoi-tham-gia"
                rows={[
                  row('code', tx(locale, 'Mã số BHXH', 'Code'), view.code),
                  row('name', tx(locale, 'Họ tên', 'Name'), view.name),
                  row(
                    'income',
                    tx(locale, 'Mức thu nhập đã đăng ký', 'Registered income'),
                    dong(view.plan.income),
                  ),
                  row(
                    'mode',
                    tx(locale, 'Phương thức đóng', 'Mode'),
                    `${view.plan.months} ${tx(locale, 'tháng', 'months')}`,
                  ),
                  row(
                    'paid',
                    tx(locale, 'Đã đóng đến', 'Paid through'),
                    view.plan.paidThrough
                      ? month(view.plan.paidThrough)
                      : tx(locale, 'Chưa đóng', 'Nothing yet'),
                  ),
                  row(
                    'support',
                    tx(locale, 'Nhà nước hỗ trợ', 'State support'),
                    tx(
                      locale,
                      `${view.supportPercent} % (${GROUP[view.plan.supportGroup]?.vi ?? view.plan.supportGroup}), còn ${view.supportedMonthsLeft} tháng được hỗ trợ`,
                      `${view.supportPercent} % (${GROUP[view.plan.supportGroup]?.en ?? view.plan.supportGroup}), ${view.supportedMonthsLeft} supported months left`,
                    ),
                  ),
                ]}
              />
              <DataTable
                caption={tx(
                  locale,
                  'Số tiền theo phương thức đóng, với mức thu nhập đã đăng ký',
                  'Amount per mode at the registered income',
                )}
                columns={[
                  { header: tx(locale, 'Số tháng', 'Months'), cell: (o: Contribution) => String(o.months) },
                  {
                    header: tx(locale, 'Từ – đến', 'From – to'),
                    cell: (o: Contribution) => `${month(o.from)} – ${month(o.to)}`,
                  },
                  {
                    header: tx(locale, 'Số tiền đóng', 'Contribution'),
                    cell: (o: Contribution) => dong(o.gross),
                    numeric: true,
                  },
                  {
                    header: tx(locale, 'Nhà nước hỗ trợ', 'Support'),
                    cell: (o: Contribution) => dong(o.support),
                    numeric: true,
                  },
                  {
                    header: tx(locale, 'Phải nộp', 'To pay'),
                    cell: (o: Contribution) => dong(o.amount),
                    numeric: true,
                  },
                ]}
                rows={view.options}
                rowKey={(o) => String(o.months)}
                empty=""
              />
              <h2>{tx(locale, 'Chọn số tháng và mức thu nhập', 'Choose the months and the income')}</h2>
              <form method="get" action={SI_PAGE} class="form">
                <input type="hidden" name="ma" value={view.code} />
                <div class="field">
                  <label for="thang">
                    {tx(
                      locale,
                      'Số tháng đóng (1, 3, 6, 12, hoặc đóng trước đến 60)',
                      'Months (1, 3, 6, 12, or up to 60 in advance)',
                    )}
                  </label>
                  <input
                    type="number"
                    id="thang"
                    name="thang"
                    min={1}
                    max={60}
                    value={String(months ?? view.plan.months)}
                    required
                  />
                </div>
                <div class="field">
                  <label for="thu-nhap">
                    {tx(
                      locale,
                      'Mức thu nhập lựa chọn (đồng/tháng, từ 1.500.000 đến 46.800.000)',
                      'Chosen income (đồng a month, 1,500,000 to 46,800,000)',
                    )}
                  </label>
                  <input
                    type="number"
                    id="thu-nhap"
                    name="thu-nhap"
                    min={1500000}
                    max={46800000}
                    step={1000}
                    value={String(income ?? view.plan.income)}
                    required
                  />
                </div>
                <button type="submit" class="button button--secondary">
                  {tx(locale, 'Tính số tiền', 'Work out the amount')}
                </button>
              </form>
              {quote ? (
                <>
                  <Amounts c={quote} locale={locale} />
                  <form method="post" action={`${SI_PAGE}/thanh-toan`} class="form">
                    <CsrfField token={await reply.csrfToken()} />
                    <input type="hidden" name="ma" value={view.code} />
                    <input type="hidden" name="thang" value={String(quote.months)} />
                    <input type="hidden" name="thu-nhap" value={String(income ?? view.plan.income)} />
                    <button type="submit" class="button">
                      {tx(locale, `Thanh toán ${dong(quote.amount)}`, `Pay ${dong(quote.amount)}`)}
                    </button>
                  </form>
                </>
              ) : null}
            </>
          ) : null}
        </Layout>,
        { status },
      );
    },
  );

  app.post<{ Body: { ma?: string; thang?: string; 'thu-nhap'?: string } }>(
    `${SI_PAGE}/thanh-toan`,
    {
      config: { access: access.public },
      schema: { hide: true, body: FormBody({ ma: S(20), thang: S(3), 'thu-nhap': S(20) }) },
    },
    async (request, reply) => {
      const code = request.body.ma?.trim() ?? '';
      const months = digits(request.body.thang) ?? 0;
      const income = digits(request.body['thu-nhap']);
      try {
        const bill = await deps.si.bill(code, months, income);
        const { payment } = await deps.payments.create(bill);
        return reply.redirect(`/thanh-toan/${payment.id}`, 303);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        const q = new URLSearchParams({ ma: code, thang: String(months), loi: e.message.slice(0, 300) });
        if (income) q.set('thu-nhap', String(income));
        return reply.redirect(`${SI_PAGE}?${q}`, 303);
      }
    },
  );
}
