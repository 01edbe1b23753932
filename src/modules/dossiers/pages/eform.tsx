/**
 * The e-form rendered on the server from the procedure's form schema (catalogue's FormSchema), and the
 * way back: posted fields (`f.<key>`, `f.<group>.<i>.<key>`, `f.<address>.province`) into the answers
 * object the schema checks. Works without JavaScript: an address's commune list is the chosen province's
 * (choose the province, save the draft, then the commune; with JavaScript the list follows the province
 * at once).
 */
import type { FormField } from '../../catalogue/index.ts';

export type Values = Record<string, unknown>;
export type Errors = Record<string, string>;
export interface Unit {
  code: string;
  name: string;
}
export interface UploadInfo {
  id: string;
  file_name: string;
  size_bytes: number;
}

/** The field id of a problem path: '/noiCuTru/province' → 'f.noiCuTru.province'. */
export const idOf = (path: string) => `f${path.replace(/\//g, '.')}`;

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

function Described({
  id,
  hint,
  error,
}: {
  id: string;
  hint?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <>
      {hint ? (
        <p class="hint" id={`${id}-goi-y`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-loi`}>
          {error}
        </p>
      ) : null}
    </>
  );
}

const described = (id: string, hint?: string, error?: string) =>
  [hint ? `${id}-goi-y` : '', error ? `${id}-loi` : ''].filter(Boolean).join(' ') || undefined;

export interface EFormContext {
  errors: Errors;
  provinces: Unit[];
  communesOf: (province: string) => Unit[];
  uploads: Map<string, UploadInfo>;
  maxMb: number;
  /** What an optional file slot's label says (default “không bắt buộc”; “tùy trường hợp” before a case is chosen). */
  optionalFile?: string | undefined;
}

export function EFormFields({
  fields,
  values,
  path,
  ctx,
}: {
  fields: readonly FormField[];
  values: Values;
  path: string;
  ctx: EFormContext;
}) {
  return (
    <>
      {fields.map((f) => (
        <EField key={f.key} f={f} value={values[f.key]} path={`${path}/${f.key}`} ctx={ctx} />
      ))}
    </>
  );
}

function EField({ f, value, path, ctx }: { f: FormField; value: unknown; path: string; ctx: EFormContext }) {
  const id = idOf(path);
  const error = ctx.errors[path];
  const hint = f.hint?.vi;
  const label = `${f.label.vi}${f.required ? '' : ' (không bắt buộc)'}`;
  const common = {
    id,
    name: id,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': described(id, hint, error),
  };
  const wrap = (control: preact.ComponentChildren) => (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id}>{label}</label>
      <Described id={id} hint={hint} error={error} />
      {control}
    </div>
  );
  switch (f.type) {
    case 'text':
      return wrap(
        f.multiline ? (
          <textarea {...common} maxLength={f.maxLength} rows={4}>
            {str(value)}
          </textarea>
        ) : (
          <input {...common} type="text" value={str(value)} maxLength={f.maxLength} />
        ),
      );
    case 'number':
      return wrap(
        <input
          {...common}
          type="text"
          inputMode={f.integer ? 'numeric' : 'decimal'}
          value={str(value)}
          maxLength={20}
        />,
      );
    case 'date':
      return wrap(<input {...common} type="date" value={str(value)} />);
    case 'id-number':
      return wrap(
        <input
          {...common}
          type="text"
          inputMode="numeric"
          value={str(value)}
          maxLength={12}
          autocomplete="off"
        />,
      );
    case 'choice':
      if (f.multiple) {
        const chosen = Array.isArray(value) ? value.map(String) : [];
        return (
          <fieldset class={`choices${error ? ' field--error' : ''}`} id={id}>
            <legend>{label}</legend>
            <Described id={id} hint={hint} error={error} />
            {f.options.map((o) => (
              <label key={o.value}>
                <input type="checkbox" name={id} value={o.value} checked={chosen.includes(o.value)} />{' '}
                {o.label.vi}
              </label>
            ))}
          </fieldset>
        );
      }
      return wrap(
        <select {...common}>
          <option value="">— Chọn —</option>
          {f.options.map((o) => (
            <option key={o.value} value={o.value} selected={str(value) === o.value}>
              {o.label.vi}
            </option>
          ))}
        </select>,
      );
    case 'address': {
      const a = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
      const province = str(a.province);
      const communes = province ? ctx.communesOf(province) : [];
      const pe = ctx.errors[`${path}/province`] ?? error;
      const ce = ctx.errors[`${path}/commune`];
      return (
        <fieldset class="field" id={id}>
          <legend>{label}</legend>
          <div class={`field${pe ? ' field--error' : ''}`}>
            <label for={`${id}.province`}>Tỉnh, thành phố</label>
            <Described id={`${id}.province`} error={pe} />
            <select id={`${id}.province`} name={`${id}.province`} aria-invalid={pe ? true : undefined}>
              <option value="">— Chọn tỉnh, thành phố —</option>
              {ctx.provinces.map((p) => (
                <option key={p.code} value={p.code} selected={p.code === province}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          {f.level === 'commune' ? (
            <div class={`field${ce ? ' field--error' : ''}`}>
              <label for={`${id}.commune`}>Xã, phường, đặc khu</label>
              <Described
                id={`${id}.commune`}
                hint={
                  province && communes.length > 0
                    ? undefined
                    : 'Chọn tỉnh, thành phố rồi bấm “Lưu nháp” để hiện danh sách xã, phường.'
                }
                error={ce}
              />
              <select
                id={`${id}.commune`}
                name={`${id}.commune`}
                aria-invalid={ce ? true : undefined}
                data-xa-cua={`${id}.province`}
              >
                <option value="">— Chọn xã, phường —</option>
                {communes.map((c) => (
                  <option key={c.code} value={c.code} selected={c.code === str(a.commune)}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div class="field">
            <label for={`${id}.street`}>Số nhà, đường, thôn, tổ (không bắt buộc)</label>
            <input
              id={`${id}.street`}
              name={`${id}.street`}
              type="text"
              value={str(a.street)}
              maxLength={300}
            />
          </div>
        </fieldset>
      );
    }
    case 'group': {
      if (!f.repeatable) {
        const v = (value && typeof value === 'object' ? value : {}) as Values;
        return (
          <fieldset class="field" id={id}>
            <legend>{label}</legend>
            <Described id={id} hint={hint} error={error} />
            <EFormFields fields={f.fields} values={v} path={path} ctx={ctx} />
          </fieldset>
        );
      }
      const items = (Array.isArray(value) ? value : []) as Values[];
      const shown = Math.min(Math.max(items.length + 1, f.min ?? 1), f.max ?? 50);
      return (
        <fieldset class="field" id={id}>
          <legend>{label}</legend>
          <Described
            id={id}
            hint={hint ?? 'Để trống dòng không dùng; bấm “Lưu nháp” để có thêm dòng.'}
            error={error}
          />
          {Array.from({ length: shown }, (_, i) => (
            <fieldset key={i} class="field">
              <legend>
                {f.label.vi} {i + 1}
              </legend>
              <EFormFields fields={f.fields} values={items[i] ?? {}} path={`${path}/${i}`} ctx={ctx} />
            </fieldset>
          ))}
        </fieldset>
      );
    }
    case 'file': {
      const up = typeof value === 'string' ? ctx.uploads.get(value) : undefined;
      const accept = (f.accept ?? ['application/pdf', 'image/jpeg', 'image/png']).join(',');
      const limit = Math.min(f.maxSizeMb ?? ctx.maxMb, ctx.maxMb);
      return (
        <div class={`field${error ? ' field--error' : ''}`}>
          <label for={`tep.${f.key}`}>
            {f.label.vi}
            <span data-tuy-chon="">{f.required ? '' : ` (${ctx.optionalFile ?? 'không bắt buộc'})`}</span>
          </label>
          <p class="hint" id={`tep.${f.key}-goi-y`}>
            {`PDF, JPEG hoặc PNG, tối đa ${limit} MB.`}
            {up
              ? ` Đã đính kèm: ${up.file_name} (${Math.ceil(up.size_bytes / 1024)} KB); chọn tệp khác để thay.`
              : ''}
          </p>
          {error ? (
            <p class="field-error" id={`${id}-loi`}>
              {error}
            </p>
          ) : null}
          {up ? <input type="hidden" name={id} value={up.id} /> : null}
          <input
            id={`tep.${f.key}`}
            name={`tep.${f.key}`}
            type="file"
            accept={accept}
            aria-describedby={[`tep.${f.key}-goi-y`, error ? `${id}-loi` : ''].filter(Boolean).join(' ')}
            aria-invalid={error ? true : undefined}
          />
          <span id={id} />
        </div>
      );
    }
  }
}

/** The posted fields of the form back into answers: numbers as numbers, empty values left out. */
export function readEForm(fields: readonly FormField[], body: Record<string, unknown>, prefix = 'f'): Values {
  const out: Values = {};
  const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  for (const f of fields) {
    const name = `${prefix}.${f.key}`;
    switch (f.type) {
      case 'group':
        if (f.repeatable) {
          const items: Values[] = [];
          for (let i = 0; i < (f.max ?? 50); i++) {
            const item = readEForm(f.fields, body, `${name}.${i}`);
            if (Object.keys(item).length > 0) items.push(item);
          }
          if (items.length > 0) out[f.key] = items;
        } else {
          const item = readEForm(f.fields, body, name);
          if (Object.keys(item).length > 0) out[f.key] = item;
        }
        break;
      case 'address': {
        const a: Values = {};
        for (const part of ['province', 'commune', 'street']) {
          const v = one(body[`${name}.${part}`]);
          if (typeof v === 'string' && v.trim() !== '') a[part] = v.trim();
        }
        if (Object.keys(a).length > 0) out[f.key] = a;
        break;
      }
      case 'choice': {
        const v = body[name];
        if (f.multiple) {
          const xs = (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
            (x) => typeof x === 'string' && x !== '',
          );
          if (xs.length > 0) out[f.key] = xs;
        } else if (typeof one(v) === 'string' && one(v) !== '') out[f.key] = one(v);
        break;
      }
      case 'number': {
        const v = one(body[name]);
        if (typeof v === 'string' && v.trim() !== '') {
          const n = Number(v.trim().replace(',', '.'));
          out[f.key] = Number.isFinite(n) ? n : v.trim();
        }
        break;
      }
      default: {
        const v = one(body[name]);
        if (typeof v === 'string' && v.trim() !== '') out[f.key] = v.normalize('NFC').trim();
      }
    }
  }
  return out;
}
