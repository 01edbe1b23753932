/**
 * The portal as an OpenID Connect provider (oidc-provider, OpenID-certified): ministry and province
 * portals sign their users in through it (authorization code + PKCE S256, `acr_values` LoA1/LoA2),
 * read the claims agency systems already use (`LoaiTaiKhoan`, `SoDinhDanh`, `HoVaTen`, …), and log out
 * (RP-initiated and back-channel). Agency systems get access tokens with client credentials, scoped to
 * their agencies (`agency_codes` client metadata). State and keys live in the database.
 */
import type { Kysely } from 'kysely';
import Provider, { type Configuration, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { createOidcAdapterFactory } from './adapter.ts';
import { acrRequest } from './authentication-request.ts';
import { signingKeys } from './keys.ts';

export const ACR_VALUES = ['LoA1', 'LoA2'] as const;

/** Claims of the national portal's single sign-on, all released with scope `openid` as it does. */
export const PORTAL_CLAIMS = [
  'LoaiTaiKhoan',
  'SoDinhDanh',
  'SoCMND',
  'HoVaTen',
  'NgayThangNamSinh',
  'GioiTinh',
  'ThuDienTu',
  'SoDienThoai',
  'ThuongTru',
  'NoiOHienNay',
  'QuocTich',
  'MaBHXH',
  'TechID',
  'TrangThai',
  'MaSoDoanhNghiep',
  'TenDoanhNghiep',
  'DiaChi',
] as const;

export type PortalClaims = Partial<Record<(typeof PORTAL_CLAIMS)[number], string | number | null>> & {
  sub: string;
};

export interface OidcProviderOptions {
  issuer: string;
  db: Kysely<unknown>;
  cookieKeys: string[];
  secureCookies: boolean;
  trustProxy: boolean;
  /** The claims of an account, or undefined when it does not exist (or is disabled). */
  claimsOf(accountId: string): Promise<PortalClaims | undefined>;
  /** Records that a client received these claims of the account (the person's access log). */
  recordRelease?(release: {
    accountId: string;
    clientId: string;
    clientName: string;
    use: string;
    fields: string[];
  }): Promise<void>;
  /** The account of the portal session whose cookie (`sid`) came with the request, if alive. */
  portalAccountOf(sessionCookie: string | undefined): Promise<string | undefined>;
  renderLogout(ctx: KoaContextWithOIDC, form: string): Promise<void> | void;
  renderLoggedOut(ctx: KoaContextWithOIDC): Promise<void> | void;
  renderError(ctx: KoaContextWithOIDC, out: Record<string, string>, error: Error): Promise<void> | void;
}

/**
 * The default prompts, plus: a relying party that asks for LoA2 makes a LoA1 session sign in again;
 * and the provider's session must belong to whoever is signed in to the portal right now. (Its cookie
 * outlives the portal session: without this, a second person signing in to the portal on the same
 * browser would be handed to relying parties as the first.)
 */
function loginPolicy(portalAccountOf: OidcProviderOptions['portalAccountOf']) {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  login?.checks.add(
    new interactionPolicy.Check(
      'portal_session_differs',
      'the provider session is not the account signed in to the portal',
      async (ctx) => {
        const sessionAccount = ctx.oidc.session?.accountId;
        if (!sessionAccount) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        const portalAccount = await portalAccountOf(ctx.cookies.get('sid') ?? undefined);
        return portalAccount === sessionAccount
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT;
      },
    ),
  );
  login?.checks.add(
    new interactionPolicy.Check('loa2_requested', 'LoA2 was requested and the session is LoA1', (ctx) => {
      // acr_values and an essential acr claim alike (acrRequest).
      const asked = acrRequest(ctx.oidc.params ?? {}).minimum === 2;
      return asked && ctx.oidc.session?.acr !== 'LoA2'
        ? interactionPolicy.Check.REQUEST_PROMPT
        : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );
  return policy;
}

export async function createOidcProvider(o: OidcProviderOptions): Promise<Provider> {
  const keys = await signingKeys(o.db);
  const configuration: Configuration = {
    adapter: createOidcAdapterFactory(o.db),
    jwks: { keys: keys as never },
    cookies: {
      keys: o.cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: 'lax', secure: o.secureCookies },
      short: { signed: true, httpOnly: true, sameSite: 'lax', secure: o.secureCookies },
    },
    routes: {
      authorization: '/oidc/auth',
      backchannel_authentication: '/oidc/backchannel',
      code_verification: '/oidc/device',
      device_authorization: '/oidc/device/auth',
      end_session: '/oidc/session/end',
      introspection: '/oidc/token/introspection',
      jwks: '/oidc/jwks',
      pushed_authorization_request: '/oidc/request',
      registration: '/oidc/reg',
      revocation: '/oidc/token/revocation',
      token: '/oidc/token',
      userinfo: '/oidc/me',
    },
    interactions: {
      url: (_ctx, interaction) => `/uy-quyen/${interaction.uid}`,
      policy: loginPolicy(o.portalAccountOf),
    },
    acrValues: [...ACR_VALUES],
    scopes: [
      'openid',
      'offline_access',
      'sync',
      'payments',
      'catalogue',
      'clients',
      'fines',
      'documents',
      'feedback',
    ],
    // How the person signed in (amr: pwd, otp) and when go in every id_token with the scope openid.
    claims: { acr: null, amr: null, auth_time: null, openid: ['sub', 'amr', 'auth_time', ...PORTAL_CLAIMS] },
    pkce: { methods: ['S256'], required: () => true },
    responseTypes: ['code'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    extraClientMetadata: {
      properties: ['agency_codes'],
      validator(_ctx, key, value) {
        if (key !== 'agency_codes' || value === undefined) return;
        if (
          !Array.isArray(value) ||
          !value.every((v) => typeof v === 'string' && /^[A-Z][A-Z0-9-]{1,39}$/.test(v))
        ) {
          throw new Error('agency_codes must be a list of agency codes');
        }
      },
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => o.renderLogout(ctx, form),
        postLogoutSuccessSource: (ctx) => o.renderLoggedOut(ctx),
      },
      claimsParameter: { enabled: true },
    },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      ClientCredentials: 3600,
      IdToken: 3600,
      Interaction: 1800,
      Session: 12 * 3600,
      Grant: 30 * 24 * 3600,
      RefreshToken: 14 * 24 * 3600,
    },
    async findAccount(ctx, sub) {
      const claims = await o.claimsOf(sub);
      if (!claims) return undefined;
      return {
        accountId: sub,
        async claims(use) {
          const client = ctx.oidc?.client;
          if (client && o.recordRelease) {
            await o.recordRelease({
              accountId: sub,
              clientId: client.clientId,
              clientName: client.clientName ?? client.clientId,
              use,
              fields: Object.keys(claims).filter((k) => k !== 'sub'),
            });
          }
          return claims;
        },
      };
    },
    renderError: (ctx, out, error) => o.renderError(ctx, out as unknown as Record<string, string>, error),
  };
  const provider = new Provider(o.issuer, configuration);
  provider.proxy = o.trustProxy;
  return provider;
}
