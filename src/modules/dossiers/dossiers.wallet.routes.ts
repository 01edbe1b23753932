/**
 * JSON API of reuse from the wallet: the caller's wallet documents a dossier may take, and one of them
 * taken as a staged upload — whose id is then used as any upload's (`uploads` of POST /api/v1/dossiers, a
 * draft's file slot, a supplement). Both answer 404 when the portal has no wallet wired. State-changing
 * calls are JSON only (dossiers.routes.ts explains the CSRF defence of /api).
 */
import { Type } from 'typebox';
import { NotFoundError } from '../../platform/errors/index.ts';
import { type AppInstance, access } from '../../platform/http/index.ts';
import type { Desk } from './dossiers.desk.ts';
import { requireJson } from './dossiers.routes.ts';
import { ReuseSchema, UploadSchema } from './dossiers.schemas.ts';
import { NO_WALLET } from './dossiers.wallet.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const WalletItemSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.Union([Type.Literal('certified-copy'), Type.Literal('dossier-result'), Type.Literal('upload')]),
  documentType: Type.String(),
  title: Type.String(),
  issuer: Nullable(Type.String()),
  number: Nullable(Type.String()),
  issuedOn: Nullable(Type.String()),
  expiresOn: Nullable(Type.String()),
  fileName: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  verification: Type.Object({
    verified: Type.Boolean(),
    checkedAt: Type.String({ format: 'date-time' }),
    summary: Type.Object({ vi: Type.String(), en: Type.String() }),
    signer: Nullable(Type.String()),
  }),
});

export const FromWalletBody = Type.Object(
  {
    walletItemId: Type.String({ format: 'uuid', description: 'A document of the caller’s own wallet' }),
    documentCode: Type.Optional(
      Type.String({
        maxLength: 60,
        pattern: '^[0-9A-Za-z][0-9A-Za-z._-]{0,59}$',
        description: 'MaThanhPhanHoSo',
      }),
    ),
  },
  { additionalProperties: false },
);

const json = (v: unknown) => JSON.parse(JSON.stringify(v));

export async function dossiersWalletRoutes(app: AppInstance, { desk }: { desk: Desk }) {
  const applicants = access.account('citizen', 'business', 'organisation');

  app.get(
    '/api/v1/dossiers/wallet-items',
    {
      config: { access: applicants },
      schema: {
        tags: ['dossiers'],
        summary: "The caller's wallet documents a dossier may take instead of an upload",
        description:
          'Giấy tờ trong kho dữ liệu điện tử của người gọi có thể dùng lại khi nộp hồ sơ (chưa xoá, còn hạn), mới nhất trước, kèm kết quả xác thực chữ ký số của Cổng. 404 khi Cổng chưa kết nối kho dữ liệu.',
        response: { 200: Type.Object({ items: Type.Array(WalletItemSchema) }) },
      },
    },
    async (request) => {
      if (!desk.walletEnabled) throw new NotFoundError(NO_WALLET);
      return json({ items: await desk.walletItems(request.account!.id) });
    },
  );

  app.post(
    '/api/v1/dossiers/uploads/from-wallet',
    {
      config: { access: applicants },
      preValidation: requireJson,
      schema: {
        tags: ['dossiers'],
        summary: 'Take a document of the caller’s wallet as an upload (instead of uploading the file)',
        description:
          'Lấy giấy tờ từ kho dữ liệu điện tử thay cho tải tệp lên: nội dung được sao vào hồ sơ, ghi nhận giấy tờ gốc và kết quả xác thực chữ ký số lúc lấy (hồ sơ gửi đi ghi DuocTaiSuDung, DuocLayTuKhoDMQG = 1). Trả về mã tệp dùng như mọi tệp tải lên. 404 khi giấy tờ không thuộc kho của người gọi hoặc Cổng chưa kết nối kho dữ liệu; 400 khi định dạng hay dung lượng không hợp với mục giấy tờ.',
        body: FromWalletBody,
        response: { 201: Type.Object({ ...UploadSchema.properties, reuse: ReuseSchema }) },
      },
    },
    async (request, reply) => {
      const u = await desk.uploadFromWallet(request.account!.id, {
        walletItemId: request.body.walletItemId,
        documentCode: request.body.documentCode,
      });
      return reply.code(201).send(
        json({
          id: u.id,
          fileName: u.file_name,
          mediaType: u.media_type,
          sizeBytes: u.size_bytes,
          sha256: u.sha256,
          reuse: u.reuse,
        }),
      );
    },
  );
}
