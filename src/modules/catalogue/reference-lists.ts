/**
 * The reference lists read on every search and page (sector names, today's agencies, today's provinces),
 * remembered for a short while in this process. The agencies and provinces are those valid today: they
 * also end at midnight, Vietnam time, so a reorganisation effective tomorrow is seen from its first minute.
 */
import type { Kysely } from 'kysely';
import { remembered } from '../../platform/cache/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import * as repo from './catalogue.repository.ts';
import type { CatalogueTables } from './catalogue.tables.ts';

export interface AgencyInfo {
  code: string;
  name: string;
  level: 'central' | 'province' | 'commune';
  adminUnitCode: string | null;
}

export interface ReferenceListsDeps {
  db: Kysely<CatalogueTables>;
  clock: Clock;
  /** From the agencies module: agencies valid today. */
  agencies(): Promise<AgencyInfo[]>;
  /** From the agencies module: provinces valid today. */
  provinces(): Promise<Array<{ code: string; name: string }>>;
}

export function createReferenceLists(deps: ReferenceListsDeps) {
  const { db, clock } = deps;
  /** One list, remembered (a failed load is not kept: the next call asks again). */
  const list = <T>(o: { ttlMs: number; endOfDay?: boolean }, load: () => Promise<T>) =>
    remembered({ max: 1, ...o, clock }, load);
  const asOfToday = { ttlMs: 300_000, endOfDay: true };
  return {
    sectorNames: list(
      { ttlMs: 30_000 },
      async () => new Map((await repo.findSectors(db)).map((s) => [s.code, s.name])),
    ),
    agencyDirectory: list(asOfToday, async () => new Map((await deps.agencies()).map((a) => [a.code, a]))),
    provinceNames: list(
      asOfToday,
      async () => new Map((await deps.provinces()).map((p) => [p.code, p.name])),
    ),
  };
}

export type ReferenceLists = ReturnType<typeof createReferenceLists>;
