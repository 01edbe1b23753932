/**
 * The navigation registry: the header's links, the signed-in account menu, the cards of the officers'
 * desk (`/quan-tri`) and the home page's task cards are built from entries that each module registers,
 * so that a new module (payments, feedback, reporting) adds its own without editing the layout.
 *
 * Modules expose their entries as `navigation: ModuleNavigation` on what their `create…Module` returns;
 * `app.ts` adds them to the one registry it hands to the web plugin. `sendPage` resolves the header for
 * the request being rendered (nothing happens for requests that are not page renders).
 *
 * Resolution is per page view and never breaks a page: an entry whose `visible`, `count` or `resolve`
 * throws (or takes longer than the time limit) is logged; a link whose `visible` failed is left out, a
 * link whose `count` failed is shown without its number, a desk card that failed is left out.
 */
import type { FastifyRequest } from 'fastify';
import type { AccountKindName } from '../http/index.ts';
import type { Text } from '../i18n/index.ts';

/** Who is looking: the signed-in person (see `request.viewer`, set by the identity module). */
export interface NavViewer {
  accountId: string;
  kind: AccountKindName;
  name: string;
}

export type NavAudience = 'everyone' | 'signed-in' | 'signed-out' | readonly AccountKindName[];

/** A link in the header's main navigation ('header') or in the signed-in account menu ('account'). */
export interface NavLinkEntry {
  /** Unique, e.g. 'dossiers.mine'. */
  id: string;
  area: 'header' | 'account';
  /** Ascending; ties by id. */
  order: number;
  href: string;
  label: Text;
  /** Default 'everyone'. */
  audience?: NavAudience;
  /**
   * Only when this answers true (e.g. an officer holding some role). Called per page view, for signed-in
   * viewers only: an entry with `visible` is never shown to someone signed out.
   */
  visible?: (viewer: NavViewer, request: FastifyRequest) => Promise<boolean>;
  /** A number shown beside the label (0 shows nothing); called per page view for signed-in viewers who see it. */
  count?: (viewer: NavViewer, request: FastifyRequest) => Promise<number>;
  /** What the number counts, read by screen readers: e.g. { vi: 'hồ sơ cần bạn bổ sung hoặc nộp phí', en: … }. */
  countLabel?: Text;
}

export interface DeskLink {
  href: string;
  label: Text;
  count?: number;
  /** How urgent the count is: 'warning' (due soon), 'danger' (overdue, failed). Default 'normal'. */
  tone?: 'normal' | 'warning' | 'danger';
}

/** A card on the officers' desk `/quan-tri`. */
export interface DeskEntry {
  id: string;
  order: number;
  title: Text;
  description?: Text;
  /**
   * Administration and oversight (officers and roles, connected systems, sync monitoring) rather than
   * daily work: pages other than the desk may list just these cards' links (the account page does).
   */
  administration?: boolean;
  /** What this officer's roles allow here: null (or no links) shows nothing. */
  resolve(viewer: NavViewer, request: FastifyRequest): Promise<null | { links: DeskLink[] }>;
}

/** A task card on the home page (paying online, sending feedback, creating an account…). */
export interface HomeEntry {
  id: string;
  order: number;
  href: string;
  title: Text;
  description: Text;
  /** Default 'everyone'. */
  audience?: NavAudience;
}

/** What a module registers: `navigation` on what its `create…Module` returns. */
export interface ModuleNavigation {
  links?: readonly NavLinkEntry[];
  desk?: readonly DeskEntry[];
  home?: readonly HomeEntry[];
}

export interface ResolvedLink {
  id: string;
  href: string;
  label: Text;
  /** 0 when there is nothing to show. */
  count: number;
  countLabel?: Text;
}

export interface ResolvedNav {
  /** null when nobody is signed in. */
  viewer: NavViewer | null;
  header: ResolvedLink[];
  /** The account menu's links (signed in only); the shell adds signing out. */
  account: ResolvedLink[];
}

export interface ResolvedDeskCard {
  id: string;
  title: Text;
  description?: Text;
  links: DeskLink[];
}

export interface ResolvedHomeCard {
  id: string;
  href: string;
  title: Text;
  description: Text;
}

export interface NavigationRegistry {
  link(...entries: NavLinkEntry[]): void;
  desk(...entries: DeskEntry[]): void;
  home(...entries: HomeEntry[]): void;
  /** Everything a module registers (`undefined`: nothing). */
  add(navigation: ModuleNavigation | undefined): void;
  /**
   * Header and account-menu links for this request's viewer, with counts, resolved in parallel (entries
   * that throw are logged: a failing `visible` leaves the link out, a failing `count` leaves the number
   * out — a failing count must never break a page).
   */
  resolveLinks(request: FastifyRequest): Promise<ResolvedNav>;
  /**
   * The same without calling `visible` or `count`, for pages rendered synchronously (the error page):
   * the links every viewer of this audience sees, without numbers.
   */
  plainLinks(request: FastifyRequest): ResolvedNav;
  /**
   * The desk cards this officer may see, in order (none for someone signed out); with
   * `{ administration: true }`, only the administration cards (the others are not resolved).
   */
  resolveDesk(request: FastifyRequest, only?: { administration?: boolean }): Promise<ResolvedDeskCard[]>;
  /** The home page's task cards for this viewer, in order. */
  resolveHome(request: FastifyRequest): Promise<ResolvedHomeCard[]>;
}

export interface NavigationOptions {
  /** How long one entry's `visible`, `count` or `resolve` may take before it is given up (ms). */
  timeoutMs?: number;
}

/** The viewer of a request, as the identity module set it (`request.viewer`). */
export function navViewerOf(request: FastifyRequest): NavViewer | null {
  const v = request.viewer;
  return v ? { accountId: v.accountId, kind: v.kind, name: v.name } : null;
}

