/**
 * A relying party — a province's public-service portal — that signs its users in through Cổng DVC
 * with OpenID Connect, as a real one would: discovery, authorization code with PKCE, id_token
 * validation **including its signature against the portal's published keys (JWKS)**, userinfo,
 * RP-initiated logout. openid-client checks an id_token's claims but not, by default, its signature
 * (it trusts TLS to the token endpoint); a relying party that acts on the id_token must not.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';

export interface RelyingPartyOptions {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** 0 picks a free port. */
  port: number;
  /** Its own address as the portal knows it (redirect URI `<publicUrl>/callback`); default http://localhost:<port>. */
  publicUrl?: string;
  /** The HTTP client towards the portal (tests put a tampering man-in-the-middle here). */
  fetch?: oidc.CustomFetch;
}

export interface RelyingParty {
  url: string;
  close(): Promise<void>;
}

export async function startRelyingParty(o: RelyingPartyOptions): Promise<RelyingParty> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(o.port, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = o.publicUrl ?? `http://localhost:${port}`;
  const redirectUri = `${base}/callback`;
  const config = await oidc.discovery(o.issuer, o.clientId, o.clientSecret, undefined, {
    execute: [
      ...(o.issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : []),
      // Verify the id_token's signature with the issuer's JWKS, not just its claims.
      oidc.enableNonRepudiationChecks,
    ],
    ...(o.fetch ? { [oidc.customFetch]: o.fetch } : {}),
  });

  /** Pending logins and signed-in users, by an opaque cookie (one process, in memory: it is a simulator). */
  const pending = new Map<string, { verifier: string; state: string; nonce: string }>();
  const users = new Map<string, { claims: Record<string, unknown>; idToken: string; acr: string }>();

  const esc = (s: unknown) =>
    String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const page = (title: string, body: string) =>
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
  const cookieOf = (req: http.IncomingMessage) =>
    /(?:^|;\s*)rp=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];

  server.on('request', async (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      const url = new URL(req.url ?? '/', base);
      if (url.pathname === '/login') {
        const id = randomBytes(16).toString('base64url');
        const verifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const nonce = oidc.randomNonce();
        pending.set(id, { verifier, state, nonce });
        const target = oidc.buildAuthorizationUrl(config, {
          redirect_uri: redirectUri,
          scope: 'openid',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          state,
          nonce,
          acr_values: url.searchParams.get('acr') ?? 'LoA1',
        });
        res
          .writeHead(302, {
            location: target.toString(),
            'set-cookie': `rp=${id}; Path=/; HttpOnly; SameSite=Lax`,
          })
          .end();
        return;
      }
      if (url.pathname === '/callback') {
        const id = cookieOf(req);
        const p = id ? pending.get(id) : undefined;
        if (!id || !p) {
          res
            .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
            .end(page('Phiên đăng nhập không hợp lệ', ''));
          return;
        }
        pending.delete(id);
        let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
        try {
          tokens = await oidc.authorizationCodeGrant(config, url, {
            pkceCodeVerifier: p.verifier,
            expectedState: p.state,
            expectedNonce: p.nonce,
          });
        } catch (e) {
          // A forged or altered id_token (bad signature, wrong issuer, audience, nonce…) signs nobody in.
          res
            .writeHead(401, { 'content-type': 'text/html; charset=utf-8' })
            .end(
              page(
                'Đăng nhập không thành công',
                `<p id="loi">Không xác minh được thông tin đăng nhập do Cổng Dịch vụ công gửi về.</p><p lang="en">The sign-in could not be verified (${esc((e as Error).message)}).</p>`,
              ),
            );
          return;
        }
        const idClaims = tokens.claims()!;
        const claims = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        users.set(id, { claims, idToken: tokens.id_token!, acr: String(idClaims.acr ?? '') });
        res.writeHead(303, { location: '/' }).end();
        return;
      }
      if (url.pathname === '/logout') {
        const id = cookieOf(req);
        const u = id ? users.get(id) : undefined;
        if (id) users.delete(id);
        const target = u
          ? oidc
              .buildEndSessionUrl(config, { id_token_hint: u.idToken, post_logout_redirect_uri: `${base}/` })
              .toString()
          : '/';
        res.writeHead(303, { location: target }).end();
        return;
      }
      if (url.pathname === '/') {
        const id = cookieOf(req);
        const u = id ? users.get(id) : undefined;
        const body = u
          ? `<p id="xin-chao">Xin chào ${esc(u.claims.HoVaTen ?? u.claims.TenDoanhNghiep ?? u.claims.sub)}</p>` +
            `<p>Mức xác thực: <span id="acr">${esc(u.acr)}</span></p><dl>${Object.entries(u.claims)
              .map(([k, v]) => `<dt>${esc(k)}</dt><dd id="claim-${esc(k)}">${esc(v)}</dd>`)
              .join('')}</dl><p><a href="/logout">Đăng xuất</a></p>`
          : '<p><a href="/login">Đăng nhập bằng tài khoản Cổng Dịch vụ công</a></p>';
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(page('Cổng dịch vụ công tỉnh (mô phỏng)', body));
        return;
      }
      res.writeHead(404).end();
    } catch (e) {
      res
        .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`relying party error: ${(e as Error).message}`);
    }
  });

  return {
    url: base,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
