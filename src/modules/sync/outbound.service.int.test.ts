/**
 * The feed under concurrency (meaningful on PostgreSQL, where entries are written by several
 * connections at once; PGlite runs the same test one transaction at a time): a reader that follows the
 * cursor while writers commit in any order sees every entry exactly once; the same change recorded
 * concurrently makes one entry; concurrent acknowledgements keep the highest.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/helpers/database.ts';
import type { Database } from '../../platform/db/index.ts';
import { migrate } from '../../platform/db/index.ts';
import type { PortalDossier } from './domain/outbound.ts';
import { createOutboundService, DEFAULT_WEBHOOK_SETTINGS, type PortalChange } from './outbound.service.ts';

let database: Database & { dispose(): Promise<void> };
let outbound: ReturnType<typeof createOutboundService>;

const dossier = (code: string): PortalDossier => ({
  code,
  procedure: { code: '2.000505', version: 1, name: 'Cấp Phiếu lý lịch tư pháp' },
  status: 1,
  channel: 'online',
  applicant: { accountId: 'a', kind: 'citizen', name: 'Nguyễn Văn Minh' },
  summary: null,
  receivingAgencyCode: 'TTPVHCC-01',
  competentAgencyCode: 'UBND-01',
  submittedAt: new Date(),
  receivedAt: null,
  finishedAt: null,
  returnedAt: null,
  attachments: [],
  history: [],
});

const change = (code: string, revision: number, agency = 'UBND-01'): PortalChange => ({
  topic: 'dossier.status-changed',
  code,
  action: revision === 1 ? 'submit' : 'receive',
  to: { status: revision === 1 ? 1 : 2 },
  at: new Date().toISOString(),
  dueAt: new Date(Date.now() + 86_400_000).toISOString(),
  competentAgencyCode: agency,
  applicantAccountId: 'a',
  revision,
});

beforeAll(async () => {
  database = await freshDatabase();
  await migrate(database);
  const key = randomBytes(32);
  outbound = createOutboundService({
    db: database.db,
    lineageOf: async (code) => [code, code.startsWith('UBND') ? 'CP' : 'X'],
    dossier: async (code) => {
      // A little work between the read and the write, so that writers overlap.
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      return dossier(code);
    },
    file: async () => undefined,
    agencyName: async () => undefined,
    publicUrl: 'http://localhost',
    sealingKey: async () => key,
    settings: DEFAULT_WEBHOOK_SETTINGS,
  });
});
afterAll(async () => {
  await database.dispose();
});

describe('the feed under concurrency', () => {
  it('a reader following the cursor while writers commit out of order sees every entry once', async () => {
    const hn = { clientId: 'reader-hn', agencyCodes: ['UBND-01'] };
    const codes = Array.from(
      { length: 120 },
      (_, i) => `000.00.00.H26-250701-${String(i + 1).padStart(4, '0')}`,
    );
    const seen: number[] = [];
    let writing = true;
    const reader = (async () => {
      for (;;) {
        const done = !writing;
        for (;;) {
          const page = await outbound.inbox(hn, { limit: 7 });
          seen.push(...page.entries.map((e) => e.cursor));
          await outbound.ack(hn, page.next);
          if (!page.more) break;
        }
        if (done) return;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    // Eight writers at a time; each change is also recorded twice at once (the outbox's at-least-once).
    for (let i = 0; i < codes.length; i += 8) {
      await Promise.all(
        codes
          .slice(i, i + 8)
          .flatMap((code) => [outbound.record(change(code, 1)), outbound.record(change(code, 1))]),
      );
    }
    writing = false;
    await reader;
    const all = await sql<{ seq: string; dossier_code: string }>`
      select seq, dossier_code from sync.outbound_entries order by seq`.execute(database.db);
    expect(all.rows).toHaveLength(codes.length);
    expect(new Set(all.rows.map((r) => r.dossier_code)).size).toBe(codes.length);
    expect(seen).toEqual(all.rows.map((r) => Number(r.seq)));
    // Gapless: numbers 1…n.
    expect(all.rows.map((r) => Number(r.seq))).toEqual(codes.map((_, i) => i + 1));
  });

  it('shows a client only its agencies’ entries, and lets its cursor pass the others', async () => {
    await outbound.record(change('000.00.00.H29-250701-0001', 1, 'UBND-79'));
    const hcm = await outbound.inbox({ clientId: 'hcm', agencyCodes: ['UBND-79'] }, { after: 0 });
    expect(hcm.entries.map((e) => ('MaHoSo' in e ? e.MaHoSo : e.code))).toEqual([
      '000.00.00.H29-250701-0001',
    ]);
    const central = await outbound.inbox({ clientId: 'cp', agencyCodes: ['CP'] }, { after: 0, limit: 500 });
    expect(central.entries).toHaveLength(121); // everything below the Government
    const none = await outbound.inbox({ clientId: 'x', agencyCodes: ['BTP'] }, { after: 0 });
    expect(none.entries).toEqual([]);
    expect(none.next).toBe(121);
    const nothing = await outbound.inbox({ clientId: 'y', agencyCodes: [] }, { after: 0 });
    expect(nothing.entries).toEqual([]);
  });

  it('carries feedback items routed to an agency, once per (item, revision, agency), only to scope feedback', async () => {
    const routed = (agencyCode: string) => ({
      code: 'PAKN-2026-0000001',
      revision: 3,
      agencyCode,
      action: 'forward',
      at: new Date().toISOString(),
      record: { code: 'PAKN-2026-0000001', title: 'Chờ quá lâu' },
    });
    // Forwarded to two agencies at one revision: two entries; each recorded twice at once: still two.
    const made = await Promise.all([
      outbound.recordFeedback(routed('UBND-79')),
      outbound.recordFeedback(routed('UBND-79')),
      outbound.recordFeedback(routed('UBND-01')),
      outbound.recordFeedback(routed('UBND-01')),
    ]);
    expect(made.filter((n) => n !== undefined)).toHaveLength(2);
    const top = (await outbound.inbox({ clientId: 'z', agencyCodes: ['CP'] }, { after: 0, limit: 500 })).next;
    const feedback = await outbound.inbox(
      { clientId: 'hcm-pakn', agencyCodes: ['UBND-79'], scopes: ['feedback'] },
      { after: 0 },
    );
    expect(feedback.entries).toEqual([
      expect.objectContaining({
        type: 'feedback.routed',
        code: 'PAKN-2026-0000001',
        agencyCode: 'UBND-79',
        revision: 3,
        record: { code: 'PAKN-2026-0000001', title: 'Chờ quá lâu' },
      }),
    ]);
    expect(feedback.next).toBe(top);
    // Scope sync reads dossiers only; both scopes read both kinds.
    const dossiersOnly = await outbound.inbox(
      { clientId: 'hcm', agencyCodes: ['UBND-79'], scopes: ['sync'] },
      { after: 0 },
    );
    expect(dossiersOnly.entries.map((e) => e.type)).toEqual(['dossier.status-changed']);
    const both = await outbound.inbox(
      { clientId: 'hcm', agencyCodes: ['UBND-79'], scopes: ['sync', 'feedback'] },
      { after: 0 },
    );
    expect(both.entries.map((e) => e.type)).toEqual(['dossier.status-changed', 'feedback.routed']);
    expect(await outbound.mayRead({ clientId: 'hcm', agencyCodes: ['UBND-79'] }, 'PAKN-2026-0000001')).toBe(
      false,
    );
  });

  it('keeps the highest of concurrent acknowledgements', async () => {
    const m = { clientId: 'acker', agencyCodes: ['UBND-01'] };
    const cursors = Array.from({ length: 40 }, (_, i) => (i * 37) % 120);
    await Promise.all(cursors.map((c) => outbound.ack(m, c)));
    expect((await outbound.position('acker')).acknowledged).toBe(Math.max(...cursors));
    expect((await outbound.ack(m, 3)).acknowledged).toBe(Math.max(...cursors));
  });
});
