/**
 * The hotline API (hotline operators of the Government Office):
 *   POST /api/v1/hotline/calls                      (Idempotency-Key) log a call; 201, or 200 for a retry
 *   GET  /api/v1/hotline/calls?date=                 the calls of a Vietnam day (today by default)
 *   GET  /api/v1/hotline/calls/{code}                a call with its callback and calls back
 *   POST /api/v1/hotline/lookup                      a caller's account and dossiers (recorded for the person)
 *   GET  /api/v1/hotline/callbacks                   callbacks not done, overdue first
 *   POST /api/v1/hotline/callbacks/{code}/claim      one operator at a time (409 for the second)
 *   POST /api/v1/hotline/callbacks/{code}/release    give it back to the queue
 *   POST /api/v1/hotline/callbacks/{code}/complete   (Idempotency-Key) the call back, as an outbound call
 *   GET  /api/v1/hotline/figures?date=               the day's figures
 */
import { Type } from 'typebox';
import { type AppInstance, access } from '../../platform/http/index.ts';
import type { CallbackRow, CallRow } from './hotline.repository.ts';
import {
  CallBody,
  CallbackView,
  CallList,
  CallView,
  CodeParams,
  DayQuery,
  FiguresView,
  LookupBody,
  LookupResult,
  QueueView,
} from './hotline.schemas.ts';
import type { HotlineService } from './hotline.service.ts';
import type { LookupService } from './lookup.service.ts';

export const OPERATOR_ACCESS = access.officer('hotline-operator');
const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.String({ pattern: '^[!-~]{1,200}$' }) });
const TAGS = ['hotline'];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function callbackView(cb: CallbackRow, now: Date) {
  return {
    state: cb.state,
    dueAt: cb.due_at.toISOString(),
    overdue: cb.state !== 'done' && cb.due_at < now,
    claimedBy: cb.claimed_by,
    attempts: cb.attempts,
    doneAt: iso(cb.done_at),
  };
}

export function callView(c: CallRow, callbackOfCode: string | null = null): CallView {
  return {
    code: c.code,
    operator: c.operator_account_id,
    direction: c.direction,
    callbackOf: callbackOfCode,
    callerName: c.caller_name,
    callerPhone: c.caller_phone,
    callerEmail: c.caller_email,
    topic: c.topic,
    procedureCode: c.procedure_code,
    dossierCode: c.dossier_code,
    feedbackCode: c.feedback_code,
    outcome: c.outcome,
    startedAt: c.started_at.toISOString(),
    endedAt: c.ended_at.toISOString(),
    durationSeconds: Math.round((c.ended_at.getTime() - c.started_at.getTime()) / 1000),
    notes: c.notes,
    answer: c.answer,
    answerSentBy: c.answer_sent_by,
  };
}

