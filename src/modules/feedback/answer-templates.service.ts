/**
 * Answer templates (mẫu trả lời): each agency — and the Government Office, as `CP` — keeps texts with
 * placeholders (domain/answer-text.ts) that its handlers pick on the answer form and edit before sending.
 * Only the agency's handlers (processor, approver, agency-admin there or above; vpcp-supervisor for CP)
 * list, create, change or delete them; any other template answers 404, as if it did not exist.
 */
import type { Transaction } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import { type Clock, formatVietnameseDate, vietnamDate } from '../../platform/clock/index.ts';
import { type AnyDb, scoped } from '../../platform/db/index.ts';
import { NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import { fillAnswer, PLACEHOLDERS, unknownPlaceholders } from './domain/answer-text.ts';
import { mayHandleFor } from './feedback.policies.ts';
import { AGENCY_HANDLER_ROLES, type FeedbackPorts, GOVERNMENT_OFFICE } from './feedback.ports.ts';
import type { FeedbackTables } from './feedback.tables.ts';

export interface TemplateInput {
  title: string;
  body: string;
}

const MAX = { title: 200, body: 20_000 };

export function createAnswerTemplates(deps: {
  db: AnyDb;
  clock: Clock;
  ports: Pick<FeedbackPorts, 'can' | 'agenciesWhere' | 'agencyName'>;
}) {
  const db = scoped<FeedbackTables>(deps.db);
  const { ports, clock } = deps;
  const hidden = () => new NotFoundError('Không tìm thấy mẫu trả lời / template not found');

  /** Whether the account handles feedback for `agency` (CP: the Government Office). */
  async function mayManage(accountId: string, agency: string): Promise<boolean> {
    if (agency === GOVERNMENT_OFFICE) return ports.can(accountId, 'vpcp-supervisor', GOVERNMENT_OFFICE);
    return mayHandleFor(ports, accountId, agency);
  }

  /** The agencies whose templates the account manages (CP first when a supervisor), sorted. */
  async function agenciesOf(accountId: string): Promise<string[]> {
    const out = new Set<string>();
    for (const role of AGENCY_HANDLER_ROLES)
      for (const a of await ports.agenciesWhere(accountId, role)) out.add(a);
    const office = await ports.can(accountId, 'vpcp-supervisor', GOVERNMENT_OFFICE);
    out.delete(GOVERNMENT_OFFICE);
    return [...(office ? [GOVERNMENT_OFFICE] : []), ...[...out].sort()];
  }

  function checked(input: TemplateInput) {
    const title = input.title.trim().normalize('NFC');
    const body = input.body.trim().normalize('NFC');
    const errors: { path: string; message: string }[] = [];
    if (title === '' || title.length > MAX.title)
      errors.push({
        path: 'title',
        message: `Cần nhập tên mẫu (tối đa ${MAX.title} ký tự). / A title is required.`,
      });
    if (body === '' || body.length > MAX.body)
      errors.push({
        path: 'body',
        message: `Cần nhập nội dung mẫu (tối đa ${MAX.body} ký tự). / The text is required.`,
      });
    const unknown = unknownPlaceholders(body);
    if (unknown.length > 0)
      errors.push({
        path: 'body',
        message: `Không có trường ${unknown.join(', ')}; chỉ dùng ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}. / Unknown placeholder.`,
      });
    if (errors.length > 0) throw new ValidationError(errors.map((e) => e.message).join(' '), errors);
    return { title, body };
  }

  const sameTitle = (title: string) =>
    new ValidationError('Đã có mẫu cùng tên / a template has this title', [
      {
        path: 'title',
        message: `Cơ quan đã có mẫu tên “${title}”. / A template with this title exists.`,
      },
    ]);

  async function list(accountId: string, agency: string) {
    if (!(await mayManage(accountId, agency))) throw hidden();
    return db
      .selectFrom('feedback.answer_templates')
      .selectAll()
      .where('agency_code', '=', agency)
      .orderBy('title')
      .limit(500)
      .execute();
  }

  async function get(accountId: string, id: string) {
    const row = /^[0-9a-f-]{36}$/i.test(id)
      ? await db.selectFrom('feedback.answer_templates').selectAll().where('id', '=', id).executeTakeFirst()
      : undefined;
    if (!row || !(await mayManage(accountId, row.agency_code))) throw hidden();
    return row;
  }

  async function audit(
    trx: Transaction<FeedbackTables>,
    accountId: string,
    action: string,
    id: string,
    data: Record<string, unknown>,
  ) {
    await appendAudit(
      trx,
      {
        actor: `user:${accountId}`,
        action: `feedback.template-${action}`,
        subject: `feedback-template:${id}`,
        data,
      },
      clock.now(),
    );
  }

  async function create(accountId: string, agency: string, input: TemplateInput) {
    const code = agency.trim().toUpperCase();
    if (!(await mayManage(accountId, code))) throw hidden();
    const { title, body } = checked(input);
    const now = clock.now();
    const row = await db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto('feedback.answer_templates')
        .values({ agency_code: code, title, body, created_by: accountId, created_at: now, updated_at: now })
        .onConflict((oc) => oc.constraint('answer_templates_title_uq').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (r) await audit(trx, accountId, 'create', r.id, { agency: code, title });
      return r;
    });
    if (!row) throw sameTitle(title);
    return row;
  }

  async function update(accountId: string, id: string, input: TemplateInput) {
    const before = await get(accountId, id);
    const { title, body } = checked(input);
    const clash = await db
      .selectFrom('feedback.answer_templates')
      .select('id')
      .where('agency_code', '=', before.agency_code)
      .where('title', '=', title)
      .where('id', '<>', id)
      .executeTakeFirst();
    if (clash) throw sameTitle(title);
    try {
      return await db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('feedback.answer_templates')
          .set({ title, body, updated_at: clock.now() })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        if (!r) throw hidden();
        await audit(trx, accountId, 'update', id, { agency: r.agency_code, title });
        return r;
      });
    } catch (e) {
      // A template of the same title saved meanwhile (answer_templates_title_uq).
      if ((e as { code?: string }).code === '23505') throw sameTitle(title);
      throw e;
    }
  }

  async function remove(accountId: string, id: string) {
    const before = await get(accountId, id);
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('feedback.answer_templates').where('id', '=', id).execute();
      await audit(trx, accountId, 'delete', id, { agency: before.agency_code, title: before.title });
    });
    return before;
  }

  /** The agency's templates for the answer form: none when the account does not handle for it. */
  async function usable(accountId: string, agency: string) {
    return (await mayManage(accountId, agency)) ? list(accountId, agency) : [];
  }

  /**
   * The template's text filled for an item, answering for `agency` (CP: the Government Office); undefined
   * when the template is not one of that agency's or the account does not handle for it.
   */
  async function prefill(
    accountId: string,
    id: string,
    agency: string,
    item: { code: string; submitter_name: string; submitted_at: Date },
  ) {
    const t = (await usable(accountId, agency)).find((x) => x.id === id);
    if (!t) return undefined;
    const name =
      agency === GOVERNMENT_OFFICE ? 'Văn phòng Chính phủ' : ((await ports.agencyName?.(agency)) ?? agency);
    return fillAnswer(t.body, {
      ten_nguoi_gui: item.submitter_name,
      ma_pakn: item.code,
      co_quan: name,
      ngay_gui: formatVietnameseDate(vietnamDate(item.submitted_at)),
    });
  }

  return { mayManage, agenciesOf, list, usable, prefill, get, create, update, remove };
}

export type AnswerTemplates = ReturnType<typeof createAnswerTemplates>;
