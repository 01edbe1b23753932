/**
 * Registering the portals and systems that use the provider, for the administration page and the API.
 * Metadata is checked by our rules (kinds, agencies, scopes) and then by oidc-provider's own schema
 * before it is stored, so a client that is saved is a client the provider will load. Every change is in
 * the audit log; the secret is generated here, returned once and never shown again.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type Provider from 'oidc-provider';
import { appendAudit } from '../../../platform/audit/index.ts';
import type { Clock } from '../../../platform/clock/index.ts';
import type { AnyTransaction } from '../../../platform/db/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../platform/errors/index.ts';
import { buildClientMetadata, newClientSecret } from './clients.ts';

/** Scopes a machine client may be given. `clients` (managing clients through the API) only from the page. */
export const MACHINE_SCOPES = [
  'sync',
  'payments',
  'catalogue',
  'clients',
  'fines',
  'documents',
  'feedback',
] as const;
export type MachineScope = (typeof MACHINE_SCOPES)[number];

export interface ClientInput {
  clientId: string;
  name: string;
  kind: 'portal' | 'machine';
  redirectUris?: string[] | undefined;
  postLogoutRedirectUris?: string[] | undefined;
  backchannelLogoutUri?: string | undefined;
  agencyCodes?: string[] | undefined;
  scopes?: string[] | undefined;
}

export interface ClientView {
  clientId: string;
  name: string;
  kind: 'portal' | 'machine';
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  agencyCodes: string[];
  scopes: string[];
}

export type ClientsService = ReturnType<typeof createClientsService>;

