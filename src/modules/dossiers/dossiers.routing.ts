/**
 * Routing a dossier to the competent agency (Decree 118/2025/NĐ-CP: the agency competent for the matter,
 * not the place of filing), the unit that receives it, and the identifier its code starts with.
 *
 *  1. An implementing agency the procedure names by code decides: the one of the applicant's province
 *     (or commune), or else a central one.
 *  2. Otherwise the level (domain/routing.ts) and the applicant's place. At commune level, the commune's
 *     People's Committee. At province level, the province's department the procedure names (the catalogue
 *     names departments without codes — "Sở Tư pháp" — and the agencies module finds that department of
 *     the province on the date, following the 2025 mergers), else the province's People's Committee.
 *  3. The receiving unit is the one-stop centre under the competent agency, or for a department under
 *     its People's Committee (the province's public administrative service centre receives for every
 *     department), else the competent agency itself.
 *  4. The code's identifier is the first identifier owned by the receiving unit or an agency above it.
 */
import { ConflictError, ValidationError } from '../../platform/errors/index.ts';
import { competentLevel, type Place } from './domain/routing.ts';
import type { AgencyDirectory, AgencyRef, ProcedureForFiling } from './dossiers.ports.ts';

export interface Route {
  competent: AgencyRef;
  receiving: AgencyRef;
  /** The agency identifier the dossier code starts with. */
  identifier: string;
}

async function named(
  dir: AgencyDirectory,
  procedure: Pick<ProcedureForFiling, 'implementingAgencies'>,
  place: Place,
  date: string,
): Promise<AgencyRef | undefined> {
  const codes = procedure.implementingAgencies.flatMap((a) => (a.agencyCode ? [a.agencyCode] : []));
  if (codes.length === 0) return undefined;
  const found = (await Promise.all(codes.map((c) => dir.find(c, date)))).filter((a) => a !== undefined);
  const local = found.find(
    (a) =>
      a.adminUnitCode !== null &&
      (a.adminUnitCode === place.provinceCode || a.adminUnitCode === place.communeCode),
  );
  return local ?? found.find((a) => a.level === 'central');
}

export async function routeDossier(
  dir: AgencyDirectory,
  procedure: Pick<ProcedureForFiling, 'levels' | 'implementingAgencies'>,
  place: Place,
  date: string,
): Promise<Route> {
  let competent = await named(dir, procedure, place, date);
  if (!competent) {
    const choice = competentLevel(procedure.levels, place);
    if (!choice.ok)
      throw new ValidationError(choice.message, [{ path: choice.path, message: choice.message }]);
    const unit = choice.level === 'commune' ? place.communeCode! : place.provinceCode;
    if (choice.level === 'province' && dir.department)
      for (const a of procedure.implementingAgencies) {
        competent = await dir.department(place.provinceCode, a.name, date);
        if (competent) break;
      }
    const [committee] = competent
      ? [competent]
      : await dir.list({
          date,
          kind: 'people-committee',
          level: choice.level,
          adminUnit: unit,
        });
    if (!committee) {
      const message =
        choice.level === 'commune'
          ? `Chưa có cơ quan giải quyết của xã, phường mã ${unit} vào ngày ${date}.`
          : `Không có Ủy ban nhân dân tỉnh, thành phố mã ${unit} vào ngày ${date}.`;
      throw new ValidationError(message, [
        { path: choice.level === 'commune' ? 'place.communeCode' : 'place.provinceCode', message },
      ]);
    }
    competent = committee;
  }
  let [centre] = await dir.list({ date, kind: 'one-stop-centre', parent: competent.code });
  if (!centre && competent.kind === 'department' && competent.parentCode)
    [centre] = await dir.list({ date, kind: 'one-stop-centre', parent: competent.parentCode });
  const receiving = centre ?? competent;
  // Up the tree from the receiving unit to the first agency that owns an identifier.
  const known = new Map([competent, receiving].map((a) => [a.code, a]));
  let agency: AgencyRef | undefined = receiving;
  for (let depth = 0; agency && depth < 12; depth++) {
    const [identifier] = agency.identifiers;
    if (identifier) return { competent, receiving, identifier };
    const parent: string | null = agency.parentCode;
    agency = parent === null ? undefined : (known.get(parent) ?? (await dir.find(parent, date)));
  }
  const message = `${receiving.name} chưa có mã định danh điện tử (Quyết định 20/2020/QĐ-TTg) nên chưa cấp được mã hồ sơ; quản trị viên cần bổ sung mã định danh của cơ quan.`;
  // Not the applicant's error: the portal's agency data lacks what a dossier code needs.
  throw new ConflictError(message, { agency: receiving.code });
}
