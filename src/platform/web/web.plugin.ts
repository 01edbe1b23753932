/**
 * The web layer of the app: static assets (stylesheet, script, self-hosted Be Vietnam Pro), the
 * sticky language choice (`?lang=` → `lang` cookie), the HTML error page, and what the shell of every
 * page reads from the app: the navigation registry and the operator's contact details.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config, OperatorConfig } from '../config/index.ts';
import { isMachinePath } from '../http/index.ts';
import { isLocale, type Locale } from '../i18n/index.ts';
import { renderErrorPage } from './error-page.tsx';
import { createNavigationRegistry, type NavigationRegistry } from './navigation.ts';

export interface WebPluginOptions {
  config: Config;
  /** The modules' header, account-menu, desk and home entries (app.ts fills it); empty by default. */
  navigation?: NavigationRegistry;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The navigation registry the shell is built from (`sendPage` resolves it per page view). */
    navigation: NavigationRegistry;
    /** Who runs the portal (the footer). */
    siteOperator: OperatorConfig;
  }
}

export const ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));

/** The font files app.css refers to; nothing else in the package is served. */
export const FONT_FILES: ReadonlySet<string> = new Set(
  ['vietnamese', 'latin'].flatMap((subset) =>
    [400, 600, 700].map((weight) => `be-vietnam-pro-${subset}-${weight}-normal.woff2`),
  ),
);

const LANG_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

function fontsDir(): string {
  try {
    // The package exports only its stylesheet; its files/ folder sits beside it.
    const css = createRequire(import.meta.url).resolve('@fontsource/be-vietnam-pro');
    return path.join(path.dirname(css), 'files');
  } catch {
    return path.resolve('node_modules/@fontsource/be-vietnam-pro/files');
  }
}

function cookieLocale(cookieHeader: string | undefined): Locale | undefined {
  const m = /(?:^|;\s*)lang=([^;]*)/.exec(cookieHeader ?? '');
  const v = m?.[1]?.trim();
  return isLocale(v) ? v : undefined;
}

/** The Set-Cookie value that remembers the language for a year. */
export function langCookie(locale: Locale, secure: boolean): string {
  return `lang=${locale}; Path=/; Max-Age=${LANG_COOKIE_MAX_AGE}; SameSite=Lax; HttpOnly${secure ? '; Secure' : ''}`;
}

async function web(app: FastifyInstance, { config, navigation }: WebPluginOptions) {
  const secureCookie = config.publicUrl.startsWith('https://');
  app.decorate('navigation', navigation ?? createNavigationRegistry());
  app.decorate('siteOperator', config.operator);

  // Fonts first: the more specific prefix. Versioned by the package, so cached for a year.
  await app.register(fastifyStatic, {
    root: fontsDir(),
    prefix: '/assets/fonts/',
    decorateReply: false,
    wildcard: true,
    index: false,
    list: false,
    allowedPath: (pathName) => FONT_FILES.has(pathName.replace(/^\/+/, '')),
    cacheControl: true,
    maxAge: '365d',
    immutable: true,
  });
  // app.css and app.js are not fingerprinted: revalidate in development, cache briefly in production.
  await app.register(fastifyStatic, {
    root: ASSETS_DIR,
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    list: false,
    cacheControl: true,
    maxAge: config.nodeEnv === 'production' ? '1h' : 0,
    globIgnore: ['fonts/**'],
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    if (isMachinePath(request.url) || request.url.startsWith('/assets/')) return;
    const wanted = (request.query as { lang?: unknown } | undefined)?.lang;
    if (!isLocale(wanted) || cookieLocale(request.headers.cookie) === wanted) return;
    reply.header('set-cookie', langCookie(wanted, secureCookie));
  });

  app.decorate('htmlErrorRenderer', renderErrorPage);
}

/** Registers static assets, the language cookie, the HTML error page, the navigation and the operator. */
export const webPlugin = fp(web, { name: 'cong-dvc-web', fastify: '5.x' });
