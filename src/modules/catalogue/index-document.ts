/** What a public version puts in the search index (pure). */

import type { ProcedureContent } from './domain/procedure.ts';
import { foldText } from './domain/search-text.ts';
import type { IndexDocument } from './search.repository.ts';

export interface IndexContext {
  ownerAgencyCode: string;
  provinceCode: string | null;
  popularity: number;
  /** Sector code → name. */
  sectorName(code: string): string | undefined;
  /** Province code → name. */
  provinceName(code: string): string | undefined;
}

export function indexDocument(
  code: string,
  version: number,
  c: ProcedureContent,
  ctx: IndexContext,
): IndexDocument {
  const agencyCodes = [
    ...new Set([
      ctx.ownerAgencyCode,
      ...c.implementingAgencies.flatMap((a) => (a.agencyCode ? [a.agencyCode] : [])),
    ]),
  ];
  const place = ctx.provinceCode ? (ctx.provinceName(ctx.provinceCode) ?? '') : '';
  return {
    code,
    version,
    name: c.name,
    a: foldText(c.name),
    b: foldText([...c.keywords, c.nameEn ?? ''].join(' ')),
    c: foldText(c.sectorCodes.map((s) => ctx.sectorName(s) ?? '').join(' ')),
    d: foldText([...c.implementingAgencies.map((a) => a.name), place].join(' ')),
    popularity: ctx.popularity,
    sectorCodes: c.sectorCodes,
    agencyCodes,
    provinceCode: ctx.provinceCode,
    levels: c.levels,
    audiences: c.audiences,
    onlineLevel: c.onlineLevel,
  };
}
