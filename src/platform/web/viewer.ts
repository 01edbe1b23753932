/**
 * Who is looking at the page, for the shell (the header's account menu, the navigation entries meant for
 * some kinds of account). The identity module sets `request.viewer`; the platform knows nothing else
 * about accounts.
 */
import type { AccountKindName } from '../http/index.ts';

export interface Viewer {
  accountId: string;
  kind: AccountKindName;
  name: string;
  /** Where their account page is. */
  accountHref: string;
  /** Where the account menu's sign-out form posts (with the page's CSRF token). */
  signOutAction?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer?: Viewer;
  }
}
