/**
 * The deadline watch (feedback.deadline-watch) on the portal's database: when a clock enters `warning` the
 * responsible handlers are told once; when it is `overdue` the agency's leaders and the Government Office
 * are told once and the item is marked escalated (its page and the inbox show it). Two runs at once, and
 * runs again later, tell nobody twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkingCalendar, parseCalendarOverridesCsv } from '../../platform/calendar/index.ts';
import { localBlobStore } from '../../platform/files/index.ts';
import type { JobDefinition } from '../../platform/jobs/index.ts';
import { DEFAULT_OFFICE_HOURS } from '../../platform/kernel/index.ts';
import { createRateLimiter, createSecrets } from '../../platform/security/index.ts';
import { createAgenciesModule } from '../agencies/index.ts';
import { createOfficers } from '../identity/index.ts';
import { notifyAccount } from '../notifications/index.ts';
import { type FeedbackJobsDeps, watchDeadlines } from './feedback.jobs.ts';
import { type FeedbackHarness, feedbackHarness, signedIn, vn } from './feedback.test-support.ts';
import { createFeedbackModule } from './index.ts';

let h: FeedbackHarness;
let watch: JobDefinition;
let jobDeps: FeedbackJobsDeps;
let dir: string;
let vpcp: { id: string; cookie: string };
let processor: { id: string; cookie: string };
let leader: { id: string; cookie: string };

beforeAll(async () => {
  h = await feedbackHarness(vn('2026-12-14 09:00'));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedback-jobs-'));
  const db = h.database.db;
  const calendar = createWorkingCalendar({
    overrides: parseCalendarOverridesCsv(
      fs.readFileSync(
        path.resolve(import.meta.dirname, '../../../db/reference/calendar-overrides.csv'),
        'utf8',
      ),
    ),
  });
  const agencies = createAgenciesModule({ db, clock: h.clock });
  const officers = createOfficers({
    db,
    clock: h.clock,
    lineageOf: (c, d) => agencies.service.lineageOf(c, d),
  });
  const unused = async (): Promise<never> => {
    throw new Error('not used by the job');
  };
  const workingTime = async () => ({ calendar, hours: DEFAULT_OFFICE_HOURS });
  const alertsPort: FeedbackJobsDeps['ports']['alerts'] = {
    holdersOf: (role, agency) => officers.holdersOf(role as never, agency),
    contactOf: async (id) => {
      const r = await sql<{ email: string | null }>`
        select email from identity.accounts where id = ${id} and email_verified_at is not null`.execute(db);
      return r.rows[0] ? { phone: null, email: r.rows[0].email } : undefined;
    },
    notify: (trx, n) => notifyAccount(trx, n),
  };
  jobDeps = { db, ports: { workingTime, alerts: alertsPort }, batch: 1 };
  const module = createFeedbackModule({
    db,
    clock: h.clock,
    blobs: localBlobStore(dir),
    limiter: createRateLimiter(db, () => h.clock.now()),
    secrets: createSecrets(db),
    publicUrl: 'https://dichvucong.example.vn',
    ports: {
      procedureExists: unused,
      dossierExists: unused,
      agencyExists: unused,
      sendCode: unused,
      can: (id, role, agency) => officers.can(id, role as never, agency),
      agenciesWhere: (id, role) => officers.agenciesWhere(id, role as never),
      workingTime,
      alerts: alertsPort,
    },
  });
  expect(module.jobs.map((j) => j.name)).toEqual(['feedback.figures-refresh', 'feedback.deadline-watch']);
  watch = module.jobs.find((j) => j.name === 'feedback.deadline-watch')!;
  vpcp = await signedIn(h.database, 'officer', [['CP', 'vpcp-supervisor']]);
  processor = await signedIn(h.database, 'officer', [['BCA', 'processor']]);
  leader = await signedIn(h.database, 'officer', [['BCA', 'approver']]);
});
afterAll(async () => {
  await h?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const api = (url: string, cookie: string, payload: object, headers: Record<string, string> = {}) =>
  h.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', cookie, ...headers },
    payload,
  });

/** Messages of a template queued to an account's e-mail. */
async function told(account: { id: string }, template: string) {
  const r = await sql<{ n: number | string }>`
    select count(*) as n from notifications.messages m join identity.accounts a on a.email = m.recipient
    where a.id = ${account.id} and m.template = ${template}`.execute(h.database.db);
  return Number(r.rows[0]!.n);
}
async function alerts(code: string) {
  const r = await sql<{ clock: string; level: string }>`
    select clock, level from feedback.deadline_alerts d join feedback.items i on i.id = d.item_id
    where i.code = ${code} order by clock, level`.execute(h.database.db);
  return r.rows.map((x) => `${x.clock}:${x.level}`);
}
/** Two runs at once, as two processes whose leases crossed would. */
async function runTwiceAtOnce(at: Date) {
  h.clock.set(at);
  await Promise.all([watch.run(at), watch.run(at)]);
}

