/**
 * Relying parties (ministry and province portals) and machine clients (agency systems) registered with
 * the provider. Stored as oidc-provider `Client` documents, so the provider validates the metadata when
 * it loads them. Secrets are generated here and shown once.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export interface ClientRegistration {
  clientId: string;
  name: string;
  /** Web portals: where the authorization code is sent. */
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  backchannelLogoutUri?: string;
  /** Agency systems: client credentials only. */
  machine?: boolean;
  /** Agencies whose data a machine client may touch. */
  agencyCodes?: string[];
  scope?: string;
  clientSecret?: string;
}

export const newClientSecret = () => randomBytes(32).toString('base64url');

/** oidc-provider client metadata for a registration (web portal or machine client). */
export function buildClientMetadata(
  r: ClientRegistration & { clientSecret: string },
): Record<string, unknown> {
  return {
    client_id: r.clientId,
    client_secret: r.clientSecret,
    client_name: r.name,
    token_endpoint_auth_method: 'client_secret_basic',
    ...(r.machine
      ? {
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          scope: r.scope ?? 'sync',
        }
      : {
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          redirect_uris: r.redirectUris ?? [],
          post_logout_redirect_uris: r.postLogoutRedirectUris ?? [],
          ...(r.backchannelLogoutUri
            ? { backchannel_logout_uri: r.backchannelLogoutUri, backchannel_logout_session_required: true }
            : {}),
          scope: r.scope ?? 'openid offline_access',
        }),
    ...(r.agencyCodes ? { agency_codes: r.agencyCodes } : {}),
  };
}

/** Stores a client as given (seeding and tests); people and systems go through the clients service. */
export async function registerOidcClient(
  db: Kysely<unknown>,
  r: ClientRegistration,
): Promise<{ clientId: string; clientSecret: string }> {
  if (!/^[a-z0-9][a-z0-9._-]{2,63}$/.test(r.clientId))
    throw new Error('client_id: 3–64 characters a-z 0-9 . _ -');
  const clientSecret = r.clientSecret ?? newClientSecret();
  const metadata = buildClientMetadata({ ...r, clientSecret });
  await sql`
    insert into identity.oidc_payloads (model, id, payload) values ('Client', ${r.clientId}, ${JSON.stringify(metadata)}::jsonb)
    on conflict (model, id) do update set payload = excluded.payload`.execute(db);
  return { clientId: r.clientId, clientSecret };
}
