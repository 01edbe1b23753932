import type { FastifyRequest } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import type { AccountKindName } from '../http/index.ts';
import { createNavigationRegistry, type NavLinkEntry, oncePerRequest } from './navigation.ts';

/** A request as the registry sees it: who is signed in, and a logger. */
function requestOf(kind?: AccountKindName, accountId = 'a-1') {
  const warn = vi.fn();
  const request = {
    viewer: kind ? { accountId, kind, name: 'Nguyễn Văn Minh', accountHref: '/tai-khoan' } : undefined,
    log: { warn },
  } as unknown as FastifyRequest;
  return { request, warn };
}

const label = (vi: string) => ({ vi, en: vi });
const link = (id: string, extra: Partial<NavLinkEntry> = {}): NavLinkEntry => ({
  id,
  area: 'header',
  order: 10,
  href: `/${id}`,
  label: label(id),
  ...extra,
});
const ids = (links: ReadonlyArray<{ id: string }>) => links.map((l) => l.id);

describe('the navigation registry: links', () => {
  it('shows each link to its audience only', async () => {
    const nav = createNavigationRegistry();
    nav.link(
      link('everyone'),
      link('signed-in', { audience: 'signed-in' }),
      link('signed-out', { audience: 'signed-out' }),
      link('officers', { audience: ['officer'] }),
      link('applicants', { audience: ['citizen', 'business', 'organisation'] }),
    );
    expect(ids((await nav.resolveLinks(requestOf().request)).header)).toEqual(['everyone', 'signed-out']);
    expect(ids((await nav.resolveLinks(requestOf('citizen').request)).header)).toEqual([
      'applicants',
      'everyone',
      'signed-in',
    ]);
    expect(ids((await nav.resolveLinks(requestOf('officer').request)).header)).toEqual([
      'everyone',
      'officers',
      'signed-in',
    ]);
  });

  it('orders by `order`, then id, whatever the order of registration', async () => {
    const nav = createNavigationRegistry();
    nav.link(link('c', { order: 30 }), link('a', { order: 10 }));
    nav.add({ links: [link('b', { order: 20 }), link('aa', { order: 10 })] });
    expect(ids((await nav.resolveLinks(requestOf().request)).header)).toEqual(['a', 'aa', 'b', 'c']);
  });

  it('puts account links in the account menu, for someone signed in only', async () => {
    const nav = createNavigationRegistry();
    nav.link(link('thu-tuc'), link('tai-khoan', { area: 'account', audience: 'everyone' }));
    const anonymous = await nav.resolveLinks(requestOf().request);
    expect(ids(anonymous.header)).toEqual(['thu-tuc']);
    expect(anonymous.account).toEqual([]);
    expect(anonymous.viewer).toBeNull();
    const citizen = await nav.resolveLinks(requestOf('citizen').request);
    expect(ids(citizen.account)).toEqual(['tai-khoan']);
    expect(citizen.viewer).toEqual({ accountId: 'a-1', kind: 'citizen', name: 'Nguyễn Văn Minh' });
  });

  it('asks `visible` per page view with the viewer; never shows such a link to someone signed out', async () => {
    const visible = vi.fn(async (viewer: { accountId: string }) => viewer.accountId === 'a-holder');
    const nav = createNavigationRegistry();
    nav.link(link('roles-only', { visible }));
    expect((await nav.resolveLinks(requestOf().request)).header).toEqual([]);
    expect(visible).not.toHaveBeenCalled();
    expect((await nav.resolveLinks(requestOf('officer', 'a-other').request)).header).toEqual([]);
    expect(ids((await nav.resolveLinks(requestOf('officer', 'a-holder').request)).header)).toEqual([
      'roles-only',
    ]);
    expect(visible).toHaveBeenCalledTimes(2);
  });

  it('adds counts (0 shows nothing) with what they count, only for links the viewer sees', async () => {
    const count = vi.fn(async () => 3);
    const hidden = vi.fn(async () => 7);
    const nav = createNavigationRegistry();
    const countLabel = { vi: 'hồ sơ cần bạn bổ sung', en: 'dossiers waiting for you' };
    nav.link(
      link('mine', { audience: 'signed-in', count, countLabel }),
      link('none', { audience: 'signed-in', count: async () => 0 }),
      link('not-for-you', { visible: async () => false, count: hidden }),
    );
    const r = await nav.resolveLinks(requestOf('citizen').request);
    expect(r.header).toEqual([
      { id: 'mine', href: '/mine', label: label('mine'), count: 3, countLabel },
      { id: 'none', href: '/none', label: label('none'), count: 0 },
    ]);
    expect(hidden).not.toHaveBeenCalled();
    expect((await nav.resolveLinks(requestOf().request)).header).toEqual([]);
    expect(count).toHaveBeenCalledTimes(1);
  });

  it('logs an entry that throws and carries on: a failing `visible` hides it, a failing count drops the number', async () => {
    const nav = createNavigationRegistry();
    nav.link(
      link('a-fine', { count: async () => 2 }),
      link('b-count-fails', {
        count: async () => {
          throw new Error('database down');
        },
      }),
      link('c-visible-fails', {
        visible: async () => {
          throw new Error('roles unavailable');
        },
      }),
    );
    const { request, warn } = requestOf('citizen');
    const r = await nav.resolveLinks(request);
    expect(r.header.map((l) => [l.id, l.count])).toEqual([
      ['a-fine', 2],
      ['b-count-fails', 0],
    ]);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls.map((c) => c[0].entry).sort()).toEqual(['b-count-fails', 'c-visible-fails']);
  });

  it('resolves the entries in parallel, and gives up on one that is too slow', async () => {
    const nav = createNavigationRegistry({ timeoutMs: 200 });
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(1), 150));
    nav.link(link('a', { count: slow }), link('b', { count: slow }), link('c', { count: slow }));
    nav.link(link('stuck', { count: () => new Promise<number>(() => undefined) }));
    const { request, warn } = requestOf('citizen');
    const started = performance.now();
    const r = await nav.resolveLinks(request);
    const took = performance.now() - started;
    expect(r.header.map((l) => l.count)).toEqual([1, 1, 1, 0]);
    // Three counts of 150 ms one after the other would take 450 ms; the stuck one is cut at 200 ms.
    expect(took).toBeLessThan(400);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('without waiting (error pages): only the links that need no question, without numbers', () => {
    const nav = createNavigationRegistry();
    nav.link(
      link('plain'),
      link('counted', { count: async () => 5 }),
      link('asks', { visible: async () => true }),
      link('officers', { audience: ['officer'] }),
    );
    expect(ids(nav.plainLinks(requestOf('citizen').request).header)).toEqual(['counted', 'plain']);
    expect(nav.plainLinks(requestOf('citizen').request).header.every((l) => l.count === 0)).toBe(true);
    expect(ids(nav.plainLinks(requestOf('officer').request).header)).toEqual([
      'counted',
      'officers',
      'plain',
    ]);
  });

  it('refuses an id registered twice', () => {
    const nav = createNavigationRegistry();
    nav.link(link('dossiers.mine'));
    expect(() => nav.link(link('dossiers.mine'))).toThrow(/registered twice/);
    expect(() =>
      nav.desk({ id: 'dossiers.mine', order: 1, title: label('x'), resolve: async () => null }),
    ).toThrow(/registered twice/);
  });
});

