/** Form pieces for the identity pages: labelled fields with their error, an error summary, the CSRF field. */
import type { ComponentChildren } from 'preact';
import { vietnamWhen } from '../../../platform/clock/index.ts';
import { AppError, ValidationError } from '../../../platform/errors/index.ts';

/** "13:37 29/11/2026", as Vietnamese pages write a moment. */
export function when(d: Date): string {
  return vietnamWhen(d);
}

export type FieldErrors = Record<string, string>;

export function toFieldErrors(
  errors: Array<{ path: string; message: string }> | undefined,
  fallback: string,
): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors ?? []) out[e.path] ??= e.message;
  if (Object.keys(out).length === 0) out._form = fallback;
  return out;
}

/**
 * Runs a service call for a page: a refusal below 500 becomes errors to show next to the fields (or on
 * `field` when the service named none), with the status to answer; anything else is thrown.
 */
export async function attempt<T>(
  fn: () => Promise<T>,
  field = '_form',
): Promise<{ ok: true; value: T } | { ok: false; errors: FieldErrors; status: number }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (e instanceof ValidationError) {
      return { ok: false, errors: toFieldErrors(e.extras.errors, e.message), status: 400 };
    }
    if (e instanceof AppError && e.status < 500) {
      const errors = e.extras.errors?.length
        ? toFieldErrors(e.extras.errors, e.message)
        : { [field]: e.message };
      return { ok: false, errors, status: e.status };
    }
    throw e;
  }
}

// The CSRF field and the error summary are the platform's (platform/web), used by every module's pages.
export { CsrfField, ErrorSummary, FormBody, S } from '../../../platform/web/index.ts';

export function Field(props: {
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  type?: 'text' | 'password' | 'date' | 'email' | 'tel';
  value?: string | undefined;
  autocomplete?: string;
  inputmode?: 'numeric' | 'text' | 'email' | 'tel';
  maxLength?: number;
  required?: boolean;
}) {
  const described = [props.hint ? `${props.name}-goi-y` : '', props.error ? `${props.name}-loi` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={`field${props.error ? ' field--error' : ''}`}>
      <label for={props.name}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.name}-goi-y`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${props.name}-loi`}>
          {props.error}
        </p>
      ) : null}
      <input {...inputAttributes(props, described)} />
    </div>
  );
}

/** The one-time code's field, as every code page asks for it (the phone offers the code it received). */
export function CodeField(props: { label: string; error?: string | undefined }) {
  return (
    <Field
      name="code"
      label={props.label}
      error={props.error}
      inputmode="numeric"
      autocomplete="one-time-code"
      maxLength={10}
      required
    />
  );
}

export function Actions({ children }: { children: ComponentChildren }) {
  return <div class="form-actions">{children}</div>;
}

function inputAttributes(props: Parameters<typeof Field>[0], described: string): Record<string, unknown> {
  return {
    id: props.name,
    name: props.name,
    type: props.type ?? 'text',
    value: props.type === 'password' ? undefined : (props.value ?? ''),
    autocomplete: props.autocomplete,
    inputMode: props.inputmode,
    maxLength: props.maxLength ?? 200,
    required: props.required,
    'aria-invalid': props.error ? 'true' : undefined,
    'aria-describedby': described || undefined,
  };
}

const MASKED_PHONE = /^0\d{2}\*{4}\d{3}$/;
const MASKED_EMAIL = /^[^\s@*]\*{3}@[^\s@]{1,253}$/;

/**
 * Where a code went, for the code pages: "số điện thoại 091****001" / "địa chỉ thư điện tử
 * n***@example.vn" from the masked destination the service answered (`den` in the page's address).
 * Anything that is not such a mask — an address edited by hand — is not repeated on the page.
 */
export function codeDestination(masked: string | undefined, locale: 'vi' | 'en'): string {
  if (masked && MASKED_PHONE.test(masked))
    return locale === 'vi' ? `số điện thoại ${masked}` : `the phone number ${masked}`;
  if (masked && MASKED_EMAIL.test(masked))
    return locale === 'vi' ? `địa chỉ thư điện tử ${masked}` : `the e-mail address ${masked}`;
  return locale === 'vi' ? 'số điện thoại hoặc thư điện tử của bạn' : 'your phone or e-mail';
}
