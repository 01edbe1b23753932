/**
 * A minimal browser over `app.inject` for form tests: keeps cookies, reads the CSRF token from the
 * last page, submits url-encoded forms, follows nothing by itself.
 */
import type { LightMyRequestResponse } from 'fastify';
import type { AppInstance } from '../../src/platform/http/index.ts';

export class FormClient {
  cookies = new Map<string, string>();
  last: LightMyRequestResponse | undefined;

  constructor(
    private readonly app: AppInstance,
    private readonly ip = '203.0.113.10',
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(r: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of r.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()))
        this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    this.last = r;
    return r;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.app.inject({
        method: 'GET',
        url,
        headers: { cookie: this.cookieHeader(), accept: 'text/html' },
        remoteAddress: this.ip,
      }),
    );
  }

  csrf(): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.last?.body ?? '');
    if (!m) throw new Error('no CSRF token on the last page');
    return m[1]!;
  }

  /** Submits a form; `_csrf` comes from the last page unless given. */
  async post(
    url: string,
    fields: Record<string, string>,
    options: { csrf?: string | null } = {},
  ): Promise<LightMyRequestResponse> {
    const token = options.csrf === undefined ? this.csrf() : options.csrf;
    const body = new URLSearchParams({ ...fields, ...(token === null ? {} : { _csrf: token }) }).toString();
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        payload: body,
        headers: {
          cookie: this.cookieHeader(),
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
        },
        remoteAddress: this.ip,
      }),
    );
  }
}
