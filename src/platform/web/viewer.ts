/**
 * Who is looking at the page, for the shell (the header shows their name and a link to their
 * account). The identity module sets `request.viewer`; the platform knows nothing else about accounts.
 */
import { createContext } from 'preact';

export interface Viewer {
  name: string;
  /** Where their account page is. */
  accountHref: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer?: Viewer;
  }
}

export const ViewerContext = createContext<Viewer | null>(null);
