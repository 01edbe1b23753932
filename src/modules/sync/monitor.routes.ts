/**
 * JSON API of the sync monitoring: officers read it with their session (as the pages do), agency systems
 * send their reported figures (the "reported" term of indicator 1.4) with their client-credentials token.
 */
import { Type } from 'typebox';
import { type AppInstance, access } from '../../platform/http/index.ts';
import type { MonitorService } from './monitor.service.ts';
import { MONITOR_ACCESS } from './pages/monitor.pages.tsx';
import {
  MonitoringDetailSchema,
  MonitoringOverviewSchema,
  MonitoringQuery,
  ReportedCountBody,
  ReportedCountSchema,
} from './sync.schemas.ts';

const json = (v: unknown) => JSON.parse(JSON.stringify(v));

export async function monitorRoutes(app: AppInstance, { monitor }: { monitor: MonitorService }) {
  app.get(
    '/api/v1/sync/monitoring',
    {
      config: { access: MONITOR_ACCESS },
      schema: {
        tags: ['sync'],
        summary:
          'Sync monitoring for officers: without `agency`, the agencies in the caller’s scope; with it, one agency and those below it',
        description:
          'Giám sát đồng bộ. Không có `agency`: danh sách cơ quan trong phạm vi của cán bộ (đồng bộ gần nhất, độ trễ, số mục 24 giờ qua, chỉ số 1.4 của kỳ). Có `agency`: chi tiết cơ quan đó gồm cả các cơ quan trực thuộc — hệ thống gửi, số mục theo giờ (48 giờ) và theo ngày trong kỳ, các mục bị từ chối kèm lý do (`rejections`, mặc định 100, tối đa 1.000), chỉ số 1.4 với tử số, mẫu số và nguồn của mẫu số. Kỳ `from`–`to` (ngày Việt Nam, mặc định từ đầu tháng đến hôm nay, tối đa 366 ngày). Cơ quan ngoài phạm vi: 404.',
        querystring: MonitoringQuery,
        response: { 200: Type.Union([MonitoringDetailSchema, MonitoringOverviewSchema]) },
      },
    },
    async (request) => {
      const q = request.query;
      const accountId = request.account!.id;
      if (q.agency)
        return json(
          await monitor.detail(accountId, q.agency, { from: q.from, to: q.to, rejections: q.rejections }),
        );
      return json(await monitor.overview(accountId, { from: q.from, to: q.to }));
    },
  );

  app.put(
    '/api/v1/sync/reported-counts',
    {
      config: { access: access.machine('sync') },
      schema: {
        tags: ['sync'],
        summary:
          'An agency system reports how many dossiers it received in a period (denominator of indicator 1.4)',
        description:
          'Hệ thống của cơ quan báo cáo số hồ sơ đã tiếp nhận trong kỳ (ngày Việt Nam, kỳ đã kết thúc, tối đa 366 ngày), dùng làm “số hồ sơ báo cáo” của chỉ số 1.4. Gửi lại cùng kỳ thay số cũ. Cơ quan phải thuộc phạm vi của ứng dụng (hoặc dưới nó).',
        body: ReportedCountBody,
        response: { 200: ReportedCountSchema },
      },
    },
    async (request) => {
      const m = request.machine!;
      return monitor.report(
        { kind: 'system', clientId: m.clientId, name: m.clientName, agencyCodes: m.agencyCodes },
        request.body,
      );
    },
  );
}
