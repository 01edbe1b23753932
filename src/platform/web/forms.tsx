/**
 * Pieces every page form uses: the body schema (bounded optional text fields and the CSRF token), the
 * CSRF field, and the summary of a form's problems at its top.
 */
import { type TProperties, Type } from 'typebox';
import { CSRF_FIELD } from '../security/index.ts';

/** An optional, bounded text field of a form body. */
export const S = (max = 200) => Type.Optional(Type.String({ maxLength: max }));

/** The body schema of a page form: its fields and the CSRF token. */
export const FormBody = <T extends TProperties>(fields: T) => Type.Object({ _csrf: S(100), ...fields });

/** The form's CSRF token (checked by the platform's CSRF plugin on every form post). */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

/**
 * The GOV.UK-style summary at the top of a form: each problem links to its field by id ('_form': a
 * problem of the whole form, without a link).
 */
export function ErrorSummary({ errors, title }: { errors: Record<string, string>; title: string }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div class="notice notice--error" role="alert" tabIndex={-1} id="loi">
      <p class="notice__title">{title}</p>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>{field === '_form' ? message : <a href={`#${field}`}>{message}</a>}</li>
        ))}
      </ul>
    </div>
  );
}
