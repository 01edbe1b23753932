/** Telling an account holder something on the contacts they verified (a port for the other modules). */
import type { Kysely } from 'kysely';
import { notifyAccount } from '../notifications/index.ts';
import * as repo from './identity.repository.ts';
import type { IdentityTables } from './identity.tables.ts';

/**
 * Tells an account holder something (a notifications template) on their verified phone and e-mail;
 * nothing when they have neither. Once per `dedupeKey` and channel.
 */
export function holderNotifier(db: Kysely<IdentityTables>) {
  return async function notifyHolder(
    accountId: string,
    n: { template: string; params: Record<string, string>; dedupeKey: string },
  ): Promise<void> {
    if (!/^[0-9a-f-]{36}$/.test(accountId)) return;
    const a = await repo.activeContactsOf(db, accountId);
    if (!a) return;
    await db.transaction().execute((trx) =>
      notifyAccount(trx, {
        accountId,
        ...n,
        sms: a.phone_verified_at ? a.phone : null,
        email: a.email_verified_at ? a.email : null,
      }),
    );
  };
}
