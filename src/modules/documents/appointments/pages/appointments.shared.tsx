/**
 * What the appointments' pages share (appointments.pages.tsx for the public and citizens,
 * officer.pages.tsx for the offices): the addresses, who may see what, the form field, turning a
 * refusal into errors, and the time and day texts.
 */
import type { ComponentChildren } from 'preact';
import { Type } from 'typebox';
import { formatVietnameseDate, vietnamDateTime, weekdayName } from '../../../../platform/clock/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { access } from '../../../../platform/http/index.ts';
import { type Locale, tx } from '../../../../platform/i18n/index.ts';
import { S } from '../../../../platform/web/index.ts';
import type { Office } from '../../offices.repository.ts';
import type { AppointmentsService } from '../appointments.service.ts';

export const APPOINTMENTS_PAGE = '/chung-thuc-ban-sao';
export const MY_APPOINTMENTS = '/tai-khoan/lich-hen';
export const OFFICER_APPOINTMENTS = '/quan-tri/chung-thuc/lich-hen';
export const RULES_PAGE = `${OFFICER_APPOINTMENTS}/quy-tac`;

export const people = access.account('citizen', 'business', 'organisation');
export const officers = access.officer('certifier', 'agency-admin');
export const LangQuery = Type.Object({ lang: S(2) });
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** What the pages are given (appointments/index.ts). */
export interface AppointmentPagesDeps {
  service: AppointmentsService;
  provinces?: () => Promise<Array<{ code: string; name: string }>>;
}

export type Errors = Record<string, string>;

/** A refusal below 500 becomes errors by field (the service's paths, `body.` dropped) or of the form. */
export function errorsOf(e: unknown): { errors: Errors; status: number } {
  if (e instanceof AppError && e.status < 500) {
    const errors: Errors = {};
    for (const p of e.extras.errors ?? []) errors[p.path.replace(/^body\./, '')] ??= p.message;
    if (Object.keys(errors).length === 0) errors._form = e.message;
    return { errors, status: e.status };
  }
  throw e;
}

export function Field(props: {
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  children: (described: string | undefined, invalid: boolean) => ComponentChildren;
}) {
  const described =
    [props.hint ? `${props.name}-goi-y` : '', props.error ? `${props.name}-loi` : '']
      .filter(Boolean)
      .join(' ') || undefined;
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
      {props.children(described, Boolean(props.error))}
    </div>
  );
}

export const time = (d: Date) => vietnamDateTime(d).slice(11);
export const dayText = (day: string, locale: Locale) =>
  `${weekdayName(day, locale)}, ${formatVietnameseDate(day)}`;

export function officeRows(o: Office, locale: Locale) {
  return [
    { path: 'office', label: tx(locale, 'Nơi chứng thực', 'Office'), value: o.name },
    { path: 'address', label: tx(locale, 'Địa chỉ', 'Address'), value: o.address ?? '—' },
  ];
}
