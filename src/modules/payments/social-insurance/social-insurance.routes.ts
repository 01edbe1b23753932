/**
 * GET /api/v1/social-insurance/{code}: public on purpose — anyone may pay a participant's contribution (a
 * relative often does), as at VSS's own counters — so it shows what paying needs and no more: the name
 * masked, the plan (income, mode, support group, months supported, paid through) and what each mode
 * costs today. No ID number, birth date or province. Limited per address.
 */
import { Type } from 'typebox';
import { TooManyRequestsError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import type { Limit } from '../../../platform/security/index.ts';
import type { LookupLimiter } from '../fines/fines.routes.ts';
import type { SocialInsuranceService } from './social-insurance.service.ts';

export const SI_LOOKUP_LIMIT: Limit = { name: 'si-lookup-ip', max: 30, windowSeconds: 60, per: 'address' };

const Option = Type.Object({
  months: Type.Integer(),
  monthly: Type.Integer({ description: '22 % of the income, one month' }),
  gross: Type.Integer(),
  supportedMonths: Type.Integer(),
  support: Type.Integer({ description: 'the State’s share' }),
  amount: Type.Integer({ description: 'what the participant pays: gross − support' }),
  from: Type.String({ description: 'YYYY-MM' }),
  to: Type.String({ description: 'YYYY-MM' }),
});

export const ParticipantViewSchema = Type.Object({
  code: Type.String(),
  name: Type.String({ description: 'masked: the first letter of each word' }),
  plan: Type.Object({
    income: Type.Integer(),
    months: Type.Integer(),
    supportGroup: Type.String(),
    supportedMonthsUsed: Type.Integer(),
    paidThrough: Type.Union([Type.String(), Type.Null()]),
  }),
  supportPercent: Type.Integer(),
  supportedMonthsLeft: Type.Integer(),
  options: Type.Array(Option, { description: 'the plan’s income paid monthly, 3, 6 or 12 months, today' }),
});

export async function socialInsuranceRoutes(
  app: AppInstance,
  deps: { service: SocialInsuranceService; limiter: LookupLimiter },
) {
  app.get<{ Params: { code: string } }>(
    '/api/v1/social-insurance/:code',
    {
      config: { access: access.public },
      schema: {
        tags: ['payments'],
        summary: 'Người tham gia BHXH tự nguyện / a voluntary social-insurance participant and what is due',
        description:
          'By the 10-digit social-insurance code, from Vietnam Social Security: the name masked, the registered plan and the amount of each mode today (22 % of the income, less the State support while fewer than 120 months were supported). 404 unknown code; 503 VSS not answering; 429 too many lookups from one address.',
        params: Type.Object({ code: Type.String({ pattern: '^[0-9]{10}$' }) }),
        response: { 200: ParticipantViewSchema },
      },
    },
    async (request) => {
      const verdict = await deps.limiter.hit(SI_LOOKUP_LIMIT, request.ip);
      if (!verdict.allowed)
        throw new TooManyRequestsError(
          'Bạn đã tra cứu quá nhiều lần, vui lòng thử lại sau / too many lookups, try again later',
          verdict.retryAfterSeconds,
        );
      return deps.service.view(request.params.code);
    },
  );
}
