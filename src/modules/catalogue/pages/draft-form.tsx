/**
 * The draft editor's form fields for the simple parts of a procedure (levels, audiences, online level,
 * payment, the 15:00 rule, steps, conditions, results, legal basis), one line per item where a list is
 * asked for; the nested parts (channels with times and fees, documents per case, the e-form, agencies,
 * sectors) stay in the JSON box. Pure helpers turn a content into form values and form values back.
 */
import { Type } from 'typebox';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import type { ProcedureContent } from '../domain/procedure.ts';
import { AUDIENCE, LEVEL, ONLINE, PAYMENT } from './labels.ts';

/** The content keys edited as form fields (the JSON box holds the others). */
export const FIELD_KEYS = [
  'name',
  'summary',
  'keywords',
  'levels',
  'audiences',
  'onlineLevel',
  'payment',
  'after15hRule',
  'steps',
  'conditions',
  'results',
  'legalBasis',
] as const;

const S = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const Many = Type.Optional(
  Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })]),
);

export const DraftBody = Type.Object({
  _csrf: S(100),
  /** Present when the form fields below were on the page (a checkbox left empty then means "none"). */
  fields: S(1),
  name: S(500),
  summary: S(2000),
  keywords: S(2000),
  levels: Many,
  audiences: Many,
  onlineLevel: S(20),
  payment: S(20),
  after15hRule: S(10),
  steps: S(60_000),
  conditions: S(60_000),
  results: S(20_000),
  legalBasis: S(60_000),
  content: S(400_000),
});

export interface DraftValues {
  fields?: string | undefined;
  name?: string | undefined;
  summary?: string | undefined;
  keywords?: string | undefined;
  levels?: string | string[] | undefined;
  audiences?: string | string[] | undefined;
  onlineLevel?: string | undefined;
  payment?: string | undefined;
  after15hRule?: string | undefined;
  steps?: string | undefined;
  conditions?: string | undefined;
  results?: string | undefined;
  legalBasis?: string | undefined;
  content?: string | undefined;
}

const lines = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
const many = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Form values for a content: the simple parts as fields, the rest as JSON. */
export function valuesOf(c: ProcedureContent, order: readonly string[]): DraftValues {
  const rest = Object.fromEntries(
    order
      .filter(
        (k) => !(FIELD_KEYS as readonly string[]).includes(k) && c[k as keyof ProcedureContent] !== undefined,
      )
      .map((k) => [k, c[k as keyof ProcedureContent]]),
  );
  return {
    fields: '1',
    name: c.name,
    summary: c.summary ?? '',
    keywords: c.keywords.join(', '),
    levels: c.levels,
    audiences: c.audiences,
    onlineLevel: c.onlineLevel,
    payment: c.payment,
    after15hRule: c.after15hRule ? 'on' : '',
    steps: c.steps.join('\n'),
    conditions: c.conditions.join('\n'),
    results: c.results.map((r) => (r.code ? `${r.code} | ${r.name}` : r.name)).join('\n'),
    legalBasis: c.legalBasis.map((l) => `${l.number} | ${l.title}`).join('\n'),
    content: JSON.stringify(rest, null, 2),
  };
}

/**
 * The content to save: what the draft had, then the JSON box, then the fields (when they were on the
 * page). Nothing is checked here: the service validates the whole content.
 */
export function contentFrom(current: ProcedureContent, json: unknown, v: DraftValues): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  const out: Record<string, unknown> = { ...current, ...(json as Record<string, unknown>) };
  if (v.name?.trim()) out.name = v.name.trim();
  if (v.summary !== undefined) {
    if (v.summary.trim()) out.summary = v.summary.trim();
    else delete out.summary;
  }
  if (v.keywords !== undefined)
    out.keywords = v.keywords
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
  if (v.fields === '1') {
    out.levels = many(v.levels);
    out.audiences = many(v.audiences);
    if (v.onlineLevel) out.onlineLevel = v.onlineLevel;
    if (v.payment) out.payment = v.payment;
    out.after15hRule = v.after15hRule === 'on';
    out.steps = lines(v.steps);
    out.conditions = lines(v.conditions);
    out.results = lines(v.results).map((l) => {
      const m = /^([^|]{1,40})\|(.+)$/.exec(l);
      return m ? { code: m[1]!.trim(), name: m[2]!.trim() } : { name: l };
    });
    out.legalBasis = lines(v.legalBasis).map((l) => {
      const m = /^([^|]+)\|(.+)$/.exec(l);
      return m ? { number: m[1]!.trim(), title: m[2]!.trim() } : { number: l, title: l };
    });
  }
  return out;
}

