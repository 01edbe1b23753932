/**
 * Outbound delivery for agency systems (machine tokens with scope `sync`, or `feedback` for feedback
 * items routed to their agencies): the pull feed with its acknowledgement, the dossiers' files, and the
 * system's own webhook endpoints. docs/sync.md, docs/feedback.md.
 */
import { Type } from 'typebox';
import { NotFoundError } from '../../platform/errors/index.ts';
import { type AppInstance, access } from '../../platform/http/index.ts';
import { kindsOfScopes, MAX_FEED_LIMIT, type OutboundService } from './outbound.service.ts';

const Cursor = Type.Integer({ minimum: 0, description: 'A feed position (the `cursor` of an entry)' });

const DossierEntry = Type.Object({
  cursor: Type.Integer({ description: 'This entry’s position; acknowledge it once it is stored' }),
  type: Type.String({ description: 'dossier.status-changed or dossier.extended (new due date, form 04)' }),
  MaHoSo: Type.String(),
  revision: Type.Integer({
    description: 'The dossier’s revision after the change: (MaHoSo, revision) is unique',
  }),
  action: Type.String({
    description: 'submit, receive, request-supplement, supplement, withdraw, approve, …',
  }),
  TrangThaiHoSo: Type.Integer({ minimum: 1, maximum: 10 }),
  occurredAt: Type.String({ format: 'date-time' }),
  competentAgencyCode: Type.String(),
  record: Type.Record(Type.String(), Type.Unknown(), {
    description:
      'The dossier in the DongBoHoSoMC shape as it stood after the change: MaHoSo, MaTTHC, TenTTHC, ChuHoSo, SoGiayToChuHoSo, TrangThaiHoSo, NgayNopHoSo, NgayHenTra (yyyyMMddHHmmss, Vietnam time), KenhThucHien, TaiLieuNop[{TepDinhKemId, TenTepDinhKem, DuongDanTaiTepTin, SHA256, …}], QuaTrinhXuLy, …',
  }),
});

const FeedbackEntry = Type.Object({
  cursor: Type.Integer({ description: 'This entry’s position; acknowledge it once it is stored' }),
  type: Type.Literal('feedback.routed', {
    description:
      'A feedback item (phản ánh, kiến nghị) routed to one of the caller’s agencies (scope feedback)',
  }),
  code: Type.String({ description: 'The item’s code, PAKN-YYYY-NNNNNNN' }),
  revision: Type.Integer({ description: '(code, revision, agencyCode) is unique' }),
  action: Type.String({ description: 'forward (by the Government Office) or pass (by another agency)' }),
  occurredAt: Type.String({ format: 'date-time' }),
  agencyCode: Type.String({ description: 'The agency it is routed to' }),
  record: Type.Record(Type.String(), Type.Unknown(), {
    description:
      'The item as routed: title, content, category, procedureCode, dossierCode, submittedAt, routedAt, deadlines, supplements, attachments[{id, fileName, mediaType, sizeBytes, sha256, url}] (url: GET with the token), submitter {name, phone, email, address} (to answer them; never published). docs/feedback.md',
  }),
});

const Entry = Type.Union([DossierEntry, FeedbackEntry]);

const Inbox = Type.Object({
  entries: Type.Array(Entry),
  next: Type.Integer({
    description: 'Pass as `after` for the next page; acknowledge it when all are stored',
  }),
  more: Type.Boolean({ description: 'True when the page is full: ask again at once' }),
});

const Subscription = Type.Object({
  id: Type.String(),
  url: Type.String(),
  agencyCodes: Type.Array(Type.String()),
  kinds: Type.Array(Type.String({ description: 'dossier (scope sync), feedback (scope feedback)' })),
  active: Type.Boolean(),
  pending: Type.Integer(),
  delivered: Type.Integer(),
  dead: Type.Integer(),
});

