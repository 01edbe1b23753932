/**
 * JSON API of dossiers: submit (idempotent by the Idempotency-Key header), read one, take a workflow
 * action, list the caller's dossiers, the officer's inbox, download an attachment.
 *
 * Who calls it: a signed-in person's browser (the pages' own scripts) with the session cookie. /api is
 * exempt from the CSRF token check, so every state-changing route here requires
 * `Content-Type: application/json`: a cross-site HTML form can only send urlencoded, multipart or
 * text/plain bodies, and a cross-site script cannot send JSON without a CORS preflight, which this
 * portal never grants. With the session cookie's SameSite=Lax this keeps other sites from acting in the
 * person's name.
 */
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { AppError, NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import { type AppInstance, access } from '../../platform/http/index.ts';
import type { Desk, InboxTab } from './dossiers.desk.ts';
import type { SyncedDossiers } from './dossiers.ports.ts';
import {
  ActBody,
  AttachmentParams,
  DossierParams,
  DossierSchema,
  InboxQuery,
  ListQuery,
  ListSchema,
  MineSchema,
  SubmitBody,
  SubmitHeaders,
  SyncedCodeParams,
  SyncedDossierDetailSchema,
  UploadQuery,
  UploadSchema,
} from './dossiers.schemas.ts';
import type { DossiersService, SubmitInput } from './dossiers.service.ts';

class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly slug = 'unsupported-media-type';
  readonly title = { vi: 'Kiểu dữ liệu không được hỗ trợ', en: 'Unsupported media type' };
}

/** State-changing API calls must be JSON (see the module comment: the CSRF defence of /api). */
export async function requireJson(request: FastifyRequest) {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json')
    throw new UnsupportedMediaTypeError('Gửi dữ liệu dạng JSON (Content-Type: application/json).');
}

const APPLICANT_KIND = { citizen: 'citizen', business: 'business', organisation: 'organisation' } as const;

export function applicantOf(request: FastifyRequest): SubmitInput['applicant'] {
  const a = request.account!;
  const kind = APPLICANT_KIND[a.kind as keyof typeof APPLICANT_KIND];
  if (!kind) throw new ValidationError('Tài khoản cán bộ không nộp hồ sơ trực tuyến.', []);
  return { accountId: a.id, kind, name: a.displayName };
}

const json = (v: unknown) => JSON.parse(JSON.stringify(v));

