/**
 * What the wallet's pages share: the owners' access, the route schemas, form errors beside their fields,
 * the metadata fields of the upload and edit forms, dates, sizes and expiry tags, and a file's reply.
 */
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { formatVietnameseDate } from '../../../platform/clock/index.ts';
import { ValidationError } from '../../../platform/errors/index.ts';
import { access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import { S } from '../../../platform/web/index.ts';
import { DOCUMENT_TYPES } from '../domain/document-types.ts';
import { EXPIRY_LABELS } from './wallet.domain.ts';
import type { Metadata, WalletItem } from './wallet.service.ts';

export const OWNERS = access.account('citizen', 'business', 'organisation');
export const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
export const ListQuery = Type.Object({
  loai: S(40),
  kieu: S(40),
  q: S(200),
  ok: S(20),
  lang: S(5),
});
export const MetaFields = {
  documentType: S(40),
  title: S(600),
  issuer: S(400),
  number: S(200),
  issuedOn: S(20),
  expiresOn: S(20),
};

export type Errors = Record<string, string>;
/**
 * The upload form's file as the body holds it: the bytes behind a function, so that the platform's
 * checks of form fields (which walk objects) never walk ten million bytes.
 */

export const errorsOf = (e: unknown): Errors | undefined => {
  if (!(e instanceof ValidationError)) return undefined;
  const out: Errors = {};
  for (const x of e.extras.errors ?? []) out[x.path] ??= x.message;
  if (Object.keys(out).length === 0) out._form = e.message;
  return out;
};

export const day = (d: string | null) => (d ? formatVietnameseDate(d) : '—');
export const kb = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;

export function ExpiryTag({ item, locale }: { item: WalletItem; locale: Locale }) {
  if (item.expiry === 'none') return null;
  const label = EXPIRY_LABELS[item.expiry];
  return (
    <span class={item.expiry === 'expired' ? 'tag tag--danger' : 'tag'}>
      {tx(locale, label.vi, label.en)}
      {item.expiresOn ? ` (${day(item.expiresOn)})` : ''}
    </span>
  );
}

/** A text input with its hint and error, linked for screen readers. */
export function Field(props: {
  name: string;
  label: string;
  value?: string | undefined;
  error?: string | undefined;
  type?: 'text' | 'date';
  hint?: string;
  required?: boolean;
  max?: number;
}) {
  const described = [props.hint ? `${props.name}-goi-y` : '', props.error ? `${props.name}-loi` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={props.error ? 'field field--error' : 'field'}>
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
      {props.type === 'date' ? (
        <input
          id={props.name}
          name={props.name}
          type="date"
          value={props.value ?? ''}
          required={props.required}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={described || undefined}
        />
      ) : (
        <input
          id={props.name}
          name={props.name}
          type="text"
          value={props.value ?? ''}
          required={props.required}
          maxLength={props.max}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={described || undefined}
        />
      )}
    </div>
  );
}

export function TypeSelect({
  value,
  error,
  locale,
  name = 'documentType',
  any,
}: {
  value?: string | undefined;
  error?: string | undefined;
  locale: Locale;
  name?: string;
  any?: boolean;
}) {
  return (
    <div class={error ? 'field field--error' : 'field'}>
      <label for={name}>{tx(locale, 'Loại giấy tờ', 'Document type')}</label>
      {error ? (
        <p class="field-error" id={`${name}-loi`}>
          {error}
        </p>
      ) : null}
      <select id={name} name={name} aria-describedby={error ? `${name}-loi` : undefined}>
        {any ? <option value="">{tx(locale, 'Tất cả', 'All')}</option> : null}
        {DOCUMENT_TYPES.map(([code, vi, en]) => (
          <option key={code} value={code} selected={value === code}>
            {tx(locale, vi, en)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function MetadataFields({
  values,
  errors,
  locale,
}: {
  values: Partial<Metadata>;
  errors: Errors;
  locale: Locale;
}) {
  return (
    <>
      <TypeSelect value={values.documentType} error={errors.documentType} locale={locale} />
      <Field
        name="title"
        label={tx(locale, 'Tên giấy tờ', 'Title')}
        value={values.title}
        error={errors.title}
        required
        max={500}
      />
      <Field
        name="issuer"
        label={tx(locale, 'Cơ quan cấp (không bắt buộc)', 'Issued by (optional)')}
        value={values.issuer}
        error={errors.issuer}
        max={300}
      />
      <Field
        name="number"
        label={tx(locale, 'Số, ký hiệu (không bắt buộc)', 'Number (optional)')}
        value={values.number}
        error={errors.number}
        max={100}
      />
      <Field
        name="issuedOn"
        type="date"
        label={tx(locale, 'Ngày cấp (không bắt buộc)', 'Date of issue (optional)')}
        value={values.issuedOn}
        error={errors.issuedOn}
      />
      <Field
        name="expiresOn"
        type="date"
        label={tx(locale, 'Ngày hết hạn (không bắt buộc)', 'Expiry date (optional)')}
        value={values.expiresOn}
        error={errors.expiresOn}
      />
    </>
  );
}

export const metaFrom = (b: Record<string, unknown>): Metadata => {
  const s = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
  return {
    documentType: s('documentType') ?? '',
    title: s('title') ?? '',
    issuer: s('issuer'),
    number: s('number'),
    issuedOn: s('issuedOn'),
    expiresOn: s('expiresOn'),
  };
};

/** A file's bytes sent to the owner or through a sharing link (never cached, never sniffed). */
export const fileReply = (
  reply: FastifyReply,
  item: WalletItem,
  bytes: Buffer,
  disposition: 'inline' | 'attachment',
) =>
  reply
    .type(item.contentType)
    .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(item.fileName)}`)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .send(bytes);
