import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPortal } from '../../../test/helpers/portal.ts';
import type { Portal } from '../../bootstrap.ts';
import { fixedClock } from '../../platform/clock/index.ts';

let portal: Portal;
beforeAll(async () => {
  portal = await testPortal({ clock: fixedClock('2026-11-29T03:00:00Z') });
});
afterAll(async () => {
  await portal.close();
});

const get = async (url: string) => {
  const r = await portal.app.inject(url);
  return { status: r.statusCode, body: r.json() };
};

describe('calendar API', () => {
  it('lists the 2026 holidays from the announced schedule, with Tết on 17 February', async () => {
    const { status, body } = await get('/api/v1/calendar/holidays?year=2026');
    expect(status).toBe(200);
    const dates = body.items.map((h: { date: string }) => h.date);
    for (let d = 14; d <= 22; d++) expect(dates).toContain(`2026-02-${d}`);
    expect(body.items.find((h: { date: string }) => h.date === '2026-02-17').name).toMatch(/Tết/);
    expect(dates).toEqual(
      expect.arrayContaining([
        '2026-01-01',
        '2026-04-27',
        '2026-04-30',
        '2026-05-01',
        '2026-08-31',
        '2026-09-01',
        '2026-09-02',
      ]),
    );
    expect(body.workingDays.map((w: { date: string }) => w.date)).toContain('2026-08-22');
  });

  it('computes 2027 from the Labour Code: Tết on Saturday 6 February and its compensatory days', async () => {
    const { body } = await get('/api/v1/calendar/holidays?year=2027');
    const dates = body.items.map((h: { date: string }) => h.date);
    expect(dates).toContain('2027-02-06');
    expect(body.items.some((h: { kind: string }) => h.kind === 'compensatory')).toBe(true);
  });

  it('refuses a year outside 1990–2100', async () => {
    expect((await get('/api/v1/calendar/holidays?year=1989')).status).toBe(400);
    expect((await get('/api/v1/calendar/holidays')).status).toBe(400);
  });

  it('computes due dates: Friday 16:00 + 1 working day is Monday 16:00', async () => {
    const { status, body } = await get(
      '/api/v1/calendar/due-date?start=2026-11-27T09:00:00Z&amount=1&unit=working-day',
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ due: '2026-11-30T09:00:00.000Z', dueLocal: '2026-11-30 16:00' });
  });

  it('skips Tết 2026 and applies the 15:00 rule and pauses', async () => {
    const tet = await get('/api/v1/calendar/due-date?start=2026-02-13T02:00:00Z&amount=1&unit=working-day');
    expect(tet.body.dueLocal).toBe('2026-02-23 09:00');
    const late = await get(
      '/api/v1/calendar/due-date?start=2026-11-26T08:30:00Z&amount=1&unit=working-day&rule15h=true',
    );
    expect(late.body.dueLocal).toBe('2026-11-27 17:00');
    const paused = await get(
      '/api/v1/calendar/due-date?start=2026-11-23T01:00:00Z&amount=1&unit=working-day&pause=2026-11-23T02:00:00Z/2026-11-23T03:00:00Z',
    );
    expect(paused.body.dueLocal).toBe('2026-11-24 09:00');
  });

  it('uses an agency’s office hours, and refuses an unknown agency or bad input', async () => {
    expect(
      (
        await get(
          '/api/v1/calendar/due-date?start=2026-11-27T09:00:00Z&amount=1&unit=working-day&agency=UBND-01',
        )
      ).body.agency,
    ).toBe('UBND-01');
    expect(
      (
        await get(
          '/api/v1/calendar/due-date?start=2026-11-27T09:00:00Z&amount=1&unit=working-day&agency=NOPE',
        )
      ).status,
    ).toBe(404);
    expect((await get('/api/v1/calendar/due-date?start=yesterday&amount=1&unit=working-day')).status).toBe(
      400,
    );
    expect(
      (await get('/api/v1/calendar/due-date?start=2026-11-27T09:00:00Z&amount=-1&unit=working-day')).status,
    ).toBe(400);
    expect(
      (await get('/api/v1/calendar/due-date?start=2026-11-27T09:00:00Z&amount=1&unit=week')).status,
    ).toBe(400);
    expect(
      (await get('/api/v1/calendar/due-date?start=2026-11-27T09:00:00Z&amount=1&unit=day&pause=x/y')).status,
    ).toBe(400);
  });
});

describe('calendar page', () => {
  it('lists the holidays and computes a due date without JavaScript', async () => {
    const r = await portal.app.inject(
      '/lich-lam-viec?nam=2026&batdau=2026-11-27T16:00&soluong=1&donvi=working-day',
    );
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('17/02/2026');
    expect(r.body).toContain('16:00 Thứ Hai, 30/11/2026');
  });

  it('explains a bad form in Vietnamese', async () => {
    const r = await portal.app.inject('/lich-lam-viec?batdau=&soluong=abc&donvi=working-day');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Hãy nhập thời điểm nộp hồ sơ');
  });
});
