/**
 * API for registering the portals and systems that use the provider, for the national identity
 * operators' tooling. Called by a machine client holding the `clients` scope (granted only by a system
 * administrator on the administration page); it cannot hand that scope on.
 */
import { Type } from 'typebox';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import type { ClientInput, ClientsService } from './clients.service.ts';

const ClientId = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{2,63}$', examples: ['dvc-hanoi'] });
const Uri = Type.String({ maxLength: 500, examples: ['https://dichvucong.hanoi.gov.vn/oidc/callback'] });

const ClientFields = {
  name: Type.String({ minLength: 1, maxLength: 200, examples: ['Cổng dịch vụ công Hà Nội'] }),
  kind: Type.Union([Type.Literal('portal'), Type.Literal('machine')], {
    description: 'portal: users sign in through it (authorization code + PKCE); machine: client credentials',
  }),
  redirectUris: Type.Optional(Type.Array(Uri, { maxItems: 20 })),
  postLogoutRedirectUris: Type.Optional(Type.Array(Uri, { maxItems: 20 })),
  backchannelLogoutUri: Type.Optional(Uri),
  agencyCodes: Type.Optional(
    Type.Array(Type.String({ maxLength: 40 }), {
      maxItems: 200,
      description: 'Machine clients: the agencies whose records they may touch',
    }),
  ),
  scopes: Type.Optional(
    Type.Array(Type.String({ maxLength: 40 }), {
      maxItems: 10,
      description:
        'Machine clients: sync, payments, catalogue, fines, documents, feedback (clients: from the page only)',
    }),
  ),
};

const ClientBody = Type.Object({ clientId: ClientId, ...ClientFields }, { additionalProperties: false });
const ClientUpdateBody = Type.Object(ClientFields, { additionalProperties: false });

const ClientSchema = Type.Object({
  clientId: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('portal'), Type.Literal('machine')]),
  redirectUris: Type.Array(Type.String()),
  postLogoutRedirectUris: Type.Array(Type.String()),
  backchannelLogoutUri: Type.Union([Type.String(), Type.Null()]),
  agencyCodes: Type.Array(Type.String()),
  scopes: Type.Array(Type.String()),
});
const Secret = Type.Object({
  clientId: Type.String(),
  clientSecret: Type.String({ description: 'Shown once; store it now' }),
});
const Params = Type.Object({ clientId: ClientId });

export async function clientsApiRoutes(app: AppInstance, { clients }: { clients: ClientsService }) {
  const manage = { access: access.machine('clients') };
  const actor = (r: { machine?: { clientId: string } }) => `client:${r.machine?.clientId ?? 'unknown'}`;
  const tags = ['oidc-clients'];

  app.get(
    '/api/v1/oidc-clients',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Registered clients',
        response: { 200: Type.Object({ items: Type.Array(ClientSchema) }) },
      },
    },
    async () => ({ items: await clients.list() }),
  );

  app.post(
    '/api/v1/oidc-clients',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Register a client; the answer holds its secret, shown once',
        body: ClientBody,
        response: { 201: Type.Object({ client: ClientSchema, clientSecret: Type.String() }) },
      },
    },
    async (request, reply) => {
      const created = await clients.register(actor(request), request.body as ClientInput);
      reply.header('location', `/api/v1/oidc-clients/${created.client.clientId}`);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/v1/oidc-clients/:clientId',
    {
      config: manage,
      schema: { tags, summary: 'One client', params: Params, response: { 200: ClientSchema } },
    },
    async (request) => clients.get(request.params.clientId),
  );

  app.put(
    '/api/v1/oidc-clients/:clientId',
    {
      config: manage,
      schema: {
        tags,
        summary: "Change a client's metadata (its secret stays)",
        params: Params,
        body: ClientUpdateBody,
        response: { 200: ClientSchema },
      },
    },
    async (request) =>
      clients.update(actor(request), { ...request.body, clientId: request.params.clientId } as ClientInput),
  );

  app.post(
    '/api/v1/oidc-clients/:clientId/secret',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Issue a new secret; the old one stops working at once',
        params: Params,
        response: { 200: Secret },
      },
    },
    async (request) => clients.rotateSecret(actor(request), request.params.clientId),
  );

  app.delete(
    '/api/v1/oidc-clients/:clientId',
    {
      config: manage,
      schema: { tags, summary: 'Remove a client; its tokens stop being accepted', params: Params },
    },
    async (request, reply) => {
      await clients.remove(actor(request), request.params.clientId);
      return reply.code(204).send();
    },
  );
}