export async function outboundRoutes(app: AppInstance, deps: { outbound: OutboundService }) {
  const { outbound } = deps;

  app.get(
    '/api/v1/sync/inbox',
    {
      config: { access: access.machine('sync', 'feedback') },
      schema: {
        tags: ['sync'],
        summary: 'Dossiers filed on the portal for the caller’s agencies: feed entries after a cursor',
        description:
          'Luồng hồ sơ nộp trên Cổng gửi đến hệ thống một cửa của cơ quan có thẩm quyền: mỗi lần hồ sơ đổi trạng thái (nộp, bổ sung, rút, tiếp nhận, xử lý, trả kết quả…) là một mục, cũ trước mới sau. Không có `after`: tiếp sau vị trí đã xác nhận (POST /api/v1/sync/inbox/ack). Chỉ hồ sơ mà cơ quan có thẩm quyền là cơ quan của ứng dụng hoặc cấp dưới. Với phạm vi feedback: cả phản ánh, kiến nghị được chuyển đến cơ quan của ứng dụng (`feedback.routed`); chỉ phạm vi feedback thì chỉ có phản ánh.',
        querystring: Type.Object({
          after: Type.Optional(Cursor),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_FEED_LIMIT, default: 100 })),
        }),
        response: { 200: Inbox },
      },
    },
    async (request) =>
      outbound.inbox(request.machine!, { after: request.query.after, limit: request.query.limit }),
  );

  app.post(
    '/api/v1/sync/inbox/ack',
    {
      config: { access: access.machine('sync', 'feedback') },
      schema: {
        tags: ['sync'],
        summary: 'Acknowledge the feed up to a cursor (moves forward only; an older cursor changes nothing)',
        body: Type.Object({ cursor: Cursor }, { additionalProperties: false }),
        response: {
          200: Type.Object({ acknowledged: Type.Integer({ description: 'The position now stored' }) }),
        },
      },
    },
    async (request) => outbound.ack(request.machine!, request.body.cursor),
  );

  app.get(
    '/api/v1/sync/inbox/files/:code/:id',
    {
      config: { access: access.machine('sync') },
      schema: {
        tags: ['sync'],
        summary: 'A file of a dossier in the caller’s feed (DuongDanTaiTepTin of TaiLieuNop)',
        params: Type.Object({
          code: Type.String({ maxLength: 60 }),
          id: Type.String({ maxLength: 40 }),
        }),
        produces: ['application/octet-stream'],
      },
    },
    async (request, reply) => {
      const { code, id } = request.params;
      const f = (await outbound.mayRead(request.machine!, code)) ? await outbound.file(code, id) : undefined;
      if (!f) throw new NotFoundError('Không tìm thấy tệp.');
      return reply
        .type(f.mediaType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
        .header('x-content-type-options', 'nosniff')
        .send(f.stream);
    },
  );

  app.post(
    '/api/v1/sync/webhooks',
    {
      config: { access: access.machine('sync', 'feedback') },
      schema: {
        tags: ['sync'],
        summary:
          'Register an endpoint that receives every feed entry of the caller’s agencies (the kinds its scopes read), signed',
        description:
          'Đăng ký địa chỉ nhận webhook (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature v1 HMAC-SHA256). Khóa ký `whsec_…` chỉ trả về một lần. Không theo chuyển hướng; thử lại theo lũy thừa rồi đưa vào hàng lỗi.',
        body: Type.Object({ url: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
        response: {
          201: Type.Object({
            id: Type.String(),
            url: Type.String(),
            agencyCodes: Type.Array(Type.String()),
            kinds: Type.Array(Type.String()),
            secret: Type.String({ description: 'whsec_<base64>: shown once' }),
          }),
        },
      },
    },
    async (request, reply) => {
      const m = request.machine!;
      const s = await outbound.subscribe({
        clientId: m.clientId,
        agencyCodes: m.agencyCodes,
        kinds: kindsOfScopes(m.scopes),
        url: request.body.url,
        createdBy: `client:${m.clientId}`,
      });
      return reply.code(201).send(s);
    },
  );

  app.get(
    '/api/v1/sync/webhooks',
    {
      config: { access: access.machine('sync', 'feedback') },
      schema: {
        tags: ['sync'],
        summary: 'The caller’s webhook endpoints, with their deliveries pending, delivered and dead',
        response: { 200: Type.Object({ items: Type.Array(Subscription) }) },
      },
    },
    async (request) => ({ items: await outbound.subscriptions(request.machine!.clientId) }),
  );

  app.delete(
    '/api/v1/sync/webhooks/:id',
    {
      config: { access: access.machine('sync', 'feedback') },
      schema: {
        tags: ['sync'],
        summary: 'Stop one of the caller’s webhook endpoints',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
      },
    },
    async (request, reply) => {
      await outbound.unsubscribe(request.machine!.clientId, request.params.id);
      return reply.code(204).send();
    },
  );
}
