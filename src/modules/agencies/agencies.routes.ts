/** JSON API of administrative units and agencies. */

import type { AppInstance } from '../../platform/http/index.ts';
import { access } from '../../platform/http/index.ts';
import {
  ADMIN_UNIT_LIMIT_DEFAULT,
  AdminUnitDetailSchema,
  AdminUnitList,
  AdminUnitListQuery,
  AgencyDetailSchema,
  AgencyList,
  AgencyListQuery,
  AgencyParams,
  DateQuery,
  UnitParams,
} from './agencies.schemas.ts';
import type { AdminUnit, AgenciesService } from './agencies.service.ts';

/** The API's unit: `parent` and `province` besides `parentCode` (kept for compatibility). */
const apiUnit = <U extends AdminUnit>(u: U) => ({ ...u, parent: u.parentCode, province: u.provinceCode });

export async function agenciesApiRoutes(app: AppInstance, { service }: { service: AgenciesService }) {
  app.get(
    '/api/v1/admin-units',
    {
      config: { access: access.public },
      schema: {
        tags: ['admin-units'],
        summary: 'Administrative units valid on a date',
        description:
          'Danh sách đơn vị hành chính có hiệu lực vào một ngày: 63 tỉnh, thành phố, 696 đơn vị cấp huyện và 10.035 đơn vị cấp xã đến 30/6/2025; 34 tỉnh, thành phố và 3.321 đơn vị cấp xã từ 1/7/2025. `total` đếm mọi đơn vị phù hợp, trước giới hạn `limit`.',
        querystring: AdminUnitListQuery,
        response: { 200: AdminUnitList },
      },
    },
    async (request) => {
      const { limit = ADMIN_UNIT_LIMIT_DEFAULT, ...filter } = request.query;
      const list = await service.listAdminUnits({ ...filter, limit });
      return { ...list, items: list.items.map(apiUnit) };
    },
  );

  app.get(
    '/api/v1/admin-units/:code',
    {
      config: { access: access.public },
      schema: {
        tags: ['admin-units'],
        summary: 'One administrative unit on a date, its versions, what formed it and what it became',
        params: UnitParams,
        querystring: DateQuery,
        response: { 200: AdminUnitDetailSchema },
      },
    },
    async (request) => {
      const u = await service.getAdminUnit(request.params.code, request.query);
      return {
        ...apiUnit(u),
        versions: u.versions.map(apiUnit),
        formedFrom: u.formedFrom.map(apiUnit),
        became: u.became.map(apiUnit),
        nowPartOf: u.nowPartOf.map(apiUnit),
        parentUnit: u.parentUnit ? apiUnit(u.parentUnit) : null,
        provinceUnit: u.provinceUnit ? apiUnit(u.provinceUnit) : null,
      };
    },
  );

  app.get(
    '/api/v1/agencies',
    {
      config: { access: access.public },
      schema: {
        tags: ['agencies'],
        summary: 'Agencies valid on a date',
        querystring: AgencyListQuery,
        response: { 200: AgencyList },
      },
    },
    async (request) => service.listAgencies(request.query),
  );

  app.get(
    '/api/v1/agencies/:code',
    {
      config: { access: access.public },
      schema: {
        tags: ['agencies'],
        summary: 'One agency by portal code or identifier code, on a date',
        params: AgencyParams,
        querystring: DateQuery,
        response: { 200: AgencyDetailSchema },
      },
    },
    async (request) => service.getAgency(request.params.code, request.query),
  );
}
