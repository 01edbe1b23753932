/**
 * Feedback figures over HTTP on a fresh database: items moved through the real API across days, agencies
 * and the New Year holiday with the harness's clock; the refresh job run at irregular moments; the rollups
 * compared with direct counts of the events and answers, and with hand-computed open and overdue counts;
 * recomputing is idempotent (again, and from scratch); indicators 5.1–5.3 of the scenario; the CSV; who may
 * see what.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkingCalendar, parseCalendarOverridesCsv } from '../../../platform/calendar/index.ts';
import { DEFAULT_OFFICE_HOURS } from '../../../platform/kernel/index.ts';
import { type FeedbackHarness, feedbackHarness, signedIn, vn } from '../feedback.test-support.ts';
import { createFeedbackFigures, type FeedbackFigures } from './figures.service.ts';

let h: FeedbackHarness;
let figures: FeedbackFigures;
const calendar = createWorkingCalendar({
  overrides: parseCalendarOverridesCsv(
    fs.readFileSync(
      path.resolve(import.meta.dirname, '../../../../db/reference/calendar-overrides.csv'),
      'utf8',
    ),
  ),
});

beforeAll(async () => {
  h = await feedbackHarness(vn('2026-12-07 08:00'));
  const refuse = async (): Promise<never> => {
    throw new Error('not used by refresh');
  };
  figures = createFeedbackFigures({
    db: h.database.db,
    clock: h.clock,
    ports: {
      workingTime: async () => ({ calendar, hours: DEFAULT_OFFICE_HOURS }),
      can: refuse,
      agenciesWhere: refuse,
    },
  });
});
afterAll(async () => {
  await h?.close();
});

const json = (cookie: string, key?: string) => ({
  'content-type': 'application/json',
  cookie,
  ...(key ? { 'idempotency-key': key } : {}),
});

let people: Record<'citizen' | 'vpcp' | 'btp' | 'bnv' | 'parent' | 'child' | 'receiver', { cookie: string }>;
let child: string;
let parent: string;

async function at(when: string) {
  h.clock.set(vn(when));
}
let serial = 0;
async function submit(category: string, when: string) {
  await at(when);
  const r = await h.app.inject({
    method: 'POST',
    url: '/api/v1/feedback',
    headers: json(people.citizen.cookie, `fig-${++serial}`),
    payload: { title: `Phản ánh số ${serial}`, content: 'Nội dung phản ánh để thống kê.', category },
  });
  expect(r.statusCode).toBe(201);
  return r.json().code as string;
}
async function act(who: keyof typeof people, code: string, when: string, body: Record<string, unknown>) {
  await at(when);
  const r = await h.app.inject({
    method: 'POST',
    url: `/api/v1/feedback/${code}/actions`,
    headers: json(people[who].cookie),
    payload: body,
  });
  expect(r.statusCode, JSON.stringify(r.json())).toBe(200);
}
async function refreshAt(when: string) {
  await at(when);
  return figures.refresh(h.clock.now());
}
async function rollups() {
  const r = await sql<Record<string, unknown>>`
    select to_char(day, 'YYYY-MM-DD') as day, agency_code, category, submitted, refused, forwarded, answered,
           answered_on_time, answered_late, published, satisfied, unsatisfied, open_at_end, overdue_at_end
      from feedback.rollups order by 1, 2, 3`.execute(h.database.db);
  return r.rows;
}
async function dayRow(day: string, agency: string) {
  const r = await sql<{ open: number; overdue: number }>`
    select coalesce(sum(open_at_end), 0)::int as open, coalesce(sum(overdue_at_end), 0)::int as overdue
      from feedback.rollups where day = ${day}::date and agency_code = ${agency}`.execute(h.database.db);
  return r.rows[0];
}

const codes: Record<string, string> = {};

describe('a month of feedback, refreshed at irregular moments', () => {
  it('moves items through the API across days, agencies and the New Year holiday', async () => {
    const found = await sql<{ code: string; parent_code: string }>`
      select code, parent_code from agencies.agencies
       where parent_code is not null and parent_code not in ('CP', 'VPCP', 'BTP', 'BNV') and valid_to is null
       order by code limit 1`.execute(h.database.db);
    child = found.rows[0]!.code;
    parent = found.rows[0]!.parent_code;
    people = {
      citizen: await signedIn(h.database, 'citizen'),
      vpcp: await signedIn(h.database, 'officer', [['CP', 'vpcp-supervisor']]),
      btp: await signedIn(h.database, 'officer', [['BTP', 'processor']]),
      bnv: await signedIn(h.database, 'officer', [['BNV', 'approver']]),
      parent: await signedIn(h.database, 'officer', [[parent, 'agency-admin']]),
      child: await signedIn(h.database, 'officer', [[child, 'processor']]),
      receiver: await signedIn(h.database, 'officer', [['BTP', 'receiver']]),
    };

    // Mon 7 Dec: A (regulation) to BTP; B (dossier handling) submitted.
    codes.A = await submit('regulation', '2026-12-07 09:00');
    await act('vpcp', codes.A, '2026-12-07 10:00', { action: 'forward', agencies: ['BTP'] });
    codes.B = await submit('dossier-handling', '2026-12-07 09:30');
    await refreshAt('2026-12-07 17:00');
    // Tue 8 Dec: B to BTP and BNV; C (other) refused; H (other) to a provincial agency.
    await act('vpcp', codes.B, '2026-12-08 09:00', { action: 'forward', agencies: ['BTP', 'BNV'] });
    codes.C = await submit('other', '2026-12-08 10:00');
    await act('vpcp', codes.C, '2026-12-08 11:00', { action: 'refuse', reason: 'Không thuộc phạm vi' });
    codes.H = await submit('other', '2026-12-08 13:00');
    await act('vpcp', codes.H, '2026-12-08 14:00', { action: 'forward', agencies: [child] });
    // Wed 9 Dec: A answered; D and G (never answered in time) to BNV; H answered.
    await act('btp', codes.A, '2026-12-09 11:00', { action: 'answer', text: 'Trả lời A', asAgency: 'BTP' });
    codes.D = await submit('dossier-handling', '2026-12-09 09:00');
    await act('vpcp', codes.D, '2026-12-09 10:00', { action: 'forward', agencies: ['BNV'] });
    codes.G = await submit('regulation', '2026-12-09 09:10');
    await act('vpcp', codes.G, '2026-12-09 10:05', { action: 'forward', agencies: ['BNV'] });
    await act('child', codes.H, '2026-12-09 15:00', { action: 'answer', text: 'Trả lời H', asAgency: child });
    await refreshAt('2026-12-09 18:00');
    // 10–14 Dec: A published and rated satisfied; B answered by BTP, returned by BNV, published, rated not satisfied.
    await act('vpcp', codes.A, '2026-12-10 09:00', { action: 'publish' });
    await act('btp', codes.B, '2026-12-10 10:00', { action: 'answer', text: 'Trả lời B', asAgency: 'BTP' });
    await act('bnv', codes.B, '2026-12-10 11:00', {
      action: 'return',
      reason: 'Không thuộc',
      asAgency: 'BNV',
    });
    await act('citizen', codes.A, '2026-12-11 09:00', { action: 'rate', satisfied: true });
    await act('vpcp', codes.B, '2026-12-11 10:00', { action: 'publish' });
    await act('citizen', codes.B, '2026-12-14 09:00', { action: 'rate', satisfied: false });
    await refreshAt('2026-12-14 10:00');
    // E (regulation) to BNV on Thu 17 Dec: 15 working days end on 8 Jan because 1 Jan is a holiday.
    codes.E = await submit('regulation', '2026-12-16 09:00');
    await act('vpcp', codes.E, '2026-12-17 09:00', { action: 'forward', agencies: ['BNV'] });
    // F (other): the Government Office accepts and answers itself.
    codes.F = await submit('other', '2026-12-28 09:00');
    await act('vpcp', codes.F, '2026-12-28 10:00', { action: 'accept' });
    await act('vpcp', codes.F, '2026-12-29 09:00', { action: 'answer', text: 'Trả lời F' });
    await refreshAt('2026-12-29 12:00');
    // G answered after its limit (about 30 Dec 10:05); E answered on 7 Jan, on time only with the holiday.
    await act('bnv', codes.G, '2026-12-31 10:00', { action: 'answer', text: 'Trả lời G', asAgency: 'BNV' });
    await act('bnv', codes.E, '2027-01-07 15:00', { action: 'answer', text: 'Trả lời E', asAgency: 'BNV' });
    const handle = async (code: string) => {
      const r = await h.app.inject({
        url: `/api/v1/feedback/${code}/handling`,
        headers: { cookie: people.vpcp.cookie },
      });
      return r.json().deadlines.find((d: { kind: string }) => d.kind === 'handle');
    };
    expect(await handle(codes.E)).toMatchObject({ state: 'met' });
    expect(await handle(codes.G)).toMatchObject({ state: 'late' });
    expect(await handle(codes.D)).toMatchObject({ state: 'overdue' });
    const ran = await refreshAt('2027-01-08 08:00');
    expect(ran.closed).toBe(10); // 29 Dec … 7 Jan, each closed once
  });

  it('agrees with direct counts of the events and answers, day by day', async () => {
    const db = h.database.db;
    const direct = await sql<{ day: string; agency: string; measure: string; n: number }>`
      with firsts as (
        select e.item_id, a.agency, min(e.at) as at
          from feedback.events e
          cross join lateral (
            select jsonb_array_elements_text(e.data->'agencies') as agency where e.action = 'forward'
            union all select e.data->>'to' where e.action = 'pass') a
         group by e.item_id, a.agency),
      answers as (
        select item_id, coalesce(agency_code, 'CP') as agency, min(answered_at) as at
          from feedback.answers group by 1, 2)
      select to_char(at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') as day, agency, measure, count(*)::int as n
        from (
          select at, 'CP' as agency, 'submitted' as measure from feedback.events where action = 'submit'
          union all select at, 'CP', 'refused' from feedback.events where action = 'refuse'
          union all select at, agency, 'forwarded' from firsts
          union all select at, agency, 'answered' from answers
        ) x
       group by 1, 2, 3 order by 1, 2, 3`.execute(db);
    const fromRollups = await sql<{ day: string; agency: string; measure: string; n: number }>`
      select to_char(day, 'YYYY-MM-DD') as day, agency_code as agency, m.measure, sum(m.n)::int as n
        from feedback.rollups
        cross join lateral (values ('submitted', submitted), ('refused', refused), ('forwarded', forwarded),
                                   ('answered', answered)) m(measure, n)
       group by 1, 2, 3 having sum(m.n) > 0 order by 1, 2, 3`.execute(db);
    expect(fromRollups.rows).toEqual(direct.rows);
    expect(direct.rows.length).toBeGreaterThan(10);

    // Open and overdue at each day's end, by hand: BNV has D and G from 9 Dec (limit ≈ 30 Dec 10:00), B until
    // it returns it on 10 Dec, E from 17 Dec until 7 Jan; G is answered on 31 Dec.
    expect(await dayRow('2026-12-09', 'BNV')).toEqual({ open: 3, overdue: 0 });
    expect(await dayRow('2026-12-10', 'BNV')).toEqual({ open: 2, overdue: 0 });
    expect(await dayRow('2026-12-29', 'BNV')).toEqual({ open: 3, overdue: 0 });
    expect(await dayRow('2026-12-30', 'BNV')).toEqual({ open: 3, overdue: 2 });
    expect(await dayRow('2026-12-31', 'BNV')).toEqual({ open: 2, overdue: 1 });
    // The holiday and the weekend have no events: the days were closed all the same.
    expect(await dayRow('2027-01-01', 'BNV')).toEqual({ open: 2, overdue: 1 });
    expect(await dayRow('2027-01-03', 'BNV')).toEqual({ open: 2, overdue: 1 });
    expect(await dayRow('2027-01-07', 'BNV')).toEqual({ open: 1, overdue: 1 });
    // Days between refreshes (12–13 Dec, a weekend) were closed too.
    expect(await dayRow('2026-12-12', 'BNV')).toEqual({ open: 2, overdue: 0 });
    // The Government Office had B at the end of 7 Dec (forwarded on the 8th), nothing at the end of the 8th.
    expect(await dayRow('2026-12-07', 'CP')).toEqual({ open: 1, overdue: 0 });
    expect(await dayRow('2026-12-08', 'CP')).toEqual({ open: 0, overdue: 0 });
  });

  it('recomputes idempotently: again, with every item marked, and from scratch', async () => {
    const before = await rollups();
    expect(before.length).toBeGreaterThan(20);
    await refreshAt('2027-01-08 08:05');
    expect(await rollups()).toEqual(before);
    await figures.markAll();
    await figures.refresh(h.clock.now());
    expect(await rollups()).toEqual(before);
    const db = h.database.db;
    await sql`delete from feedback.rollups`.execute(db);
    await sql`delete from feedback.figure_spans`.execute(db);
    await sql`update feedback.figure_state set closed_through = null`.execute(db);
    await figures.markAll();
    await figures.refresh(h.clock.now());
    expect(await rollups()).toEqual(before);
  });
});

const PERIOD = 'from=2026-12-01&to=2027-01-07';
async function get(who: keyof typeof people | null, url: string) {
  return h.app.inject({ url, headers: who ? { cookie: people[who].cookie } : {} });
}

describe('indicators 5.1–5.3 of the scenario', () => {
  it('per agency, for the Government Office', async () => {
    const r = await get('vpcp', `/api/v1/feedback/figures?${PERIOD}&groupBy=agency`);
    expect(r.statusCode).toBe(200);
    const t = r.json();
    expect(t.end).toBe('2027-01-07');
    const ind = (a: string) => t.indicators.find((i: { agency: string }) => i.agency === a);
    expect(ind('BTP')).toEqual({
      agency: 'BTP',
      received: 2,
      byCategory: {
        regulation: { count: 1, share: 50 },
        'dossier-handling': { count: 1, share: 50 },
        other: { count: 0, share: 0 },
      },
      onTime: { answered: 2, answeredOnTime: 2, overdueAtEnd: 0, rate: 100 },
      satisfaction: { satisfied: 1, unsatisfied: 1, overdueAtEnd: 0, rate: 50 },
    });
    // BNV: B, D, E, G; E on time (the holiday), G late, D overdue at the end: 1 ÷ (2 + 1); 0 ÷ (0 + 1 + 1).
    expect(ind('BNV')).toEqual({
      agency: 'BNV',
      received: 4,
      byCategory: {
        regulation: { count: 2, share: 50 },
        'dossier-handling': { count: 2, share: 50 },
        other: { count: 0, share: 0 },
      },
      onTime: { answered: 2, answeredOnTime: 1, overdueAtEnd: 1, rate: 33.3 },
      satisfaction: { satisfied: 0, unsatisfied: 1, overdueAtEnd: 1, rate: 0 },
    });
    expect(ind('CP')).toMatchObject({
      received: 8,
      byCategory: {
        regulation: { count: 3, share: 37.5 },
        'dossier-handling': { count: 2, share: 25 },
        other: { count: 3, share: 37.5 },
      },
      onTime: { answered: 1, answeredOnTime: 1, rate: 100 },
      satisfaction: { rate: null },
    });
    expect(t.rows.map((x: { key: string }) => x.key).sort()).toEqual(['BNV', 'BTP', 'CP', child].sort());
    expect(t.total.values).toMatchObject({
      submitted: 8,
      refused: 1,
      forwarded: 7,
      answered: 6,
      published: 2,
    });
  });

  it('by status, category and month', async () => {
    const s = (await get('vpcp', `/api/v1/feedback/figures?${PERIOD}&groupBy=status`)).json();
    expect(
      Object.fromEntries(
        s.rows.map((x: { key: string; values: { count: number } }) => [x.key, x.values.count]),
      ),
    ).toEqual({
      submitted: 8,
      refused: 1,
      forwarded: 7,
      answered: 6,
      published: 2,
      openAtEnd: 1,
      overdueAtEnd: 1,
    });
    const c = (await get('vpcp', `/api/v1/feedback/figures?${PERIOD}&groupBy=category`)).json();
    expect(c.rows.find((x: { key: string }) => x.key === 'regulation').values).toMatchObject({
      submitted: 3,
      forwarded: 3,
      answered: 3,
      answeredLate: 1,
    });
    const m = (await get('vpcp', `/api/v1/feedback/figures?${PERIOD}&groupBy=month`)).json();
    expect(
      m.rows.map((x: { key: string; values: Record<string, number> }) => [
        x.key,
        x.values.answered,
        x.values.openAtEnd,
      ]),
    ).toEqual([
      ['2026-12', 5, 2], // open at the end of 31 Dec: D and E at BNV
      ['2027-01', 1, 1],
    ]);
  });
});

describe('CSV', () => {
  it('is UTF-8 with a BOM, Vietnamese headers, one line per agency and the total', async () => {
    const r = await get('vpcp', `/api/v1/feedback/figures.csv?${PERIOD}&groupBy=agency`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toContain('.csv');
    expect(r.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = r.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'Cơ quan,Mới tiếp nhận (VPCP),Từ chối tiếp nhận,Được chuyển xử lý,Đã trả lời,Trả lời đúng hạn,Trả lời quá hạn,Đã công khai,Hài lòng,Không hài lòng,Đang xử lý cuối kỳ,Quá hạn cuối kỳ,Tỷ lệ đúng hạn (%),Tỷ lệ hài lòng (%)',
    );
    expect(lines).toContain('BNV,0,0,4,2,1,1,0,0,1,1,1,33.3,0');
    expect(lines).toContain('BTP,0,0,2,2,2,0,2,1,1,0,0,100,50');
    expect(lines).toContain('Tổng cộng,8,1,7,6,5,1,2,1,2,1,1,71.4,25');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(1 + 4 + 1 + 1);
  });
});

describe('who sees what', () => {
  it('an agency handler sees their agencies and those below; others 403; bad dates by the field', async () => {
    const keys = async (who: keyof typeof people) =>
      (await get(who, `/api/v1/feedback/figures?${PERIOD}`)).json().rows.map((x: { key: string }) => x.key);
    expect(await keys('btp')).toEqual(['BTP']);
    expect(await keys('bnv')).toEqual(['BNV']);
    expect(await keys('parent')).toEqual([child]);
    expect(await keys('child')).toEqual([child]);
    for (const who of ['citizen', 'receiver'] as const) {
      const r = await get(who, `/api/v1/feedback/figures?${PERIOD}`);
      expect(r.statusCode).toBe(403);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect((await get(who, `/api/v1/feedback/figures.csv?${PERIOD}`)).statusCode).toBe(403);
      expect((await get(who, '/quan-tri/phan-anh-kien-nghi/so-lieu')).statusCode).toBe(403);
    }
    expect((await get(null, `/api/v1/feedback/figures?${PERIOD}`)).statusCode).toBe(401);
    const bad = await get('vpcp', '/api/v1/feedback/figures?from=2026-02-30&to=2026-13-01&groupBy=tuan');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(['from', 'to', 'groupBy']);
    const reversed = await get('vpcp', '/api/v1/feedback/figures?from=2027-01-07&to=2026-12-01');
    expect(reversed.json().errors).toEqual([expect.objectContaining({ path: 'to' })]);
  });
});

describe('the page', () => {
  it('shows filters, the table, the indicators and the CSV link without JavaScript; bad dates by the field', async () => {
    const r = await get(
      'vpcp',
      '/quan-tri/phan-anh-kien-nghi/so-lieu?tu=2026-12-01&den=2027-01-07&nhom=agency',
    );
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Số liệu phản ánh, kiến nghị');
    expect(r.body).toContain('class="data-table"');
    expect(r.body).toContain('data-label="Tỷ lệ đúng hạn (%)"');
    expect(r.body).toContain('33.3%');
    expect(r.body).toContain(
      'href="/api/v1/feedback/figures.csv?from=2026-12-01&amp;to=2027-01-07&amp;groupBy=agency"',
    );
    expect(r.body).not.toMatch(/<script(?![^>]*src="\/assets\/)/);
    const bad = await get('vpcp', '/quan-tri/phan-anh-kien-nghi/so-lieu?tu=2026-02-30&den=2027-01-07');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="tu-loi"');
    expect(bad.body).toContain('Ngày bắt đầu không hợp lệ');
    // Reached by a click from the handling inbox.
    const inbox = await get('vpcp', '/quan-tri/phan-anh-kien-nghi');
    expect(inbox.body).toContain('href="/quan-tri/phan-anh-kien-nghi/so-lieu"');
  });
});
