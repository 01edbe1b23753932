/**
 * Verification for anyone, no account needed:
 * - `POST /api/v1/verifications`: a PDF (multipart field `file`, or the raw body as `application/pdf`),
 *   optionally with the `code` its QR carries → valid or not, why, who signed and when, the register entry;
 * - `/xac-thuc-ban-sao`: the same as a page (upload form and verdict);
 * - `/xac-thuc/{code}`: where the QR printed on a copy leads — the register entry and whether the copy
 *   still stands, with the form to check the file one holds against it.
 */
import { Type } from 'typebox';
import { vietnamWhen } from '../../../platform/clock/index.ts';
import { ValidationError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import {
  CsrfField,
  isUploadedFile,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  registerMemoryUploads,
  S,
  SummaryList,
  type SummaryRow,
  sendPage,
} from '../../../platform/web/index.ts';
import type { CopyFacts, VerificationResult, VerificationService } from './verification.service.ts';

export const VERIFY_PAGE = '/xac-thuc-ban-sao';
export const VERIFY_CODE_PAGE = '/xac-thuc';
const CODE = Type.String({ pattern: '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$' });
const CODE_RE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

const ReasonView = Type.Object({
  code: Type.String(),
  vi: Type.String(),
  en: Type.String(),
  signature: Type.Optional(Type.Integer()),
});
const SignatureView = Type.Object({
  signer: Type.Union([
    Type.Null(),
    Type.Object({
      commonName: Type.String(),
      organisation: Type.Optional(Type.String()),
      agencyCode: Type.Optional(Type.String()),
      serialHex: Type.String(),
      issuerCommonName: Type.String(),
    }),
  ]),
  signedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  coversWholeDocument: Type.Boolean(),
  intact: Type.Boolean(),
  signatureValid: Type.Boolean(),
  chainTrusted: Type.Boolean(),
  certificateValidAtSigning: Type.Boolean(),
  revoked: Type.Boolean({ description: 'The certificate was revoked at or before the signing time' }),
});
export const VerificationView = Type.Object({
  valid: Type.Boolean(),
  reasons: Type.Array(ReasonView),
  signatures: Type.Array(SignatureView),
  sha256: Type.String(),
  matchesCode: Type.Optional(Type.Boolean()),
  document: Type.Union([
    Type.Null(),
    Type.Object({
      kind: Type.Literal('certified-copy'),
      code: Type.String(),
      office: Type.String(),
      registerNumber: Type.Union([Type.Integer(), Type.Null()]),
      book: Type.Union([Type.String(), Type.Null()]),
      certifiedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      documentType: Type.Object({ vi: Type.String(), en: Type.String() }),
      pages: Type.Integer(),
      copies: Type.Integer(),
      status: Type.String(),
      revoked: Type.Union([
        Type.Null(),
        Type.Object({
          at: Type.String({ format: 'date-time' }),
          reason: Type.Union([Type.String(), Type.Null()]),
        }),
      ]),
    }),
    Type.Object({
      kind: Type.Literal('dossier-result'),
      issuer: Type.Union([Type.String(), Type.Null()]),
      dossierCode: Type.Union([Type.String(), Type.Null()]),
      issuedOn: Type.Union([Type.String(), Type.Null()]),
    }),
  ]),
});

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The JSON shape: dates as ISO strings. */
function view(r: VerificationResult) {
  return {
    ...r,
    signatures: r.signatures.map((s) => ({
      signer: s.signer,
      signedAt: iso(s.signedAt),
      coversWholeDocument: s.coversWholeDocument,
      intact: s.intact,
      signatureValid: s.signatureValid,
      chainTrusted: s.chainTrusted,
      certificateValidAtSigning: s.certificateValidAtSigning,
      revoked: s.revoked,
    })),
    document:
      r.document?.kind === 'certified-copy'
        ? {
            ...r.document,
            certifiedAt: iso(r.document.certifiedAt),
            revoked: r.document.revoked
              ? { at: r.document.revoked.at.toISOString(), reason: r.document.revoked.reason }
              : null,
          }
        : r.document,
  };
}

const MAX_BYTES = 30 * 1024 * 1024;

function copyRows(f: CopyFacts, locale: Locale): SummaryRow[] {
  return [
    { path: 'office', label: tx(locale, 'Cơ quan chứng thực', 'Certifying office'), value: f.office },
    {
      path: 'entry',
      label: tx(locale, 'Số chứng thực', 'Register entry'),
      value: f.registerNumber ? `${f.registerNumber}, quyển số ${f.book}` : '—',
    },
    {
      path: 'date',
      label: tx(locale, 'Thời điểm chứng thực', 'Certified at'),
      value: f.certifiedAt ? vietnamWhen(f.certifiedAt) : '—',
    },
    { path: 'type', label: tx(locale, 'Loại giấy tờ', 'Document type'), value: f.documentType[locale] },
    { path: 'pages', label: tx(locale, 'Số trang', 'Pages'), value: String(f.pages) },
    { path: 'code', label: tx(locale, 'Mã xác thực', 'Verification code'), value: f.code },
  ];
}

function Verdict({ r, locale }: { r: VerificationResult; locale: Locale }) {
  const s = r.signatures[0];
  return (
    <div>
      <Notice
        kind={r.valid ? 'success' : 'error'}
        title={
          r.valid
            ? tx(locale, 'Tài liệu hợp lệ', 'The document is valid')
            : tx(locale, 'Tài liệu không hợp lệ', 'The document is not valid')
        }
      >
        {r.reasons.length > 0 ? (
          <ul>
            {r.reasons.map((x) => (
              <li key={x.code}>{locale === 'vi' ? x.vi : x.en}</li>
            ))}
          </ul>
        ) : (
          <p>
            {tx(
              locale,
              'Chữ ký số hợp lệ, tài liệu không bị thay đổi sau khi ký, chứng thư số do tổ chức được tin cậy cấp và còn hiệu lực khi ký.',
              'The signature is valid, the document was not changed after signing, and the certificate chains to a trusted root and was valid when it signed.',
            )}
          </p>
        )}
      </Notice>
      {s?.signer ? (
        <section aria-labelledby="nguoi-ky">
          <h2 id="nguoi-ky">{tx(locale, 'Chữ ký số', 'Digital signature')}</h2>
          <SummaryList
            rows={[
              { path: 'signer', label: tx(locale, 'Người ký', 'Signed by'), value: s.signer.commonName },
              ...(s.signer.organisation
                ? [{ path: 'org', label: tx(locale, 'Thuộc', 'Organisation'), value: s.signer.organisation }]
                : []),
              {
                path: 'when',
                label: tx(locale, 'Thời điểm ký', 'Signed at'),
                value: s.signedAt ? vietnamWhen(s.signedAt) : '—',
              },
              {
                path: 'ca',
                label: tx(locale, 'Chứng thư số do', 'Certificate issued by'),
                value: s.signer.issuerCommonName,
              },
              {
                path: 'intact',
                label: tx(locale, 'Toàn vẹn', 'Integrity'),
                value:
                  s.intact && s.coversWholeDocument
                    ? tx(locale, 'Không bị thay đổi sau khi ký', 'Not changed after signing')
                    : tx(locale, 'Đã bị thay đổi sau khi ký', 'Changed after signing'),
              },
            ]}
          />
        </section>
      ) : null}
      {r.document?.kind === 'certified-copy' ? (
        <section aria-labelledby="so-chung-thuc">
          <h2 id="so-chung-thuc">{tx(locale, 'Sổ chứng thực', 'Certification register')}</h2>
          <SummaryList rows={copyRows(r.document, locale)} />
        </section>
      ) : null}
      {r.document?.kind === 'dossier-result' ? (
        <section aria-labelledby="ket-qua">
          <h2 id="ket-qua">{tx(locale, 'Kết quả giải quyết thủ tục hành chính', 'Result of a procedure')}</h2>
          <SummaryList
            rows={[
              {
                path: 'issuer',
                label: tx(locale, 'Cơ quan cấp', 'Issued by'),
                value: r.document.issuer ?? '—',
              },
              {
                path: 'dossier',
                label: tx(locale, 'Mã hồ sơ', 'Dossier'),
                value: r.document.dossierCode ?? '—',
              },
            ]}
          />
        </section>
      ) : null}
      <p class="field__hint">SHA-256: {r.sha256}</p>
    </div>
  );
}

function UploadForm({ locale, csrf, code }: { locale: Locale; csrf: string; code?: string | undefined }) {
  return (
    <form class="form" method="post" action={VERIFY_PAGE} enctype="multipart/form-data">
      <CsrfField token={csrf} />
      {code ? <input type="hidden" name="ma" value={code} /> : null}
      <div class="field">
        <label for="tep">{tx(locale, 'Tệp PDF cần kiểm tra', 'The PDF to check')}</label>
        <p class="field__hint">
          {tx(
            locale,
            'Tệp chỉ được dùng để kiểm tra, không được lưu lại.',
            'The file is only checked, not kept.',
          )}
        </p>
        <input type="file" id="tep" name="tep" accept=".pdf,application/pdf" required />
      </div>
      <button type="submit" class="button">
        {tx(locale, 'Kiểm tra', 'Check')}
      </button>
    </form>
  );
}

export async function verificationRoutes(app: AppInstance, deps: { service: VerificationService }) {
  await app.register(async (scope: AppInstance) => {
    await registerMemoryUploads(scope, { maxBytes: MAX_BYTES });
    scope.addContentTypeParser(
      'application/pdf',
      { parseAs: 'buffer', bodyLimit: MAX_BYTES },
      (_r, body, done) => done(null, body),
    );
    scope.post(
      '/api/v1/verifications',
      {
        config: { access: access.public },
        schema: {
          summary: 'Verify a signed PDF (a certified copy, a signed result) / Xác thực tài liệu điện tử',
          tags: ['documents'],
          consumes: ['multipart/form-data', 'application/pdf'],
          querystring: Type.Object({ code: Type.Optional(CODE) }),
          response: { 200: VerificationView },
        },
      },
      async (request) => {
        const body = request.body as unknown;
        let bytes: Buffer | undefined;
        let code = (request.query as { code?: string }).code;
        if (Buffer.isBuffer(body)) bytes = body;
        else if (body && typeof body === 'object') {
          const b = body as Record<string, unknown>;
          const f = b.file;
          if (isUploadedFile(f) && 'error' in f && f.error === 'too-large')
            throw new ValidationError('Tệp quá lớn (tối đa 30 MB) / the file is too large (30 MB at most)', [
              { path: 'body.file', message: 'too large' },
            ]);
          if (isUploadedFile(f) && 'bytes' in f) bytes = f.bytes;
          if (typeof b.code === 'string' && CODE_RE.test(b.code)) code = b.code;
        }
        if (!bytes)
          throw new ValidationError('Cần gửi tệp PDF (trường file) / send the PDF (field file)', [
            { path: 'body.file', message: 'required' },
          ]);
        return view(await deps.service.verifyFile(bytes, { channel: 'api', address: request.ip, code }));
      },
    );

    scope.post(
      VERIFY_PAGE,
      { config: { access: access.public }, schema: { hide: true } },
      async (request, reply) => {
        const locale = pageLocale(request);
        const b = (request.body ?? {}) as Record<string, unknown>;
        const f = b.tep;
        const code = typeof b.ma === 'string' && CODE_RE.test(b.ma) ? b.ma : undefined;
        const title = tx(locale, 'Kết quả xác thực', 'Verification result');
        const csrf = await reply.csrfToken();
        if (!isUploadedFile(f) || !('bytes' in f)) {
          return sendPage(
            request,
            reply,
            <Layout locale={locale} title={title} path={request.url}>
              <PageHeading title={tx(locale, 'Xác thực bản sao điện tử', 'Verify an electronic copy')} />
              <Notice kind="error" title={tx(locale, 'Chưa có tệp hợp lệ', 'No valid file')}>
                <p>
                  {isUploadedFile(f) && 'error' in f && f.error === 'too-large'
                    ? tx(locale, 'Tệp quá lớn (tối đa 30 MB).', 'The file is too large (30 MB at most).')
                    : tx(locale, 'Chọn tệp PDF cần kiểm tra.', 'Choose the PDF to check.')}
                </p>
              </Notice>
              <UploadForm locale={locale} csrf={csrf} code={code} />
            </Layout>,
            { status: 400 },
          );
        }
        const r = await deps.service.verifyFile(f.bytes, { channel: 'page', address: request.ip, code });
        return sendPage(
          request,
          reply,
          <Layout
            locale={locale}
            title={title}
            path={request.url}
            breadcrumbs={[
              {
                label: tx(locale, 'Xác thực bản sao điện tử', 'Verify an electronic copy'),
                href: VERIFY_PAGE,
              },
              { label: title },
            ]}
          >
            <PageHeading title={title} lead={f.fileName} />
            <Verdict r={r} locale={locale} />
            <p>
              <a href={VERIFY_PAGE}>{tx(locale, 'Kiểm tra tệp khác', 'Check another file')}</a>
            </p>
          </Layout>,
        );
      },
    );
  });

  app.get(
    VERIFY_PAGE,
    { config: { access: access.public }, schema: { hide: true, querystring: Type.Object({ lang: S(2) }) } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const title = tx(locale, 'Xác thực bản sao điện tử', 'Verify an electronic copy');
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url}>
          <PageHeading
            title={title}
            lead={tx(
              locale,
              'Kiểm tra bản sao điện tử có chứng thực hoặc kết quả giải quyết thủ tục hành chính đã ký số: ai ký, khi nào, tài liệu có bị sửa sau khi ký không, còn hiệu lực không.',
              'Check a certified electronic copy or a signed result: who signed it and when, whether it was changed after signing, whether it still stands.',
            )}
          />
          <UploadForm locale={locale} csrf={await reply.csrfToken()} />
        </Layout>,
      );
    },
  );

  app.get<{ Params: { code: string } }>(
    `${VERIFY_CODE_PAGE}/:code`,
    {
      config: { access: access.public },
      schema: { hide: true, params: Type.Object({ code: S(20) }), querystring: Type.Object({ lang: S(2) }) },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const code = request.params.code.toUpperCase();
      const facts = CODE_RE.test(code)
        ? await deps.service.lookupCode(code, { address: request.ip })
        : undefined;
      const title = tx(locale, `Xác thực bản sao ${code}`, `Verify copy ${code}`);
      const standing = facts?.status === 'issued' && !facts.revoked;
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={title}
          path={request.url}
          breadcrumbs={[
            { label: tx(locale, 'Xác thực bản sao điện tử', 'Verify an electronic copy'), href: VERIFY_PAGE },
            { label: code },
          ]}
        >
          <PageHeading title={title} />
          {!facts ? (
            <Notice kind="error" title={tx(locale, 'Không tìm thấy bản sao', 'No such copy')}>
              <p>
                {tx(
                  locale,
                  'Không có bản sao nào mang mã xác thực này trong sổ chứng thực điện tử.',
                  'No copy in the electronic certification registers has this code.',
                )}
              </p>
            </Notice>
          ) : (
            <div>
              <Notice
                kind={standing ? 'success' : 'error'}
                title={
                  standing
                    ? tx(
                        locale,
                        'Bản sao có trong sổ chứng thực và còn hiệu lực',
                        'The copy is registered and stands',
                      )
                    : facts.revoked
                      ? tx(locale, 'Bản sao đã bị thu hồi', 'The copy was revoked')
                      : tx(locale, 'Bản sao chưa được cấp', 'The copy was not issued')
                }
              >
                {facts.revoked ? (
                  <p>
                    {vietnamWhen(facts.revoked.at)}
                    {facts.revoked.reason ? ` — ${facts.revoked.reason}` : ''}
                  </p>
                ) : (
                  <p>
                    {tx(
                      locale,
                      'Để chắc chắn tệp bạn nhận được đúng là bản sao này và không bị sửa, hãy tải tệp lên bên dưới.',
                      'To be sure the file you were given is this copy, unchanged, upload it below.',
                    )}
                  </p>
                )}
              </Notice>
              <SummaryList rows={copyRows(facts, locale)} />
              <UploadForm locale={locale} csrf={await reply.csrfToken()} code={code} />
            </div>
          )}
        </Layout>,
        { status: facts ? 200 : 404 },
      );
    },
  );
}