export async function hotlineRoutes(
  app: AppInstance,
  { service, lookup, now }: { service: HotlineService; lookup: LookupService; now: () => Date },
) {
  app.post<{ Body: CallBody }>(
    '/api/v1/hotline/calls',
    {
      config: { access: OPERATOR_ACCESS },
      schema: {
        summary: 'Ghi cuộc gọi / log a call',
        description:
          'Logs a call the operator took (or made). Outcome answered: the answer, optionally sent to the caller by SMS or e-mail; feedback: the item is submitted for the caller (channel hotline) and its code kept; callback: the call joins the callback queue. Idempotent per operator and Idempotency-Key: a retry answers the same call (200), another body 409.',
        tags: TAGS,
        headers: IdempotencyHeaders,
        body: CallBody,
        response: { 200: CallView, 201: CallView },
      },
    },
    async (request, reply) => {
      const r = await service.record(
        request.body,
        request.account!.id,
        request.headers['idempotency-key'] as string,
      );
      return reply.code(r.created ? 201 : 200).send(callView(r.call));
    },
  );

  app.get<{ Querystring: { date?: string } }>(
    '/api/v1/hotline/calls',
    {
      config: { access: OPERATOR_ACCESS },
      schema: {
        summary: 'Cuộc gọi trong ngày / the calls of a day',
        tags: TAGS,
        querystring: DayQuery,
        response: { 200: CallList },
      },
    },
    async (request) => ({
      items: (await service.calls(request.account!.id, request.query.date)).map((c) => callView(c)),
    }),
  );

  app.get<{ Params: { code: string } }>(
    '/api/v1/hotline/calls/:code',
    {
      config: { access: OPERATOR_ACCESS },
      schema: {
        summary: 'Một cuộc gọi / a call',
        tags: TAGS,
        params: CodeParams,
        response: { 200: CallView },
      },
    },
    async (request) => {
      const v = await service.view(request.params.code, request.account!.id);
      return {
        ...callView(v.call, v.callbackOfCode),
        callback: v.callback ? callbackView(v.callback, now()) : null,
        followUps: v.followUps.map((f) => f.code),
      };
    },
  );

  app.post<{ Body: LookupBody }>(
    '/api/v1/hotline/lookup',
    {
      config: { access: OPERATOR_ACCESS },
      schema: {
        summary: 'Tra cứu người gọi / look a caller up',
        description:
          'The account a phone, personal ID or tax code names, and its dossiers. Recorded in the person’s “who accessed my data” list with the hotline, the call and the reason. Limited per operator.',
        tags: TAGS,
        body: LookupBody,
        response: { 200: LookupResult },
      },
    },
    async (request) => {
      const r = await lookup.lookup(request.account!.id, request.body);
      const { id: _, ...account } = r.account;
      return {
        account,
        dossiers: r.dossiers.map((d) => ({ ...d, submittedAt: iso(d.submittedAt), dueAt: iso(d.dueAt) })),
        recordedAs: r.purpose,
      };
    },
  );

  app.get(
    '/api/v1/hotline/callbacks',
    {
      config: { access: OPERATOR_ACCESS },
      schema: { summary: 'Hàng chờ gọi lại / the callback queue', tags: TAGS, response: { 200: QueueView } },
    },
    async (request) => ({
      items: (await service.queue(request.account!.id)).map((r) => ({
        code: r.code,
        callerName: r.caller_name,
        callerPhone: r.caller_phone,
        topic: r.topic,
        callback: callbackView(r, now()),
      })),
    }),
  );

  for (const action of ['claim', 'release'] as const)
    app.post<{ Params: { code: string } }>(
      `/api/v1/hotline/callbacks/:code/${action}`,
      {
        config: { access: OPERATOR_ACCESS },
        schema: {
          summary:
            action === 'claim'
              ? 'Nhận gọi lại / claim a callback (one operator at a time)'
              : 'Trả lại hàng chờ / give a callback back',
          tags: TAGS,
          params: CodeParams,
          response: { 200: CallbackView },
        },
      },
      async (request) => callbackView(await service[action](request.params.code, request.account!.id), now()),
    );

  app.post<{ Params: { code: string }; Body: CallBody }>(
    '/api/v1/hotline/callbacks/:code/complete',
    {
      config: { access: OPERATOR_ACCESS },
      schema: {
        summary: 'Ghi cuộc gọi lại / log the call back',
        description:
          'By the operator who claimed it: an outbound call linked to the first. The callback is done unless the outcome is dropped (not reached), which puts it back in the queue with one attempt more.',
        tags: TAGS,
        params: CodeParams,
        headers: IdempotencyHeaders,
        body: CallBody,
        response: { 200: CallView, 201: CallView },
      },
    },
    async (request, reply) => {
      const r = await service.complete(
        request.params.code,
        request.account!.id,
        request.body,
        request.headers['idempotency-key'] as string,
      );
      return reply.code(r.created ? 201 : 200).send(callView(r.call, request.params.code));
    },
  );

  app.get<{ Querystring: { date?: string } }>(
    '/api/v1/hotline/figures',
    {
      config: { access: OPERATOR_ACCESS },
      schema: {
        summary: 'Số liệu trong ngày / the day’s figures',
        tags: TAGS,
        querystring: DayQuery,
        response: { 200: FiguresView },
      },
    },
    async (request) => service.figures(request.account!.id, request.query.date),
  );
}
