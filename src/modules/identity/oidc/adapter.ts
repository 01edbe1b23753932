/**
 * oidc-provider's persistence over our database (one table, `identity.oidc_payloads`), so any number of
 * portal processes share sessions, codes and tokens. Codes are consumed with a conditional UPDATE, so a
 * code replayed concurrently is detected by oidc-provider (it revokes the grant).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Adapter, AdapterPayload } from 'oidc-provider';

/** The models oidc-provider issues under a grant (its reference adapters revoke these by grant id). */
const GRANTABLE = [
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'Grant',
];

export function createOidcAdapterFactory(db: Kysely<unknown>, now: () => Date = () => new Date()) {
  return class PortalOidcAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const expiresAt = expiresIn ? new Date(now().getTime() + expiresIn * 1000) : null;
      await sql`
        insert into identity.oidc_payloads (model, id, payload, grant_id, user_code, uid, expires_at)
        values (${this.model}, ${id}, ${JSON.stringify(payload)}::jsonb, ${payload.grantId ?? null},
                ${payload.userCode ?? null}, ${payload.uid ?? null}, ${expiresAt})
        on conflict (model, id) do update
          set payload = excluded.payload, grant_id = excluded.grant_id, user_code = excluded.user_code,
              uid = excluded.uid, expires_at = excluded.expires_at`.execute(db);
    }

    private async findBy(
      column: 'id' | 'uid' | 'user_code',
      value: string,
    ): Promise<AdapterPayload | undefined> {
      const r = await sql<{ payload: AdapterPayload; consumed_at: Date | null }>`
        select payload, consumed_at from identity.oidc_payloads
         where model = ${this.model} and ${sql.ref(column)} = ${value}
           and (expires_at is null or expires_at > ${now()})
         limit 1`.execute(db);
      const row = r.rows[0];
      if (!row) return undefined;
      return row.consumed_at
        ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) }
        : row.payload;
    }

    find(id: string) {
      return this.findBy('id', id);
    }

    findByUid(uid: string) {
      return this.findBy('uid', uid);
    }

    findByUserCode(userCode: string) {
      return this.findBy('user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      await sql`update identity.oidc_payloads set consumed_at = ${now()}
                 where model = ${this.model} and id = ${id} and consumed_at is null`.execute(db);
    }

    async destroy(id: string): Promise<void> {
      await sql`delete from identity.oidc_payloads where model = ${this.model} and id = ${id}`.execute(db);
    }

    /**
     * Revoking a grant removes what was issued under it (tokens, codes, the grant itself), not the
     * interaction in progress that refers to it: an account switch revokes the earlier person's grant
     * and then resumes that very interaction.
     */
    async revokeByGrantId(grantId: string): Promise<void> {
      await sql`delete from identity.oidc_payloads
                 where grant_id = ${grantId} and model in (${sql.join(GRANTABLE.map((m) => sql`${m}`))})`.execute(
        db,
      );
    }
  };
}

/** Expired documents are deleted from time to time (they are already invisible to `find`). */
export async function purgeExpiredOidcPayloads(db: Kysely<unknown>, at: Date): Promise<number> {
  const r =
    await sql`delete from identity.oidc_payloads where expires_at < ${new Date(at.getTime() - 3_600_000)}`.execute(
      db,
    );
  return Number(r.numAffectedRows ?? 0);
}
