/**
 * The hotline's service: calls written once per operator and key (a retry or a double submit answers the
 * same call; the database's unique key decides a race), turned into a feedback item (through the
 * feedback module, idempotent on a key derived from the call's) or a support answer (queued to the
 * caller in the call's transaction), callbacks claimed by one operator at a time, and the day's figures.
 * Only hotline operators of the Government Office use it.
 */
import { createHash } from 'node:crypto';
import { appendAudit } from '../../platform/audit/index.ts';
import { type Clock, isIsoDate, vietnamDate } from '../../platform/clock/index.ts';
import { type AnyDb, scoped } from '../../platform/db/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import {
  type Call,
  type CallInput,
  type FieldError,
  parseCall,
  requestHash,
  vietnamDay,
} from './domain/call-input.ts';
import { CALLBACK_OUTCOMES, OUTCOMES, TOPICS } from './domain/vocabulary.ts';
import { GOVERNMENT_OFFICE, type HotlinePorts, OPERATOR_ROLE } from './hotline.ports.ts';
import * as repo from './hotline.repository.ts';
import type { HotlineTables } from './hotline.tables.ts';

export interface HotlineServiceDeps {
  db: AnyDb;
  clock: Clock;
  ports: HotlinePorts;
}

const problem = (errors: FieldError[]) => new ValidationError(errors.map((e) => e.message).join(' '), errors);

/** The feedback API's field paths as the call's. */
const FEEDBACK_PATHS: Record<string, string> = {
  title: 'feedback.title',
  content: 'feedback.content',
  category: 'feedback.category',
  name: 'callerName',
  contact: 'callerPhone',
  procedureCode: 'procedureCode',
  dossierCode: 'dossierCode',
};

