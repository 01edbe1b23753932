/**
 * The officers' import of procedures in the national portal's LayThuTuc shape (/quan-tri/thu-tuc/nhap):
 * pasted JSON, one procedure or an array, each becoming a draft, with a report per procedure.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, NotFoundError } from '../../../platform/errors/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { PageHeading, pageLocale } from '../../../platform/web/index.ts';
import type { CatalogueService } from '../catalogue.service.ts';
import { ADMIN, accountOf, adminPage, CsrfField, Problems, parseJson, S } from './admin.shared.tsx';

const ImportBody = Type.Object({ _csrf: S(100), agency: S(40), data: S(900_000) });

export function procedureImportPages(app: AppInstance, service: CatalogueService) {
  const importForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: { agency?: string; data?: string },
    report?: Awaited<ReturnType<CatalogueService['importLayThuTuc']>>,
    error?: AppError,
  ) => {
    const locale = pageLocale(request);
    const agencies = await service.agenciesForAdmin(accountOf(request));
    if (agencies.length === 0) throw new NotFoundError('Không tìm thấy trang.');
    return adminPage(
      request,
      reply,
      tx(locale, 'Nhập thủ tục theo LayThuTuc', 'Import LayThuTuc'),
      <>
        <PageHeading
          title={tx(locale, 'Nhập thủ tục theo LayThuTuc', 'Import LayThuTuc')}
          lead={tx(
            locale,
            'Dán dữ liệu JSON theo cấu trúc LayThuTuc của Cổng Dịch vụ công quốc gia (một thủ tục hoặc một mảng). Mỗi thủ tục trở thành một dự thảo.',
            'Paste JSON in the national portal’s LayThuTuc shape (one procedure or an array). Each becomes a draft.',
          )}
        />
        <Problems locale={locale} error={error} />
        {report ? (
          <section aria-labelledby="ket-qua-nhap">
            <h2 id="ket-qua-nhap">{tx(locale, 'Kết quả nhập', 'Import report')}</h2>
            <ol>
              {report.map((r) => (
                <li key={r.index}>
                  {r.ok ? '✓' : '✗'} {r.code || `#${r.index + 1}`}
                  {r.ok && r.version ? (
                    <>
                      {' — '}
                      <a href={`/quan-tri/thu-tuc/${encodeURIComponent(r.code)}`}>
                        {tx(locale, `dự thảo phiên bản ${r.version}`, `draft version ${r.version}`)}
                      </a>
                    </>
                  ) : null}
                  <ul>
                    {r.messages.map((m) => (
                      <li key={m}>{m}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          </section>
        ) : null}
        <form method="post" action="/quan-tri/thu-tuc/nhap" class="form editor">
          <CsrfField token={await reply.csrfToken()} />
          <div class="field">
            <label for="agency">{tx(locale, 'Cơ quan công bố', 'Publishing agency')}</label>
            <select id="agency" name="agency">
              {agencies.map((a) => (
                <option key={a.code} value={a.code} selected={a.code === values.agency}>
                  {a.name} ({a.code})
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="data">{tx(locale, 'Dữ liệu LayThuTuc (JSON)', 'LayThuTuc data (JSON)')}</label>
            <textarea id="data" name="data" spellcheck={false}>
              {values.data ?? ''}
            </textarea>
          </div>
          <div class="form-actions">
            <button type="submit">{tx(locale, 'Nhập', 'Import')}</button>
          </div>
        </form>
      </>,
      error ? { status: error.status } : {},
    );
  };

  app.get(
    '/quan-tri/thu-tuc/nhap',
    { config: { access: ADMIN }, schema: { hide: true } },
    async (request, reply) => importForm(request, reply, {}),
  );

  app.post(
    '/quan-tri/thu-tuc/nhap',
    { config: { access: ADMIN }, schema: { hide: true, body: ImportBody } },
    async (request, reply) => {
      const id = accountOf(request);
      const b = request.body;
      try {
        const report = await service.importLayThuTuc(id, b.agency ?? '', parseJson(b.data ?? ''));
        return importForm(request, reply, b, report);
      } catch (e) {
        if (e instanceof AppError && e.status < 500 && e.status !== 404)
          return importForm(request, reply, b, undefined, e);
        throw e;
      }
    },
  );
}
