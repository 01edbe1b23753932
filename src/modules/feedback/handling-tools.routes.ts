/**
 * The handlers' tools in the feedback API (issue 19, item 2):
 *   GET    /api/v1/feedback/templates?agency=   an agency's answer templates (its handlers; CP: the Government Office)
 *   POST   /api/v1/feedback/templates           a new template {agency, title, body}
 *   PUT    /api/v1/feedback/templates/{id}      changes its title and text
 *   DELETE /api/v1/feedback/templates/{id}
 *   POST   /api/v1/feedback/answers             one answer to many items {items: [{code, asAgency?}], text}
 * Merging duplicates is the workflow action `merge` (POST /api/v1/feedback/{code}/actions {action, into}).
 */
import { type Static, Type } from 'typebox';
import { type AppInstance, access } from '../../platform/http/index.ts';
import type { AnswerMany } from './answer-many.ts';
import type { AnswerTemplates } from './answer-templates.service.ts';
import { AGENCY_HANDLER_ROLES } from './feedback.ports.ts';

const Code = Type.String({ pattern: '^[A-Za-z0-9._-]{1,60}$' });
const TemplateBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    body: Type.String({
      minLength: 1,
      maxLength: 20_000,
      description: 'Placeholders: {ten_nguoi_gui}, {ma_pakn}, {co_quan}, {ngay_gui}',
    }),
  },
  { additionalProperties: false },
);
type TemplateBody = Static<typeof TemplateBody>;
const NewTemplate = Type.Object(
  { agency: Code, title: TemplateBody.properties.title, body: TemplateBody.properties.body },
  { additionalProperties: false },
);
type NewTemplate = Static<typeof NewTemplate>;
const TemplateView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  agency: Type.String(),
  title: Type.String(),
  body: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
});
const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const AnswerManyBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        { code: Type.String({ maxLength: 40 }), asAgency: Type.Optional(Code) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
    text: Type.String({ minLength: 1, maxLength: 20_000 }),
  },
  { additionalProperties: false },
);
type AnswerManyBody = Static<typeof AnswerManyBody>;
const AnswerManyResult = Type.Object({
  results: Type.Array(
    Type.Object({
      code: Type.String(),
      agency: Type.Union([Type.String(), Type.Null()]),
      ok: Type.Boolean(),
      status: Type.Optional(Type.String()),
      problem: Type.Optional(
        Type.String({ description: 'not-found, forbidden, conflict (e.g. answered already) or invalid' }),
      ),
      message: Type.Optional(Type.String()),
    }),
  ),
});

const view = (t: { id: string; agency_code: string; title: string; body: string; updated_at: Date }) => ({
  id: t.id,
  agency: t.agency_code,
  title: t.title,
  body: t.body,
  updatedAt: t.updated_at.toISOString(),
});

export async function handlingToolRoutes(
  app: AppInstance,
  { templates, answers }: { templates: AnswerTemplates; answers: AnswerMany },
) {
  const officer = { access: access.officer('vpcp-supervisor', ...AGENCY_HANDLER_ROLES) };

  app.get<{ Querystring: { agency: string } }>(
    '/api/v1/feedback/templates',
    {
      config: officer,
      schema: {
        summary: 'Mẫu trả lời của cơ quan / an agency’s answer templates',
        tags: ['feedback'],
        querystring: Type.Object({ agency: Code }),
        response: { 200: Type.Object({ items: Type.Array(TemplateView) }) },
      },
    },
    async (request) => ({
      items: (await templates.list(request.account!.id, request.query.agency.toUpperCase())).map(view),
    }),
  );

  app.post<{ Body: NewTemplate }>(
    '/api/v1/feedback/templates',
    {
      config: officer,
      schema: {
        summary: 'Thêm mẫu trả lời / add an answer template',
        tags: ['feedback'],
        body: NewTemplate,
        response: { 201: TemplateView },
      },
    },
    async (request, reply) => {
      const t = await templates.create(request.account!.id, request.body.agency, request.body);
      return reply.code(201).send(view(t));
    },
  );

  app.put<{ Params: { id: string }; Body: TemplateBody }>(
    '/api/v1/feedback/templates/:id',
    {
      config: officer,
      schema: {
        summary: 'Sửa mẫu trả lời / change an answer template',
        tags: ['feedback'],
        params: IdParams,
        body: TemplateBody,
        response: { 200: TemplateView },
      },
    },
    async (request) => view(await templates.update(request.account!.id, request.params.id, request.body)),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/feedback/templates/:id',
    {
      config: officer,
      schema: {
        summary: 'Xóa mẫu trả lời / delete an answer template',
        tags: ['feedback'],
        params: IdParams,
      },
    },
    async (request, reply) => {
      await templates.remove(request.account!.id, request.params.id);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: AnswerManyBody }>(
    '/api/v1/feedback/answers',
    {
      config: officer,
      schema: {
        summary: 'Trả lời chung nhiều phản ánh / one answer to many items',
        description:
          'Each item is answered on its own, as POST /api/v1/feedback/{code}/actions {action: answer} would; placeholders are filled per item. Items that may not be answered (unknown or not visible, not allowed now, answered already) are reported with their code; a retry answers nothing twice.',
        tags: ['feedback'],
        body: AnswerManyBody,
        response: { 200: AnswerManyResult },
      },
    },
    async (request) => ({
      results: await answers.answerMany(
        request.body.items.map((i) => ({ code: i.code, agency: i.asAgency })),
        request.body.text,
        { accountId: request.account!.id },
      ),
    }),
  );
}
