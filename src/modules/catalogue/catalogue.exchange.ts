/** The catalogue's procedures in the national portal's LayThuTuc shape, for other modules (sync's adapter). */
import { NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import type { CatalogueService } from './catalogue.service.ts';
import { toLayThuTuc } from './domain/lay-thu-tuc.ts';

/** A procedure's current version as `GET /api/v1/procedures/{code}/lay-thu-tuc` answers it, or undefined. */
export function layThuTucOf(service: Pick<CatalogueService, 'getProcedure'>) {
  return async (code: string): Promise<Record<string, unknown> | undefined> => {
    try {
      const p = await service.getProcedure(code.toUpperCase(), {});
      const names = new Map(p.sectors.map((s) => [s.code, s.name]));
      return toLayThuTuc(p.code, p.content, (s) => names.get(s) ?? s) as unknown as Record<string, unknown>;
    } catch (e) {
      if (e instanceof NotFoundError || e instanceof ValidationError) return undefined;
      throw e;
    }
  };
}
