/**
 * Who may see and act on which payments: officers holding the cashier or accountant role at the payee
 * agency or above it (identity decides the roles, the agencies module the tree; app.ts passes both in).
 */
export type PaymentRole = 'cashier' | 'accountant';

export interface PaymentOfficersPort {
  /** Does the account hold the role at the agency (granted there or above)? */
  can(accountId: string, role: PaymentRole, agencyCode: string): Promise<boolean>;
  /** The agencies where the account holds the role (the grants themselves). */
  agenciesWhere(accountId: string, role: PaymentRole): Promise<string[]>;
  /** The agency and every agency below it. */
  subtreeOf(agencyCode: string): Promise<Array<{ code: string }>>;
}

export type Officers = ReturnType<typeof createOfficers>;

export function createOfficers(deps: PaymentOfficersPort & { db?: unknown }) {
  async function agenciesFor(accountId: string, roles: readonly PaymentRole[]): Promise<string[]> {
    const grants = new Set<string>();
    for (const role of roles) for (const a of await deps.agenciesWhere(accountId, role)) grants.add(a);
    const out = new Set<string>();
    for (const g of grants) {
      out.add(g);
      for (const a of await deps.subtreeOf(g).catch(() => [])) out.add(a.code);
    }
    return [...out].sort();
  }
  return {
    can: deps.can,
    /** Every agency whose payments the officer sees (cashier or accountant there or above). */
    agenciesOf: (accountId: string) => agenciesFor(accountId, ['cashier', 'accountant']),
    /** The agencies the officer's cashier or accountant roles are granted at (not those below). */
    async grantsOf(accountId: string): Promise<string[]> {
      const grants = new Set<string>();
      for (const role of ['cashier', 'accountant'] as const)
        for (const a of await deps.agenciesWhere(accountId, role)) grants.add(a);
      return [...grants].sort();
    },
    /** Where the officer keeps the books (accountant there or above). */
    booksOf: (accountId: string) => agenciesFor(accountId, ['accountant']),
    async mayAct(accountId: string, agencyCode: string): Promise<boolean> {
      return (
        (await deps.can(accountId, 'cashier', agencyCode)) ||
        (await deps.can(accountId, 'accountant', agencyCode))
      );
    },
  };
}
