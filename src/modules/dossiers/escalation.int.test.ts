/**
 * The escalation of overdue dossiers to the leaders of the competent agency, through the whole portal
 * on a clock the test moves: the platform scheduler runs the deadline watch, the outbox delivers the
 * e-mails; each level reaches each leader once however often the job runs (and when two runs race), the
 * dossier's history and the officers' inbox show it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judicialRecordFiling } from '../../../test/helpers/filings.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession, type TestAccount } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';
import { createAgenciesModule } from '../agencies/index.ts';
import { createCalendarService } from '../calendar/index.ts';
import { createOfficers } from '../identity/index.ts';
import { escalateOverdue } from './dossiers.jobs.ts';
import { leadersFrom, workingTimeFrom } from './dossiers.ports.ts';
import { vn } from './dossiers.test-support.ts';

let now = vn('2026-10-05 09:00'); // a Monday, in the past (sessions made now stay alive)
const clock = { now: () => new Date(now) };
let portal: Portal;
let citizen: TestAccount;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

async function api(who: TestAccount, method: 'GET' | 'POST', url: string, body?: unknown, key?: string) {
  return portal.app.inject({
    method,
    url,
    headers: {
      cookie: `sid=${who.token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(key ? { 'idempotency-key': key } : {}),
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

async function upload(name: string, documentCode: string) {
  const r = await portal.app.inject({
    method: 'POST',
    url: `/api/v1/dossiers/uploads?name=${name}&documentCode=${documentCode}`,
    headers: { cookie: `sid=${citizen.token}`, 'content-type': 'application/octet-stream' },
    payload: PDF,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}

async function fileDossier(key: string) {
  const a = await upload('to-khai.pdf', 'TK-LLTP');
  const b = await upload('uy-quyen.pdf', 'UQ');
  const r = await api(citizen, 'POST', '/api/v1/dossiers', judicialRecordFiling([a, b]), key);
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { code: string; dueAt: string; competentAgencyCode: string };
}

/** The escalation e-mails delivered (the outbox run), by recipient and subject. */
async function escalationMails(code: string) {
  await portal.dispatcher.runOnce();
  const r = await sql<{ recipient: string; subject: string }>`
    select recipient, subject from notifications.messages
    where template = 'dossier.escalated' and body like ${`%${code}%`} order by recipient, subject`.execute(
    portal.database.db,
  );
  return r.rows.map((m) => `${m.recipient}: ${m.subject}`);
}

async function runWatch(at: Date) {
  now = at;
  // The scheduler runs a job once per interval: make it due again, as 15 minutes later would.
  await sql`update platform.scheduled_jobs set next_run_at = ${at} where name = 'dossiers.deadline-watch'`.execute(
    portal.database.db,
  );
  expect(await portal.scheduler.runDue()).toContain('dossiers.deadline-watch');
}

beforeAll(async () => {
  portal = await testPortal({ clock });
  citizen = await accountWithSession(portal, 'citizen', { displayName: 'Nguyễn Văn Minh' });
});
afterAll(async () => {
  await portal?.close();
});

