/**
 * What the page shell needs to know about the request besides the page itself: the resolved navigation
 * (header links with their counts, the account menu), who is signed in, the operator's contact details
 * for the footer, and the CSRF token of the account menu's sign-out form. `sendPage` provides it.
 */
import { createContext } from 'preact';
import type { OperatorConfig } from '../config/index.ts';
import type { ResolvedNav } from './navigation.ts';
import type { Viewer } from './viewer.ts';

export interface Shell {
  nav: ResolvedNav;
  viewer: Viewer | null;
  operator: OperatorConfig | undefined;
  /** For the sign-out form in the account menu; without it the menu links to the account page instead. */
  csrfToken?: string;
}

export const ShellContext = createContext<Shell | null>(null);

export const EMPTY_NAV: ResolvedNav = { viewer: null, header: [], account: [] };
