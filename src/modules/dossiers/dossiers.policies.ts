/**
 * Who may do what with a dossier. The roles an account holds ON a dossier: `applicant` for the account
 * it belongs to and for a delegate of that business (identity's `delegations.mayActFor`), and each
 * officer role of the process held at the agency where the definition checks it — receivers and cashiers
 * at the receiving unit, processors and approvers at the competent agency (identity's `officers.can`,
 * inherited down the agency tree). No role at all: the dossier is outside the account's scope and
 * answers 404, exactly as a dossier that does not exist.
 */
import { type ActorRole, type OfficerRole, type ProcessDefinition, rolesNamed } from './domain/workflow.ts';
import type { People } from './dossiers.ports.ts';
import type { DossierRow } from './dossiers.repository.ts';

type DossierScope = Pick<
  DossierRow,
  | 'applicant_account_id'
  | 'applicant_kind'
  | 'procedure_code'
  | 'receiving_agency_code'
  | 'competent_agency_code'
>;

/** The agency at which the definition checks an officer role on this dossier. */
export function agencyOfRole(
  definition: ProcessDefinition,
  role: OfficerRole,
  dossier: DossierScope,
): string {
  return definition.roleSites[role] === 'receiving'
    ? dossier.receiving_agency_code
    : dossier.competent_agency_code;
}

export async function rolesOnDossier(
  people: Pick<People, 'can' | 'mayActFor' | 'rolesAt'>,
  accountId: string,
  dossier: DossierScope,
  definition: ProcessDefinition,
): Promise<Set<ActorRole>> {
  const isApplicant = async () =>
    accountId === dossier.applicant_account_id ||
    (dossier.applicant_kind !== 'citizen' &&
      (await people.mayActFor(accountId, dossier.applicant_account_id, dossier.procedure_code)));
  const heldRoles = async (): Promise<Array<OfficerRole | undefined>> => {
    const rolesAt = people.rolesAt;
    if (!rolesAt) return [];
    // One look-up per agency (identity's officers.rolesAt) instead of one per role.
    const sites = new Map<string, Promise<ReadonlySet<string>>>();
    const at = (agency: string) => {
      let p = sites.get(agency);
      if (!p) {
        p = rolesAt(accountId, agency);
        sites.set(agency, p);
      }
      return p;
    };
    return Promise.all(
      rolesNamed(definition).map(async (role) =>
        (await at(agencyOfRole(definition, role, dossier))).has(role) ? role : undefined,
      ),
    );
  };
  const [applicant, held] = await Promise.all([
    isApplicant(),
    people.rolesAt
      ? heldRoles()
      : Promise.all(
          rolesNamed(definition).map(async (role) =>
            (await people.can(accountId, role, agencyOfRole(definition, role, dossier))) ? role : undefined,
          ),
        ),
  ]);
  const roles = new Set<ActorRole>(held.filter((r) => r !== undefined));
  if (applicant) roles.add('applicant');
  return roles;
}
