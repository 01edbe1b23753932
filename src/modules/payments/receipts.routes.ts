/**
 * `GET /thanh-toan/{id}/bien-lai/{receiptId}.pdf`: an e-receipt as PDF. The payment id (an unguessable
 * UUID) is the capability, as for the checkout pages: the payer has it from the checkout and the
 * notification, the agency from its officers' pages; the receipt must belong to that payment.
 */
import { Type } from 'typebox';
import type { AnyDb } from '../../platform/db/index.ts';
import { NotFoundError } from '../../platform/errors/index.ts';
import { type AppInstance, access } from '../../platform/http/index.ts';
import { receiptPdf } from './receipts.documents.ts';

export async function receiptRoutes(app: AppInstance, deps: { db: AnyDb; publicUrl: string }) {
  app.get<{ Params: { id: string; receiptId: string } }>(
    '/thanh-toan/:id/bien-lai/:receiptId.pdf',
    {
      config: { access: access.public },
      schema: {
        summary: 'Biên lai điện tử (PDF) / an e-receipt as PDF',
        tags: ['payments'],
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          receiptId: Type.String({ format: 'uuid' }),
        }),
      },
    },
    async (request, reply) => {
      const r = await receiptPdf(deps.db, deps.publicUrl, request.params.id, request.params.receiptId);
      if (!r) throw new NotFoundError('Không tìm thấy biên lai / receipt not found');
      const name = `bien-lai-${r.receipt.series.replace(/[^0-9A-Za-z-]/g, '-')}-${String(r.receipt.number).padStart(7, '0')}.pdf`;
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${name}"`)
        .header('cache-control', 'private, no-store')
        .send(Buffer.from(r.pdf));
    },
  );
}
