/**
 * Traffic fines over HTTP:
 *   PUT /api/v1/fines/{decisionNumber}   the police's system registers a decision (scope `fines`)
 *   GET /api/v1/fines/lookup?number=&idNumber=|plate=   anyone: what is due today (limited per address)
 */
import { type Static, Type } from 'typebox';
import { TooManyRequestsError, ValidationError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import type { Limit } from '../../../platform/security/index.ts';
import type { FineKey, FinesService } from './fines.service.ts';

/** Public lookups of fines (the API and the page share it): per address. */
export const FINE_LOOKUP_LIMIT: Limit = {
  name: 'fines-lookup-ip',
  max: 30,
  windowSeconds: 60,
  per: 'address',
};

export interface LookupLimiter {
  hit(limit: Limit, subject: string): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const FineBody = Type.Object(
  {
    decidedOn: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD' }),
    violator: Type.Object(
      { name: Text(200), idNumber: Type.String({ pattern: '^[0-9]{12}$' }) },
      { additionalProperties: false },
    ),
    plate: Type.String({
      pattern: '^[0-9]{2}[A-Z][A-Z0-9]?-[0-9]{3}\\.[0-9]{2}$',
      description: '30A-123.45',
    }),
    violation: Text(500),
    place: Text(300),
    violatedAt: Type.String({ format: 'date-time' }),
    amount: Type.Integer({ minimum: 1, maximum: 1_000_000_000_000, description: 'integer đồng' }),
    agency: Type.Object(
      { code: Type.String({ pattern: '^[A-Z0-9.-]{2,30}$' }), name: Text(300) },
      { additionalProperties: false },
    ),
    treasury: Type.Object(
      {
        account: Type.String({ pattern: '^[0-9A-Z]{1,30}$' }),
        bankBin: Type.String({ pattern: '^[0-9]{6}$' }),
        name: Text(300),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const Registered = Type.Object({ decisionNumber: Type.String(), created: Type.Boolean() });

export const FineViewSchema = Type.Object({
  decisionNumber: Type.String(),
  decidedOn: Type.String(),
  violatorName: Type.String({ description: 'masked: the first letter of each word' }),
  plate: Type.String(),
  violation: Type.String(),
  place: Type.String(),
  violatedAt: Type.String({ format: 'date-time' }),
  agency: Type.Object({ code: Type.String(), name: Type.String() }),
  amount: Type.Integer({ description: 'the fine, integer đồng' }),
  deadline: Type.String({ description: 'last day without surcharge (decision date + 10 days)' }),
  asOf: Type.String({ description: 'the Vietnam date the surcharge is reckoned for' }),
  lateDays: Type.Integer(),
  surcharge: Type.Integer({ description: '0.05 % a day late, simple; once paid, what was collected' }),
  total: Type.Integer({ description: 'amount + surcharge' }),
  paid: Type.Union([
    Type.Null(),
    Type.Object({ reference: Type.String(), paidAt: Type.String(), amount: Type.Integer() }),
  ]),
});

const LookupQuery = Type.Object(
  {
    number: Type.String({ minLength: 3, maxLength: 60 }),
    idNumber: Type.Optional(Type.String({ pattern: '^[0-9]{9,12}$' })),
    plate: Type.Optional(Type.String({ minLength: 4, maxLength: 20 })),
  },
  { additionalProperties: false },
);

/** The second key of a lookup or bill: exactly one of the ID number and the plate. */
export function fineKey(q: { idNumber?: string | undefined; plate?: string | undefined }): FineKey {
  const id = q.idNumber?.trim();
  const plate = q.plate?.trim();
  if (id && !plate) return { idNumber: id };
  if (plate && !id) return { plate };
  throw new ValidationError(
    'Cần một trong hai: số định danh (CCCD) của người vi phạm hoặc biển số xe / give the ID number or the plate',
    [{ path: 'idNumber', message: 'exactly one of idNumber and plate' }],
  );
}

export async function finesRoutes(app: AppInstance, deps: { service: FinesService; limiter: LookupLimiter }) {
  app.put<{ Params: { decisionNumber: string }; Body: Static<typeof FineBody> }>(
    '/api/v1/fines/:decisionNumber',
    {
      config: { access: access.machine('fines') },
      schema: {
        tags: ['payments'],
        summary: 'Đăng ký quyết định xử phạt / the police system registers a penalty decision',
        description:
          'Client credentials, scope fines. The decision number URL-encoded (1234%2FQ%C4%90-XPHC). 201 registered; 200 the same contents again; 409 the number is registered with other contents; 403 an agency the client does not act for.',
        params: Type.Object({ decisionNumber: Type.String({ minLength: 3, maxLength: 60 }) }),
        body: FineBody,
        response: { 200: Registered, 201: Registered },
      },
    },
    async (request, reply) => {
      const m = request.machine!;
      const r = await deps.service.register(
        { clientId: m.clientId, agencyCodes: m.agencyCodes },
        request.params.decisionNumber,
        request.body,
      );
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  app.get<{ Querystring: Static<typeof LookupQuery> }>(
    '/api/v1/fines/lookup',
    {
      config: { access: access.public },
      schema: {
        tags: ['payments'],
        summary: 'Tra cứu quyết định xử phạt / look a penalty decision up',
        description:
          'By the decision number and either the violator’s ID number or the plate. What is due today (Vietnam date): the fine, the surcharge after the 10 days, the total, and whether it is paid. The name is masked and the ID number never shown. A wrong pair and an unknown number both answer 404. Limited per address (429).',
        querystring: LookupQuery,
        response: { 200: FineViewSchema },
      },
    },
    async (request) => {
      const key = fineKey(request.query);
      const verdict = await deps.limiter.hit(FINE_LOOKUP_LIMIT, request.ip);
      if (!verdict.allowed)
        throw new TooManyRequestsError(
          'Bạn đã tra cứu quá nhiều lần, vui lòng thử lại sau / too many lookups, try again later',
          verdict.retryAfterSeconds,
        );
      return deps.service.lookup(request.query.number, key);
    },
  );
}
