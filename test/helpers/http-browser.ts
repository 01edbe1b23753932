/**
 * A scripted browser over real HTTP (a portal listening on a port): keeps cookies, follows redirects
 * while they stay on the portal, posts url-encoded forms. For OpenID Connect journeys, where the
 * relying party and the provider exchange redirects, and for anything that must cross a real socket.
 */
import net from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export class HttpBrowser {
  jar = new Map<string, string>();
  constructor(
    /** Redirects are followed only while they stay under this origin. */
    private readonly base: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const r = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...this.headers,
        ...(init.headers as Record<string, string>),
        cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return r;
  }

  /** Follows redirects until a page (not 3xx) or a URL outside the base origin. */
  async follow(url: string, init: RequestInit = {}): Promise<{ url: string; response: Response }> {
    let current = url;
    let r = await this.fetch(current, init);
    for (let i = 0; i < 15 && r.status >= 300 && r.status < 400; i++) {
      current = new URL(r.headers.get('location')!, current).toString();
      if (!current.startsWith(this.base)) return { url: current, response: r };
      r = await this.fetch(current);
    }
    return { url: current, response: r };
  }
}

export const csrfOf = (html: string) => {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1]!;
};

export const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});
