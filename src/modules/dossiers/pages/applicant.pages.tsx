/**
 * The applicant's own pages: "Hồ sơ của tôi" (what waits for them first, their drafts by procedure, the
 * dossiers they filed, and — for citizens — the dossiers agencies' systems synced with their personal ID
 * number) and one synced dossier.
 */
import { NotFoundError } from '../../../platform/errors/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import { DataTable, Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import { vnWhen } from '../dossiers.notify.ts';
import type { SyncedDossierSummary } from '../dossiers.ports.ts';
import { APPLICANTS, agencyNames, CodeParams, DossierTable, type PagesDeps } from './shared.tsx';

const WAITING: Record<string, string> = {
  'supplement-requested': 'Cơ quan yêu cầu bổ sung hồ sơ',
  'payment-requested': 'Chờ bạn nộp phí, lệ phí',
  'awaiting-payment': 'Chưa thanh toán phí, lệ phí: hồ sơ chưa được gửi đến cơ quan',
};

export async function applicantPages(app: AppInstance, deps: PagesDeps) {
  const { desk } = deps;

  app.get(
    '/ho-so/cua-toi',
    { config: { access: APPLICANTS }, schema: { hide: true } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const account = request.account!;
      const [items, drafts, syncedAll] = await Promise.all([
        desk.mine(account.id, { limit: 200 }),
        desk.drafts(account.id),
        deps.synced && account.kind === 'citizen'
          ? deps.synced.list(account.id)
          : Promise.resolve([] as SyncedDossierSummary[]),
      ]);
      const filed = new Set(items.map((i) => i.code));
      const synced = syncedAll.filter((d) => !filed.has(d.code));
      const names = await agencyNames(
        items.map((i) => i.competentAgencyCode),
        deps.agencyName,
      );
      const waiting = items.filter((i) => WAITING[i.state]);
      const now = deps.now();
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title="Hồ sơ của tôi"
          path={request.url}
          breadcrumbs={[{ label: 'Hồ sơ của tôi' }]}
        >
          <PageHeading
            title="Hồ sơ của tôi"
            lead="Hồ sơ bạn đã nộp trực tuyến tại mọi cơ quan, mới nhất trước."
          />
          <p>
            <a class="button" href="/thu-tuc">
              Nộp hồ sơ mới
            </a>
          </p>
          {waiting.length > 0 ? (
            <Notice kind="warning" title={`${waiting.length} hồ sơ cần bạn xử lý`}>
              <ul>
                {waiting.map((i) => (
                  <li key={i.code}>
                    <a href={`/ho-so/${encodeURIComponent(i.code)}`}>{i.code}</a> — {i.procedureName}:{' '}
                    <strong>{WAITING[i.state]}</strong>
                    {i.state === 'awaiting-payment' ? (
                      <>
                        {' '}
                        <a href={`/ho-so/${encodeURIComponent(i.code)}/nop-phi`}>Thanh toán</a>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            </Notice>
          ) : null}
          {drafts.length > 0 ? (
            <section aria-labelledby="ban-nhap">
              <h2 id="ban-nhap">Bản nháp chưa nộp</h2>
              <ul class="plain-list">
                {drafts.map((d) => (
                  <li key={d.id}>
                    <a href={`/ho-so/nhap/${d.id}`}>{d.procedure_name ?? `Thủ tục ${d.procedure_code}`}</a>{' '}
                    <span class="hint">
                      (mã thủ tục {d.procedure_code}; lưu lúc {vnWhen(d.updated_at)})
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <DossierTable items={items} names={names} caption="Hồ sơ đã nộp" now={now} />
          {account.kind === 'citizen' && deps.synced ? (
            <section aria-labelledby="ho-so-dong-bo">
              <h2 id="ho-so-dong-bo">Hồ sơ nộp tại cơ quan</h2>
              <p class="hint">
                Hồ sơ bạn nộp trực tiếp hoặc qua hệ thống của bộ, ngành, địa phương, được hệ thống một cửa của
                cơ quan đồng bộ về Cổng: những hồ sơ ghi số giấy tờ là số định danh cá nhân của tài khoản này
                và họ tên chủ hồ sơ trùng với họ tên của tài khoản.
              </p>
              <DataTable
                caption="Hồ sơ đồng bộ từ hệ thống của cơ quan"
                rows={synced}
                rowKey={(d) => d.code}
                empty="Chưa có hồ sơ nào được đồng bộ về Cổng với số định danh của bạn."
                columns={[
                  {
                    header: 'Mã hồ sơ',
                    cell: (d) => <a href={`/ho-so/dong-bo/${encodeURIComponent(d.code)}`}>{d.code}</a>,
                  },
                  { header: 'Thủ tục', cell: (d) => d.procedureName ?? d.procedureCode },
                  { header: 'Cơ quan', cell: (d) => d.agencyName ?? d.agencyCode },
                  { header: 'Trạng thái', cell: (d) => d.statusName },
                  { header: 'Ngày tiếp nhận', cell: (d) => (d.receivedAt ? vnWhen(d.receivedAt) : '—') },
                  { header: 'Hẹn trả', cell: (d) => (d.dueAt ? vnWhen(d.dueAt) : '—') },
                  { header: 'Đồng bộ từ', cell: (d) => d.source.name ?? d.source.clientId },
                ]}
              />
            </section>
          ) : null}
        </Layout>,
      );
    },
  );

  app.get(
    '/ho-so/dong-bo/:code',
    { config: { access: APPLICANTS }, schema: { hide: true, params: CodeParams } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const code = request.params.code.trim().toUpperCase();
      const d = deps.synced ? await deps.synced.find(request.account!.id, code) : undefined;
      if (!d) throw new NotFoundError(`Không có hồ sơ ${code}.`);
      const title = `Hồ sơ ${d.code}`;
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={title}
          path={request.url}
          breadcrumbs={[{ href: '/ho-so/cua-toi', label: 'Hồ sơ của tôi' }, { label: d.code }]}
        >
          <PageHeading title={title} lead={d.procedureName ?? d.procedureCode} />
          <Notice kind="info">
            <p>
              Hồ sơ nộp tại cơ quan, đồng bộ từ <strong>{d.source.name ?? d.source.clientId}</strong>. Thông
              tin do hệ thống của cơ quan gửi về; mọi thắc mắc xin liên hệ cơ quan tiếp nhận.
            </p>
          </Notice>
          <dl class="facts">
            <dt>Thủ tục</dt>
            <dd>
              {d.procedureName ?? ''} ({d.procedureCode})
            </dd>
            <dt>Cơ quan</dt>
            <dd>{d.agencyName ?? d.agencyCode}</dd>
            <dt>Trạng thái</dt>
            <dd>
              <strong>{d.statusName}</strong> (từ {vnWhen(d.statusAt)})
            </dd>
            <dt>Ngày nộp</dt>
            <dd>{d.submittedAt ? vnWhen(d.submittedAt) : '—'}</dd>
            <dt>Ngày tiếp nhận</dt>
            <dd>{d.receivedAt ? vnWhen(d.receivedAt) : '—'}</dd>
            <dt>Ngày hẹn trả</dt>
            <dd>{d.dueAt ? vnWhen(d.dueAt) : '—'}</dd>
            {d.returnedAt ? (
              <>
                <dt>Ngày trả kết quả</dt>
                <dd>{vnWhen(d.returnedAt)}</dd>
              </>
            ) : null}
          </dl>
          <DataTable
            caption="Quá trình xử lý"
            rows={d.history}
            rowKey={(h) => `${h.at.getTime()}-${h.status}-${h.content ?? ''}`}
            empty="Chưa có bước xử lý nào được đồng bộ."
            columns={[
              { header: 'Thời điểm', cell: (h) => vnWhen(h.at) },
              { header: 'Trạng thái', cell: (h) => h.statusName },
              { header: 'Nội dung', cell: (h) => h.content ?? '' },
              { header: 'Bộ phận', cell: (h) => h.department ?? '' },
            ]}
          />
        </Layout>,
      );
    },
  );
}
