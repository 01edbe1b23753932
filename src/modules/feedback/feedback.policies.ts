/**
 * Who the caller is to an item (declarative, checked on the actual record): the submitter, the Government
 * Office, an officer of an agency it is routed to, a hotline operator, or the public. Someone who may not
 * see the item gets 404, as if it did not exist.
 */
import type { FeedbackAction, FeedbackRole } from './domain/workflow.ts';
import { ACTION_ROLES } from './domain/workflow.ts';
import { AGENCY_HANDLER_ROLES, type FeedbackPorts, GOVERNMENT_OFFICE } from './feedback.ports.ts';

export interface Caller {
  accountId: string | null;
  /** For an officer acting for an agency: which one (the form's or the API's choice). */
  agency?: string | undefined;
}

export interface Standing {
  /** The roles the caller holds towards this item, best first. */
  roles: FeedbackRole[];
  /** The agency an agency officer acts for. */
  agency?: string;
}

export async function standingOf(
  ports: Pick<FeedbackPorts, 'can'>,
  caller: Caller,
  item: { submitter_account_id: string | null },
  routedAgencies: readonly string[],
): Promise<Standing> {
  const roles: FeedbackRole[] = [];
  const id = caller.accountId;
  if (id === null) return { roles: ['public'] };
  if (item.submitter_account_id === id) roles.push('submitter');
  if (await ports.can(id, 'vpcp-supervisor', GOVERNMENT_OFFICE)) roles.push('vpcp');
  let agency: string | undefined;
  const candidates = caller.agency ? routedAgencies.filter((a) => a === caller.agency) : routedAgencies;
  for (const a of candidates) {
    if (await mayHandleFor(ports, id, a)) {
      agency = a;
      roles.push('agency');
      break;
    }
  }
  if (await ports.can(id, 'hotline-operator', GOVERNMENT_OFFICE)) roles.push('hotline');
  roles.push('public');
  return agency ? { roles, agency } : { roles };
}

export async function mayHandleFor(ports: Pick<FeedbackPorts, 'can'>, accountId: string, agency: string) {
  for (const role of AGENCY_HANDLER_ROLES) if (await ports.can(accountId, role, agency)) return true;
  return false;
}

/** Who may see an unpublished item: its submitter, the Government Office, an agency it was routed to. */
export const maySeeItem = (s: Standing) =>
  s.roles.some((r) => r === 'submitter' || r === 'vpcp' || r === 'agency');

/** The role the caller takes for `action`: the first they hold that may take it, else their best role. */
export function roleFor(s: Standing, action: FeedbackAction): FeedbackRole {
  return s.roles.find((r) => ACTION_ROLES[action].includes(r)) ?? s.roles[0] ?? 'public';
}
