/**
 * The certifier's counter (Vietnamese first, no JavaScript needed):
 * - `/quan-tri/chung-thuc`: the office's certifications of a day, and "Chứng thực mới";
 * - `/quan-tri/chung-thuc/moi`: the form — requester, the original (type, title, issuer, number, date),
 *   pages and copies, the scan (PDF, JPG or PNG) — opened from an appointment or for a walk-in;
 * - `/quan-tri/chung-thuc/{id}`: the fee and how it is paid (cash at the counter, or online from the
 *   QR on the requester's phone), the register entry, the signed copy, cancellation and revocation.
 */
import { Type } from 'typebox';
import { vietnamWhen } from '../../../platform/clock/index.ts';
import { ValidationError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { dong, type Locale, tx } from '../../../platform/i18n/index.ts';
import {
  CsrfField,
  DataTable,
  ErrorSummary,
  FormBody,
  isUploadedFile,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  QrCode,
  registerMemoryUploads,
  S,
  SummaryList,
  sendPage,
} from '../../../platform/web/index.ts';
import { DOCUMENT_TYPES, documentTypeName, isDocumentType } from '../domain/document-types.ts';
import type { CertificationService, OpenInput } from './certification.service.ts';
import type { CertificationRow, CertificationStatus } from './certifications.repository.ts';
import { certificationsOf } from './certifications.repository.ts';

export const COUNTER = '/quan-tri/chung-thuc';
export const CERTIFIERS = access.officer('certifier');

export const CERT_STATUS_TEXT: Record<CertificationStatus, { vi: string; en: string }> = {
  'awaiting-fee': { vi: 'Chờ nộp lệ phí', en: 'Awaiting the fee' },
  numbered: { vi: 'Đang ký số', en: 'Being signed' },
  issued: { vi: 'Đã cấp bản sao', en: 'Issued' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
};

export interface CounterDeps {
  service: CertificationService;
  db: import('../../../platform/db/index.ts').AnyDb;
  /** The offices where the officer certifies (agency codes) and their names. */
  officesOf(accountId: string): Promise<Array<{ code: string; name: string }>>;
  /** The portal account of an ID number, for delivery to its wallet. */
  accountByIdNumber(idNumber: string): Promise<string | undefined>;
  /** An appointment the certifier opens (appointments part), if that part is wired. */
  appointmentForCounter?(
    officerId: string,
    appointmentId: string,
  ): Promise<
    { agencyCode: string; accountId: string | null; name: string; idNumber: string | null } | undefined
  >;
  maxScanBytes: number;
}

const MAX_SCAN_BYTES_TEXT = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

const statusText = (c: CertificationRow, locale: Locale) =>
  c.revoked_at ? tx(locale, 'Đã thu hồi', 'Revoked') : CERT_STATUS_TEXT[c.status][locale];

const vietnamDay = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

type FormValues = Partial<Record<string, string>>;

function NewForm(props: {
  locale: Locale;
  offices: Array<{ code: string; name: string }>;
  values: FormValues;
  errors: Record<string, string>;
  maxScanBytes: number;
  csrf: string;
}) {
  const { locale, values: v, errors } = props;
  const field = (name: string, label: string, input: preact.ComponentChildren, hint?: string) => (
    <div class={`field${errors[name] ? ' field--error' : ''}`}>
      <label for={name}>{label}</label>
      {hint ? <p class="field__hint">{hint}</p> : null}
      {errors[name] ? (
        <p class="field__error" id={`${name}-loi`}>
          {errors[name]}
        </p>
      ) : null}
      {input}
    </div>
  );
  const text = (name: string, max: number, required = false, autocomplete = 'off') => (
    <input
      type="text"
      id={name}
      name={name}
      value={v[name] ?? ''}
      maxLength={max}
      required={required}
      autocomplete={autocomplete}
      aria-describedby={errors[name] ? `${name}-loi` : undefined}
    />
  );
  return (
    <form class="form" method="post" action={`${COUNTER}/moi`} enctype="multipart/form-data">
      <CsrfField token={props.csrf} />
      {v['lich-hen'] ? <input type="hidden" name="lich-hen" value={v['lich-hen']} /> : null}
      {props.offices.length > 1 ? (
        field(
          'co-quan',
          tx(locale, 'Cơ quan chứng thực', 'Certifying office'),
          <select id="co-quan" name="co-quan">
            {props.offices.map((o) => (
              <option key={o.code} value={o.code} selected={v['co-quan'] === o.code}>
                {o.name}
              </option>
            ))}
          </select>,
        )
      ) : (
        <input type="hidden" name="co-quan" value={props.offices[0]?.code ?? ''} />
      )}
      <fieldset class="fieldset">
        <legend>{tx(locale, 'Người yêu cầu chứng thực', 'Requester')}</legend>
        {field('ho-ten', tx(locale, 'Họ và tên', 'Full name'), text('ho-ten', 200, true))}
        {field(
          'so-dinh-danh',
          tx(locale, 'Số định danh cá nhân (không bắt buộc)', 'Personal ID number (optional)'),
          text('so-dinh-danh', 12),
          tx(
            locale,
            'Nếu người yêu cầu có tài khoản trên Cổng, bản sao được gửi vào kho dữ liệu của họ.',
            'If the requester has a portal account, the copy goes to their wallet.',
          ),
        )}
      </fieldset>
      <fieldset class="fieldset">
        <legend>{tx(locale, 'Bản chính', 'The original')}</legend>
        {field(
          'loai-giay-to',
          tx(locale, 'Loại giấy tờ', 'Document type'),
          <select id="loai-giay-to" name="loai-giay-to">
            {DOCUMENT_TYPES.map(([code, vi, en]) => (
              <option key={code} value={code} selected={v['loai-giay-to'] === code}>
                {locale === 'vi' ? vi : en}
              </option>
            ))}
          </select>,
        )}
        {field('ten-giay-to', tx(locale, 'Tên giấy tờ', 'Title'), text('ten-giay-to', 300, true))}
        {field(
          'co-quan-cap',
          tx(locale, 'Cơ quan cấp (không bắt buộc)', 'Issued by (optional)'),
          text('co-quan-cap', 300),
        )}
        {field(
          'so-hieu',
          tx(locale, 'Số, ký hiệu (không bắt buộc)', 'Number (optional)'),
          text('so-hieu', 100),
        )}
        {field(
          'ngay-cap',
          tx(locale, 'Ngày cấp (không bắt buộc)', 'Date of issue (optional)'),
          <input type="date" id="ngay-cap" name="ngay-cap" value={v['ngay-cap'] ?? ''} />,
        )}
        {field(
          'so-trang',
          tx(locale, 'Số trang của bản chính', 'Pages of the original'),
          <input
            type="number"
            id="so-trang"
            name="so-trang"
            min={1}
            max={500}
            value={v['so-trang'] ?? ''}
            required
          />,
        )}
        {field(
          'so-ban',
          tx(locale, 'Số bản sao', 'Copies'),
          <input
            type="number"
            id="so-ban"
            name="so-ban"
            min={1}
            max={100}
            value={v['so-ban'] ?? '1'}
            required
          />,
          tx(
            locale,
            'Lệ phí: 2.000 đồng/trang với trang 1–2, 1.000 đồng/trang từ trang 3, tối đa 200.000 đồng/bản.',
            'Fee: 2,000 đ a page for pages 1–2, 1,000 đ from page 3, at most 200,000 đ a copy.',
          ),
        )}
        {field(
          'ban-quet',
          tx(locale, 'Bản quét của bản chính', 'Scan of the original'),
          <input type="file" id="ban-quet" name="ban-quet" accept=".pdf,.jpg,.jpeg,.png" required />,
          tx(
            locale,
            `PDF, JPG hoặc PNG, tối đa ${MAX_SCAN_BYTES_TEXT(props.maxScanBytes)}. Đối chiếu với bản chính trước khi chứng thực.`,
            `PDF, JPG or PNG, at most ${MAX_SCAN_BYTES_TEXT(props.maxScanBytes)}. Compare it with the original first.`,
          ),
        )}
      </fieldset>
      <button type="submit" class="button">
        {tx(locale, 'Tính lệ phí và lưu', 'Compute the fee and save')}
      </button>
    </form>
  );
}

export async function counterPages(app: AppInstance, deps: CounterDeps) {
  app.get<{ Querystring: { lang?: string; ngay?: string; 'trang-thai'?: string } }>(
    COUNTER,
    {
      config: { access: CERTIFIERS },
      schema: { hide: true, querystring: Type.Object({ lang: S(2), ngay: S(10), 'trang-thai': S(20) }) },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const offices = await deps.officesOf(request.account!.id);
      const day = /^\d{4}-\d{2}-\d{2}$/.test(request.query.ngay ?? '')
        ? request.query.ngay!
        : vietnamDay(new Date());
      const s = request.query['trang-thai'];
      const status = s && s in CERT_STATUS_TEXT ? (s as CertificationStatus) : undefined;
      const rows = await certificationsOf(
        deps.db,
        offices.map((o) => o.code),
        { day, status },
      );
      const title = tx(locale, 'Chứng thực bản sao từ bản chính', 'Certified copies from originals');
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
          <PageHeading title={title} lead={offices.map((o) => o.name).join('; ')} />
          <p>
            <a class="button" href={`${COUNTER}/moi`}>
              {tx(locale, 'Chứng thực mới (khách đến trực tiếp)', 'New certification (walk-in)')}
            </a>
          </p>
          <form method="get" action={COUNTER} class="form form--inline">
            <div class="field">
              <label for="ngay">{tx(locale, 'Ngày', 'Day')}</label>
              <input type="date" id="ngay" name="ngay" value={day} />
            </div>
            <div class="field">
              <label for="trang-thai">{tx(locale, 'Trạng thái', 'Status')}</label>
              <select id="trang-thai" name="trang-thai">
                <option value="">{tx(locale, 'Tất cả', 'All')}</option>
                {Object.entries(CERT_STATUS_TEXT).map(([k, t]) => (
                  <option key={k} value={k} selected={status === k}>
                    {t[locale]}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" class="button button--secondary">
              {tx(locale, 'Xem', 'Show')}
            </button>
          </form>
          <DataTable
            caption={tx(locale, `Yêu cầu chứng thực ngày ${day}`, `Certifications of ${day}`)}
            columns={[
              {
                header: tx(locale, 'Giấy tờ', 'Document'),
                cell: (c: CertificationRow) => <a href={`${COUNTER}/${c.id}`}>{c.document_title}</a>,
              },
              { header: tx(locale, 'Người yêu cầu', 'Requester'), cell: (c) => c.requester_name },
              {
                header: tx(locale, 'Số chứng thực', 'Entry'),
                cell: (c) => (c.register_number ? `${c.register_number} · ${c.book}` : '—'),
              },
              { header: tx(locale, 'Lệ phí', 'Fee'), numeric: true, cell: (c) => dong(c.fee) },
              { header: tx(locale, 'Trạng thái', 'Status'), cell: (c) => statusText(c, locale) },
            ]}
            rows={rows}
            rowKey={(c) => c.id}
            empty={tx(locale, 'Chưa có yêu cầu nào trong ngày.', 'No certification on this day.')}
          />
        </Layout>,
      );
    },
  );

  app.get<{ Querystring: { lang?: string; 'lich-hen'?: string } }>(
    `${COUNTER}/moi`,
    {
      config: { access: CERTIFIERS },
      schema: { hide: true, querystring: Type.Object({ lang: S(2), 'lich-hen': S(40) }) },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const offices = await deps.officesOf(request.account!.id);
      const values: FormValues = {};
      const appointmentId = request.query['lich-hen'];
      if (appointmentId && deps.appointmentForCounter) {
        const a = await deps.appointmentForCounter(request.account!.id, appointmentId);
        if (a) {
          values['lich-hen'] = appointmentId;
          values['co-quan'] = a.agencyCode;
          values['ho-ten'] = a.name;
          values['so-dinh-danh'] = a.idNumber ?? '';
        }
      }
      return renderNew(request, reply, locale, offices, values, {});
    },
  );

  async function renderNew(
    request: Parameters<typeof sendPage>[0],
    reply: Parameters<typeof sendPage>[1],
    locale: Locale,
    offices: Array<{ code: string; name: string }>,
    values: FormValues,
    errors: Record<string, string>,
  ) {
    const title = tx(locale, 'Chứng thực bản sao mới', 'New certified copy');
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={title}
        path={request.url}
        breadcrumbs={[
          { label: tx(locale, 'Quản trị', 'Administration'), href: '/quan-tri' },
          { label: tx(locale, 'Chứng thực', 'Certification'), href: COUNTER },
          { label: title },
        ]}
      >
        <PageHeading title={title} />
        <ErrorSummary
          errors={errors}
          title={tx(locale, 'Cần sửa các mục sau', 'Please correct the following')}
        />
        <NewForm
          locale={locale}
          offices={offices}
          values={values}
          errors={errors}
          maxScanBytes={deps.maxScanBytes}
          csrf={await reply.csrfToken()}
        />
      </Layout>,
      { status: Object.keys(errors).length > 0 ? 400 : 200 },
    );
  }

  // Multipart (the scan) only for the form's own route: the plugin scope keeps it off other pages.
  await app.register(async (scope: AppInstance) => {
    await registerMemoryUploads(scope, { maxBytes: deps.maxScanBytes });
    scope.post(
      `${COUNTER}/moi`,
      { config: { access: CERTIFIERS }, schema: { hide: true } },
      async (request, reply) => {
        const locale = pageLocale(request);
        const officerId = request.account!.id;
        const offices = await deps.officesOf(officerId);
        const body = (request.body ?? {}) as Record<string, unknown>;
        const str = (k: string, max: number) =>
          typeof body[k] === 'string' ? (body[k] as string).normalize('NFC').trim().slice(0, max) : '';
        const values: FormValues = {};
        for (const [k, max] of [
          ['co-quan', 20],
          ['lich-hen', 40],
          ['ho-ten', 200],
          ['so-dinh-danh', 12],
          ['loai-giay-to', 40],
          ['ten-giay-to', 300],
          ['co-quan-cap', 300],
          ['so-hieu', 100],
          ['ngay-cap', 10],
          ['so-trang', 4],
          ['so-ban', 4],
        ] as const)
          values[k] = str(k, max);
        const errors: Record<string, string> = {};
        const office = offices.find((o) => o.code === values['co-quan']);
        if (!office) errors['co-quan'] = tx(locale, 'Chọn cơ quan chứng thực', 'Choose the office');
        if (!values['ho-ten'])
          errors['ho-ten'] = tx(locale, 'Nhập họ và tên người yêu cầu', "Enter the requester's name");
        const idNumber = values['so-dinh-danh'] || null;
        if (idNumber && !/^\d{12}$/.test(idNumber))
          errors['so-dinh-danh'] = tx(
            locale,
            'Số định danh cá nhân gồm 12 chữ số',
            'The personal ID number has 12 digits',
          );
        const type = values['loai-giay-to'] ?? '';
        if (!isDocumentType(type))
          errors['loai-giay-to'] = tx(locale, 'Chọn loại giấy tờ', 'Choose the document type');
        if (!values['ten-giay-to']) errors['ten-giay-to'] = tx(locale, 'Nhập tên giấy tờ', 'Enter the title');
        const date = values['ngay-cap'] || null;
        if (date && !/^\d{4}-\d{2}-\d{2}$/.test(date))
          errors['ngay-cap'] = tx(locale, 'Ngày cấp không hợp lệ', 'Invalid date of issue');
        const pages = Number(values['so-trang']);
        if (!Number.isInteger(pages) || pages < 1 || pages > 500)
          errors['so-trang'] = tx(locale, 'Số trang từ 1 đến 500', 'Pages must be 1 to 500');
        const copies = Number(values['so-ban']);
        if (!Number.isInteger(copies) || copies < 1 || copies > 100)
          errors['so-ban'] = tx(locale, 'Số bản sao từ 1 đến 100', 'Copies must be 1 to 100');
        const file = body['ban-quet'];
        let scan: OpenInput['scan'] | undefined;
        if (!isUploadedFile(file) || 'error' in file)
          errors['ban-quet'] =
            isUploadedFile(file) && 'error' in file && file.error === 'too-large'
              ? tx(
                  locale,
                  `Tệp quá lớn (tối đa ${MAX_SCAN_BYTES_TEXT(deps.maxScanBytes)})`,
                  `The file is too large (at most ${MAX_SCAN_BYTES_TEXT(deps.maxScanBytes)})`,
                )
              : tx(locale, 'Chọn tệp bản quét', 'Choose the scan');
        else {
          const ext = file.type?.extension;
          if (ext === 'pdf' || ext === 'jpg' || ext === 'png') scan = { bytes: file.bytes, type: ext };
          else
            errors['ban-quet'] = tx(
              locale,
              'Bản quét phải là PDF, JPG hoặc PNG',
              'The scan must be a PDF, JPG or PNG',
            );
        }
        if (Object.keys(errors).length > 0 || !office || !scan)
          return renderNew(request, reply, locale, offices, values, errors);
        const appointment =
          values['lich-hen'] && deps.appointmentForCounter
            ? await deps.appointmentForCounter(officerId, values['lich-hen'])
            : undefined;
        const accountId =
          appointment?.accountId ?? (idNumber ? await deps.accountByIdNumber(idNumber) : undefined);
        try {
          const c = await deps.service.open(officerId, {
            agencyCode: office.code,
            source: appointment ? 'appointment' : 'walk-in',
            appointmentId: appointment ? values['lich-hen']! : null,
            requester: { accountId: accountId ?? null, name: values['ho-ten']!, idNumber },
            document: {
              type,
              title: values['ten-giay-to']!,
              issuer: values['co-quan-cap'] || null,
              number: values['so-hieu'] || null,
              date,
            },
            pages,
            copies,
            scan,
          });
          return reply.redirect(`${COUNTER}/${c.id}`, 303);
        } catch (e) {
          if (!(e instanceof ValidationError) && !(e as { name?: string }).name?.includes('StampInput'))
            throw e;
          const message = (e as Error).message;
          const problems =
            e instanceof ValidationError
              ? (e.extras.errors as Array<{ path: string }> | undefined)
              : undefined;
          const field = problems?.[0]?.path === 'pages' ? 'so-trang' : 'ban-quet';
          return renderNew(request, reply, locale, offices, values, { [field]: message });
        }
      },
    );
  });

  app.get<{ Params: { id: string }; Querystring: { lang?: string; 'thanh-toan'?: string } }>(
    `${COUNTER}/:id`,
    {
      config: { access: CERTIFIERS },
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object({ lang: S(2), 'thanh-toan': S(300) }),
      },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const c = await deps.service.forOfficer(request.account!.id, request.params.id);
      const title = c.document_title;
      const checkout = request.query['thanh-toan']?.startsWith('/thanh-toan/')
        ? request.query['thanh-toan']
        : undefined;
      const origin = `${request.protocol}://${request.host}`;
      const csrf = await reply.csrfToken();
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={title}
          path={request.url}
          breadcrumbs={[
            { label: tx(locale, 'Quản trị', 'Administration'), href: '/quan-tri' },
            { label: tx(locale, 'Chứng thực', 'Certification'), href: COUNTER },
            { label: title },
          ]}
        >
          <PageHeading title={title} lead={statusText(c, locale)} />
          {c.revoked_at ? (
            <Notice kind="error" title={tx(locale, 'Bản sao đã bị thu hồi', 'The copy was revoked')}>
              <p>
                {vietnamWhen(c.revoked_at)} — {c.revoked_reason}
              </p>
            </Notice>
          ) : null}
          <SummaryList
            rows={[
              { path: 'requester', label: tx(locale, 'Người yêu cầu', 'Requester'), value: c.requester_name },
              {
                path: 'type',
                label: tx(locale, 'Loại giấy tờ', 'Document type'),
                value: documentTypeName(c.document_type)[locale],
              },
              {
                path: 'issuer',
                label: tx(locale, 'Cơ quan cấp', 'Issued by'),
                value: c.document_issuer ?? '—',
              },
              { path: 'number', label: tx(locale, 'Số, ký hiệu', 'Number'), value: c.document_number ?? '—' },
              {
                path: 'pages',
                label: tx(locale, 'Số trang × số bản', 'Pages × copies'),
                value: `${c.pages} × ${c.copies}`,
              },
              { path: 'fee', label: tx(locale, 'Lệ phí', 'Fee'), value: dong(c.fee) },
              {
                path: 'entry',
                label: tx(locale, 'Số chứng thực', 'Register entry'),
                value: c.register_number ? `${c.register_number}, quyển số ${c.book}` : '—',
              },
              {
                path: 'code',
                label: tx(locale, 'Mã xác thực (in dưới mã QR)', 'Verification code (under the QR)'),
                value: c.public_code,
              },
              {
                path: 'wallet',
                label: tx(locale, 'Kho dữ liệu', 'Wallet'),
                value: c.requester_account_id
                  ? tx(locale, 'Gửi vào kho dữ liệu của người yêu cầu', "Delivered to the requester's wallet")
                  : tx(
                      locale,
                      'Người yêu cầu chưa có tài khoản: giao tệp trực tiếp',
                      'No account: hand over the file',
                    ),
              },
            ]}
          />
          {c.status === 'awaiting-fee' ? (
            <section aria-labelledby="le-phi">
              <h2 id="le-phi">{tx(locale, `Thu lệ phí ${dong(c.fee)}`, `Take the fee of ${dong(c.fee)}`)}</h2>
              <form method="post" action={`${COUNTER}/${c.id}/tien-mat`} class="form form--inline">
                <CsrfField token={csrf} />
                <button type="submit" class="button">
                  {tx(locale, 'Đã thu tiền mặt — cấp bản sao', 'Cash received — issue the copy')}
                </button>
              </form>
              {checkout ? (
                <div>
                  <p>
                    {tx(
                      locale,
                      'Người yêu cầu quét mã QR bằng điện thoại để nộp trực tuyến; bản sao được cấp ngay khi ngân hàng xác nhận.',
                      'The requester scans the QR with their phone to pay online; the copy is issued when the bank confirms.',
                    )}
                  </p>
                  <QrCode
                    value={`${origin}${checkout}`}
                    label={tx(locale, 'Mã QR thanh toán', 'Payment QR code')}
                  />
                  <p>
                    <a href={checkout}>{`${origin}${checkout}`}</a>
                  </p>
                </div>
              ) : (
                <form method="post" action={`${COUNTER}/${c.id}/truc-tuyen`} class="form form--inline">
                  <CsrfField token={csrf} />
                  <button type="submit" class="button button--secondary">
                    {tx(locale, 'Nộp trực tuyến (mã QR)', 'Pay online (QR code)')}
                  </button>
                </form>
              )}
              <form method="post" action={`${COUNTER}/${c.id}/huy`} class="form form--inline">
                <CsrfField token={csrf} />
                <button type="submit" class="button button--warning">
                  {tx(locale, 'Hủy yêu cầu', 'Cancel')}
                </button>
              </form>
            </section>
          ) : null}
          {c.status === 'numbered' ? (
            <Notice title={tx(locale, 'Đang đóng dấu và ký số', 'Stamping and signing')}>
              <p>{tx(locale, 'Tải lại trang sau ít giây.', 'Reload the page in a few seconds.')}</p>
            </Notice>
          ) : null}
          {c.status === 'issued' ? (
            <section aria-labelledby="ban-sao">
              <h2 id="ban-sao">
                {tx(locale, 'Bản sao điện tử có chứng thực', 'The certified electronic copy')}
              </h2>
              <p>
                <a class="button" href={`${COUNTER}/${c.id}/ban-sao.pdf`}>
                  {tx(locale, 'Tải bản sao (PDF đã ký số)', 'Download the copy (signed PDF)')}
                </a>{' '}
                <a href={`/xac-thuc/${c.public_code}`}>{tx(locale, 'Trang xác thực', 'Verification page')}</a>
              </p>
              {c.revoked_at ? null : (
                <form method="post" action={`${COUNTER}/${c.id}/thu-hoi`} class="form">
                  <CsrfField token={csrf} />
                  <div class="field">
                    <label for="ly-do">{tx(locale, 'Lý do thu hồi bản sao', 'Why revoke the copy')}</label>
                    <input type="text" id="ly-do" name="ly-do" maxLength={500} minLength={5} required />
                  </div>
                  <button type="submit" class="button button--warning">
                    {tx(locale, 'Thu hồi bản sao', 'Revoke the copy')}
                  </button>
                </form>
              )}
            </section>
          ) : null}
        </Layout>,
      );
    },
  );

  const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
  app.post<{ Params: { id: string } }>(
    `${COUNTER}/:id/tien-mat`,
    { config: { access: CERTIFIERS }, schema: { hide: true, params: Id, body: FormBody({}) } },
    async (request, reply) => {
      await deps.service.payCash(request.account!.id, request.params.id);
      return reply.redirect(`${COUNTER}/${request.params.id}`, 303);
    },
  );
  app.post<{ Params: { id: string } }>(
    `${COUNTER}/:id/truc-tuyen`,
    { config: { access: CERTIFIERS }, schema: { hide: true, params: Id, body: FormBody({}) } },
    async (request, reply) => {
      const r = await deps.service.payOnline(request.account!.id, request.params.id);
      return reply.redirect(
        `${COUNTER}/${request.params.id}?thanh-toan=${encodeURIComponent(r.checkoutUrl)}`,
        303,
      );
    },
  );
  app.post<{ Params: { id: string } }>(
    `${COUNTER}/:id/huy`,
    { config: { access: CERTIFIERS }, schema: { hide: true, params: Id, body: FormBody({}) } },
    async (request, reply) => {
      await deps.service.cancel(request.account!.id, request.params.id);
      return reply.redirect(`${COUNTER}/${request.params.id}`, 303);
    },
  );
  app.post<{ Params: { id: string }; Body: { 'ly-do'?: string } }>(
    `${COUNTER}/:id/thu-hoi`,
    {
      config: { access: CERTIFIERS },
      schema: { hide: true, params: Id, body: FormBody({ 'ly-do': S(500) }) },
    },
    async (request, reply) => {
      await deps.service.revoke(request.account!.id, request.params.id, request.body['ly-do'] ?? '');
      return reply.redirect(`${COUNTER}/${request.params.id}`, 303);
    },
  );
  app.get<{ Params: { id: string } }>(
    `${COUNTER}/:id/ban-sao.pdf`,
    { config: { access: CERTIFIERS }, schema: { hide: true, params: Id } },
    async (request, reply) => {
      const c = await deps.service.forOfficer(request.account!.id, request.params.id);
      const pdf = await deps.service.signedCopy(c.id);
      if (!pdf) return reply.code(404).send();
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="ban-sao-chung-thuc-${c.register_number}.pdf"`)
        .send(pdf);
    },
  );
}
