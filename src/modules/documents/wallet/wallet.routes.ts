/**
 * The wallet's API: agencies' fetch from a citizen's or business's wallet with the owner's consent, in
 * the e-document store's request shape (client credentials, scope `documents`), and the short-lived
 * signed links of the files it answers with.
 */
import { Type } from 'typebox';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import type { WalletService } from './wallet.service.ts';

const Str = (max: number, extra: Record<string, unknown> = {}) => Type.String({ maxLength: max, ...extra });

export const FetchBody = Type.Object(
  {
    SoDinhDanhChuSoHuu: Str(20, {
      minLength: 10,
      description: 'Số định danh cá nhân (12 chữ số) hoặc mã số thuế của chủ sở hữu kho dữ liệu',
    }),
    HoTenNguoiYeuCau: Type.Optional(Str(200, { description: 'Họ tên cán bộ yêu cầu' })),
    KenhThucHien: Type.Optional(
      Type.Union([Str(20), Type.Integer({ minimum: 0, maximum: 99 })], { description: 'Kênh thực hiện' }),
    ),
    SoDinhDanhNguoiYeuCau: Type.Optional(Str(20, { description: 'Số định danh của cán bộ yêu cầu' })),
    MaThuTuc: Type.Optional(Str(40, { description: 'Mã thủ tục hành chính' })),
    DanhSachDanhMucKetQua: Type.Array(
      Type.Object(
        {
          MaKetQua: Str(40, {
            minLength: 1,
            description: 'Mã loại giấy tờ, kết quả (danh mục loại giấy tờ của Cổng)',
          }),
          SoKyHieu: Type.Optional(
            Type.Union([Str(100), Type.Null()], { description: 'Số, ký hiệu (không bắt buộc)' }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);

export const FetchResult = Type.Object({
  DanhSachGiayToKetQua: Type.Array(
    Type.Object({
      MaKetQua: Type.String(),
      TenGiayTo: Type.String(),
      SoKyHieu: Type.Union([Type.String(), Type.Null()]),
      CoQuanChuQuan: Type.Union([Type.String(), Type.Null()]),
      DanhSachTepDinhKem: Type.Array(Type.Object({ TenTep: Type.String(), DuongDan: Type.String() })),
    }),
  ),
});

const FileParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const FileQuery = Type.Object({
  expires: Type.Integer({ minimum: 0, maximum: 10_000_000_000 }),
  sig: Type.String({ maxLength: 100 }),
});

export async function walletRoutes(app: AppInstance, { service }: { service: WalletService }) {
  app.post(
    '/api/v1/wallet/fetch',
    {
      config: { access: access.machine('documents') },
      schema: {
        tags: ['documents'],
        summary: 'An agency system fetches documents from an owner’s wallet, with the owner’s consent',
        description:
          'Khai thác kho dữ liệu điện tử của tổ chức, cá nhân. Chỉ trả giấy tờ đúng loại (MaKetQua) và số ký hiệu (SoKyHieu, nếu có), còn hạn, khi chủ sở hữu đã đồng ý cho một cơ quan của ứng dụng (và thủ tục, nếu sự đồng ý giới hạn theo thủ tục) và sự đồng ý còn hiệu lực; nếu không: 403 (consent-missing). DuongDan là liên kết tải tệp có chữ ký, dùng được 5 phút. Mỗi lần khai thác được ghi lại và chủ sở hữu xem được.',
        body: FetchBody,
        response: { 200: FetchResult },
      },
    },
    async (request) => {
      const m = request.machine!;
      return service.fetch(
        { clientId: m.clientId, clientName: m.clientName, agencyCodes: m.agencyCodes },
        request.body,
      );
    },
  );

  app.get(
    '/api/v1/wallet/files/:id',
    {
      config: { access: access.public },
      schema: {
        tags: ['documents'],
        summary: 'A file of a wallet fetch, by the signed link the fetch answered (valid a few minutes)',
        params: FileParams,
        querystring: FileQuery,
        produces: ['application/pdf', 'image/jpeg', 'image/png'],
      },
    },
    async (request, reply) => {
      const { item, bytes } = await service.fileByLink(
        request.params.id,
        request.query.expires,
        request.query.sig,
      );
      return reply
        .type(item.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(item.fileName)}`)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(bytes);
    },
  );
}
