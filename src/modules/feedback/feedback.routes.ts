/**
 * The feedback API:
 *   POST /api/v1/feedback/codes                    anyone: a one-time code to an anonymous submitter's contact
 *   POST /api/v1/feedback            (Idempotency-Key) submit, signed in or with a proven contact
 *   GET  /api/v1/feedback?q=&agency=&procedure=    published items only, diacritic-insensitive
 *   GET  /api/v1/feedback/{code}                   a published item, as the public sees it
 *   POST /api/v1/feedback/{code}/actions           the workflow's actions (submitter, Government Office, agencies)
 */
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ValidationError } from '../../platform/errors/index.ts';
import { type AppInstance, access } from '../../platform/http/index.ts';
import { FEEDBACK_STATUS_NAMES } from '../../platform/kernel/index.ts';
import { CODE_MINUTES } from './contact-codes.ts';
import type { Deadline } from './domain/deadlines.ts';
import type { Command } from './domain/workflow.ts';
import { AGENCY_HANDLER_ROLES } from './feedback.ports.ts';
import type { PublishedRow } from './feedback.repository.ts';
import {
  ActionBody,
  ActionResult,
  CodeRequestBody,
  CodeRequested,
  FollowBody,
  FollowView,
  HandlingView,
  InboxView,
  type PublicItem,
  PublicItem as PublicItemSchema,
  SearchQuery,
  SearchResult,
  SubmitBody,
  Submitted,
} from './feedback.schemas.ts';
import type { FeedbackService } from './feedback.service.ts';

export function publicItem(p: Omit<PublishedRow, 'item_id'>): PublicItem {
  return {
    code: p.code,
    title: p.title,
    content: p.content,
    category: p.category,
    procedureCode: p.procedure_code,
    agencies: p.agency_codes,
    answer: p.answer,
    submittedAt: p.submitted_at.toISOString(),
    answeredAt: p.answered_at.toISOString(),
    publishedAt: p.published_at.toISOString(),
    handledOnTime: p.handled_on_time,
    handlingDays: p.handling_tenths / 10,
    handlingLimitDays: p.handling_limit_days,
  };
}

/** The command of an action body; missing fields are the domain's to refuse (as blank). */
export function commandOf(b: ActionBody): Command {
  switch (b.action) {
    case 'refuse':
    case 'return':
    case 'withhold':
      return { action: b.action, reason: b.reason ?? '' };
    case 'ask-info':
      return { action: 'ask-info', question: b.question ?? '' };
    case 'supplement':
    case 'answer':
      return { action: b.action, text: b.text ?? '' };
    case 'forward':
      return { action: 'forward', agencies: b.agencies ?? [] };
    case 'pass':
      return { action: 'pass', to: b.to ?? '', reason: b.reason ?? '' };
    case 'rate':
      if (b.satisfied === undefined)
        throw new ValidationError('Cần cho biết có hài lòng không / satisfied is required', [
          { path: 'body.satisfied', message: 'required' },
        ]);
      return { action: 'rate', satisfied: b.satisfied };
    case 'merge':
      return { action: 'merge', into: (b.into ?? '').trim().toUpperCase() };
    default:
      return { action: b.action };
  }
}

const deadlineView = (d: Deadline) => ({
  kind: d.kind,
  due: d.due.toISOString(),
  state: d.state,
  doneAt: d.doneAt ? d.doneAt.toISOString() : null,
});

const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.String({ pattern: '^[!-~]{1,200}$' }) });