export async function dossiersApiRoutes(
  app: AppInstance,
  { service, desk, synced }: { service: DossiersService; desk: Desk; synced?: SyncedDossiers | undefined },
) {
  const applicants = access.account('citizen', 'business', 'organisation');
  const officers = access.officer('receiver', 'processor', 'approver', 'cashier');

  app.post(
    '/api/v1/dossiers',
    {
      config: { access: applicants },
      preValidation: requireJson,
      schema: {
        tags: ['dossiers'],
        summary: 'File a dossier online (idempotent: Idempotency-Key header)',
        description:
          'Nộp hồ sơ trực tuyến. Bắt buộc tiêu đề Idempotency-Key: gửi lại cùng mã trả về cùng hồ sơ (200); cùng mã với nội dung khác → 409. Tờ khai được kiểm tra theo biểu mẫu điện tử của thủ tục; hồ sơ được chuyển tới cơ quan có thẩm quyền, đánh số theo đơn vị tiếp nhận và ngày.',
        headers: SubmitHeaders,
        body: SubmitBody,
        response: { 200: DossierSchema, 201: DossierSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const procedure = await desk.procedureFor(body.procedureCode);
      const { problems, caseName, formData } = await desk.checkForm(procedure, body.formData, {
        caseName: body.case,
        infer: true,
      });
      if (problems.length > 0) throw new ValidationError('Tờ khai chưa hợp lệ.', problems);
      const ups = await desk.uploads(
        request.account!.id,
        (body.uploads ?? []).map((u) => u.id),
      );
      if (ups.length !== (body.uploads ?? []).length)
        throw new ValidationError('Không tìm thấy tệp đã tải lên.', [
          { path: 'uploads', message: 'unknown upload' },
        ]);
      const { dossier, created } = await service.submit({
        accountId: request.account!.id,
        applicant: applicantOf(request),
        idempotencyKey: request.headers['idempotency-key'] as string,
        procedureCode: body.procedureCode,
        procedureVersion: body.procedureVersion,
        channel: body.channel ?? 'online',
        place: body.place,
        summary: body.summary,
        caseName,
        formData,
        attachments: (body.uploads ?? []).map((u) => {
          const up = ups.find((x) => x.id === u.id)!;
          return {
            documentCode: u.documentCode ?? up.document_code ?? undefined,
            fileName: up.file_name,
            mediaType: up.media_type,
            sizeBytes: up.size_bytes,
            sha256: up.sha256,
            blobKey: up.blob_key,
            uploadId: up.id,
          };
        }),
      });
      return reply
        .code(created ? 201 : 200)
        .header('location', `/api/v1/dossiers/${encodeURIComponent(dossier.code)}`)
        .send(json(dossier));
    },
  );

  // Uploads are the raw file as the body (not multipart): a cross-site form cannot send these types
  // without a CORS preflight either, so the same defence as JSON holds.
  const RAW_TYPES = ['application/octet-stream', 'application/pdf', 'image/jpeg', 'image/png'];
  app.addContentTypeParser(RAW_TYPES, (_request, payload, done) => done(null, payload));

  app.post(
    '/api/v1/dossiers/uploads',
    {
      config: { access: access.account() },
      preValidation: async (request) => {
        const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (!RAW_TYPES.includes(type))
          throw new UnsupportedMediaTypeError(
            `Gửi nội dung tệp làm thân yêu cầu (Content-Type: ${RAW_TYPES.join(', ')}).`,
          );
      },
      schema: {
        tags: ['dossiers'],
        summary: 'Upload one file (the body is the file) to attach to a dossier, a supplement or a result',
        description:
          'Định dạng được xác định theo nội dung tệp (PDF, JPEG, PNG), không theo tên hay Content-Type; tối đa 20 MB (cấu hình). Trả về mã tệp để đính kèm khi nộp hồ sơ hoặc thao tác.',
        querystring: UploadQuery,
        response: { 201: UploadSchema },
      },
    },
    async (request, reply) => {
      const u = await desk.upload(request.account!.id, {
        stream: request.body as Readable,
        fileName: request.query.name,
        documentCode: request.query.documentCode,
      });
      return reply.code(201).send({
        id: u.id,
        fileName: u.file_name,
        mediaType: u.media_type,
        sizeBytes: u.size_bytes,
        sha256: u.sha256,
      });
    },
  );

  app.get(
    '/api/v1/dossiers',
    {
      config: { access: applicants },
      schema: {
        tags: ['dossiers'],
        summary: "The caller's dossiers at every agency, newest first",
        description:
          'Hồ sơ của tôi: hồ sơ đã nộp trên Cổng (`items`, phân trang bằng `before`) và, với công dân, hồ sơ nộp tại cơ quan được đồng bộ từ hệ thống một cửa của cơ quan, khớp theo số định danh cá nhân và họ tên của tài khoản (`synced`, ở trang đầu).',
        querystring: ListQuery,
        response: { 200: MineSchema },
      },
    },
    async (request) => {
      const accountId = request.account!.id;
      const items = await desk.mine(accountId, request.query);
      const mine = new Set(items.map((i) => i.code));
      const others =
        synced && request.account!.kind === 'citizen' && !request.query.before
          ? (await synced.list(accountId)).filter((d) => !mine.has(d.code))
          : [];
      return json({ items, synced: others });
    },
  );

  app.get(
    '/api/v1/dossiers/synced/:code',
    {
      config: { access: applicants },
      schema: {
        tags: ['dossiers'],
        summary:
          'One of the caller’s dossiers synced from an agency system: status and history (404 otherwise)',
        params: SyncedCodeParams,
        response: { 200: SyncedDossierDetailSchema },
      },
    },
    async (request) => {
      const d = synced
        ? await synced.find(request.account!.id, request.params.code.trim().toUpperCase())
        : undefined;
      if (!d) throw new NotFoundError(`Không có hồ sơ ${request.params.code}.`);
      return json(d);
    },
  );

  app.get(
    '/api/v1/dossiers/inbox',
    {
      config: { access: officers },
      schema: {
        tags: ['dossiers'],
        summary: "The officer's inbox: new, mine, due soon, overdue, escalated to the leaders, open, all",
        querystring: InboxQuery,
        response: { 200: ListSchema },
      },
    },
    async (request) => {
      const { items } = await desk.inbox(request.account!.id, (request.query.tab ?? 'open') as InboxTab, {
        limit: request.query.limit,
        agency: request.query.agency,
      });
      return json({ items });
    },
  );

  app.get(
    '/api/v1/dossiers/:code',
    {
      config: { access: access.account() },
      schema: {
        tags: ['dossiers'],
        summary: "One dossier with its processing history (404 outside the caller's scope)",
        params: DossierParams,
        response: { 200: DossierSchema },
      },
    },
    async (request) => json(await service.get(request.account!.id, request.params.code)),
  );

  app.post(
    '/api/v1/dossiers/:code/actions',
    {
      config: { access: access.account() },
      preValidation: requireJson,
      schema: {
        tags: ['dossiers'],
        summary: 'Take a workflow action (409 naming the state and the allowed actions when not allowed now)',
        params: DossierParams,
        body: ActBody,
        response: { 200: DossierSchema },
      },
    },
    async (request) => {
      const b = request.body;
      const accountId = request.account!.id;
      const purpose = b.action === 'return-result' ? 'result' : 'supplement';
      return json(
        await service.act({
          accountId,
          code: request.params.code,
          action: b.action,
          reason: b.reason,
          note: b.note,
          newDueAt: b.newDueAt ? new Date(b.newDueAt) : undefined,
          expectedRevision: b.expectedRevision,
          payment: b.payment,
          attachments: b.uploads?.length
            ? await desk.attachmentsFor(accountId, b.uploads, purpose)
            : undefined,
        }),
      );
    },
  );

  app.get(
    '/api/v1/dossiers/:code/attachments/:id',
    {
      config: { access: access.account() },
      schema: {
        tags: ['dossiers'],
        summary: "An attachment's content",
        params: AttachmentParams,
        produces: ['application/octet-stream'],
      },
    },
    async (request, reply) => {
      const f = await desk.attachmentContent(request.account!.id, request.params.code, request.params.id);
      return reply
        .type(f.mediaType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
        .header('x-content-type-options', 'nosniff')
        .send(f.stream);
    },
  );
}