export function matchesAudience(audience: NavAudience | undefined, viewer: NavViewer | null): boolean {
  if (audience === undefined || audience === 'everyone') return true;
  if (audience === 'signed-in') return viewer !== null;
  if (audience === 'signed-out') return viewer === null;
  return viewer !== null && audience.includes(viewer.kind);
}

const byOrder = (a: { order: number; id: string }, b: { order: number; id: string }) =>
  a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

class TimedOut extends Error {
  constructor(ms: number) {
    super(`took longer than ${ms} ms`);
    this.name = 'TimedOut';
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(ms)), ms);
    timer.unref();
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

export function createNavigationRegistry(options: NavigationOptions = {}): NavigationRegistry {
  const timeoutMs = options.timeoutMs ?? 2000;
  const links: NavLinkEntry[] = [];
  const desk: DeskEntry[] = [];
  const home: HomeEntry[] = [];
  const ids = new Set<string>();

  function claim(id: string) {
    if (ids.has(id)) throw new Error(`Navigation entry "${id}" is registered twice`);
    ids.add(id);
  }

  /** Runs one entry's callback: its answer, or `failed` when it throws or is too slow (logged). */
  async function attempt<T>(
    request: FastifyRequest,
    id: string,
    what: string,
    run: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false }> {
    try {
      return { ok: true, value: await within(Promise.resolve().then(run), timeoutMs) };
    } catch (err) {
      request.log.warn({ err, entry: id, part: what }, 'navigation entry failed');
      return { ok: false };
    }
  }

  function plain(entry: NavLinkEntry): ResolvedLink {
    return {
      id: entry.id,
      href: entry.href,
      label: entry.label,
      count: 0,
      ...(entry.countLabel ? { countLabel: entry.countLabel } : {}),
    };
  }

  function split(resolved: Array<{ entry: NavLinkEntry; link: ResolvedLink }>, viewer: NavViewer | null) {
    return {
      viewer,
      header: resolved.filter((r) => r.entry.area === 'header').map((r) => r.link),
      account: viewer ? resolved.filter((r) => r.entry.area === 'account').map((r) => r.link) : [],
    };
  }

  function addLinks(...entries: NavLinkEntry[]) {
    for (const e of entries) claim(e.id);
    links.push(...entries);
    links.sort(byOrder);
  }
  function addDesk(...entries: DeskEntry[]) {
    for (const e of entries) claim(e.id);
    desk.push(...entries);
    desk.sort(byOrder);
  }
  function addHome(...entries: HomeEntry[]) {
    for (const e of entries) claim(e.id);
    home.push(...entries);
    home.sort(byOrder);
  }

  return {
    link: addLinks,
    desk: addDesk,
    home: addHome,
    add(navigation) {
      if (!navigation) return;
      addLinks(...(navigation.links ?? []));
      addDesk(...(navigation.desk ?? []));
      addHome(...(navigation.home ?? []));
    },

    async resolveLinks(request) {
      const viewer = navViewerOf(request);
      const candidates = links.filter(
        (e) => matchesAudience(e.audience, viewer) && (viewer !== null || e.visible === undefined),
      );
      const resolved = await Promise.all(
        candidates.map(async (entry) => {
          const link = plain(entry);
          if (viewer === null) return { entry, link };
          if (entry.visible) {
            const seen = await attempt(request, entry.id, 'visible', () => entry.visible!(viewer, request));
            if (!seen.ok || !seen.value) return undefined;
          }
          if (entry.count) {
            const n = await attempt(request, entry.id, 'count', () => entry.count!(viewer, request));
            if (n.ok && Number.isSafeInteger(n.value) && n.value > 0) link.count = n.value;
          }
          return { entry, link };
        }),
      );
      return split(
        resolved.filter((r) => r !== undefined),
        viewer,
      );
    },

    plainLinks(request) {
      const viewer = navViewerOf(request);
      const shown = links
        .filter((e) => matchesAudience(e.audience, viewer) && e.visible === undefined)
        .map((entry) => ({ entry, link: plain(entry) }));
      return split(shown, viewer);
    },

    async resolveDesk(request, only) {
      const viewer = navViewerOf(request);
      if (!viewer) return [];
      const entries = only?.administration ? desk.filter((e) => e.administration === true) : desk;
      const cards = await Promise.all(
        entries.map(async (entry): Promise<ResolvedDeskCard | undefined> => {
          const r = await attempt(request, entry.id, 'resolve', () => entry.resolve(viewer, request));
          if (!r.ok || r.value === null || r.value.links.length === 0) return undefined;
          return {
            id: entry.id,
            title: entry.title,
            ...(entry.description ? { description: entry.description } : {}),
            links: r.value.links,
          };
        }),
      );
      return cards.filter((c) => c !== undefined);
    },

    async resolveHome(request) {
      const viewer = navViewerOf(request);
      return home
        .filter((e) => matchesAudience(e.audience, viewer))
        .map((e) => ({ id: e.id, href: e.href, title: e.title, description: e.description }));
    },
  };
}

/**
 * Shares one answer between the entries of one page view: e.g. an officer's roles, read once however
 * many entries ask. `compute` runs at most once per request.
 */
export function oncePerRequest<T>(
  compute: (viewer: NavViewer, request: FastifyRequest) => Promise<T>,
): (viewer: NavViewer, request: FastifyRequest) => Promise<T> {
  const answers = new WeakMap<FastifyRequest, Promise<T>>();
  return (viewer, request) => {
    let answer = answers.get(request);
    if (!answer) {
      answer = compute(viewer, request);
      answers.set(request, answer);
    }
    return answer;
  };
}