export function createHotlineService(deps: HotlineServiceDeps) {
  const db = scoped<HotlineTables>(deps.db);
  const { clock, ports } = deps;

  /**
   * Only hotline operators at the Government Office; anyone else (an operator of another agency's own
   * switchboard) is answered as the route answers those without the role: 404.
   */
  async function ensureOperator(accountId: string) {
    if (!(await ports.can(accountId, OPERATOR_ROLE, GOVERNMENT_OFFICE)))
      throw new NotFoundError('Không tìm thấy trang. / Not found.');
  }

  function checkKey(key: string) {
    if (!/^[!-~]{1,200}$/.test(key))
      throw problem([{ path: 'idempotency-key', message: 'Idempotency-Key không hợp lệ / invalid key' }]);
  }

  /** The procedure, dossier and feedback item named, through the ports. */
  async function checkLinks(call: Call) {
    const errors: FieldError[] = [];
    if (call.procedureCode && !(await ports.procedureExists(call.procedureCode)))
      errors.push({
        path: 'procedureCode',
        message: 'Không có thủ tục với mã này. / No procedure with this code.',
      });
    if (call.dossierCode && !(await ports.dossierExists(call.dossierCode)))
      errors.push({
        path: 'dossierCode',
        message: 'Không có hồ sơ với mã này. / No dossier with this code.',
      });
    if (call.feedbackCode && !(await ports.feedbackExists(call.feedbackCode)))
      errors.push({
        path: 'feedbackCode',
        message: 'Không có phản ánh với mã này. / No feedback item with this code.',
      });
    if (errors.length > 0) throw problem(errors);
  }

  /** The item the call becomes, through the feedback module (the same key answers the same item). */
  async function feedbackFor(call: Call, operatorId: string, key: string): Promise<string | null> {
    if (!call.feedback) return call.feedbackCode;
    const feedbackKey = `hotline:${createHash('sha256').update(`${operatorId}\n${key}`).digest('base64url')}`;
    try {
      const r = await ports.submitFeedback(
        {
          ...call.feedback,
          name: call.callerName ?? '',
          contact: call.callerPhone ?? call.callerEmail ?? '',
          procedureCode: call.procedureCode ?? undefined,
          dossierCode: call.dossierCode ?? undefined,
        },
        operatorId,
        feedbackKey,
      );
      return r.code;
    } catch (e) {
      if (e instanceof ValidationError)
        throw problem(
          (e.extras.errors ?? []).map((x) => ({
            path: FEEDBACK_PATHS[x.path] ?? x.path,
            message: x.message,
          })),
        );
      throw e;
    }
  }

  /** A retry: the same request answers its call; another body under the same key is refused. */
  function same(row: repo.CallRow, hash: string) {
    if (row.request_hash !== hash)
      throw new ConflictError(
        'Idempotency-Key này đã dùng cho cuộc gọi khác / this key was used for another call',
        {
          state: 'key-reused',
        },
      );
    return { call: row, created: false };
  }

  /**
   * Writes a call (`callback`: the call back of a callback this operator claimed, which it completes or,
   * if the caller was not reached, returns to the queue — in the same transaction).
   */
  async function record(
    input: CallInput,
    operatorId: string,
    key: string,
    callback?: { of: repo.CallRow },
  ): Promise<{ call: repo.CallRow; created: boolean }> {
    await ensureOperator(operatorId);
    checkKey(key);
    const hash = requestHash({ ...input, callbackOf: callback?.of.code });
    const seen = await repo.findByKey(db, operatorId, key);
    if (seen) return same(seen, hash);
    const now = clock.now();
    const parsed = parseCall(
      input,
      now,
      callback ? { outcomes: CALLBACK_OUTCOMES, direction: 'outbound' } : {},
    );
    if (!parsed.ok) throw problem(parsed.errors);
    const call = parsed.call;
    await checkLinks(call);
    if (callback) await claimedBy(callback.of, operatorId);
    const feedbackCode = await feedbackFor(call, operatorId, key);
    const created = await db.transaction().execute(async (trx) => {
      const code = await repo.allocateCode(trx, now);
      const row = await repo.insertCall(trx, {
        code,
        operator_account_id: operatorId,
        idempotency_key: key,
        request_hash: hash,
        direction: call.direction,
        callback_of: callback?.of.id ?? null,
        caller_name: call.callerName,
        caller_phone: call.callerPhone,
        caller_email: call.callerEmail,
        topic: call.topic,
        procedure_code: call.procedureCode,
        dossier_code: call.dossierCode,
        feedback_code: feedbackCode,
        outcome: call.outcome,
        started_at: call.startedAt,
        ended_at: call.endedAt,
        notes: call.notes,
        answer: call.answer,
        answer_sent_by: call.sendAnswerBy,
        recorded_at: now,
      });
      if (!row) return undefined; // a concurrent retry won
      if (call.callbackDueAt) await repo.insertCallback(trx, row.id, call.callbackDueAt);
      if (callback) {
        const reached = call.outcome !== 'dropped';
        const done = await repo.finishAttempt(trx, callback.of.id, operatorId, {
          callId: row.id,
          reached,
          now,
        });
        if (!done)
          throw new ConflictError('Yêu cầu gọi lại không còn do bạn nhận / the callback is no longer yours', {
            state: 'not-claimed',
            allowedActions: ['claim'],
          });
      }
      if (call.sendAnswerBy && call.answer)
        await ports.sendAnswer(trx, {
          channel: call.sendAnswerBy,
          to: call.sendAnswerBy === 'sms' ? call.callerPhone! : call.callerEmail!,
          callCode: code,
          answer: call.answer,
        });
      await appendAudit(
        trx,
        {
          actor: `user:${operatorId}`,
          action: 'hotline.call',
          subject: `hotline-call:${code}`,
          data: {
            direction: call.direction,
            topic: call.topic,
            outcome: call.outcome,
            ...(feedbackCode ? { feedback: feedbackCode } : {}),
            ...(callback ? { callbackOf: callback.of.code } : {}),
            ...(call.sendAnswerBy ? { answerSentBy: call.sendAnswerBy } : {}),
          },
        },
        now,
      );
      return row;
    });
    if (created) return { call: created, created: true };
    const again = await repo.findByKey(db, operatorId, key);
    if (!again) throw new ConflictError('Gửi lại sau ít phút / retry later');
    return same(again, hash);
  }

  async function getCall(code: string) {
    const call = await repo.findCall(db, code);
    if (!call) throw new NotFoundError(`Không tìm thấy cuộc gọi ${code} / call not found`);
    return call;
  }

  /** The callback of a call, claimed by this operator (409 naming its state otherwise). */
  async function claimedBy(call: repo.CallRow, operatorId: string) {
    const cb = await repo.findCallback(db, call.id);
    if (!cb) throw new NotFoundError(`Cuộc gọi ${call.code} không cần gọi lại / no callback for this call`);
    if (cb.state !== 'claimed' || cb.claimed_by !== operatorId)
      throw new ConflictError(
        cb.state === 'done'
          ? 'Đã gọi lại người này / the callback is done'
          : cb.state === 'claimed'
            ? 'Một tổng đài viên khác đang gọi lại / another operator has claimed it'
            : 'Cần nhận yêu cầu gọi lại trước / claim the callback first',
        { state: cb.state, allowedActions: cb.state === 'open' ? ['claim'] : [] },
      );
    return cb;
  }

  /** A call with its callback and the calls back made for it. */
  async function view(code: string, operatorId: string) {
    await ensureOperator(operatorId);
    const call = await getCall(code);
    const [callback, followUps, first] = await Promise.all([
      repo.findCallback(db, call.id),
      repo.followUpsOf(db, call.id),
      call.callback_of
        ? db.selectFrom('hotline.calls').select('code').where('id', '=', call.callback_of).executeTakeFirst()
        : Promise.resolve(undefined),
    ]);
    return { call, callback: callback ?? null, followUps, callbackOfCode: first?.code ?? null };
  }

  /** A Vietnam calendar day asked for (default today); a date that does not exist is the caller's error. */
  function dayAsked(date: string | undefined) {
    const d = date ?? vietnamDate(clock.now());
    if (!isIsoDate(d))
      throw problem([{ path: 'date', message: 'Ngày không hợp lệ (YYYY-MM-DD). / Not a valid date.' }]);
    return { date: d, ...vietnamDay(d) };
  }

  /** Calls of a Vietnam day (default today), newest first. */
  async function calls(operatorId: string, date?: string) {
    await ensureOperator(operatorId);
    const day = dayAsked(date);
    return repo.callsBetween(db, day.from, day.to, 500);
  }

  async function claim(code: string, operatorId: string) {
    await ensureOperator(operatorId);
    const call = await getCall(code);
    const now = clock.now();
    const won = await db.transaction().execute(async (trx) => {
      const row = await repo.claimCallback(trx, call.id, operatorId, now);
      if (row)
        await appendAudit(
          trx,
          {
            actor: `user:${operatorId}`,
            action: 'hotline.callback.claim',
            subject: `hotline-call:${code}`,
            data: {},
          },
          now,
        );
      return row;
    });
    if (won) return won;
    const cb = await repo.findCallback(db, call.id);
    if (!cb) throw new NotFoundError(`Cuộc gọi ${code} không cần gọi lại / no callback for this call`);
    throw new ConflictError(
      cb.state === 'done'
        ? 'Đã gọi lại người này / the callback is done'
        : cb.claimed_by === operatorId
          ? 'Bạn đã nhận yêu cầu gọi lại này / you have claimed it already'
          : 'Một tổng đài viên khác đã nhận yêu cầu gọi lại này / another operator claimed it',
      { state: cb.state, allowedActions: cb.claimed_by === operatorId ? ['release', 'complete'] : [] },
    );
  }

  async function release(code: string, operatorId: string) {
    await ensureOperator(operatorId);
    const call = await getCall(code);
    const now = clock.now();
    const row = await db.transaction().execute(async (trx) => {
      const r = await repo.releaseCallback(trx, call.id, operatorId);
      if (r)
        await appendAudit(
          trx,
          {
            actor: `user:${operatorId}`,
            action: 'hotline.callback.release',
            subject: `hotline-call:${code}`,
            data: {},
          },
          now,
        );
      return r;
    });
    if (row) return row;
    await claimedBy(call, operatorId); // throws the reason
    throw new ConflictError('Thử lại / retry');
  }

  /** The call back of a claimed callback: written as an outbound call linked to the first. */
  async function complete(code: string, operatorId: string, input: CallInput, key: string) {
    await ensureOperator(operatorId);
    const of = await getCall(code);
    return record(input, operatorId, key, { of });
  }

  /** Callbacks not done, overdue first. */
  async function queue(operatorId: string) {
    await ensureOperator(operatorId);
    const now = clock.now();
    return (await repo.openCallbacks(db, now, 200)).map((r) => ({ ...r, overdue: r.due_at < now }));
  }

  /** The figures of a Vietnam day (default today): calls by topic and outcome, durations, callbacks. */
  async function figures(operatorId: string, date?: string) {
    await ensureOperator(operatorId);
    const now = clock.now();
    const day = dayAsked(date);
    const d = day.date;
    const f = await repo.figures(db, day.from, day.to, now);
    return {
      date: d,
      ...f,
      byTopic: Object.fromEntries(TOPICS.map((t) => [t, f.byTopic[t] ?? 0])),
      byOutcome: Object.fromEntries(OUTCOMES.map((o) => [o, f.byOutcome[o] ?? 0])),
      averageSeconds: f.calls === 0 ? 0 : Math.round(f.totalSeconds / f.calls),
    };
  }

  return { ensureOperator, record, view, calls, claim, release, complete, queue, figures };
}

export type HotlineService = ReturnType<typeof createHotlineService>;
