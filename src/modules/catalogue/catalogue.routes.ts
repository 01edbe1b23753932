/** JSON API of the procedure catalogue: search, one procedure, sectors, bundles, export. */

import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import { type AppInstance, access } from '../../platform/http/index.ts';
import type { PublishedRow } from './catalogue.repository.ts';
import {
  BundleDetail,
  BundleList,
  BundleParams,
  ExportQuery,
  ImportReport,
  ProcedureDetailSchema,
  ProcedureParams,
  ProcedureQuery,
  SearchQuerySchema,
  SearchResultSchema,
  SectorList,
  SuggestQuery,
  SuggestResult,
  SystemImportBody,
  XLSX_MAX_ROWS,
} from './catalogue.schemas.ts';
import type { CatalogueService } from './catalogue.service.ts';
import { toLayThuTuc } from './domain/lay-thu-tuc.ts';
import { csvLine, EXPORT_HEADER, exportRow } from './export/catalogue-export.ts';
import { type Cell, xlsx } from './export/xlsx.ts';

export async function catalogueApiRoutes(app: AppInstance, { service }: { service: CatalogueService }) {
  app.get(
    '/api/v1/procedures',
    {
      config: { access: access.public },
      schema: {
        tags: ['procedures'],
        summary: 'Search the procedure catalogue',
        description:
          'Tìm thủ tục hành chính: có dấu hoặc không dấu (đ = d), chấp nhận lỗi gõ, xếp hạng theo mức khớp tên rồi mức độ sử dụng; lọc theo lĩnh vực, cơ quan, tỉnh, cấp, đối tượng, mức độ trực tuyến, kèm số lượng theo từng bộ lọc. Phân trang bằng cursor.',
        querystring: SearchQuerySchema,
        response: { 200: SearchResultSchema },
      },
    },
    async (request) => service.search(request.query),
  );

  app.get(
    '/api/v1/procedures/suggest',
    {
      config: { access: access.public },
      schema: {
        tags: ['procedures'],
        summary: 'Suggestions while typing (the last word is a prefix)',
        querystring: SuggestQuery,
        response: { 200: SuggestResult },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return service.suggest(request.query.q);
    },
  );

  app.get(
    '/api/v1/procedures/export',
    {
      config: { access: access.public },
      schema: {
        tags: ['procedures'],
        summary: 'The published catalogue as CSV or XLSX',
        querystring: ExportQuery,
        produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      const [sectors, agencies] = await Promise.all([service.sectorNames(), service.agencyDirectory()]);
      const row = (p: PublishedRow) =>
        exportRow({
          code: p.code,
          version: p.version,
          content: p.content,
          ownerName: agencies.get(p.owner_agency_code)?.name ?? p.owner_agency_code,
          sectorName: (s) => sectors.get(s) ?? s,
          publishedAt: p.published_at,
        });
      const stamp = new Date().toISOString().slice(0, 10);
      if (format === 'xlsx') {
        const n = await service.countPublished(filter);
        if (n > XLSX_MAX_ROWS)
          throw new ValidationError(
            `Danh mục có ${n} thủ tục, quá ${XLSX_MAX_ROWS} dòng của một tệp XLSX: hãy lọc theo lĩnh vực, cơ quan hoặc tỉnh, hoặc tải tệp CSV.`,
            [{ path: 'format', message: `more than ${XLSX_MAX_ROWS} rows: filter, or use csv` }],
          );
        const rows: Cell[][] = [EXPORT_HEADER];
        for await (const p of service.published(1000, filter)) rows.push(row(p));
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="danh-muc-thu-tuc-${stamp}.xlsx"`)
          .send(xlsx('Thủ tục hành chính', rows));
      }
      // CSV is streamed page by page: the whole national catalogue never sits in memory.
      async function* lines() {
        yield `\ufeff${csvLine(EXPORT_HEADER)}`;
        for await (const p of service.published(1000, filter)) yield csvLine(row(p));
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="danh-muc-thu-tuc-${stamp}.csv"`)
        .send(Readable.from(lines()));
    },
  );

  app.get(
    '/api/v1/procedures/:code',
    {
      config: { access: access.public },
      schema: {
        tags: ['procedures'],
        summary: 'One procedure: its public version, or an earlier published version',
        params: ProcedureParams,
        querystring: ProcedureQuery,
        response: { 200: ProcedureDetailSchema },
      },
    },
    async (request) => service.getProcedure(request.params.code.toUpperCase(), request.query),
  );

  app.get(
    '/api/v1/procedures/:code/lay-thu-tuc',
    {
      config: { access: access.public },
      schema: {
        tags: ['procedures'],
        summary: 'One procedure in the national portal’s LayThuTuc shape (upper-case field names)',
        description:
          'Thủ tục theo cấu trúc LayThuTuc của Cổng Dịch vụ công quốc gia, cho hệ thống một cửa của bộ, ngành, địa phương.',
        params: ProcedureParams,
        querystring: ProcedureQuery,
        response: { 200: Type.Record(Type.String(), Type.Unknown()) },
      },
    },
    async (request) => {
      const p = await service.getProcedure(request.params.code.toUpperCase(), request.query);
      const names = new Map(p.sectors.map((s) => [s.code, s.name]));
      return toLayThuTuc(p.code, p.content, (s) => names.get(s) ?? s);
    },
  );

  app.post(
    '/api/v1/procedures/import',
    {
      // Agency systems with the `catalogue` scope write drafts of their own agencies only, which officers
      // submit and the Government Office publishes.
      config: { access: access.machine('catalogue') },
      bodyLimit: 10 * 1024 * 1024,
      schema: {
        tags: ['procedures'],
        summary: 'An agency system imports procedures (LayThuTuc shape) as drafts of its agency',
        description:
          'Hệ thống của bộ, ngành, địa phương (client credentials, phạm vi `sync`) gửi thủ tục theo cấu trúc LayThuTuc; mỗi thủ tục thành một dự thảo của cơ quan, cán bộ quản trị gửi kiểm thử, Văn phòng Chính phủ công khai. Từng thủ tục được kiểm tra riêng: thủ tục sai không ghi gì.',
        body: SystemImportBody,
        response: { 200: ImportReport },
      },
    },
    async (request) => {
      const machine = request.machine;
      if (!machine) throw new NotFoundError('Không tìm thấy.');
      const items = await service.importForSystem(
        { clientId: machine.clientId, agencyCodes: machine.agencyCodes },
        request.body.agency,
        request.body.procedures,
      );
      return { items };
    },
  );

  app.get(
    '/api/v1/sectors',
    {
      config: { access: access.public },
      schema: {
        tags: ['procedures'],
        summary: 'Sectors and how many published procedures each has',
        response: { 200: SectorList },
      },
    },
    async () => ({ items: await service.sectors() }),
  );

  app.get(
    '/api/v1/procedure-bundles',
    {
      config: { access: access.public },
      schema: {
        tags: ['procedures'],
        summary: 'Life-event bundles (liên thông)',
        response: { 200: BundleList },
      },
    },
    async () => ({ items: await service.bundles() }),
  );

  app.get(
    '/api/v1/procedure-bundles/:code',
    {
      config: { access: access.public },
      schema: {
        tags: ['procedures'],
        summary: 'One bundle and its member procedures',
        params: BundleParams,
        response: { 200: BundleDetail },
      },
    },
    async (request) => service.bundle(request.params.code),
  );
}
