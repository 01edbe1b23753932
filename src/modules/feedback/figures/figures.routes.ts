/**
 * The figures API (docs/feedback.md, "Figures"):
 *   GET /api/v1/feedback/figures?from=&to=&groupBy=agency|category|status|month   the table and indicators 5.1–5.3
 *   GET /api/v1/feedback/figures.csv?…                                            the same table as CSV for Excel
 * Signed-in callers; the service answers 403 to anyone but the Government Office and agencies' handlers.
 */
import { Type } from 'typebox';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { type FeedbackFigures, figuresCsv } from './figures.service.ts';

const Label = Type.Object({ vi: Type.String(), en: Type.String() });
const Row = Type.Object({
  key: Type.String(),
  label: Label,
  values: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()])),
});
const Share = Type.Object({ count: Type.Integer(), share: Type.Union([Type.Number(), Type.Null()]) });
const Rate = Type.Union([Type.Number(), Type.Null()]);

export const FiguresQuery = Type.Object({
  from: Type.Optional(
    Type.String({ maxLength: 20, description: 'YYYY-MM-DD (Vietnam time); default the 1st of this month' }),
  ),
  to: Type.Optional(Type.String({ maxLength: 20, description: 'YYYY-MM-DD, included; default today' })),
  groupBy: Type.Optional(
    Type.String({ maxLength: 20, description: 'agency (default), category, status or month' }),
  ),
});

export const FiguresView = Type.Object({
  from: Type.String(),
  to: Type.String(),
  end: Type.String({ description: 'The day at whose end open and overdue items are counted' }),
  groupBy: Type.String(),
  columns: Type.Array(Type.Object({ key: Type.String(), label: Label })),
  rows: Type.Array(Row),
  total: Row,
  indicators: Type.Array(
    Type.Object({
      agency: Type.String(),
      received: Type.Integer(),
      byCategory: Type.Object({ regulation: Share, 'dossier-handling': Share, other: Share }),
      onTime: Type.Object({
        answered: Type.Integer(),
        answeredOnTime: Type.Integer(),
        overdueAtEnd: Type.Integer(),
        rate: Rate,
      }),
      satisfaction: Type.Object({
        satisfied: Type.Integer(),
        unsatisfied: Type.Integer(),
        overdueAtEnd: Type.Integer(),
        rate: Rate,
      }),
    }),
  ),
});

export async function figuresRoutes(app: AppInstance, { figures }: { figures: FeedbackFigures }) {
  app.get<{ Querystring: { from?: string; to?: string; groupBy?: string } }>(
    '/api/v1/feedback/figures',
    {
      config: { access: access.account() },
      schema: {
        summary: 'Số liệu phản ánh, kiến nghị / feedback figures (Decision 766 indicators 5.1–5.3)',
        description:
          'Counts per agency, category, status or month for a period, read from daily rollups, with indicators 5.1 (share by category), 5.2 (handled on time) and 5.3 (satisfaction) per agency. The Government Office sees all agencies; an agency handler those where they hold a handler role and those below; anyone else 403.',
        tags: ['feedback'],
        querystring: FiguresQuery,
        response: { 200: FiguresView },
      },
    },
    async (request) => figures.table(request.account!.id, request.query),
  );

  app.get<{ Querystring: { from?: string; to?: string; groupBy?: string } }>(
    '/api/v1/feedback/figures.csv',
    {
      config: { access: access.account() },
      schema: {
        summary: 'Số liệu phản ánh, kiến nghị (CSV) / feedback figures as CSV',
        description:
          'The figures table as CSV: UTF-8 with a byte order mark, Vietnamese headers, opens in Excel.',
        tags: ['feedback'],
        querystring: FiguresQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const t = await figures.table(request.account!.id, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="so-lieu-pakn-${t.groupBy}-${t.from}-${t.to}.csv"`,
        )
        .send(figuresCsv(t));
    },
  );
}
