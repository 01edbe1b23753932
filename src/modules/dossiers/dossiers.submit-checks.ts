/**
 * The checks of a submission before anything is written (bounded, well-formed input: idempotency key,
 * channel, applicant, place, e-form size, case), the hash that tells a repeat from another request under
 * the same key, and the bounded text of reasons and notes.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../platform/audit/index.ts';
import { ValidationError } from '../../platform/errors/index.ts';
import { CHANNELS } from '../../platform/kernel/index.ts';
import type { SubmitInput } from './dossiers.service.ts';
import type { ApplicantKind } from './dossiers.tables.ts';

const KEY = /^[!-~]{1,255}$/;
const MAX_FORM_BYTES = 512 * 1024;
export const MAX_TEXT = 4000;
const KINDS: readonly ApplicantKind[] = ['citizen', 'business', 'organisation', 'state-agency'];

export function text(value: string | undefined, path: string, max: number): string | undefined {
  if (value === undefined) return undefined;
  const t = value.normalize('NFC').trim();
  if (t.length > max)
    throw new ValidationError(`Tối đa ${max} ký tự.`, [{ path, message: `at most ${max} characters` }]);
  return t === '' ? undefined : t;
}

export function checkSubmit(input: SubmitInput): void {
  const problems: Array<{ path: string; message: string }> = [];
  if (!KEY.test(input.idempotencyKey))
    problems.push({ path: 'idempotencyKey', message: '1–255 printable ASCII characters' });
  if (!CHANNELS.includes(input.channel))
    problems.push({ path: 'channel', message: 'in-person, online or postal' });
  if (!KINDS.includes(input.applicant.kind))
    problems.push({ path: 'applicant.kind', message: 'unknown kind' });
  const name = input.applicant.name.trim();
  if (name.length < 1 || name.length > 300)
    problems.push({ path: 'applicant.name', message: '1–300 characters' });
  if (!/^[0-9A-Za-z][0-9A-Za-z._-]{0,59}$/.test(input.procedureCode))
    problems.push({ path: 'procedureCode', message: 'not a procedure code' });
  if (
    input.procedureVersion !== undefined &&
    !(Number.isInteger(input.procedureVersion) && input.procedureVersion >= 1)
  )
    problems.push({ path: 'procedureVersion', message: 'a version number ≥ 1' });
  if (!/^\d{2}$/.test(input.place.provinceCode))
    problems.push({ path: 'place.provinceCode', message: 'two digits' });
  if (input.place.communeCode !== undefined && !/^\d{5}$/.test(input.place.communeCode))
    problems.push({ path: 'place.communeCode', message: 'five digits' });
  if (input.summary !== undefined && input.summary.length > 1000)
    problems.push({ path: 'summary', message: 'at most 1000 characters' });
  const form = input.formData;
  if (form === null || typeof form !== 'object' || Array.isArray(form))
    problems.push({ path: 'formData', message: 'an object' });
  else if (Buffer.byteLength(JSON.stringify(form), 'utf8') > MAX_FORM_BYTES)
    problems.push({ path: 'formData', message: `at most ${MAX_FORM_BYTES} bytes of JSON` });
  for (const [i, a] of (input.attachments ?? []).entries()) {
    if (!/^[0-9a-f]{64}$/.test(a.sha256))
      problems.push({ path: `attachments/${i}/sha256`, message: 'lower-case hex SHA-256' });
    if (!Number.isSafeInteger(a.sizeBytes) || a.sizeBytes < 0)
      problems.push({ path: `attachments.${i}.sizeBytes`, message: 'a size in bytes' });
    if (!/^[a-z]+\/[a-z0-9.+-]{1,100}$/.test(a.mediaType))
      problems.push({ path: `attachments.${i}.mediaType`, message: 'a media type' });
    if (a.fileName.length < 1 || a.fileName.length > 255)
      problems.push({ path: `attachments.${i}.fileName`, message: '1–255 characters' });
    if (a.blobKey.length < 1 || a.blobKey.length > 500)
      problems.push({ path: `attachments.${i}.blobKey`, message: '1–500 characters' });
    if (a.documentCode !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(a.documentCode))
      problems.push({ path: `attachments.${i}.documentCode`, message: 'a document code' });
  }
  if ((input.attachments?.length ?? 0) > 100)
    problems.push({ path: 'attachments', message: 'at most 100 files' });
  if (problems.length > 0) throw new ValidationError('Hồ sơ nộp chưa hợp lệ.', problems);
}

/** What identifies a submission for its idempotency key: everything but the key. */
export function requestHash(input: SubmitInput): string {
  const { idempotencyKey: _key, ...request } = input;
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}
