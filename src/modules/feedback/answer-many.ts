/**
 * One answer for many similar items (issue 19, item 2): a handler picks items from the inbox and sends one
 * text (placeholders filled per item, domain/answer-text.ts) to each. Each item is answered on its own —
 * the same decision, revision check, event and audit row as a single answer (feedback.service.ts
 * `applyCommand`) — so one item that may not be answered leaves the others answered, and is reported with
 * its code and why. A retry or a second run at once never answers an item twice: the route is `answered`
 * after the first, the revision moved, and `answers_item_agency_uq` refuses a second row.
 */
import { formatVietnameseDate, vietnamDate } from '../../platform/clock/index.ts';
import { AppError, ValidationError } from '../../platform/errors/index.ts';
import type { FeedbackStatus } from '../../platform/kernel/index.ts';
import { fillAnswer } from './domain/answer-text.ts';
import type { Actor } from './domain/workflow.ts';
import { maySeeItem, roleFor } from './feedback.policies.ts';
import type { FeedbackPorts } from './feedback.ports.ts';
import type { FeedbackService } from './feedback.service.ts';

export const MAX_ITEMS_PER_ANSWER = 50;

export interface Selection {
  code: string;
  /** The agency the handler answers for (the inbox row's); the Government Office's items: none. */
  agency?: string | undefined;
}

export type AnswerOutcome =
  | { code: string; agency: string | null; ok: true; status: FeedbackStatus }
  | {
      code: string;
      agency: string | null;
      ok: false;
      problem: 'not-found' | 'forbidden' | 'conflict' | 'invalid';
      message: string;
    };

const PROBLEMS: Record<number, 'not-found' | 'forbidden' | 'conflict' | 'invalid'> = {
  400: 'invalid',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
};

const dmy = (d: Date) => formatVietnameseDate(vietnamDate(d));

export function createAnswerMany(deps: {
  service: Pick<FeedbackService, 'loadItem' | 'applyCommand'>;
  ports: Pick<FeedbackPorts, 'agencyName'>;
}) {
  const { service, ports } = deps;

  async function nameOf(agency: string | null) {
    if (agency === null) return 'Văn phòng Chính phủ';
    return (await ports.agencyName?.(agency)) ?? agency;
  }

  /** Answers each selected item with `text`; one outcome per distinct selection, in order. */
  async function answerMany(
    selections: readonly Selection[],
    text: string,
    caller: { accountId: string },
  ): Promise<AnswerOutcome[]> {
    const errors: { path: string; message: string }[] = [];
    const picked = dedupe(selections);
    if (picked.length === 0)
      errors.push({ path: 'items', message: 'Cần chọn ít nhất một phản ánh. / Choose at least one item.' });
    if (picked.length > MAX_ITEMS_PER_ANSWER)
      errors.push({
        path: 'items',
        message: `Tối đa ${MAX_ITEMS_PER_ANSWER} phản ánh mỗi lần. / At most ${MAX_ITEMS_PER_ANSWER} items at once.`,
      });
    if (text.trim() === '' || text.length > 20_000)
      errors.push({
        path: 'text',
        message: 'Cần nhập nội dung trả lời (tối đa 20.000 ký tự). / An answer is required.',
      });
    if (errors.length > 0) throw new ValidationError(errors.map((e) => e.message).join(' '), errors);
    const out: AnswerOutcome[] = [];
    for (const s of picked) out.push(await answerOne(s, text, caller));
    return out;
  }

  async function answerOne(
    s: Selection,
    text: string,
    caller: { accountId: string },
  ): Promise<AnswerOutcome> {
    const agency = s.agency ?? null;
    try {
      const { item, routes, standing } = await service.loadItem(s.code, {
        accountId: caller.accountId,
        agency: s.agency,
      });
      if (!maySeeItem(standing))
        return {
          code: s.code,
          agency,
          ok: false,
          problem: 'not-found',
          message: `Không tìm thấy phản ánh ${s.code} / not found`,
        };
      // Answering for an agency needs that agency's route; without one, the Government Office answers.
      const role = s.agency
        ? standing.agency === s.agency
          ? 'agency'
          : 'public'
        : roleFor(standing, 'answer');
      const actor: Actor = role === 'agency' ? { role, agency: standing.agency! } : { role };
      const answering = role === 'agency' ? actor.agency! : null;
      const body = fillAnswer(text.trim(), {
        ten_nguoi_gui: item.submitter_name,
        ma_pakn: item.code,
        co_quan: await nameOf(answering),
        ngay_gui: dmy(item.submitted_at),
      });
      const r = await service.applyCommand(item, routes, { action: 'answer', text: body }, actor, {
        label: `user:${caller.accountId}`,
        accountId: caller.accountId,
      });
      return { code: s.code, agency, ok: true, status: r.status };
    } catch (e) {
      if (e instanceof AppError && PROBLEMS[e.status])
        return { code: s.code, agency, ok: false, problem: PROBLEMS[e.status]!, message: e.message };
      throw e;
    }
  }

  return { answerMany };
}

function dedupe(selections: readonly Selection[]): Selection[] {
  const seen = new Set<string>();
  const out: Selection[] = [];
  for (const s of selections) {
    const code = s.code.trim().toUpperCase();
    const agency = s.agency?.trim().toUpperCase() || undefined;
    const key = `${code}|${agency ?? ''}`;
    if (code === '' || seen.has(key)) continue;
    seen.add(key);
    out.push({ code, agency });
  }
  return out;
}

export type AnswerMany = ReturnType<typeof createAnswerMany>;