describe('the deadline watch', () => {
  let untriaged: string;
  let forwarded: string;

  it('warns the Government Office once when an item waits for triage into its last working day', async () => {
    const citizen = await signedIn(h.database, 'citizen');
    const send = (key: string, title: string) =>
      api(
        '/api/v1/feedback',
        citizen.cookie,
        { title, content: 'Nội dung', category: 'other' },
        { 'idempotency-key': key },
      );
    untriaged = (await send('w-1', 'Chưa ai xem')).json().code;
    forwarded = (await send('w-2', 'Đã chuyển Bộ Công an')).json().code;
    expect(
      (
        await api(`/api/v1/feedback/${forwarded}/actions`, vpcp.cookie, {
          action: 'forward',
          agencies: ['BCA'],
        })
      ).statusCode,
    ).toBe(200);

    await runTwiceAtOnce(vn('2026-12-14 15:00'));
    expect(await alerts(untriaged)).toEqual([]);
    // Refusal is due within 2 working days (Wed 16/12 09:00): Tuesday morning is inside the last day.
    await runTwiceAtOnce(vn('2026-12-15 10:00'));
    expect(await alerts(untriaged)).toEqual(['refuse:warning']);
    expect(await told(vpcp, 'feedback.deadline-warning')).toBe(1);
    expect(await told(processor, 'feedback.deadline-warning')).toBe(0);
    expect(await alerts(forwarded)).toEqual([]);
    await runTwiceAtOnce(vn('2026-12-15 14:00'));
    expect(await told(vpcp, 'feedback.deadline-warning')).toBe(1);
  });

  it('escalates once when the clock is overdue, and marks the item escalated on its page and in the inbox', async () => {
    await runTwiceAtOnce(vn('2026-12-16 10:00'));
    expect(await alerts(untriaged)).toEqual(['refuse:overdue', 'refuse:warning']);
    expect(await told(vpcp, 'feedback.escalated')).toBe(1);
    const row = (
      await sql<{
        escalated_at: Date | null;
      }>`select escalated_at from feedback.items where code = ${untriaged}`.execute(h.database.db)
    ).rows[0]!;
    expect(row.escalated_at).toEqual(vn('2026-12-16 10:00'));
    const audit = await sql<{ n: number | string }>`
      select count(*) as n from platform.audit_log where subject = ${`feedback:${untriaged}`} and action = 'feedback.escalate'`.execute(
      h.database.db,
    );
    expect(Number(audit.rows[0]!.n)).toBe(1);
    const inbox = await h.app.inject({
      url: '/quan-tri/phan-anh-kien-nghi',
      headers: { cookie: vpcp.cookie },
    });
    expect(inbox.body).toMatch(new RegExp(`${untriaged}[\\s\\S]*?Đã báo cáo lãnh đạo`));
    const item = await h.app.inject({
      url: `/quan-tri/phan-anh-kien-nghi/${untriaged}`,
      headers: { cookie: vpcp.cookie },
    });
    expect(item.body).toContain('Đã báo cáo lãnh đạo');
    const viaApi = await h.app.inject({
      url: `/api/v1/feedback/${untriaged}/handling`,
      headers: { cookie: vpcp.cookie },
    });
    expect(viaApi.json().escalatedAt).toBe(vn('2026-12-16 10:00').toISOString());
    await runTwiceAtOnce(vn('2026-12-16 15:00'));
    expect(await told(vpcp, 'feedback.escalated')).toBe(1);
  });

  it('the handling clock: the agency’s handlers are warned, its leaders and the Government Office told when overdue', async () => {
    // 15 working days from Mon 14/12 09:00 (1 January off): due Tue 05/01/2027 09:00.
    await runTwiceAtOnce(vn('2027-01-04 10:00'));
    expect(await alerts(forwarded)).toEqual(['handle:warning']);
    expect(await told(processor, 'feedback.deadline-warning')).toBe(1);
    expect(await told(leader, 'feedback.deadline-warning')).toBe(0);
    await runTwiceAtOnce(vn('2027-01-05 10:00'));
    expect(await alerts(forwarded)).toEqual(['handle:overdue', 'handle:warning']);
    expect(await told(leader, 'feedback.escalated')).toBe(1);
    expect(await told(processor, 'feedback.escalated')).toBe(0);
    // The Government Office: its own overdue item (above) and this one.
    expect(await told(vpcp, 'feedback.escalated')).toBeGreaterThanOrEqual(2);
    const m = await sql<{ body: string }>`
      select m.body from notifications.messages m join identity.accounts a on a.email = m.recipient
      where a.id = ${leader.id} and m.template = 'feedback.escalated'`.execute(h.database.db);
    expect(m.rows[0]!.body).toContain(forwarded);
    expect(m.rows[0]!.body).toContain(
      `https://dichvucong.example.vn/quan-tri/phan-anh-kien-nghi/${forwarded}`,
    );
    const inbox = await h.app.inject({
      url: '/quan-tri/phan-anh-kien-nghi',
      headers: { cookie: processor.cookie },
    });
    expect(inbox.body).toMatch(new RegExp(`${forwarded}[\\s\\S]*?Đã báo cáo lãnh đạo`));
    await runTwiceAtOnce(vn('2027-01-06 10:00'));
    expect(await told(leader, 'feedback.escalated')).toBe(1);
    expect(await told(processor, 'feedback.deadline-warning')).toBe(1);
  });

  it('an answered or refused item is no longer watched', async () => {
    const before = await sql<{
      n: number | string;
    }>`select count(*) as n from feedback.deadline_alerts`.execute(h.database.db);
    await api(`/api/v1/feedback/${forwarded}/actions`, processor.cookie, {
      action: 'answer',
      asAgency: 'BCA',
      text: 'Trả lời muộn.',
    });
    await api(`/api/v1/feedback/${untriaged}/actions`, vpcp.cookie, {
      action: 'refuse',
      reason: 'Không thuộc phạm vi',
    });
    await runTwiceAtOnce(vn('2027-01-06 11:00'));
    // The answer's publication clock starts at the answer (2 working days): not near its due yet.
    const after = await sql<{
      n: number | string;
    }>`select count(*) as n from feedback.deadline_alerts`.execute(h.database.db);
    expect(Number(after.rows[0]!.n)).toBe(Number(before.rows[0]!.n));
  });

  it('a run goes through every open item, a batch after another', async () => {
    const citizen = await signedIn(h.database, 'citizen');
    h.clock.set(vn('2027-01-06 11:00'));
    const codes: string[] = [];
    for (const k of [1, 2, 3])
      codes.push(
        (
          await api(
            '/api/v1/feedback',
            citizen.cookie,
            { title: `Lô ${k}`, content: 'Nội dung', category: 'other' },
            { 'idempotency-key': `batch-${k}` },
          )
        ).json().code,
      );
    // Refusal due Fri 08/01 11:00; one item read at a time.
    h.clock.set(vn('2027-01-07 12:00'));
    // The three, and the publication clock of the item answered on 06/01 10:00 (due 08/01 10:00).
    expect(await watchDeadlines(jobDeps, vn('2027-01-07 12:00'))).toBe(4);
    expect(await alerts(forwarded)).toEqual(['handle:overdue', 'handle:warning', 'publish:warning']);
    for (const code of codes) expect(await alerts(code)).toEqual(['refuse:warning']);
    expect(await watchDeadlines(jobDeps, vn('2027-01-07 12:00'))).toBe(0);
  });
});