export async function feedbackRoutes(app: AppInstance, { service }: { service: FeedbackService }) {
  const accountOf = (request: FastifyRequest) => request.account;

  app.post<{ Body: { contact: string } }>(
    '/api/v1/feedback/codes',
    {
      config: { access: access.public },
      schema: {
        summary: 'Gửi mã xác minh / send a one-time code to an anonymous submitter',
        description:
          'Sends a 6-digit code by SMS or e-mail to the phone or e-mail given; the submission quotes the challenge id and the code. Limited per address and per destination.',
        tags: ['feedback'],
        body: CodeRequestBody,
        response: { 201: CodeRequested },
      },
    },
    async (request, reply) => {
      const { challengeId } = await service.requestCode(request.body.contact, request.ip);
      return reply.code(201).send({ challengeId, expiresInMinutes: CODE_MINUTES });
    },
  );

  app.post<{ Body: SubmitBody }>(
    '/api/v1/feedback',
    {
      config: { access: access.public },
      schema: {
        summary: 'Gửi phản ánh, kiến nghị / submit feedback',
        description:
          'Signed in: the account is the submitter. Anonymous: name, contact, and the challenge id and code of POST /api/v1/feedback/codes. Idempotent per submitter with an Idempotency-Key: the same key answers the same item (200); with another body, 409.',
        tags: ['feedback'],
        headers: IdempotencyHeaders,
        body: SubmitBody,
        response: { 200: Submitted, 201: Submitted },
      },
    },
    async (request, reply) => {
      const account = accountOf(request);
      const { item, created } = await service.submit(
        request.body,
        {
          accountId: account?.id ?? null,
          displayName: account?.displayName,
          channel: 'api',
          ip: request.ip,
        },
        request.headers['idempotency-key'] as string,
      );
      return reply
        .code(created ? 201 : 200)
        .send({ code: item.code, status: item.status, submittedAt: item.submitted_at.toISOString() });
    },
  );

  app.get<{ Querystring: SearchQuery }>(
    '/api/v1/feedback',
    {
      config: { access: access.public },
      schema: {
        summary: 'Tra cứu phản ánh đã công khai / search published feedback',
        description:
          'Published items only, newest first; q matches title, content and answer without diacritics (every word, the last as a prefix). No contact data.',
        tags: ['feedback'],
        querystring: SearchQuery,
        response: { 200: SearchResult },
      },
    },
    async (request) => {
      const r = await service.search(request.query);
      return { items: r.items.map(publicItem), nextCursor: r.nextCursor };
    },
  );

  // Before /api/v1/feedback/:code: a static segment wins in the router anyway.
  app.get(
    '/api/v1/feedback/inbox',
    {
      config: { access: access.officer('vpcp-supervisor', ...AGENCY_HANDLER_ROLES) },
      schema: {
        summary: 'Phản ánh chờ xử lý / what waits for this officer',
        description:
          'The Government Office: items to triage, returned or answered; an agency officer: items with an active route to their agencies. Each with its nearest open deadline.',
        tags: ['feedback'],
        response: { 200: InboxView },
      },
    },
    async (request) => ({
      items: (await service.inbox(request.account!.id)).map((r) => ({
        code: r.code,
        title: r.title,
        status: r.status,
        agency: r.agency,
        submittedAt: r.submitted_at.toISOString(),
        deadline: r.deadline ? deadlineView(r.deadline) : null,
      })),
    }),
  );

  app.get<{ Params: { code: string }; Querystring: { asAgency?: string } }>(
    '/api/v1/feedback/:code/handling',
    {
      config: { access: access.account() },
      schema: {
        summary:
          'Theo dõi, xử lý phản ánh / an item as its submitter, the Government Office or a routed agency sees it',
        description:
          'Contact data, routes, answers, deadlines, history and the actions the caller may take now. 404 to anyone else.',
        tags: ['feedback'],
        params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
        querystring: Type.Object({ asAgency: Type.Optional(Type.String({ maxLength: 60 })) }),
        response: { 200: HandlingView },
      },
    },
    async (request) => {
      const v = await service.getForCaller(request.params.code, {
        accountId: request.account!.id,
        agency: request.query.asAgency,
      });
      const i = v.item;
      return {
        code: i.code,
        title: i.title,
        content: i.content,
        category: i.category,
        status: i.status,
        statusName: FEEDBACK_STATUS_NAMES[i.status].vi,
        procedureCode: i.procedure_code,
        dossierCode: i.dossier_code,
        agency: i.concerned_agency,
        submitter: { name: i.submitter_name, phone: i.submitter_phone, email: i.submitter_email },
        submittedAt: i.submitted_at.toISOString(),
        reason: i.reason,
        rating: i.rated_satisfied,
        routes: v.routes,
        attachments: v.attachments.map((a) => ({
          id: a.id,
          fileName: a.file_name,
          mediaType: a.media_type,
          sizeBytes: a.size_bytes,
        })),
        answers: v.answers.map((a) => ({
          agency: a.agency_code,
          body: a.body,
          answeredAt: a.answered_at.toISOString(),
        })),
        deadlines: v.deadlines.map(deadlineView),
        actions: v.actions,
        history: v.events.map((e) => ({
          at: e.at.toISOString(),
          action: e.action,
          from: e.from_status,
          to: e.to_status,
          agency: e.agency_code,
        })),
        escalatedAt: v.item.escalated_at ? v.item.escalated_at.toISOString() : null,
        mergedInto: v.kept
          ? {
              code: v.kept.code,
              status: v.kept.status,
              answers: v.kept.answers.map((a) => ({ body: a.body, answeredAt: a.answered_at.toISOString() })),
            }
          : null,
        merged: v.merged.map((m) => ({ code: m.code, ground: m.ground })),
      };
    },
  );

  app.get<{ Params: { code: string } }>(
    '/api/v1/feedback/:code',
    {
      config: { access: access.public },
      schema: {
        summary: 'Phản ánh đã công khai / a published item and its answer',
        tags: ['feedback'],
        params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
        response: { 200: PublicItemSchema },
      },
    },
    async (request) => publicItem(await service.publicView(request.params.code)),
  );

  // Attachments are the raw file as the body (not multipart), like dossiers' uploads: a cross-site form
  // cannot send these types without a CORS preflight.
  const RAW_TYPES = [
    'application/octet-stream',
    'application/pdf',
    'image/jpeg',
    'application/msword',
    'application/vnd.ms-excel',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ];
  app.addContentTypeParser(RAW_TYPES, (_request, payload, done) => done(null, payload));

  app.post<{ Params: { code: string }; Querystring: { name?: string } }>(
    '/api/v1/feedback/:code/attachments',
    {
      config: { access: access.account() },
      bodyLimit: 11 * 1024 * 1024,
      preValidation: async (request) => {
        const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (!RAW_TYPES.includes(type))
          throw new ValidationError(
            `Gửi nội dung tệp làm thân yêu cầu (Content-Type: ${RAW_TYPES[0]}) / send the file as the body`,
            [{ path: 'file', message: 'the body must be the file' }],
          );
      },
      schema: {
        summary: 'Đính kèm tệp / attach a file to an item (its submitter)',
        description:
          'The body is the file. JPG, PDF, DOC, DOCX, XLS, XLSX recognised by content (not by name or Content-Type), at most 10 MB and 5 files, while the item waits for triage or more information.',
        tags: ['feedback'],
        params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
        querystring: Type.Object({ name: Type.Optional(Type.String({ maxLength: 255 })) }),
        response: {
          201: Type.Object({
            id: Type.String({ format: 'uuid' }),
            fileName: Type.String(),
            mediaType: Type.String(),
            sizeBytes: Type.Integer(),
          }),
        },
      },
    },
    async (request, reply) => {
      const a = await service.attach(
        request.params.code,
        { accountId: request.account!.id },
        { fileName: request.query.name ?? '', content: request.body as Readable },
      );
      return reply
        .code(201)
        .send({ id: a.id, fileName: a.file_name, mediaType: a.media_type, sizeBytes: a.size_bytes });
    },
  );

  app.get<{ Params: { code: string; id: string }; Querystring: { asAgency?: string } }>(
    '/api/v1/feedback/:code/attachments/:id',
    {
      config: { access: access.account() },
      schema: {
        summary: 'Tệp đính kèm / an attachment (submitter, Government Office, routed agency)',
        tags: ['feedback'],
        params: Type.Object({ code: Type.String({ maxLength: 40 }), id: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object({ asAgency: Type.Optional(Type.String({ maxLength: 60 })) }),
      },
    },
    async (request, reply) => {
      const a = await service.attachment(
        request.params.code,
        { accountId: request.account!.id, agency: request.query.asAgency },
        request.params.id,
      );
      return reply
        .type(a.media_type)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.file_name)}`)
        .header('x-content-type-options', 'nosniff')
        .send(a.content);
    },
  );

  app.post<{ Params: { code: string }; Body: FollowBody }>(
    '/api/v1/feedback/:code/follow',
    {
      config: { access: access.public },
      schema: {
        summary:
          'Theo dõi phản ánh (gửi không đăng nhập) / an anonymous submitter follows, supplements or rates',
        description:
          'The contact the item was sent with and a one-time code sent there (POST /api/v1/feedback/codes). With `satisfied` the answer is rated; with `text` the information asked for is supplemented. Anything that does not match answers 404; attempts are limited per address.',
        tags: ['feedback'],
        params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
        body: FollowBody,
        response: { 200: FollowView },
      },
    },
    async (request) => {
      const v = await service.follow(request.params.code, request.body, request.ip);
      return {
        code: v.item.code,
        title: v.item.title,
        status: v.item.status,
        statusName: FEEDBACK_STATUS_NAMES[v.item.status].vi,
        reason: v.item.reason,
        rating: v.item.rated_satisfied,
        answers: v.answers.map((a) => ({ body: a.body, answeredAt: a.answered_at.toISOString() })),
        deadlines: v.deadlines.map(deadlineView),
        history: v.events.map((e) => ({ at: e.at.toISOString(), action: e.action, to: e.to_status })),
      };
    },
  );

  app.post<{ Params: { code: string }; Body: ActionBody }>(
    '/api/v1/feedback/:code/actions',
    {
      config: { access: access.account() },
      schema: {
        summary: 'Xử lý phản ánh / take a workflow action on an item',
        description:
          'Government Office (vpcp-supervisor at CP): accept, refuse, ask-info, forward, answer, publish, withhold. An agency the item is routed to (asAgency; processor, approver or agency-admin there): receive, hand-off, answer, return, pass. The submitter: supplement, rate. An action not allowed now answers 409 naming the status and the allowed actions; an item the caller may not see answers 404.',
        tags: ['feedback'],
        params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
        body: ActionBody,
        response: { 200: ActionResult },
      },
    },
    async (request) =>
      service.act(request.params.code, commandOf(request.body), {
        accountId: request.account?.id ?? null,
        agency: request.body.asAgency,
      }),
  );
}
