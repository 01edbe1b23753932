/**
 * The officers' desk (`/quan-tri`): a card per thing the officer's roles allow, each with its links and
 * the counts waiting behind them, from the entries the modules register (navigation registry). An
 * officer without any role sees why the desk is empty and whom to ask.
 */
import type { Locale, Text } from '../../../platform/i18n/index.ts';
import {
  type DeskLink,
  Layout,
  Notice,
  PageHeading,
  type ResolvedDeskCard,
} from '../../../platform/web/index.ts';

const WORDS = {
  title: { vi: 'Bàn làm việc', en: 'Officer’s desk' },
  lead: {
    vi: 'Những việc vai trò của bạn cho phép, với số việc đang chờ.',
    en: 'What your roles allow you to do, with what is waiting.',
  },
  greeting: { vi: 'Xin chào', en: 'Hello' },
  emptyTitle: { vi: 'Bạn chưa được giao vai trò nào', en: 'You have not been given any role yet' },
  emptyBody: {
    vi: 'Bàn làm việc hiện các việc theo vai trò của bạn tại cơ quan (tiếp nhận, xử lý, phê duyệt, quản trị…). Hãy đề nghị cán bộ quản trị của cơ quan giao vai trò cho tài khoản này.',
    en: 'The desk shows the work your roles at your agency allow (receiving, processing, approving, administering…). Ask your agency’s administrator to give this account a role.',
  },
  account: { vi: 'Xem tài khoản của bạn', en: 'See your account' },
  needsAttention: { vi: 'cần chú ý', en: 'needs attention' },
  urgent: { vi: 'cần xử lý ngay', en: 'urgent' },
} as const satisfies Record<string, Text>;

function DeskCount({ link, locale }: { link: DeskLink; locale: Locale }) {
  if (link.count === undefined) return null;
  const tone = link.count > 0 ? (link.tone ?? 'normal') : 'zero';
  const number = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB').format(link.count);
  return (
    <span class={`desk-count desk-count--${tone}`}>
      {number}
      {tone === 'warning' ? <span class="visually-hidden"> ({WORDS.needsAttention[locale]})</span> : null}
      {tone === 'danger' ? <span class="visually-hidden"> ({WORDS.urgent[locale]})</span> : null}
    </span>
  );
}

function DeskCard({ card, locale }: { card: ResolvedDeskCard; locale: Locale }) {
  const headingId = `ban-lam-viec-${card.id.replace(/[^A-Za-z0-9-]/g, '-')}`;
  return (
    <section class="desk-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{card.title[locale]}</h2>
      {card.description ? <p class="desk-card__description">{card.description[locale]}</p> : null}
      <ul class="desk-card__links">
        {card.links.map((link, i) => (
          <li key={`${link.href}-${i}`}>
            <a href={link.href}>
              <span class="desk-card__label">{link.label[locale]}</span>
              <DeskCount link={link} locale={locale} />
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function DeskPage({
  locale,
  path,
  name,
  cards,
}: {
  locale: Locale;
  path: string;
  name: string;
  cards: readonly ResolvedDeskCard[];
}) {
  const title = WORDS.title[locale];
  return (
    <Layout locale={locale} title={title} path={path} breadcrumbs={[{ label: title }]}>
      <PageHeading title={title} lead={`${WORDS.greeting[locale]} ${name}. ${WORDS.lead[locale]}`} />
      {cards.length === 0 ? (
        <Notice title={WORDS.emptyTitle[locale]}>
          <p>{WORDS.emptyBody[locale]}</p>
          <p>
            <a href="/tai-khoan">{WORDS.account[locale]}</a>
          </p>
        </Notice>
      ) : (
        <ul class="desk">
          {cards.map((card) => (
            <li key={card.id}>
              <DeskCard card={card} locale={locale} />
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
