/**
 * Pieces the handling pages share with the handlers' tools: the answer-template picker (a GET form, no
 * JavaScript: the page comes back with the template filled into the answer's textarea), the notice a
 * merged item shows its submitter, and the list of items merged into a kept one.
 */
import { vietnamDateTime } from '../../../platform/clock/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import { FEEDBACK_STATUS_NAMES } from '../../../platform/kernel/index.ts';
import { Notice } from '../../../platform/web/index.ts';
import type { FeedbackService } from '../feedback.service.ts';
import { TEMPLATES_PAGE } from './paths.ts';

export function TemplatePicker(props: {
  locale: Locale;
  /** Where the GET goes (the page itself). */
  action: string;
  /** Query parameters to keep (e.g. coquan). */
  keep: Record<string, string | undefined>;
  templates: ReadonlyArray<{ id: string; title: string }>;
  selected: string | undefined;
  agency: string;
}) {
  const { locale } = props;
  return (
    <form method="get" action={props.action} class="form form--inline">
      {Object.entries(props.keep).map(([k, v]) =>
        v ? <input key={k} type="hidden" name={k} value={v} /> : null,
      )}
      <div class="field">
        <label for="mau">{tx(locale, 'Mẫu trả lời', 'Answer template')}</label>
        {props.templates.length === 0 ? (
          <p class="hint">
            {tx(locale, 'Cơ quan chưa có mẫu trả lời.', 'No templates yet.')}{' '}
            <a href={`${TEMPLATES_PAGE}?coquan=${encodeURIComponent(props.agency)}`}>
              {tx(locale, 'Thêm mẫu', 'Add one')}
            </a>
          </p>
        ) : (
          <select id="mau" name="mau">
            {props.templates.map((t) => (
              <option key={t.id} value={t.id} selected={t.id === props.selected}>
                {t.title}
              </option>
            ))}
          </select>
        )}
      </div>
      {props.templates.length > 0 ? (
        <button type="submit" class="button--secondary">
          {tx(locale, 'Dùng mẫu', 'Use template')}
        </button>
      ) : null}
    </form>
  );
}

type View = Awaited<ReturnType<FeedbackService['getForCaller']>>;

/** A merged item: where it went, and the kept item's answers once published or withheld. */
export function KeptNotice({ kept, locale }: { kept: NonNullable<View['kept']>; locale: Locale }) {
  return (
    <Notice title={tx(locale, `Đã gộp vào ${kept.code}`, `Merged into ${kept.code}`)}>
      <p>
        {tx(
          locale,
          `Phản ánh này trùng với phản ánh ${kept.code} (“${kept.title}”) nên đã gộp vào đó và được trả lời cùng; trạng thái hiện tại: ${FEEDBACK_STATUS_NAMES[kept.status].vi}.`,
          `This item duplicates ${kept.code} (“${kept.title}”) and is answered with it; status: ${FEEDBACK_STATUS_NAMES[kept.status].en}.`,
        )}
      </p>
      {kept.answers.map((a) => (
        <div key={a.id}>
          <p class="meta">
            {a.agency_code ?? 'VPCP'} · {vietnamDateTime(a.answered_at)}
          </p>
          <p>{a.body}</p>
        </div>
      ))}
    </Notice>
  );
}

export function MergedList({ merged, locale }: { merged: View['merged']; locale: Locale }) {
  if (merged.length === 0) return null;
  return (
    <>
      <h2>{tx(locale, 'Phản ánh trùng đã gộp vào đây', 'Duplicates merged into this item')}</h2>
      <ul>
        {merged.map((m) => (
          <li key={m.code}>
            {m.code} — {m.title} (
            {m.ground === 'same-submitter'
              ? tx(locale, 'cùng người gửi', 'same sender')
              : tx(locale, 'cùng nội dung', 'same subject')}
            , {vietnamDateTime(m.merged_at)})
          </li>
        ))}
      </ul>
    </>
  );
}

export function EscalatedBadge({ at, locale }: { at: Date | null; locale: Locale }) {
  if (!at) return null;
  return (
    <span class="tag tag--danger">
      {tx(locale, 'Đã báo cáo lãnh đạo', 'Escalated')} ({vietnamDateTime(at)})
    </span>
  );
}
