/**
 * The certifying counter's API for certifiers (a signed-in officer with the certifier role at the office;
 * the counter's pages do the same through forms):
 *
 *   POST /api/v1/certification/certifications            (Idempotency-Key) open: the scan (base64), pages, copies
 *   GET  /api/v1/certification/certifications/{id}       the certification, its fee, register entry, copy
 *   POST /api/v1/certification/certifications/{id}/cash  the fee paid in cash at the counter → the copy issued
 *   POST /api/v1/certification/certifications/{id}/online the fee made payable online (checkout link)
 *   POST /api/v1/certification/certifications/{id}/cancel an unpaid certification cancelled
 *   POST /api/v1/certification/certifications/{id}/revoke an issued copy revoked {reason}
 *   GET  /api/v1/certification/certifications/{id}/copy.pdf the signed copy
 *
 * Another office's certification answers 404, as one that does not exist.
 */
import { createHash } from 'node:crypto';
import { type Static, Type } from 'typebox';
import { NotFoundError, ValidationError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { DOCUMENT_TYPES, isDocumentType } from '../domain/document-types.ts';
import type { CertificationService, OpenInput } from './certification.service.ts';
import { verifyPath } from './certification.service.ts';
import type { CertificationRow } from './certifications.repository.ts';

const CERTIFIER = access.officer('certifier');
/** A 20 MB scan as base64, with the rest of the body. */
const BODY_LIMIT = 28 * 1024 * 1024;

const SCAN_TYPES = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' } as const;

const OpenBody = Type.Object(
  {
    office: Type.String({ pattern: '^[A-Z0-9.-]{2,40}$', description: 'The office (agency code)' }),
    appointmentId: Type.Optional(Type.String({ format: 'uuid' })),
    requester: Type.Object({
      name: Type.String({ minLength: 2, maxLength: 200 }),
      idNumber: Type.Optional(
        Type.String({
          pattern: '^[0-9]{12}$',
          description: 'Personal ID number; the copy goes to that account’s wallet',
        }),
      ),
    }),
    document: Type.Object({
      type: Type.String({ description: `One of: ${DOCUMENT_TYPES.map((d) => d[0]).join(', ')}` }),
      title: Type.String({ minLength: 2, maxLength: 300 }),
      issuer: Type.Optional(Type.String({ maxLength: 300 })),
      number: Type.Optional(Type.String({ maxLength: 100 })),
      date: Type.Optional(Type.String({ format: 'date' })),
    }),
    pages: Type.Integer({ minimum: 1, maximum: 500 }),
    copies: Type.Integer({ minimum: 1, maximum: 100 }),
    scan: Type.Object({
      contentType: Type.Union(Object.keys(SCAN_TYPES).map((t) => Type.Literal(t))),
      // No length keywords: counting the characters of a 20 MB string costs more than the rest of the
      // request; the body limit bounds it and the handler refuses an empty scan.
      base64: Type.String({ contentEncoding: 'base64' }),
    }),
  },
  { additionalProperties: false },
);

const CertificationView = Type.Object({
  id: Type.String(),
  office: Type.String(),
  status: Type.String({ description: 'awaiting-fee | numbered | issued | cancelled' }),
  revoked: Type.Boolean(),
  revokedReason: Type.Union([Type.String(), Type.Null()]),
  requesterName: Type.String(),
  document: Type.Object({ type: Type.String(), title: Type.String() }),
  pages: Type.Integer(),
  copies: Type.Integer(),
  fee: Type.Integer({ description: 'VND' }),
  paymentId: Type.Union([Type.String(), Type.Null()]),
  register: Type.Union([Type.Object({ book: Type.String(), number: Type.Integer() }), Type.Null()]),
  code: Type.String({ description: 'The verification code printed under the QR' }),
  verifyUrl: Type.String(),
  copy: Type.Union([
    Type.Object({ url: Type.String(), sha256: Type.String(), size: Type.Integer() }),
    Type.Null(),
  ]),
  createdAt: Type.String(),
  issuedAt: Type.Union([Type.String(), Type.Null()]),
});

const view = (c: CertificationRow, publicUrl: string): Static<typeof CertificationView> => ({
  id: c.id,
  office: c.agency_code,
  status: c.status,
  revoked: c.revoked_at !== null,
  revokedReason: c.revoked_reason,
  requesterName: c.requester_name,
  document: { type: c.document_type, title: c.document_title },
  pages: c.pages,
  copies: c.copies,
  fee: c.fee,
  paymentId: c.payment_id,
  register: c.register_number !== null && c.book ? { book: c.book, number: c.register_number } : null,
  code: c.public_code,
  verifyUrl: `${publicUrl}${verifyPath(c.public_code)}`,
  copy:
    c.signed_sha256 && c.signed_size !== null
      ? {
          url: `/api/v1/certification/certifications/${c.id}/copy.pdf`,
          sha256: c.signed_sha256,
          size: c.signed_size,
        }
      : null,
  createdAt: c.created_at.toISOString(),
  issuedAt: c.issued_at?.toISOString() ?? null,
});

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export async function certificationRoutes(
  app: AppInstance,
  deps: {
    service: CertificationService;
    publicUrl: string;
    accountByIdNumber(idNumber: string): Promise<string | undefined>;
    appointmentForCounter?(
      officerId: string,
      appointmentId: string,
    ): Promise<
      { agencyCode: string; accountId: string | null; name: string; idNumber: string | null } | undefined
    >;
  },
) {
  const officerId = (request: { account?: { id: string } | null }) => request.account!.id;

  app.post<{ Body: Static<typeof OpenBody> }>(
    '/api/v1/certification/certifications',
    {
      bodyLimit: BODY_LIMIT,
      config: { access: CERTIFIER },
      schema: {
        summary: 'Mở yêu cầu chứng thực bản sao / open a certification at the counter',
        description:
          'The certifier uploads the scan of the original (PDF, JPG or PNG, base64) with the number of pages and copies; the fee is computed (2,000 đ a page for pages 1–2, 1,000 đ from page 3, at most 200,000 đ a copy). Idempotent with an Idempotency-Key: the same key and body answer the same certification (200), another body 409.',
        tags: ['certification'],
        headers: Type.Object({ 'idempotency-key': Type.String({ pattern: '^[!-~]{1,255}$' }) }),
        body: OpenBody,
        response: { 200: CertificationView, 201: CertificationView },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const problems: Array<{ path: string; message: string }> = [];
      if (!isDocumentType(b.document.type))
        problems.push({
          path: 'document.type',
          message: 'Loại giấy tờ không hợp lệ / unknown document type',
        });
      const bytes = Buffer.from(b.scan.base64, 'base64');
      if (bytes.length === 0)
        problems.push({ path: 'scan.base64', message: 'Bản quét rỗng / the scan is empty' });
      if (problems.length > 0) throw new ValidationError('Thông tin chưa hợp lệ / invalid input', problems);
      const me = officerId(request);
      let requester: OpenInput['requester'] = {
        accountId: b.requester.idNumber
          ? ((await deps.accountByIdNumber(b.requester.idNumber)) ?? null)
          : null,
        name: b.requester.name.normalize('NFC').trim(),
        idNumber: b.requester.idNumber ?? null,
      };
      if (b.appointmentId) {
        const appt = await deps.appointmentForCounter?.(me, b.appointmentId);
        if (!appt || appt.agencyCode !== b.office)
          throw new ValidationError('Không tìm thấy lịch hẹn tại cơ quan này / appointment not found', [
            { path: 'appointmentId', message: 'Không tìm thấy lịch hẹn / appointment not found' },
          ]);
        requester = { accountId: appt.accountId, name: appt.name, idNumber: appt.idNumber };
      }
      const c = await deps.service.open(me, {
        agencyCode: b.office,
        source: b.appointmentId ? 'appointment' : 'walk-in',
        appointmentId: b.appointmentId ?? null,
        requester,
        document: {
          type: b.document.type,
          title: b.document.title.normalize('NFC').trim(),
          issuer: b.document.issuer?.normalize('NFC').trim() || null,
          number: b.document.number?.trim() || null,
          date: b.document.date ?? null,
        },
        pages: b.pages,
        copies: b.copies,
        scan: { bytes, type: SCAN_TYPES[b.scan.contentType as keyof typeof SCAN_TYPES] },
        idempotency: {
          key: request.headers['idempotency-key'] as string,
          // The scan enters the hash by its own digest (hashing a multi-megabyte JSON text is slow).
          requestHash: createHash('sha256')
            .update(
              JSON.stringify({
                ...b,
                scan: {
                  contentType: b.scan.contentType,
                  sha256: createHash('sha256').update(bytes).digest('hex'),
                },
              }),
            )
            .digest('hex'),
        },
      });
      return reply.code(c.replayed ? 200 : 201).send(view(c, deps.publicUrl));
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/certification/certifications/:id',
    {
      config: { access: CERTIFIER },
      schema: {
        summary: 'Một yêu cầu chứng thực / a certification',
        tags: ['certification'],
        params: IdParams,
        response: { 200: CertificationView },
      },
    },
    async (request) =>
      view(await deps.service.forOfficer(officerId(request), request.params.id), deps.publicUrl),
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/api/v1/certification/certifications/:id/cash',
    {
      config: { access: CERTIFIER },
      schema: {
        summary: 'Thu lệ phí tiền mặt tại quầy / the fee paid in cash at the counter',
        description:
          'Records the cash payment in the payments ledger (a receipt is issued), takes the next number of the office’s register, stamps and signs the copy, and delivers it to the requester’s wallet. Idempotent: asking again answers the same certification.',
        tags: ['certification'],
        params: IdParams,
        response: { 200: CertificationView },
      },
    },
    async (request) =>
      view(await deps.service.payCash(officerId(request), request.params.id), deps.publicUrl),
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/api/v1/certification/certifications/:id/online',
    {
      config: { access: CERTIFIER },
      schema: {
        summary: 'Thanh toán trực tuyến lệ phí / the fee made payable online',
        tags: ['certification'],
        params: IdParams,
        response: { 200: Type.Object({ paymentId: Type.String(), checkoutUrl: Type.String() }) },
      },
    },
    async (request) => deps.service.payOnline(officerId(request), request.params.id),
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/api/v1/certification/certifications/:id/cancel',
    {
      config: { access: CERTIFIER },
      schema: {
        summary: 'Hủy yêu cầu chưa nộp lệ phí / cancel an unpaid certification',
        tags: ['certification'],
        params: IdParams,
        response: { 200: CertificationView },
      },
    },
    async (request) => view(await deps.service.cancel(officerId(request), request.params.id), deps.publicUrl),
  );

  app.post<{ Params: Static<typeof IdParams>; Body: { reason: string } }>(
    '/api/v1/certification/certifications/:id/revoke',
    {
      config: { access: CERTIFIER },
      schema: {
        summary: 'Thu hồi bản sao đã cấp / revoke an issued copy',
        description: 'Verification answers that the copy was revoked from this moment on.',
        tags: ['certification'],
        params: IdParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 5, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: { 200: CertificationView },
      },
    },
    async (request) =>
      view(
        await deps.service.revoke(officerId(request), request.params.id, request.body.reason),
        deps.publicUrl,
      ),
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/certification/certifications/:id/copy.pdf',
    {
      config: { access: CERTIFIER },
      schema: {
        summary: 'Bản sao điện tử đã ký số / the signed copy',
        tags: ['certification'],
        params: IdParams,
      },
    },
    async (request, reply) => {
      const c = await deps.service.forOfficer(officerId(request), request.params.id);
      const pdf = c.status === 'issued' ? await deps.service.signedCopy(c.id) : undefined;
      if (!pdf) throw new NotFoundError('Bản sao chưa được cấp / the copy is not issued yet');
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="ban-sao-${c.public_code}.pdf"`)
        .send(pdf);
    },
  );
}