export function createClientsService(deps: {
  db: Kysely<unknown>;
  clock: Clock;
  provider: Provider;
  /** Does this agency exist (today)? */
  agencyExists(code: string): Promise<boolean>;
  production: boolean;
}) {
  const { db, clock, provider } = deps;

  function view(payload: Record<string, unknown>): ClientView {
    const machine = ((payload.grant_types as string[] | undefined) ?? []).includes('client_credentials');
    return {
      clientId: String(payload.client_id),
      name: String(payload.client_name ?? payload.client_id),
      kind: machine ? 'machine' : 'portal',
      redirectUris: (payload.redirect_uris as string[] | undefined) ?? [],
      postLogoutRedirectUris: (payload.post_logout_redirect_uris as string[] | undefined) ?? [],
      backchannelLogoutUri: (payload.backchannel_logout_uri as string | undefined) ?? null,
      agencyCodes: (payload.agency_codes as string[] | undefined) ?? [],
      scopes: String(payload.scope ?? '')
        .split(' ')
        .filter(Boolean),
    };
  }

  async function payloadOf(clientId: string): Promise<Record<string, unknown> | undefined> {
    const r = await sql<{ payload: Record<string, unknown> }>`
      select payload from identity.oidc_payloads where model = 'Client' and id = ${clientId}`.execute(db);
    return r.rows[0]?.payload;
  }

  /** Our rules, then the provider's schema. Field errors name the API's fields. */
  async function validated(input: ClientInput, options: { allowClientsScope: boolean }, secret: string) {
    const errors: Array<{ path: string; message: string }> = [];
    const url = (u: string) => {
      try {
        const p = new URL(u);
        if (p.protocol === 'https:') return true;
        return !deps.production && p.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(p.hostname);
      } catch {
        return false;
      }
    };
    if (!/^[a-z0-9][a-z0-9._-]{2,63}$/.test(input.clientId))
      errors.push({ path: 'clientId', message: 'client_id gồm 3–64 ký tự: chữ thường, số, dấu . _ -' });
    const name = input.name.normalize('NFC').trim();
    if (name.length === 0 || name.length > 200)
      errors.push({ path: 'name', message: 'Tên ứng dụng cần từ 1 đến 200 ký tự.' });
    const agencyCodes = [...new Set((input.agencyCodes ?? []).map((c) => c.trim().toUpperCase()))];
    const scopes = [...new Set(input.scopes ?? [])];
    if (input.kind === 'portal') {
      const redirects = input.redirectUris ?? [];
      if (redirects.length === 0 || !redirects.every(url))
        errors.push({
          path: 'redirectUris',
          message:
            'Cần ít nhất một địa chỉ chuyển hướng https hợp lệ (http chỉ cho localhost khi phát triển).',
        });
      if (!(input.postLogoutRedirectUris ?? []).every(url))
        errors.push({ path: 'postLogoutRedirectUris', message: 'Địa chỉ sau đăng xuất phải là https.' });
      if (input.backchannelLogoutUri && !url(input.backchannelLogoutUri))
        errors.push({ path: 'backchannelLogoutUri', message: 'Địa chỉ back-channel phải là https.' });
    } else {
      if (agencyCodes.length === 0)
        errors.push({ path: 'agencyCodes', message: 'Hệ thống của cơ quan cần ít nhất một mã cơ quan.' });
      for (const code of agencyCodes) {
        if (!/^[A-ZĐ0-9][A-ZĐ0-9-]{1,39}$/.test(code) || !(await deps.agencyExists(code)))
          errors.push({ path: 'agencyCodes', message: `Không có cơ quan mã ${code}.` });
      }
      const allowed: readonly string[] = options.allowClientsScope
        ? MACHINE_SCOPES
        : MACHINE_SCOPES.filter((s) => s !== 'clients');
      if (scopes.length === 0 || !scopes.every((s) => allowed.includes(s)))
        errors.push({ path: 'scopes', message: `Phạm vi được cấp: ${allowed.join(', ')}.` });
    }
    if (errors.length > 0) throw new ValidationError('Thông tin ứng dụng chưa hợp lệ.', errors);
    const metadata = buildClientMetadata({
      clientId: input.clientId,
      name,
      machine: input.kind === 'machine',
      clientSecret: secret,
      ...(input.kind === 'machine'
        ? { agencyCodes, scope: scopes.join(' ') }
        : {
            redirectUris: input.redirectUris ?? [],
            postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
            ...(input.backchannelLogoutUri ? { backchannelLogoutUri: input.backchannelLogoutUri } : {}),
          }),
    });
    try {
      await provider.Client.validate(metadata as never);
    } catch (e) {
      const detail = (e as { error_description?: string }).error_description ?? String(e);
      throw new ValidationError('Thông tin ứng dụng chưa hợp lệ.', [{ path: 'metadata', message: detail }]);
    }
    return metadata;
  }

  const audit = (
    trx: AnyTransaction,
    actor: string,
    action: string,
    clientId: string,
    data: Record<string, unknown>,
  ) => appendAudit(trx, { actor, action, subject: `oidc-client:${clientId}`, data }, clock.now());

  return {
    async list(): Promise<ClientView[]> {
      const r = await sql<{ payload: Record<string, unknown> }>`
        select payload from identity.oidc_payloads where model = 'Client' order by id`.execute(db);
      return r.rows.map((x) => view(x.payload));
    },

    /** One client, or 404. */
    async get(clientId: string): Promise<ClientView> {
      const p = await payloadOf(clientId);
      if (!p) throw new NotFoundError('Không có ứng dụng này.');
      return view(p);
    },

    /** Registers a client; its secret is in the answer and nowhere else readable. */
    async register(
      actor: string,
      input: ClientInput,
      options: { allowClientsScope: boolean } = { allowClientsScope: false },
    ): Promise<{ client: ClientView; clientSecret: string }> {
      const secret = newClientSecret();
      const metadata = await validated(input, options, secret);
      const saved = await db.transaction().execute(async (trx) => {
        const r = await sql<{ id: string }>`
          insert into identity.oidc_payloads (model, id, payload)
          values ('Client', ${input.clientId}, ${JSON.stringify(metadata)}::jsonb)
          on conflict (model, id) do nothing returning id`.execute(trx);
        if (r.rows.length === 0) return false;
        await audit(trx, actor, 'oidc-client.register', input.clientId, { ...view(metadata) });
        return true;
      });
      if (!saved) throw new ConflictError(`client_id ${input.clientId} đã được đăng ký.`);
      return { client: view(metadata), clientSecret: secret };
    },

    /** Changes a client's metadata; its secret stays. */
    async update(
      actor: string,
      input: ClientInput,
      options: { allowClientsScope: boolean } = { allowClientsScope: false },
    ): Promise<ClientView> {
      const current = await payloadOf(input.clientId);
      if (!current) throw new NotFoundError('Không có ứng dụng này.');
      // A client's scopes may only widen to `clients` from the page; keep it if it was there.
      const allow = options.allowClientsScope || view(current).scopes.includes('clients');
      const metadata = await validated(input, { allowClientsScope: allow }, String(current.client_secret));
      await db.transaction().execute(async (trx) => {
        await sql`update identity.oidc_payloads set payload = ${JSON.stringify(metadata)}::jsonb
                   where model = 'Client' and id = ${input.clientId}`.execute(trx);
        await audit(trx, actor, 'oidc-client.update', input.clientId, { ...view(metadata) });
      });
      return view(metadata);
    },

    /** A new secret; the old one stops working at once. */
    async rotateSecret(actor: string, clientId: string): Promise<{ clientId: string; clientSecret: string }> {
      const secret = newClientSecret();
      await db.transaction().execute(async (trx) => {
        const r = await sql<{ id: string }>`
          update identity.oidc_payloads set payload = jsonb_set(payload, '{client_secret}', to_jsonb(${secret}::text))
           where model = 'Client' and id = ${clientId} returning id`.execute(trx);
        if (r.rows.length === 0) throw new NotFoundError('Không có ứng dụng này.');
        await audit(trx, actor, 'oidc-client.rotate-secret', clientId, {});
      });
      return { clientId, clientSecret: secret };
    },

    /** Removes a client: its tokens stop being accepted (every check loads the client). */
    async remove(actor: string, clientId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const r = await sql<{ id: string }>`
          delete from identity.oidc_payloads where model = 'Client' and id = ${clientId} returning id`.execute(
          trx,
        );
        if (r.rows.length === 0) throw new NotFoundError('Không có ứng dụng này.');
        await audit(trx, actor, 'oidc-client.remove', clientId, {});
      });
    },
  };
}
