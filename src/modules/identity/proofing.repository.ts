/**
 * Queries of registration and identity proofing on the identity module's accounts (and the delegations
 * a revoked number gave up). Every function takes the database or the current transaction first.
 */
import type { Insertable, Kysely } from 'kysely';
import type { AccountTable, IdentityTables, ProofingMethod } from './identity.tables.ts';

type Db = Kysely<IdentityTables>;

/**
 * Takes a declared number (or tax code) back from an account that is still unproven: false when the
 * account was proven (or is gone) meanwhile.
 */
export async function takeIdentifierBack(
  trx: Db,
  holderId: string,
  identifier: 'personal-id' | 'tax-code',
  now: Date,
): Promise<boolean> {
  const taken = await trx
    .updateTable('identity.accounts')
    .set({
      ...(identifier === 'personal-id' ? { personal_id: null } : { tax_code: null }),
      identifier_revoked_at: now,
      updated_at: now,
    })
    .where('id', '=', holderId)
    .where('proofed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return taken !== undefined;
}

/** The authorisations an account accepted (and not revoked) become invitations again. */
export async function reopenAcceptedDelegations(trx: Db, delegateId: string): Promise<void> {
  await trx
    .updateTable('identity.delegations')
    .set({ accepted_at: null, delegate_account_id: null })
    .where('delegate_account_id', '=', delegateId)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * The accounts holding a citizen's number (or a business's or organisation's tax code), or the phone or
 * e-mail given, locked until the transaction ends.
 */
export function lockHoldersOf(
  trx: Db,
  d: { kind: 'citizen' | 'business'; personalId: string | null; taxCode: string | null },
  contact: { phone: string | null; email: string | null },
) {
  return trx
    .selectFrom('identity.accounts')
    .select([
      'id',
      'kind',
      'personal_id',
      'tax_code',
      'phone',
      'email',
      'phone_verified_at',
      'email_verified_at',
      'proofed_at',
    ])
    .where((eb) =>
      eb.or([
        d.kind === 'citizen'
          ? eb.and([eb('personal_id', '=', d.personalId!), eb('kind', '=', 'citizen')])
          : eb.and([eb('tax_code', '=', d.taxCode!), eb('kind', 'in', ['business', 'organisation'])]),
        ...(contact.phone ? [eb('phone', '=', contact.phone)] : []),
        ...(contact.email ? [eb('email', '=', contact.email)] : []),
      ]),
    )
    .forUpdate()
    .execute();
}

/** Whether any account holds this tax code (business or organisation), e-mail or phone. */
export async function registrationClashes(
  trx: Db,
  d: { taxCode: string; email: string | null; phone: string | null },
): Promise<boolean> {
  const clash = await trx
    .selectFrom('identity.accounts')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('tax_code', '=', d.taxCode), eb('kind', 'in', ['business', 'organisation'])]),
        ...(d.email ? [eb('email', '=', d.email)] : []),
        ...(d.phone ? [eb('phone', '=', d.phone)] : []),
      ]),
    )
    .executeTakeFirst();
  return clash !== undefined;
}

export function insertAccount(trx: Db, values: Insertable<AccountTable>) {
  return trx
    .insertInto('identity.accounts')
    .values(values)
    .returning(['id', 'kind'])
    .executeTakeFirstOrThrow();
}

/** What the proofing page of an account starts from. */
export function proofingStatusOf(db: Db, id: string) {
  return db
    .selectFrom('identity.accounts')
    .select([
      'kind',
      'display_name',
      'personal_id',
      'tax_code',
      'birth_date',
      'proofed_at',
      'proofing_method',
      'identifier_revoked_at',
    ])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export function provingStateOf(db: Db, id: string) {
  return db
    .selectFrom('identity.accounts')
    .select(['kind', 'proofed_at', 'status'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** An account being proven, locked until the transaction ends. */
export function lockProvingAccount(trx: Db, id: string) {
  return trx
    .selectFrom('identity.accounts')
    .select(['proofed_at', 'kind'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** The register's name, and the number with a citizen's birth date and sex (or a tax code), taken. */
export async function takeRegisterDetails(
  trx: Db,
  id: string,
  d: {
    kind: 'citizen' | 'business';
    displayName: string;
    personalId: string | null;
    taxCode: string | null;
    birthDate: string | null;
    sex: AccountTable['sex'];
  },
  now: Date,
): Promise<void> {
  await trx
    .updateTable('identity.accounts')
    .set({
      display_name: d.displayName,
      ...(d.kind === 'citizen'
        ? { personal_id: d.personalId, birth_date: d.birthDate, sex: d.sex }
        : { tax_code: d.taxCode }),
      identifier_revoked_at: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** The account is proven: when, how, at which level, with the register's reference. */
export async function setProven(
  trx: Db,
  id: string,
  p: { method: ProofingMethod; level: 1 | 2; reference: string },
  now: Date,
): Promise<void> {
  await trx
    .updateTable('identity.accounts')
    .set({
      proofed_at: now,
      proofing_method: p.method,
      proofing_level: p.level,
      proofing_reference: p.reference,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}
