/**
 * A relying party — a province's public-service portal — that signs its users in through Cổng DVC
 * with OpenID Connect, as a real one would: discovery, authorization code with PKCE, id_token
 * validation, userinfo, RP-initiated logout. Used by the browser journeys and for trying the demo.
 *
 *   ISSUER=http://localhost:3000 CLIENT_ID=demo-cong-tinh CLIENT_SECRET=… PORT=4000 \
 *     node --import tsx sim/relying-party/main.ts
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import * as oidc from 'openid-client';

const issuer = new URL(process.env.ISSUER ?? 'http://localhost:3000');
const clientId = process.env.CLIENT_ID ?? 'demo-cong-tinh';
const clientSecret = process.env.CLIENT_SECRET ?? 'demo-cong-tinh-secret-do-not-use-in-production';
const port = Number(process.env.PORT ?? 4000);
const base = `http://localhost:${port}`;
const redirectUri = `${base}/callback`;

const config = await oidc.discovery(issuer, clientId, clientSecret, undefined, {
  execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
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

const server = http.createServer(async (req, res) => {
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
      const tokens = await oidc.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: p.verifier,
        expectedState: p.state,
        expectedNonce: p.nonce,
      });
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

server.listen(port, '127.0.0.1', () => process.stdout.write(`relying party at ${base}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
