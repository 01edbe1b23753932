/**
 * Agency systems as callers: a machine client found by the client-credentials token it presents
 * (`Authorization: Bearer`), or by its client_id and secret for protocols that sign in with a username
 * and password (the DVCQG adapter's `auth`) — the same clients, scopes and agencies either way.
 */
import type Provider from 'oidc-provider';
import type { MachineCaller } from '../access.ts';

export function machineCallers(provider: Provider) {
  return {
    /** The client and the scopes of a live client-credentials token; undefined otherwise. */
    async ofToken(token: string): Promise<MachineCaller | undefined> {
      const t = await provider.ClientCredentials.find(token);
      if (!t || t.isExpired || !t.clientId) return undefined;
      const client = await provider.Client.find(t.clientId);
      if (!client) return undefined;
      const agencyCodes = (client.metadata() as { agency_codes?: string[] }).agency_codes ?? [];
      return {
        clientId: client.clientId,
        clientName: client.clientName ?? client.clientId,
        scopes: String(t.scope ?? '')
          .split(' ')
          .filter(Boolean),
        agencyCodes,
      };
    },

    /** A client-credentials client by its client_id and secret, with all its scopes; undefined otherwise. */
    async login(clientId: string, secret: string): Promise<MachineCaller | undefined> {
      if (!/^[a-z0-9][a-z0-9._-]{2,63}$/.test(clientId) || secret.length === 0 || secret.length > 200)
        return undefined;
      const client = await provider.Client.find(clientId);
      if (!client?.grantTypes?.includes('client_credentials') || !client.clientSecret) return undefined;
      if (!client.compareClientSecret(secret)) return undefined;
      return {
        clientId: client.clientId,
        clientName: client.clientName ?? client.clientId,
        scopes: String(client.scope ?? '')
          .split(' ')
          .filter(Boolean),
        agencyCodes: (client.metadata() as { agency_codes?: string[] }).agency_codes ?? [],
      };
    },
  };
}
