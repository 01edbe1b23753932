/** JSON API of administrative units and agencies. */

import type { AppInstance } from '../../platform/http/index.ts';
import { access } from '../../platform/http/index.ts';
import {
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
import type { AgenciesService } from './agencies.service.ts';

export async function agenciesApiRoutes(app: AppInstance, { service }: { service: AgenciesService }) {
  app.get(
    '/api/v1/admin-units',
    {
      config: { access: access.public },
      schema: {
        tags: ['admin-units'],
        summary: 'Administrative units valid on a date',
        description:
          'Danh sách đơn vị hành chính có hiệu lực vào một ngày: 63 tỉnh, thành phố đến 30/6/2025, 34 từ 1/7/2025.',
        querystring: AdminUnitListQuery,
        response: { 200: AdminUnitList },
      },
    },
    async (request) => service.listAdminUnits(request.query),
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
    async (request) => service.getAdminUnit(request.params.code, request.query),
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
