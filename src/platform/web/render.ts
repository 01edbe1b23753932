/** Rendering Preact pages to HTML responses. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { type Locale, localeFrom } from '../i18n/index.ts';
import { EMPTY_NAV, type Shell, ShellContext } from './shell.ts';

/** The language of a page request: `?lang=`, then the `lang` cookie, then Vietnamese. */
export function pageLocale(request: FastifyRequest): Locale {
  return localeFrom(request.query, request.headers.cookie);
}

/** A whole HTML document: the doctype and the rendered node (normally a `<Layout>`). */
// biome-ignore lint/suspicious/noExplicitAny: any element, including context providers
export function renderDocument(node: VNode<any>): string {
  return `<!doctype html>${renderToString(node)}`;
}

export interface SendPageOptions {
  /** HTTP status; 200 by default. */
  status?: number;
}

/**
 * The shell of this request's page: its navigation resolved from the registry (counts in parallel),
 * and the sign-out form's CSRF token for someone signed in.
 */
export async function shellFor(request: FastifyRequest, reply: FastifyReply): Promise<Shell> {
  const viewer = request.viewer ?? null;
  const registry = request.server.navigation as FastifyRequest['server']['navigation'] | undefined;
  const [nav, csrfToken] = await Promise.all([
    registry ? registry.resolveLinks(request) : EMPTY_NAV,
    viewer?.signOutAction && typeof reply.csrfToken === 'function' ? reply.csrfToken() : undefined,
  ]);
  return {
    nav,
    viewer,
    operator: request.server.siteOperator,
    ...(csrfToken !== undefined ? { csrfToken } : {}),
  };
}

/** The shell without waiting for anything (error pages): links without counts, no sign-out token. */
export function plainShellFor(request: FastifyRequest): Shell {
  const registry = request.server.navigation as FastifyRequest['server']['navigation'] | undefined;
  return {
    nav: registry ? registry.plainLinks(request) : EMPTY_NAV,
    viewer: request.viewer ?? null,
    operator: request.server.siteOperator,
  };
}

/** A node inside the shell's context, ready for `renderDocument`. */
// biome-ignore lint/suspicious/noExplicitAny: any element, and the provider it is wrapped in
export function inShell(shell: Shell, node: VNode<any>): VNode<any> {
  return h(ShellContext.Provider, { value: shell }, node);
}

/** Renders a page in the shell (header resolved for this request) and sends it as `text/html; charset=utf-8`. */
export async function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  node: VNode,
  options: SendPageOptions = {},
): Promise<FastifyReply> {
  const shell = await shellFor(request, reply);
  return reply
    .code(options.status ?? 200)
    .type('text/html; charset=utf-8')
    .send(renderDocument(inShell(shell, node)));
}
