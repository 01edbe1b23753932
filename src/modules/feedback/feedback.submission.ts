/**
 * Submitting an item, in named steps: the fields (no I/O), the procedure, dossier and agency named (ports),
 * the files sent with the form, a retry answered with its item, the limits and the one-time code, then the
 * item, its event, files and audit row in one transaction. On the hotline an operator writes down a caller's
 * item (no account, no code).
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../platform/errors/index.ts';
import type { BlobStore } from '../../platform/files/index.ts';
import { type Contact, type createContactCodes, LIMITS, parseContact } from './contact-codes.ts';
import type { Regime } from './domain/deadlines.ts';
import type { Caller } from './feedback.policies.ts';
import { type FeedbackPorts, GOVERNMENT_OFFICE } from './feedback.ports.ts';
import * as repo from './feedback.repository.ts';
import { CATEGORIES, type Category, type Channel, type FeedbackTables } from './feedback.tables.ts';
import {
  checkSentFiles,
  forgetFiles,
  insertSentFiles,
  type SentFile,
  type StoredFile,
  storeFiles,
} from './submit-files.ts';

export interface SubmitInput {
  title: string;
  content: string;
  category: string;
  procedureCode?: string | undefined;
  dossierCode?: string | undefined;
  agency?: string | undefined;
  /** Anonymous (or hotline) submitters: name and contact; a signed-in account's own contact otherwise. */
  name?: string | undefined;
  contact?: string | undefined;
  address?: string | undefined;
  /** Anonymous: the challenge and the one-time code sent to `contact`. */
  challengeId?: string | undefined;
  code?: string | undefined;
}

export interface SubmitCaller extends Caller {
  /** The signed-in account's display name (with an account). */
  displayName?: string | undefined;
  channel: Channel;
  ip: string;
}

const MAX = { title: 300, content: 10_000, name: 200, address: 500, code: 60 };

export const fieldProblem = (errors: { path: string; message: string }[]) =>
  new ValidationError(errors.map((e) => e.message).join(' '), errors);

