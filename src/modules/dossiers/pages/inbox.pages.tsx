/**
 * The officers' inbox `/quan-tri/ho-so`: the dossiers at the agencies where they hold a role, by tab
 * (new, mine, due soon, overdue, escalated, open, all) with each tab's count, and a search by dossier
 * code, the applicant's name or ID number. "Overdue" is domain/deadline.ts `isOverdue` everywhere.
 */
import { Type } from 'typebox';
import type { AppInstance } from '../../../platform/http/index.ts';
import { Layout, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import { INBOX_TABS, type InboxTab } from '../dossiers.desk.ts';
import { agencyNames, DossierTable, OFFICERS, type PagesDeps, TAB_LABELS } from './shared.tsx';

const InboxQuery = Type.Object({
  tab: Type.Optional(Type.String({ maxLength: 20 })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  lang: Type.Optional(Type.String({ maxLength: 2 })),
});

const NUMBER = new Intl.NumberFormat('vi-VN');

export async function inboxPages(app: AppInstance, deps: PagesDeps) {
  const { desk } = deps;

  app.get(
    '/quan-tri/ho-so',
    { config: { access: OFFICERS }, schema: { hide: true, querystring: InboxQuery } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const q = (request.query.q ?? '').trim();
      const tab = (INBOX_TABS as readonly string[]).includes(request.query.tab ?? '')
        ? (request.query.tab as InboxTab)
        : q
          ? 'all'
          : 'new';
      const accountId = request.account!.id;
      const [{ items }, counts] = await Promise.all([
        desk.inbox(accountId, tab, { limit: 200, q }),
        desk.inboxCounts(accountId, { q }),
      ]);
      const names = await agencyNames(
        items.map((i) => i.competentAgencyCode),
        deps.agencyName,
      );
      const withQ = (t: InboxTab) => `/quan-tri/ho-so?tab=${t}${q ? `&q=${encodeURIComponent(q)}` : ''}`;
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title="Hồ sơ cần xử lý"
          path={request.url}
          breadcrumbs={[{ href: '/quan-tri', label: 'Bàn làm việc' }, { label: 'Hồ sơ cần xử lý' }]}
        >
          <PageHeading
            title="Hồ sơ cần xử lý"
            lead="Hồ sơ tại các cơ quan bạn có vai trò tiếp nhận, xử lý, phê duyệt hoặc thu phí."
          />
          <form class="search-form" method="get" action="/quan-tri/ho-so">
            <input type="hidden" name="tab" value={tab} />
            <label for="tim-ho-so">Tìm hồ sơ</label>
            <p class="hint" id="tim-ho-so-goi-y">
              Mã hồ sơ, họ tên người nộp (có dấu hoặc không dấu) hoặc số định danh, mã số thuế.
            </p>
            <div class="search-form__row">
              <input
                id="tim-ho-so"
                name="q"
                type="search"
                value={q}
                maxLength={100}
                aria-describedby="tim-ho-so-goi-y"
              />
              <button type="submit" class="button">
                Tìm
              </button>
            </div>
            {q ? (
              <p>
                Kết quả cho “{q}”. <a href={`/quan-tri/ho-so?tab=${tab}`}>Bỏ tìm kiếm</a>
              </p>
            ) : null}
          </form>
          <nav aria-label="Nhóm hồ sơ">
            <ul class="tabs">
              {INBOX_TABS.map((t) => (
                <li key={t}>
                  <a href={withQ(t)} aria-current={t === tab ? 'page' : undefined}>
                    {TAB_LABELS[t]} <span class="tabs__count">({NUMBER.format(counts[t])})</span>
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <DossierTable
            items={items}
            names={names}
            caption={`${TAB_LABELS[tab]}: ${NUMBER.format(counts[tab])} hồ sơ${items.length < counts[tab] ? ` (hiện ${items.length})` : ''}`}
            officer
            now={deps.now()}
          />
        </Layout>,
      );
    },
  );
}