describe('the navigation registry: the desk and the home page', () => {
  it('shows the cards an officer may see, in order, leaving out null, empty and failing ones', async () => {
    const nav = createNavigationRegistry();
    const links = [{ href: '/quan-tri/x', label: label('x'), count: 2, tone: 'warning' as const }];
    nav.desk(
      { id: 'b', order: 20, title: label('B'), resolve: async () => ({ links }) },
      {
        id: 'a',
        order: 10,
        title: label('A'),
        description: label('về A'),
        resolve: async (viewer) => (viewer.accountId === 'a-1' ? { links } : null),
      },
      { id: 'c-null', order: 5, title: label('C'), resolve: async () => null },
      { id: 'd-empty', order: 6, title: label('D'), resolve: async () => ({ links: [] }) },
      {
        id: 'e-fails',
        order: 7,
        title: label('E'),
        resolve: async () => {
          throw new Error('boom');
        },
      },
    );
    const { request, warn } = requestOf('officer');
    const cards = await nav.resolveDesk(request);
    expect(cards).toEqual([
      { id: 'a', title: label('A'), description: label('về A'), links },
      { id: 'b', title: label('B'), links },
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(await nav.resolveDesk(requestOf().request)).toEqual([]);
  });

  it('shows home cards to their audience, in order', async () => {
    const nav = createNavigationRegistry();
    nav.add({
      home: [
        {
          id: 'register',
          order: 90,
          href: '/dang-ky',
          title: label('Đăng ký'),
          description: label('…'),
          audience: 'signed-out',
        },
        { id: 'pay', order: 10, href: '/thanh-toan', title: label('Thanh toán'), description: label('…') },
      ],
    });
    expect(ids(await nav.resolveHome(requestOf().request))).toEqual(['pay', 'register']);
    expect(ids(await nav.resolveHome(requestOf('citizen').request))).toEqual(['pay']);
  });
});

describe('oncePerRequest', () => {
  it('computes once per request, whatever the number of entries asking', async () => {
    const compute = vi.fn(async () => new Set(['receiver']));
    const roles = oncePerRequest(compute);
    const one = requestOf('officer').request;
    const two = requestOf('officer').request;
    const viewer = { accountId: 'a-1', kind: 'officer' as const, name: 'x' };
    await Promise.all([roles(viewer, one), roles(viewer, one), roles(viewer, two)]);
    expect(compute).toHaveBeenCalledTimes(2);
  });
});
