/**
 * Signing keys of the OpenID Connect provider, in the database so every process signs with the same
 * keys. `rotate` adds a new key; the newest unretired key signs, the older ones stay in the JWKS so
 * tokens they signed still verify until they are retired.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export type PrivateJwk = Record<string, unknown> & { kid: string; kty: string };

function newKey(): PrivateJwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return { ...jwk, kty: 'RSA', kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

export async function rotateSigningKey(db: Kysely<unknown>): Promise<string> {
  const key = newKey();
  await sql`insert into identity.oidc_keys (kid, private_jwk) values (${key.kid}, ${JSON.stringify(key)}::jsonb)`.execute(
    db,
  );
  return key.kid;
}

/** Retires keys older than the newest `keep` ones. */
export async function retireOldKeys(db: Kysely<unknown>, keep = 2): Promise<void> {
  await sql`update identity.oidc_keys set retired_at = now()
             where retired_at is null and kid not in (
               select kid from identity.oidc_keys where retired_at is null order by created_at desc limit ${keep})`.execute(
    db,
  );
}

/** The published keys, newest first (oidc-provider signs with the first); creates one if there is none. */
export async function signingKeys(db: Kysely<unknown>): Promise<PrivateJwk[]> {
  const load = async () =>
    (
      await sql<{ private_jwk: PrivateJwk }>`
        select private_jwk from identity.oidc_keys where retired_at is null order by created_at desc`.execute(
        db,
      )
    ).rows.map((r) => r.private_jwk);
  const keys = await load();
  if (keys.length > 0) return keys;
  await rotateSigningKey(db);
  return load();
}