export function createSubmission(deps: {
  db: Kysely<FeedbackTables>;
  clock: Clock;
  ports: FeedbackPorts;
  regime: Regime;
  codes: ReturnType<typeof createContactCodes>;
  blobs: BlobStore;
}) {
  const { db, clock, ports, regime, codes } = deps;

  /**
   * Field checks that need nothing but the input. Without an account the name and contact are required,
   * and the one-time code unless an operator heard the caller (`needCode` false).
   */
  function checkFields(input: SubmitInput, anonymous: boolean, needCode: boolean) {
    const errors: { path: string; message: string }[] = [];
    const title = input.title.trim();
    const content = input.content.trim();
    if (title === '' || title.length > MAX.title)
      errors.push({
        path: 'title',
        message: `Cần nhập tiêu đề (tối đa ${MAX.title} ký tự). / A title is required.`,
      });
    if (content === '' || content.length > MAX.content)
      errors.push({
        path: 'content',
        message: `Cần nhập nội dung (tối đa ${MAX.content} ký tự). / Content is required.`,
      });
    if (!(CATEGORIES as readonly string[]).includes(input.category))
      errors.push({ path: 'category', message: 'Cần chọn loại phản ánh. / Choose a category.' });
    let contact: Contact | undefined;
    if (anonymous) {
      if (!input.name?.trim() || input.name.trim().length > MAX.name)
        errors.push({ path: 'name', message: 'Cần nhập họ và tên. / Your name is required.' });
      contact = input.contact === undefined ? undefined : parseContact(input.contact);
      if (!contact)
        errors.push({
          path: 'contact',
          message: 'Cần số điện thoại hoặc thư điện tử hợp lệ. / A valid phone or e-mail is required.',
        });
      if (needCode && (!input.challengeId || !input.code))
        errors.push({
          path: 'code',
          message: 'Cần nhập mã xác minh đã gửi tới bạn. / Enter the code sent to you.',
        });
    }
    if ((input.address?.length ?? 0) > MAX.address)
      errors.push({ path: 'address', message: `Địa chỉ tối đa ${MAX.address} ký tự. / Address too long.` });
    for (const f of ['procedureCode', 'dossierCode', 'agency'] as const)
      if ((input[f]?.length ?? 0) > MAX.code)
        errors.push({ path: f, message: 'Mã quá dài. / Code too long.' });
    return { errors, title, content, contact };
  }

  /** The procedure, dossier and agency named, checked through the ports (before the transaction). */
  async function checkReferences(input: SubmitInput, errors: { path: string; message: string }[]) {
    const procedure = input.procedureCode?.trim() || null;
    const dossier = input.dossierCode?.trim() || null;
    const agency = input.agency?.trim().toUpperCase() || null;
    if (procedure && !(await ports.procedureExists(procedure)))
      errors.push({
        path: 'procedureCode',
        message: 'Không có thủ tục hành chính với mã này. / No procedure with this code.',
      });
    if (dossier && !(await ports.dossierExists(dossier)))
      errors.push({
        path: 'dossierCode',
        message: 'Không có hồ sơ với mã này. / No dossier with this code.',
      });
    if (agency && !(await ports.agencyExists(agency)))
      errors.push({ path: 'agency', message: 'Không có cơ quan với mã này. / No agency with this code.' });
    return { procedure, dossier, agency };
  }

  /**
   * Submits an item. On the hotline (`channel: 'hotline'`) the caller is a hotline operator at the
   * Government Office writing down what someone said on the phone: the item has no account, the caller's
   * name and contact are the submitter's (they follow it as anonymous submitters do), and no one-time code
   * is asked for since the operator heard them. `files`: sent with the form (submit-files.ts), checked with
   * the fields and saved with the item.
   */
  async function submit(
    input: SubmitInput,
    caller: SubmitCaller,
    idempotencyKey: string,
    files: readonly SentFile[] = [],
  ) {
    const hotline = caller.channel === 'hotline';
    if (
      hotline &&
      !(caller.accountId && (await ports.can(caller.accountId, 'hotline-operator', GOVERNMENT_OFFICE)))
    )
      throw new ForbiddenError(
        'Chỉ tổng đài viên gửi phản ánh thay người gọi / only hotline operators submit for a caller',
      );
    const anonymous = caller.accountId === null || hotline;
    const { errors, title, content, contact } = checkFields(input, anonymous, !hotline);
    const refs = await checkReferences(input, errors);
    const sent = checkSentFiles(files);
    errors.push(...sent.errors);
    if (errors.length > 0) throw fieldProblem(errors);
    const submitterKey = anonymous ? `contact:${contact!.destination}` : `account:${caller.accountId}`;
    // What a retry of an item without an account must quote: the challenge, or be the same operator.
    const proof = hotline ? `operator:${caller.accountId}` : anonymous ? input.challengeId : undefined;
    // A retry with the same key answers the item it created, before any limit counts it again.
    const seen = await repo.findByIdempotencyKey(db, submitterKey, idempotencyKey);
    if (seen) return replay(seen, title, content, proof);
    if (!hotline) {
      await codes.limit(LIMITS.submitIp, caller.ip);
      await codes.limit(LIMITS.submitContact, submitterKey);
    }
    if (anonymous && !hotline) await codes.verify(input.challengeId!, contact!, input.code!, caller.ip);
    const stored = await storeFiles(deps.blobs, sent.checked);
    let result: Awaited<ReturnType<typeof create>>;
    try {
      result = await create(input, caller, idempotencyKey, {
        title,
        content,
        contact,
        refs,
        submitterKey,
        stored,
        hotline,
        proof,
      });
    } catch (e) {
      await forgetFiles(deps.blobs, stored);
      throw e;
    }
    // A retry that met the item a concurrent request created: these files are not its.
    if (!result.created) await forgetFiles(deps.blobs, stored);
    return result;
  }

  async function create(
    input: SubmitInput,
    caller: SubmitCaller,
    idempotencyKey: string,
    c: {
      title: string;
      content: string;
      contact: Contact | undefined;
      refs: Awaited<ReturnType<typeof checkReferences>>;
      submitterKey: string;
      stored: StoredFile[];
      hotline: boolean;
      proof: string | undefined;
    },
  ) {
    const { title, content, contact, refs, submitterKey, hotline, proof } = c;
    const anonymous = caller.accountId === null || hotline;
    const now = clock.now();
    const year = Number(
      new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(now),
    );
    const created = await db.transaction().execute(async (trx) => {
      if (anonymous && !hotline) await codes.take(trx, input.challengeId!);
      const code = await repo.allocateCode(trx, year);
      const row = await repo.insertItem(trx, {
        code,
        title,
        content,
        category: input.category as Category,
        procedure_code: refs.procedure,
        dossier_code: refs.dossier,
        concerned_agency: refs.agency,
        channel: caller.channel,
        submitter_account_id: anonymous ? null : caller.accountId,
        submitter_key: submitterKey,
        submitter_name:
          (anonymous ? input.name?.trim() : (caller.displayName ?? input.name?.trim())) || 'Tài khoản',
        submitter_phone: contact?.channel === 'sms' ? contact.destination : null,
        submitter_email: contact?.channel === 'email' ? contact.destination : null,
        submitter_address: input.address?.trim() || null,
        idempotency_key: idempotencyKey,
        regime: JSON.stringify(regime),
        submitted_at: now,
      });
      if (!row) return undefined; // a concurrent retry won
      const actor = hotline
        ? `user:${caller.accountId}`
        : actorLabel(caller, anonymous ? contact : undefined);
      await repo.insertEvent(trx, {
        item_id: row.id,
        at: now,
        actor,
        action: 'submit',
        from_status: null,
        to_status: 'submitted',
        agency_code: null,
        // An anonymous retry must quote the same challenge to be answered with this item.
        data: {
          channel: caller.channel,
          ...(hotline ? { operator: caller.accountId } : anonymous ? { challenge: input.challengeId } : {}),
        },
      });
      await insertSentFiles(trx, row.id, c.stored, now);
      await appendAudit(
        trx,
        {
          actor,
          action: 'feedback.submit',
          subject: `feedback:${code}`,
          data: {
            channel: caller.channel,
            ...(c.stored.length > 0
              ? { files: c.stored.map((f) => ({ file: f.file_name, sha256: f.sha256 })) }
              : {}),
          },
        },
        now,
      );
      return row;
    });
    if (created) return { item: created, created: true };
    const again = await repo.findByIdempotencyKey(db, submitterKey, idempotencyKey);
    if (!again) throw new ConflictError('Gửi lại sau ít phút / retry later');
    return replay(again, title, content, proof);
  }

  /**
   * A retry: the same request answers its item. An anonymous retry must also quote the challenge the item
   * was proven with (knowing a contact and a key is not enough to learn someone's item code).
   */
  async function replay(item: repo.ItemRow, title: string, content: string, challenge: string | undefined) {
    if (item.submitter_account_id === null) {
      const data = (await repo.eventsOf(db, item.id))[0]?.data as
        | { challenge?: string; operator?: string }
        | undefined;
      const quoted = data?.operator ? `operator:${data.operator}` : data?.challenge;
      if (!challenge || quoted !== challenge)
        throw new ConflictError('Idempotency-Key này đã được dùng / this key was used already', {
          state: 'key-reused',
        });
    }
    return sameRequest(item, title, content);
  }

  function sameRequest(item: repo.ItemRow, title: string, content: string) {
    if (item.title !== title || item.content !== content)
      throw new ConflictError(
        'Idempotency-Key này đã dùng cho phản ánh khác / this key was used for another item',
        {
          state: 'key-reused',
        },
      );
    return { item, created: false };
  }

  return { submit };
}

function actorLabel(caller: SubmitCaller, contact: Contact | undefined): string {
  if (caller.accountId) return `user:${caller.accountId}`;
  return `contact:${contact?.channel ?? 'unknown'}`;
}