describe('escalating overdue dossiers to the leaders of the competent agency', () => {
  it('tells the nearest leaders once per level, however often the job runs; history and inbox show it', async () => {
    const d = await fileDossier('leo-thang-1');
    const due = new Date(d.dueAt);
    const officer = (email: string, agency: string, role: string) =>
      accountWithSession(portal, 'officer', {
        displayName: email.split('@')[0],
        email,
        agency,
        grants: [[agency, role]],
      });
    // Two leaders at the competent agency, one above it (not told: the nearest level has leaders), a
    // processor (not a leader).
    const leaderA = await officer('lanhdao.a@example.vn', d.competentAgencyCode, 'approver');
    await officer('lanhdao.b@example.vn', d.competentAgencyCode, 'approver');
    await officer('chutich@example.vn', 'CP', 'approver');
    const processor = await officer('xuly@example.vn', d.competentAgencyCode, 'processor');

    await runWatch(new Date(due.getTime() - 60_000));
    expect(await escalationMails(d.code)).toEqual([]);

    await runWatch(new Date(due.getTime() + 60_000));
    const level1 = [
      `lanhdao.a@example.vn: Báo cáo lãnh đạo (lần 1): hồ sơ ${d.code} quá hạn`,
      `lanhdao.b@example.vn: Báo cáo lãnh đạo (lần 1): hồ sơ ${d.code} quá hạn`,
    ];
    expect(await escalationMails(d.code)).toEqual(level1);
    // Run again (15 minutes later, and twice at once): nothing more.
    await runWatch(new Date(due.getTime() + 16 * 60_000));
    const jobDeps = await directJobDeps();
    await Promise.all([escalateOverdue(jobDeps, now), escalateOverdue(jobDeps, now)]);
    expect(await escalationMails(d.code)).toEqual(level1);

    // The history says so (by the system), and the inbox lists it with its level.
    const v = (await api(processor, 'GET', `/api/v1/dossiers/${d.code}`)).json();
    const rows = v.history.filter((h: { action: string }) => h.action === 'escalate');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: { kind: 'system', name: 'Hệ thống' }, status: 1 });
    expect(rows[0].content).toContain('đã báo cáo lãnh đạo cơ quan giải quyết (lần 1)');
    const inbox = (await api(leaderA, 'GET', '/api/v1/dossiers/inbox?tab=escalated')).json();
    expect(
      inbox.items.map((i: { code: string; escalationLevel: number }) => [i.code, i.escalationLevel]),
    ).toEqual([[d.code, 1]]);
    const page = await portal.app.inject({
      method: 'GET',
      url: '/quan-tri/ho-so?tab=escalated',
      headers: { cookie: `sid=${leaderA.token}`, accept: 'text/html' },
    });
    expect(page.body).toContain('đã báo cáo lãnh đạo (lần 1)');

    // Three working days after the due date: level 2, once.
    await runWatch(new Date(due.getTime() + 5 * 86_400_000));
    await runWatch(new Date(due.getTime() + 5 * 86_400_000 + 15 * 60_000));
    expect(await escalationMails(d.code)).toEqual([
      ...level1.slice(0, 1),
      `lanhdao.a@example.vn: Báo cáo lãnh đạo (lần 2): hồ sơ ${d.code} quá hạn`,
      ...level1.slice(1),
      `lanhdao.b@example.vn: Báo cáo lãnh đạo (lần 2): hồ sơ ${d.code} quá hạn`,
    ]);
    const levels = await sql<{ level: number; n: number }>`
      select level, cardinality(leader_account_ids) as n from dossiers.escalations
      where dossier_code = ${d.code} order by level`.execute(portal.database.db);
    expect(levels.rows).toEqual([
      { level: 1, n: 2 },
      { level: 2, n: 2 },
    ]);
    const audit = await sql<{ n: number }>`
      select count(*)::int as n from platform.audit_log
      where action = 'dossier.escalate' and subject = ${`dossier:${d.code}`}`.execute(portal.database.db);
    expect(audit.rows[0]!.n).toBe(2);
  });

  it('leaves a dossier waiting for a supplement, or finished, alone', async () => {
    now = vn('2026-10-12 09:00');
    const d = await fileDossier('leo-thang-2');
    const withdrawn = await fileDossier('leo-thang-3');
    expect(
      (await api(citizen, 'POST', `/api/v1/dossiers/${withdrawn.code}/actions`, { action: 'withdraw' }))
        .statusCode,
    ).toBe(200);
    await sql`update dossiers.dossiers set paused_since = submitted_at where code = ${d.code}`.execute(
      portal.database.db,
    );
    await runWatch(new Date(new Date(d.dueAt).getTime() + 10 * 86_400_000));
    const r = await sql<{ n: number }>`
      select count(*)::int as n from dossiers.escalations where dossier_code in (${d.code}, ${withdrawn.code})`.execute(
      portal.database.db,
    );
    expect(r.rows[0]!.n).toBe(0);
  });
});

/** The job's dependencies built from the real modules, for running it directly (twice at once). */
async function directJobDeps() {
  const agencies = createAgenciesModule({ db: portal.database.db, clock }).service;
  const calendar = createCalendarService({
    db: portal.database.db,
    clock,
    officeHoursFor: (c, date) => agencies.officeHoursFor(c, date),
  });
  const officers = createOfficers({
    db: portal.database.db,
    clock,
    lineageOf: (code) => agencies.lineageOf(code),
  });
  return {
    db: portal.database.db,
    people: {
      can: async () => false,
      mayActFor: async () => false,
      profileOf: (id: string) => officers.profileOf(id),
      leadersOf: leadersFrom(officers),
      contactOf: async (id: string) => {
        const r = await sql<{ email: string }>`select email from identity.accounts where id = ${id}`.execute(
          portal.database.db,
        );
        return { phone: null, email: r.rows[0]?.email ?? null };
      },
    },
    workingTimeOf: (row: { receiving_agency_code: string; submitted_at: Date }) =>
      workingTimeFrom(calendar)(row.receiving_agency_code, row.submitted_at),
  };
}
