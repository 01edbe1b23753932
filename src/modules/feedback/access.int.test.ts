/**
 * Every feedback route called as every kind of caller (the way src/modules/identity/access.int.test.ts
 * does for the portal's routes, which will include these once app.ts wires the module): never a 5xx;
 * routes that are not public refuse anonymous callers; the declarations are pinned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedbackHarness, feedbackHarness, signedIn, vn } from './feedback.test-support.ts';

let h: FeedbackHarness;
beforeAll(async () => {
  h = await feedbackHarness(vn('2026-12-28 09:00'));
});
afterAll(async () => {
  await h?.close();
});

const mine = (url: string) => url.startsWith('/api/v1/feedback') || url.includes('phan-anh-kien-nghi');

describe('feedback routes × callers', () => {
  it('declare who may call them, as pinned here', () => {
    const declared = Object.fromEntries(
      h.app.declaredRoutes
        .filter((r) => mine(r.url) && r.method !== 'HEAD')
        .map((r) => [
          `${r.method} ${r.url}`,
          r.access.who === 'officer' ? `officer:${r.access.roles.join(',')}` : r.access.who,
        ]),
    );
    expect(declared).toEqual({
      'POST /api/v1/feedback/codes': 'public',
      'POST /api/v1/feedback': 'public',
      'GET /api/v1/feedback': 'public',
      'GET /api/v1/feedback/inbox': 'officer:vpcp-supervisor,processor,approver,agency-admin',
      // The figures: any account; the service answers 403 to whoever holds no feedback role (figures/).
      'GET /api/v1/feedback/figures': 'account',
      'GET /api/v1/feedback/figures.csv': 'account',
      'GET /quan-tri/phan-anh-kien-nghi/so-lieu': 'account',
      'GET /api/v1/feedback/:code/handling': 'account',
      'GET /api/v1/feedback/:code': 'public',
      'POST /api/v1/feedback/:code/attachments': 'account',
      'GET /api/v1/feedback/:code/attachments/:id': 'account',
      'POST /api/v1/feedback/:code/follow': 'public',
      'POST /api/v1/feedback/:code/actions': 'account',
      'GET /phan-anh-kien-nghi': 'public',
      'GET /phan-anh-kien-nghi/:code': 'public',
      'GET /phan-anh-kien-nghi/gui': 'public',
      'POST /phan-anh-kien-nghi/gui': 'public',
      'GET /phan-anh-kien-nghi/gui/da-gui/:code': 'public',
      'GET /phan-anh-kien-nghi/theo-doi': 'public',
      'POST /phan-anh-kien-nghi/theo-doi': 'public',
      'GET /quan-tri/phan-anh-kien-nghi': 'officer:vpcp-supervisor,processor,approver,agency-admin',
      'GET /tai-khoan/phan-anh-kien-nghi': 'account',
      'GET /quan-tri/phan-anh-kien-nghi/:code': 'officer:vpcp-supervisor,processor,approver,agency-admin',
      'POST /quan-tri/phan-anh-kien-nghi/:code': 'officer:vpcp-supervisor,processor,approver,agency-admin',
      'GET /tai-khoan/phan-anh-kien-nghi/:code': 'account',
      'POST /tai-khoan/phan-anh-kien-nghi/:code': 'account',
      'GET /api/v1/feedback/templates': 'officer:vpcp-supervisor,processor,approver,agency-admin',
      'POST /api/v1/feedback/templates': 'officer:vpcp-supervisor,processor,approver,agency-admin',
      'PUT /api/v1/feedback/templates/:id': 'officer:vpcp-supervisor,processor,approver,agency-admin',
      'DELETE /api/v1/feedback/templates/:id': 'officer:vpcp-supervisor,processor,approver,agency-admin',
      'POST /api/v1/feedback/answers': 'officer:vpcp-supervisor,processor,approver,agency-admin',
      'GET /quan-tri/phan-anh-kien-nghi/mau-tra-loi':
        'officer:vpcp-supervisor,processor,approver,agency-admin',
      'POST /quan-tri/phan-anh-kien-nghi/mau-tra-loi':
        'officer:vpcp-supervisor,processor,approver,agency-admin',
      'GET /quan-tri/phan-anh-kien-nghi/mau-tra-loi/:id':
        'officer:vpcp-supervisor,processor,approver,agency-admin',
      'POST /quan-tri/phan-anh-kien-nghi/mau-tra-loi/:id':
        'officer:vpcp-supervisor,processor,approver,agency-admin',
      'POST /quan-tri/phan-anh-kien-nghi/tra-loi-chung':
        'officer:vpcp-supervisor,processor,approver,agency-admin',
    });
  });

  it('answer every caller without a 5xx; anonymous callers of non-public routes are refused', async () => {
    const callers = [
      { name: 'anonymous', cookie: undefined as string | undefined },
      { name: 'citizen', cookie: (await signedIn(h.database, 'citizen')).cookie },
      { name: 'officer without a role', cookie: (await signedIn(h.database, 'officer')).cookie },
      { name: 'vpcp', cookie: (await signedIn(h.database, 'officer', [['CP', 'vpcp-supervisor']])).cookie },
      { name: 'agency', cookie: (await signedIn(h.database, 'officer', [['BTP', 'processor']])).cookie },
    ];
    const routes = h.app.declaredRoutes.filter((r) => mine(r.url) && r.method !== 'HEAD');
    for (const route of routes) {
      const url = route.url
        .replace(':code', 'PAKN-2026-0000042')
        .replace(':id', '00000000-0000-4000-8000-000000000000');
      for (const c of callers) {
        const r = await h.app.inject({
          method: route.method as 'GET' | 'POST' | 'PUT' | 'DELETE',
          url,
          headers: {
            ...(c.cookie ? { cookie: c.cookie } : {}),
            ...(route.method === 'POST' || route.method === 'PUT'
              ? { 'content-type': 'application/json', 'idempotency-key': 'm-1' }
              : {}),
          },
          ...(route.method === 'POST' || route.method === 'PUT' ? { payload: {} } : {}),
        });
        const label = `${route.method} ${route.url} as ${c.name}: ${r.statusCode}`;
        expect(r.statusCode, label).toBeLessThan(500);
        if (route.access.who !== 'public' && c.name === 'anonymous')
          expect([302, 303, 401, 403], label).toContain(r.statusCode);
      }
    }
  });

  it('are in the OpenAPI document (pages are not)', async () => {
    const doc = (await h.app.inject('/api/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/feedback',
        '/api/v1/feedback/{code}',
        '/api/v1/feedback/{code}/actions',
        '/api/v1/feedback/templates',
        '/api/v1/feedback/templates/{id}',
        '/api/v1/feedback/answers',
      ]),
    );
    expect(Object.keys(doc.paths).some((p) => p.includes('phan-anh'))).toBe(false);
  });
});