function Checks({
  name,
  legend,
  options,
  selected,
}: {
  name: string;
  legend: string;
  options: Array<[string, string]>;
  selected: string[];
}) {
  return (
    <fieldset class="field">
      <legend>{legend}</legend>
      {options.map(([value, label]) => (
        <label key={value} class="choice">
          <input type="checkbox" name={name} value={value} checked={selected.includes(value)} /> {label}
        </label>
      ))}
    </fieldset>
  );
}

function Lines({
  name,
  label,
  hint,
  value,
}: {
  name: string;
  label: string;
  hint: string;
  value: string | undefined;
}) {
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <p class="hint" id={`${name}-goi-y`}>
        {hint}
      </p>
      <textarea id={name} name={name} class="lines" aria-describedby={`${name}-goi-y`}>
        {value ?? ''}
      </textarea>
    </div>
  );
}

export function DraftFields({ locale, v }: { locale: Locale; v: DraftValues }) {
  const pairs = (m: Record<string, { vi: string; en: string }>) =>
    Object.entries(m).map(([k, t]) => [k, t[locale]] as [string, string]);
  return (
    <>
      <input type="hidden" name="fields" value="1" />
      <div class="field">
        <label for="name">{tx(locale, 'Tên thủ tục', 'Name')}</label>
        <input id="name" name="name" value={v.name ?? ''} maxLength={500} />
      </div>
      <div class="field">
        <label for="summary">{tx(locale, 'Tóm tắt', 'Summary')}</label>
        <input id="summary" name="summary" value={v.summary ?? ''} maxLength={2000} />
      </div>
      <div class="field">
        <label for="keywords">
          {tx(locale, 'Từ khóa tìm kiếm (cách nhau bởi dấu phẩy)', 'Search keywords (comma separated)')}
        </label>
        <input id="keywords" name="keywords" value={v.keywords ?? ''} maxLength={2000} />
      </div>
      <Checks
        name="levels"
        legend={tx(locale, 'Cấp thực hiện', 'Levels')}
        options={pairs(LEVEL)}
        selected={many(v.levels)}
      />
      <Checks
        name="audiences"
        legend={tx(locale, 'Đối tượng thực hiện', 'Who applies')}
        options={pairs(AUDIENCE)}
        selected={many(v.audiences)}
      />
      <div class="field">
        <label for="onlineLevel">{tx(locale, 'Mức độ dịch vụ trực tuyến', 'Online service')}</label>
        <select id="onlineLevel" name="onlineLevel">
          {pairs(ONLINE).map(([value, label]) => (
            <option key={value} value={value} selected={v.onlineLevel === value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="payment">{tx(locale, 'Thu phí, lệ phí', 'Fees are paid')}</label>
        <select id="payment" name="payment">
          {pairs(PAYMENT).map(([value, label]) => (
            <option key={value} value={value} selected={v.payment === value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label class="choice">
          <input type="checkbox" name="after15hRule" checked={v.after15hRule === 'on'} />{' '}
          {tx(
            locale,
            'Hồ sơ nhận sau 15 giờ được giải quyết từ ngày làm việc tiếp theo',
            'Received after 15:00 → handled from the next working day',
          )}
        </label>
      </div>
      <Lines
        name="steps"
        label={tx(locale, 'Trình tự thực hiện', 'Steps')}
        hint={tx(locale, 'Mỗi bước một dòng.', 'One step per line.')}
        value={v.steps}
      />
      <Lines
        name="conditions"
        label={tx(locale, 'Yêu cầu, điều kiện', 'Requirements')}
        hint={tx(locale, 'Mỗi điều kiện một dòng.', 'One per line.')}
        value={v.conditions}
      />
      <Lines
        name="results"
        label={tx(locale, 'Kết quả thực hiện', 'Results')}
        hint={tx(
          locale,
          'Mỗi kết quả một dòng; có mã thì ghi “mã | tên”.',
          'One per line; with a code: “code | name”.',
        )}
        value={v.results}
      />
      <Lines
        name="legalBasis"
        label={tx(locale, 'Căn cứ pháp lý', 'Legal basis')}
        hint={tx(locale, 'Mỗi văn bản một dòng: “số hiệu | tên văn bản”.', 'One per line: “number | title”.')}
        value={v.legalBasis}
      />
    </>
  );
}
