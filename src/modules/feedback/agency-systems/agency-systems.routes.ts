/**
 * The API of agencies' own feedback software (machine client, scope `feedback`; docs/feedback.md):
 *   GET  /api/v1/agency/feedback?state=&since=&limit=&cursor=   routes to the client's agencies
 *   GET  /api/v1/agency/feedback/{code}                          the item as routed (as in feedback.routed)
 *   POST /api/v1/agency/feedback/{code}/acknowledge              route → external (its own software handles it)
 *   POST /api/v1/agency/feedback/{code}/answer   (Idempotency-Key) the agency's answer
 *   POST /api/v1/agency/feedback/{code}/return                   back to the Government Office, with a reason
 *   GET  /api/v1/agency/feedback/{code}/attachments/{id}         a file of the item
 * New items reach the system through the outbound feed and webhooks (`feedback.routed`, docs/sync.md).
 */
import { Type } from 'typebox';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import {
  FEEDBACK_STATUS_NAMES,
  FEEDBACK_STATUSES,
  type FeedbackStatus,
} from '../../../platform/kernel/index.ts';
import { ROUTE_STATES, type RouteState } from '../domain/workflow.ts';
import type { AgencySystem, AgencySystemsService } from './agency-systems.service.ts';
import { MAX_LIST } from './agency-systems.service.ts';

const Code = Type.String({ maxLength: 40, description: 'PAKN-YYYY-NNNNNNN' });
const AsAgency = Type.Optional(
  Type.String({
    maxLength: 60,
    description: 'Which of the client’s agencies acts, when the item is routed to several of them',
  }),
);
const RouteStateSchema = Type.Unsafe<RouteState>({
  type: 'string',
  enum: [...ROUTE_STATES],
  description:
    'forwarded, handling, external (acknowledged: in the agency’s own software), answered, returned (to the Government Office), passed (to another agency)',
});
const ItemStatus = Type.Unsafe<FeedbackStatus>({
  type: 'string',
  enum: [...FEEDBACK_STATUSES],
  description: 'The item’s status (docs/feedback.md)',
});

const StepResult = Type.Object({
  code: Type.String(),
  status: ItemStatus,
  statusName: Type.String({ description: 'The status’s name on the portal (Vietnamese)' }),
  agencyCode: Type.String({ description: 'The agency whose route changed' }),
  routeState: RouteStateSchema,
});

const ListItem = Type.Object({
  code: Type.String(),
  title: Type.String(),
  category: Type.String(),
  status: ItemStatus,
  agencyCode: Type.String(),
  routeState: RouteStateSchema,
  via: Type.String({ description: 'vpcp (forwarded by the Government Office) or pass (by another agency)' }),
  routedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time', description: 'When the route last changed' }),
  handleDue: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the answer is due (working days of the Government Office’s calendar)',
  }),
});

const Detail = Type.Object({
  agencyCode: Type.String(),
  routeState: RouteStateSchema,
  status: ItemStatus,
  record: Type.Record(Type.String(), Type.Unknown(), {
    description:
      'The item as in feedback.routed: content, category, procedure, dossier, supplements, attachments with links, deadlines, submitter’s contact',
  }),
  answers: Type.Array(
    Type.Object({ body: Type.String(), answeredAt: Type.String({ format: 'date-time' }) }),
    { description: 'This agency’s answers' },
  ),
});

const Params = Type.Object({ code: Code });

const systemOf = (m: { clientId: string; agencyCodes: string[] } | undefined): AgencySystem => ({
  clientId: m!.clientId,
  agencyCodes: m!.agencyCodes,
});

const stepView = (r: {
  code: string;
  status: FeedbackStatus;
  agencyCode: string;
  routeState: RouteState;
}) => ({
  code: r.code,
  status: r.status,
  statusName: FEEDBACK_STATUS_NAMES[r.status].vi,
  agencyCode: r.agencyCode,
  routeState: r.routeState,
});

