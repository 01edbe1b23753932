/**
 * Queries on the identity module's accounts, one-time codes, officers' second factor, sessions and
 * data-access log. Every function takes the database or the current transaction first; the services
 * decide, these store and read.
 */
import { type Insertable, type Kysely, sql } from 'kysely';
import type { IdentityTables, OtpChallengeTable } from './identity.tables.ts';

type Db = Kysely<IdentityTables>;
export type OtpPurpose = OtpChallengeTable['purpose'];

// ---- Accounts -------------------------------------------------------------------------------------

/** The account with this id, whatever its status; undefined when there is none. */
export function findAccount(db: Db, id: string) {
  return db.selectFrom('identity.accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The account with this id, whatever its status; throws when there is none. */
export function getAccount(db: Db, id: string) {
  return db.selectFrom('identity.accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * The accounts (at most two) an identifier can name: a 12-digit personal number (citizens), a tax code
 * (businesses, organisations), an e-mail address, or else a phone number — as the caller parsed them.
 */
export function accountsByIdentifier(
  db: Db,
  id: { personalId?: string; taxCode?: string; email?: string; phone?: string },
) {
  return db
    .selectFrom('identity.accounts')
    .selectAll()
    .where((eb) => {
      const ors = [];
      if (id.personalId !== undefined)
        ors.push(eb.and([eb('personal_id', '=', id.personalId), eb('kind', '=', 'citizen')]));
      if (id.taxCode !== undefined)
        ors.push(eb.and([eb('tax_code', '=', id.taxCode), eb('kind', 'in', ['business', 'organisation'])]));
      if (id.email !== undefined) ors.push(eb('email', '=', id.email));
      if (id.phone !== undefined) ors.push(eb('phone', '=', id.phone));
      return ors.length > 0 ? eb.or(ors) : eb.val(false);
    })
    .limit(2)
    .execute();
}

/**
 * Counts a sign-in attempt on an account that is not locked, before its password is checked: the count
 * after it, or undefined when the account is locked.
 */
export async function countFailedLogin(db: Db, id: string, now: Date): Promise<number | undefined> {
  const r = await db
    .updateTable('identity.accounts')
    .set({ failed_logins: sql`failed_logins + 1` })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning('failed_logins')
    .executeTakeFirst();
  return r?.failed_logins;
}

/** Locks an account that reached `threshold` failed sign-ins until `until`; false when it had not. */
export async function lockAtThreshold(trx: Db, id: string, threshold: number, until: Date): Promise<boolean> {
  const locked = await trx
    .updateTable('identity.accounts')
    .set({ failed_logins: 0, locked_until: until })
    .where('id', '=', id)
    .where('failed_logins', '>=', threshold)
    .returning('id')
    .executeTakeFirst();
  return locked !== undefined;
}

/** Forgets an account's failed sign-ins (an officer's right password, before the second factor). */
export async function clearFailedLogins(db: Db, id: string): Promise<void> {
  await db.updateTable('identity.accounts').set({ failed_logins: 0 }).where('id', '=', id).execute();
}

/** A signed-in account: failures forgotten, unlocked, and the password's hash renewed when given. */
export async function recordSignIn(trx: Db, id: string, rehash: string | undefined): Promise<void> {
  await trx
    .updateTable('identity.accounts')
    .set({ failed_logins: 0, locked_until: null, ...(rehash ? { password_hash: rehash } : {}) })
    .where('id', '=', id)
    .execute();
}

/** A new password; `unlock` (a reset) also forgets failed sign-ins and any lock. */
export async function setPassword(
  trx: Db,
  id: string,
  hash: string,
  now: Date,
  { unlock }: { unlock: boolean },
): Promise<void> {
  await trx
    .updateTable('identity.accounts')
    .set({
      password_hash: hash,
      password_changed_at: now,
      ...(unlock ? { failed_logins: 0, locked_until: null } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** What an authenticator app names the account by. */
export function accountLabel(db: Db, id: string) {
  return db
    .selectFrom('identity.accounts')
    .select(['email', 'display_name'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export function accountKind(db: Db, id: string) {
  return db.selectFrom('identity.accounts').select(['kind']).where('id', '=', id).executeTakeFirstOrThrow();
}

/** An account's phone and e-mail with when each was verified (any status; throws when there is none). */
export function contactsOf(db: Db, id: string) {
  return db
    .selectFrom('identity.accounts')
    .select(['email', 'phone', 'email_verified_at', 'phone_verified_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** An active account's phone and e-mail with when each was verified; undefined otherwise. */
export function activeContactsOf(db: Db, id: string) {
  return db
    .selectFrom('identity.accounts')
    .select(['phone', 'phone_verified_at', 'email', 'email_verified_at'])
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/** Whether another account than `id` has this e-mail (or else this phone). */
export async function contactTaken(
  trx: Db,
  id: string,
  contact: { email: string | null; phone: string | null },
): Promise<boolean> {
  const clash = await trx
    .selectFrom('identity.accounts')
    .select('id')
    .where('id', '<>', id)
    .where((eb) => (contact.email ? eb('email', '=', contact.email) : eb('phone', '=', contact.phone!)))
    .executeTakeFirst();
  return clash !== undefined;
}

/** A confirmed new e-mail (or else phone), verified now. */
export async function setVerifiedContact(
  trx: Db,
  id: string,
  contact: { email: string | null; phone: string | null },
  now: Date,
): Promise<void> {
  await trx
    .updateTable('identity.accounts')
    .set(
      contact.email
        ? { email: contact.email, email_verified_at: now, updated_at: now }
        : { phone: contact.phone, phone_verified_at: now, updated_at: now },
    )
    .where('id', '=', id)
    .execute();
}

/** An active, proven citizen's personal ID number and name. */
export function provenCitizen(db: Db, id: string) {
  return db
    .selectFrom('identity.accounts')
    .select(['personal_id', 'display_name'])
    .where('id', '=', id)
    .where('kind', '=', 'citizen')
    .where('status', '=', 'active')
    .where('proofed_at', 'is not', null)
    .executeTakeFirst();
}

/** What an active account files under: name, numbers, birth date and contacts with their verification. */
export function applicantOf(db: Db, id: string) {
  return db
    .selectFrom('identity.accounts')
    .select([
      'kind',
      'display_name',
      'personal_id',
      'tax_code',
      'birth_date',
      'phone',
      'phone_verified_at',
      'email',
      'email_verified_at',
    ])
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/** The active, proven citizen holding a personal ID number. */
export function provenCitizenByPersonalId(db: Db, personalId: string) {
  return (
    db
      .selectFrom('identity.accounts')
      .select('id')
      .where('personal_id', '=', personalId)
      .where('kind', '=', 'citizen')
      .where('status', '=', 'active')
      // A declared number may be someone else's: only its proven holder is named.
      .where('proofed_at', 'is not', null)
      .executeTakeFirst()
  );
}

/** The active business (once proven) or organisation holding a tax code. */
export function holderOfTaxCode(db: Db, taxCode: string) {
  return (
    db
      .selectFrom('identity.accounts')
      .select('id')
      .where('tax_code', '=', taxCode)
      .where('kind', 'in', ['business', 'organisation'])
      .where('status', '=', 'active')
      // Businesses only once proven (organisations have no register here yet).
      .where((eb) => eb.or([eb('kind', '=', 'organisation'), eb('proofed_at', 'is not', null)]))
      .executeTakeFirst()
  );
}

// ---- One-time codes -------------------------------------------------------------------------------

export async function insertChallenge(
  trx: Db,
  values: Insertable<OtpChallengeTable> & { payload: string },
): Promise<string> {
  const row = await trx
    .insertInto('identity.otp_challenges')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Marks a one-time code used, once: false when it already was (even by a concurrent transaction). */
export async function takeChallenge(trx: Db, id: string, now: Date): Promise<boolean> {
  const taken = await trx
    .updateTable('identity.otp_challenges')
    .set({ consumed_at: now })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return taken !== undefined;
}

/**
 * Counts an attempt at a live challenge of this purpose with attempts left, in one statement (parallel
 * guesses cannot get past the limit): the challenge after counting, or undefined.
 */
export function countChallengeAttempt(
  db: Db,
  id: string,
  purpose: OtpPurpose,
  now: Date,
  maxAttempts: number,
) {
  return db
    .updateTable('identity.otp_challenges')
    .set({ attempts: sql`attempts + 1` })
    .where('id', '=', id)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .returningAll()
    .executeTakeFirst();
}

/** Counts a wrong code against a challenge. */
export async function addChallengeAttempt(db: Db, id: string): Promise<void> {
  await db
    .updateTable('identity.otp_challenges')
    .set({ attempts: sql`attempts + 1` })
    .where('id', '=', id)
    .execute();
}

/** An officer's pending sign-in waiting for the authenticator code (any state: the caller checks). */
export function secondFactorChallenge(db: Db, id: string) {
  return db
    .selectFrom('identity.otp_challenges')
    .selectAll()
    .where('id', '=', id)
    .where('purpose', '=', 'second-factor')
    .where('channel', '=', 'totp')
    .executeTakeFirst();
}

// ---- Officers' second factor ----------------------------------------------------------------------

export function findOfficer(db: Db, accountId: string) {
  return db
    .selectFrom('identity.officers')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

/**
 * Takes an authenticator time step for an officer, atomically (the same code cannot open two sessions,
 * even in two processes), enrolling the secret when given: false when the step was already used.
 */
export async function takeTotpStep(
  trx: Db,
  accountId: string,
  step: number,
  enrol: { secret: string; at: Date } | undefined,
): Promise<boolean> {
  const taken = await trx
    .updateTable('identity.officers')
    .set({
      totp_last_step: step,
      ...(enrol ? { totp_secret: enrol.secret, totp_enrolled_at: enrol.at } : {}),
    })
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('account_id')
    .executeTakeFirst();
  return taken !== undefined;
}

/** How the person is told who looked them up: the officer's name, title and agency code. */
export function officerLabelOf(db: Db, accountId: string) {
  return db
    .selectFrom('identity.officers as o')
    .innerJoin('identity.accounts as a', 'a.id', 'o.account_id')
    .select(['a.display_name', 'o.title', 'o.agency_code'])
    .where('o.account_id', '=', accountId)
    .executeTakeFirstOrThrow();
}

// ---- Sessions -------------------------------------------------------------------------------------

/** An account's live sessions, most recently seen first (at most 20). */
export function liveSessionsOf(db: Db, accountId: string, now: Date) {
  return db
    .selectFrom('identity.sessions')
    .select(['token_hash', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .limit(20)
    .execute();
}

/** Ends a session, answering when its holder last typed the password (undefined: no such session). */
export async function revokeSession(trx: Db, tokenHash: string, now: Date): Promise<Date | undefined> {
  const replaced = await trx
    .updateTable('identity.sessions')
    .set({ revoked_at: now })
    .where('token_hash', '=', tokenHash)
    .returning('authenticated_at')
    .executeTakeFirst();
  return replaced?.authenticated_at;
}

/** Ends the account's single-sign-on sessions at the OpenID Connect provider. */
export async function endProviderSessions(trx: Db, accountId: string): Promise<void> {
  await sql`delete from identity.oidc_payloads where model = 'Session' and payload->>'accountId' = ${accountId}`.execute(
    trx,
  );
}

/** Ends one single-sign-on session at the provider, by its id. */
export async function endProviderSession(db: Db, sessionId: string): Promise<void> {
  await sql`delete from identity.oidc_payloads where model = 'Session' and id = ${sessionId}`.execute(db);
}

/** Deletes sign-in state long expired: sessions ended a month ago, codes a day ago, old enrolments. */
export async function purgeExpiredSignInState(db: Db, now: Date): Promise<void> {
  const monthAgo = new Date(now.getTime() - 30 * 86_400_000);
  await db
    .deleteFrom('identity.sessions')
    .where((eb) => eb.or([eb('expires_at', '<', monthAgo), eb('revoked_at', '<', monthAgo)]))
    .execute();
  await db
    .deleteFrom('identity.otp_challenges')
    .where('expires_at', '<', new Date(now.getTime() - 86_400_000))
    .execute();
  await db.deleteFrom('identity.enrolments').where('expires_at', '<', monthAgo).execute();
}

// ---- Data-access log ------------------------------------------------------------------------------

/** The latest 50 reads and releases of an account's data. */
export function accessLogOf(db: Db, accountId: string) {
  return db
    .selectFrom('identity.data_access_log')
    .select(['id', 'at', 'accessor_kind', 'accessor_name', 'purpose', 'fields'])
    .where('account_id', '=', accountId)
    .orderBy('at', 'desc')
    .limit(50)
    .execute();
}

/** A release of claims to a relying party (sign-in or userinfo). */
export async function recordRelease(
  db: Db,
  r: { accountId: string; clientId: string; clientName: string; purpose: string; fields: string[] },
): Promise<void> {
  await db
    .insertInto('identity.data_access_log')
    .values({
      account_id: r.accountId,
      accessor_kind: 'client',
      accessor_id: r.clientId,
      accessor_name: r.clientName,
      purpose: r.purpose,
      fields: r.fields,
    })
    .execute();
}
