/**
 * The portal's own bills over REST:
 *   POST /api/v1/payments  (Idempotency-Key)  {kind: 'dossier-fee', dossierCode} | {kind: 'fine',
 *        decisionNumber, idNumber | plate} | {kind: 'social-insurance', code, months}
 *   GET  /api/v1/payments/{id}
 * Each answer says whether the state is final, and where the payer pays (the hosted checkout).
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { type Static, Type } from 'typebox';
import type { AnyDb } from '../../platform/db/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import { type AppInstance, access } from '../../platform/http/index.ts';
import { FINAL_STATUSES, type NewPayment, type Payment, type PaymentKind } from './payments.repository.ts';
import type { PaymentsService } from './payments.service.ts';

/** Who asks for a bill: a signed-in account, or anyone (fines and contributions can be paid for others). */
export interface Caller {
  accountId: string | null;
  kind: string | null;
}

/** Turns a request for a bill into the payment to make, checking what it names (404/400/409). */
export interface BillSource {
  kind: PaymentKind;
  bill(body: Record<string, unknown>, caller: Caller): Promise<Omit<NewPayment, 'expiresAt'>>;
}

export const CreatePaymentBody = Type.Object(
  {
    kind: Type.Union([
      Type.Literal('dossier-fee'),
      Type.Literal('fine'),
      Type.Literal('social-insurance'),
      Type.Literal('certification-fee'),
    ]),
    certificationId: Type.Optional(Type.String({ format: 'uuid' })),
    dossierCode: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    decisionNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    idNumber: Type.Optional(Type.String({ pattern: '^[0-9]{9,12}$' })),
    plate: Type.Optional(Type.String({ minLength: 4, maxLength: 20 })),
    code: Type.Optional(Type.String({ pattern: '^[0-9]{10}$' })),
    months: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
    income: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000 })),
  },
  { additionalProperties: false },
);

const Line = Type.Object({
  kind: Type.String(),
  code: Type.String(),
  name: Type.String(),
  amount: Type.Integer(),
});

export const PaymentView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  reference: Type.String({ description: 'MaThamChieu; the content of a VietQR transfer' }),
  kind: Type.String(),
  subject: Type.String(),
  status: Type.Union([
    Type.Literal('created'),
    Type.Literal('pending'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
    Type.Literal('expired'),
    Type.Literal('cancelled'),
  ]),
  final: Type.Boolean({ description: 'true: the state will not change any more' }),
  amount: Type.Integer({ description: 'integer đồng' }),
  currency: Type.Literal('VND'),
  lines: Type.Array(Line),
  description: Type.String(),
  payee: Type.String({ description: 'the collecting agency' }),
  method: Type.Union([Type.String(), Type.Null()]),
  intermediary: Type.Union([Type.String(), Type.Null()]),
  checkoutUrl: Type.String({ description: 'the hosted checkout where the payer chooses how to pay' }),
  expiresAt: Type.String({ format: 'date-time' }),
  succeededAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  receipts: Type.Array(
    Type.Object({ series: Type.String(), number: Type.String(), kind: Type.String(), url: Type.String() }),
  ),
});

export type PaymentViewT = Static<typeof PaymentView>;

export function paymentView(
  p: Payment,
  publicUrl: string,
  receipts: Array<{ id: string; series: string; number: number; kind: string }> = [],
): PaymentViewT {
  return {
    id: p.id,
    reference: p.reference,
    kind: p.kind,
    subject: p.subject,
    status: p.status,
    final: FINAL_STATUSES.includes(p.status),
    amount: p.amount,
    currency: 'VND',
    lines: p.lines,
    description: p.description,
    payee: p.payeeAgency,
    method: p.method,
    intermediary: p.intermediary,
    checkoutUrl: `${publicUrl}/thanh-toan/${p.id}`,
    expiresAt: p.expiresAt.toISOString(),
    succeededAt: p.succeededAt ? p.succeededAt.toISOString() : null,
    receipts: receipts.map((r) => ({
      series: r.series,
      number: String(r.number).padStart(7, '0'),
      kind: r.kind,
      url: `${publicUrl}/thanh-toan/${p.id}/bien-lai/${r.id}.pdf`,
    })),
  };
}

const callerOf = (request: FastifyRequest): Caller => ({
  accountId: request.account?.id ?? null,
  kind: request.account?.kind ?? null,
});

export async function paymentRoutes(
  app: AppInstance,
  deps: {
    db: AnyDb;
    service: PaymentsService;
    sources: ReadonlyMap<PaymentKind, BillSource>;
    publicUrl: string;
    receiptsOf(
      paymentId: string,
    ): Promise<Array<{ id: string; series: string; number: number; kind: string }>>;
  },
) {
  app.post<{ Body: Static<typeof CreatePaymentBody> }>(
    '/api/v1/payments',
    {
      config: { access: access.public },
      schema: {
        summary: 'Tạo khoản thanh toán / create a payment for a bill of the portal',
        description:
          'Idempotent with an Idempotency-Key header: the same key and body answer the same payment; the same key with another body is 409. One open payment per bill: asking again answers the open one (200 instead of 201).',
        tags: ['payments'],
        headers: Type.Object({ 'idempotency-key': Type.String({ pattern: '^[!-~]{1,255}$' }) }),
        body: CreatePaymentBody,
        response: { 200: PaymentView, 201: PaymentView },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'] as string;
      const caller = callerOf(request);
      const callerKey = caller.accountId ? `account:${caller.accountId}` : 'public';
      const hash = createHash('sha256').update(JSON.stringify(request.body)).digest('hex');
      const seen = await sql<{ request_hash: string; payment_id: string }>`
        select request_hash, payment_id from payments.request_keys where caller = ${callerKey} and key = ${key}`.execute(
        deps.db,
      );
      if (seen.rows[0]) {
        if (seen.rows[0].request_hash !== hash)
          throw new ConflictError(
            'Idempotency-Key này đã dùng cho yêu cầu khác / this key was used for another request',
            {
              state: 'key-reused',
            },
          );
        const p = await deps.service.get(seen.rows[0].payment_id);
        return reply.code(200).send(paymentView(p, deps.publicUrl, await deps.receiptsOf(p.id)));
      }
      const source = deps.sources.get(request.body.kind);
      if (!source)
        throw new ValidationError('Loại thanh toán không được hỗ trợ / unsupported kind', [
          { path: 'body.kind', message: 'unsupported' },
        ]);
      const bill = await source.bill(request.body as Record<string, unknown>, caller);
      const { payment, created } = await deps.service.create(bill);
      await sql`insert into payments.request_keys (caller, key, request_hash, payment_id)
                values (${callerKey}, ${key}, ${hash}, ${payment.id}) on conflict do nothing`.execute(
        deps.db,
      );
      return reply.code(created ? 201 : 200).send(paymentView(payment, deps.publicUrl, []));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/payments/:id',
    {
      config: { access: access.public },
      schema: {
        summary: 'Trạng thái khoản thanh toán / a payment and whether its state is final',
        description:
          'Anyone holding the payment id (an unguessable UUID, given to the payer) may read its state; no personal data beyond the bill is shown.',
        tags: ['payments'],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: PaymentView },
      },
    },
    async (request) => {
      const p = await deps.service.get(request.params.id).catch(() => {
        throw new NotFoundError('Không tìm thấy giao dịch / payment not found');
      });
      return paymentView(p, deps.publicUrl, await deps.receiptsOf(p.id));
    },
  );
}