export async function agencySystemsRoutes(app: AppInstance, { systems }: { systems: AgencySystemsService }) {
  app.get(
    '/api/v1/agency/feedback',
    {
      config: { access: access.machine('feedback') },
      schema: {
        tags: ['feedback'],
        summary: 'Phản ánh chuyển đến cơ quan / feedback routed to the client’s agencies',
        description:
          'Các phản ánh, kiến nghị được chuyển đến cơ quan của ứng dụng (và cấp dưới), tuyến thay đổi lâu nhất trước. `since`: chỉ tuyến thay đổi từ thời điểm đó. Mục mới đến qua luồng /api/v1/sync/inbox và webhook (feedback.routed).',
        querystring: Type.Object({
          state: Type.Optional(RouteStateSchema),
          since: Type.Optional(Type.String({ format: 'date-time' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIST, default: 50 })),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(ListItem),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const r = await systems.list(systemOf(request.machine), {
        state: q.state,
        since: q.since ? new Date(q.since) : undefined,
        limit: q.limit,
        cursor: q.cursor,
      });
      return {
        items: r.items.map(({ row, handle }) => ({
          code: row.code,
          title: row.title,
          category: row.category,
          status: row.status,
          agencyCode: row.agency_code,
          routeState: row.route_state,
          via: row.via,
          routedAt: row.routed_at.toISOString(),
          updatedAt: row.route_updated_at.toISOString(),
          handleDue: handle ? handle.due.toISOString() : null,
        })),
        nextCursor: r.nextCursor,
      };
    },
  );

  app.get(
    '/api/v1/agency/feedback/:code',
    {
      config: { access: access.machine('feedback') },
      schema: {
        tags: ['feedback'],
        summary: 'Một phản ánh chuyển đến cơ quan / one item routed to the client’s agencies (404 otherwise)',
        params: Params,
        querystring: Type.Object({ asAgency: AsAgency }),
        response: { 200: Detail },
      },
    },
    async (request) => {
      const v = await systems.get(systemOf(request.machine), request.params.code, request.query.asAgency);
      return {
        agencyCode: v.route.agency_code,
        routeState: v.route.state,
        status: v.item.status,
        record: v.record,
        answers: v.answers.map((a) => ({ body: a.body, answeredAt: a.answered_at.toISOString() })),
      };
    },
  );

  app.post(
    '/api/v1/agency/feedback/:code/acknowledge',
    {
      config: { access: access.machine('feedback') },
      schema: {
        tags: ['feedback'],
        summary: 'Nhận xử lý bằng phần mềm riêng / acknowledge: the route goes to external',
        description:
          'Tuyến của cơ quan chuyển sang “Gửi đơn vị khác bằng phần mềm riêng” (external). Gọi lại khi đã external: không đổi gì, trả 200.',
        params: Params,
        body: Type.Object({ asAgency: AsAgency }, { additionalProperties: false }),
        response: { 200: StepResult },
      },
    },
    async (request) =>
      stepView(
        await systems.acknowledge(systemOf(request.machine), request.params.code, request.body?.asAgency),
      ),
  );

  app.post(
    '/api/v1/agency/feedback/:code/answer',
    {
      config: { access: access.machine('feedback') },
      schema: {
        tags: ['feedback'],
        summary: 'Trả lời phản ánh / the agency’s answer (Idempotency-Key: a retry makes no second answer)',
        description:
          '201 khi trả lời mới; 200 khi gửi lại cùng Idempotency-Key (cùng nội dung); 409 khi khóa đã dùng cho trả lời khác. Câu trả lời được Văn phòng Chính phủ công khai sau.',
        params: Params,
        headers: Type.Object({ 'idempotency-key': Type.String({ pattern: '^[!-~]{1,200}$' }) }),
        body: Type.Object(
          { text: Type.String({ maxLength: 20_000 }), asAgency: AsAgency },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ ...StepResult.properties, answeredAt: Type.String({ format: 'date-time' }) }),
          200: Type.Object({ ...StepResult.properties, answeredAt: Type.String({ format: 'date-time' }) }),
        },
      },
    },
    async (request, reply) => {
      const r = await systems.answer(
        systemOf(request.machine),
        request.params.code,
        request.body.text,
        request.headers['idempotency-key'],
        request.body.asAgency,
      );
      return reply
        .code(r.created ? 201 : 200)
        .send({ ...stepView(r), answeredAt: new Date(r.answeredAt).toISOString() });
    },
  );

  app.post(
    '/api/v1/agency/feedback/:code/return',
    {
      config: { access: access.machine('feedback') },
      schema: {
        tags: ['feedback'],
        summary: 'Trả lại Văn phòng Chính phủ / return the item to the Government Office, with a reason',
        params: Params,
        body: Type.Object(
          { reason: Type.String({ maxLength: 2000 }), asAgency: AsAgency },
          { additionalProperties: false },
        ),
        response: { 200: StepResult },
      },
    },
    async (request) =>
      stepView(
        await systems.returnToOffice(
          systemOf(request.machine),
          request.params.code,
          request.body.reason,
          request.body.asAgency,
        ),
      ),
  );

  app.get(
    '/api/v1/agency/feedback/:code/attachments/:id',
    {
      config: { access: access.machine('feedback') },
      schema: {
        tags: ['feedback'],
        summary:
          'Tệp đính kèm / a file of an item routed to the client’s agencies (the record’s attachments[].url)',
        params: Type.Object({ code: Code, id: Type.String({ format: 'uuid' }) }),
        produces: ['application/octet-stream'],
      },
    },
    async (request, reply) => {
      const a = await systems.attachment(systemOf(request.machine), request.params.code, request.params.id);
      return reply
        .type(a.mediaType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.fileName)}`)
        .header('x-content-type-options', 'nosniff')
        .send(a.content);
    },
  );
}
