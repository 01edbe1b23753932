/** Rendering Preact pages to HTML responses. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { type Locale, localeFrom } from '../i18n/index.ts';
import { type Viewer, ViewerContext } from './viewer.ts';

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

/** Sends a rendered page as `text/html; charset=utf-8`. */
export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  node: VNode,
  options: SendPageOptions = {},
): FastifyReply {
  return reply
    .code(options.status ?? 200)
    .type('text/html; charset=utf-8')
    .send(
      renderDocument(h(ViewerContext.Provider, { value: (request.viewer ?? null) as Viewer | null }, node)),
    );
}
