import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarReferenceData } from '../../src/modules/calendar/index.ts';
import {
  checkDossier,
  checkHistory,
  isLater,
  parseDvcqgDate,
} from '../../src/modules/sync/domain/records.ts';
import {
  createWorkingCalendar,
  isWithinOfficeHours,
  parseCalendarOverridesCsv,
  dueDate as portalDueDate,
  nextWorkingInstant as portalNextWorkingInstant,
  workingMinutesBetween as portalWorkingMinutesBetween,
} from '../../src/platform/calendar/index.ts';
import { DEFAULT_OFFICE_HOURS, parseDossierCode } from '../../src/platform/kernel/index.ts';
import {
  dvcqgDate,
  expectedOf,
  type GenerateOptions,
  generate,
  type ProcedureInfo,
  planBatches,
  planDigest,
} from './generate.ts';
import { openJournal, readJournal } from './journal.ts';
import { type OfficeDays, officeCalendarOf, yearsOf } from './office-calendar.ts';
import { createRng } from './random.ts';
import { compareDossier } from './verify.ts';
import * as sim from './working-time.ts';

const PROCEDURES: ProcedureInfo[] = [
  {
    code: '1.001193',
    name: 'Đăng ký khai sinh',
    sectorCode: 'TP-HOTICH',
    sectorName: 'Hộ tịch',
    audiences: ['citizen'],
    channels: [
      { channel: 1, amount: 1, unit: 'working-day' },
      { channel: 2, amount: 1, unit: 'working-day' },
    ],
    weight: 100,
    rule15h: true,
    results: ['Giấy khai sinh'],
  },
  {
    code: '1.009994',
    name: 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ',
    sectorCode: 'XD-CPXD',
    sectorName: 'Xây dựng',
    audiences: ['citizen', 'business'],
    channels: [
      { channel: 1, amount: 15, unit: 'day' },
      { channel: 3, amount: 15, unit: 'day' },
    ],
    weight: 30,
    rule15h: false,
    results: ['Giấy phép xây dựng'],
  },
  {
    code: '2.001610',
    name: 'Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên',
    sectorCode: 'TC-DKDN',
    sectorName: 'Thành lập và hoạt động doanh nghiệp',
    audiences: ['business'],
    channels: [{ channel: 2, amount: 3, unit: 'working-day' }],
    weight: 20,
    rule15h: false,
    results: ['Giấy chứng nhận đăng ký doanh nghiệp'],
  },
];

const ANCHOR = new Date('2025-11-20T09:00:00Z');

/** The portal's own calendar, and the working days its API would answer for the run's years. */
const portal = createWorkingCalendar({
  overrides: parseCalendarOverridesCsv(calendarReferenceData().sources[0]!),
});
const officeDays = (years: number[]): OfficeDays => ({
  years,
  off: years.flatMap((y) => portal.holidays(y).map((h) => h.date)),
  working: years.flatMap((y) => portal.workingDaysSwapped(y).map((d) => d.date)),
});
const CALENDAR = officeDays(yearsOf(ANCHOR, 40));
const options = (over: Partial<GenerateOptions> = {}): GenerateOptions => ({
  seed: 7,
  dossiers: 400,
  identifiers: ['000.00.00.H26'],
  days: 40,
  anchor: ANCHOR,
  procedures: PROCEDURES,
  calendar: CALENDAR,
  extras: true,
  ...over,
});
const run = generate(options());

describe('the generated dossiers', () => {
  it('are the same for the same seed, and other dossiers for another seed', () => {
    const again = generate(options());
    expect(JSON.stringify(again.events)).toBe(JSON.stringify(run.events));
    const other = generate(options({ seed: 8 }));
    const codes = new Set(run.dossiers.map((d) => d.code));
    expect(other.dossiers.filter((d) => codes.has(d.code))).toEqual([]);
  });

  it('have codes {identifier}-{yyMMdd}-{NNNN} of the day they were filed, numbered per day', () => {
    const perDay = new Map<string, number[]>();
    for (const d of run.dossiers) {
      const parsed = parseDossierCode(d.code);
      expect(parsed, d.code).toBeDefined();
      expect(parsed!.identifier).toBe('000.00.00.H26');
      expect(dvcqgDate(d.events[0]!.at).slice(0, 8)).toBe(parsed!.day.replace(/-/g, ''));
      perDay.set(parsed!.day, [...(perDay.get(parsed!.day) ?? []), parsed!.sequence]);
    }
    for (const numbers of perDay.values())
      expect(numbers.sort((a, b) => a - b)).toEqual(numbers.map((_, i) => 7000 + i + 1));
  });

  it('pass the portal’s own checks of DongBoHoSoMC records and CapNhatTienDoHoSoMC rows', () => {
    for (const e of run.events) {
      const c = e.kind === 'dossier' ? checkDossier(e.body, ANCHOR) : checkHistory(e.body, ANCHOR, 'sim');
      expect(c.ok ? '' : c.reason, JSON.stringify(e.body)).toBe('');
    }
    // Real-looking people: three or more words of Vietnamese name, 12-digit ID numbers, 10-digit tax codes.
    for (const e of run.events.filter((x) => x.kind === 'dossier')) {
      const b = e.body as { ChuHoSo: string; SoGiayToChuHoSo: string; LoaiDoiTuong: string };
      expect(b.SoGiayToChuHoSo).toMatch(b.LoaiDoiTuong === '2' ? /^\d{10}$/ : /^\d{12}$/);
      expect(b.ChuHoSo.split(' ').length).toBeGreaterThanOrEqual(3);
    }
  });

  it('happen one after the other, never after "now", the office’s steps in office hours on working days', () => {
    const calendar = portal;
    for (const d of run.dossiers) {
      const history = d.events.filter((e) => e.kind === 'history');
      history.forEach((e, i) => {
        expect(e.at).toBeLessThanOrEqual(ANCHOR.getTime());
        if (i > 0) expect(e.at).toBeGreaterThan(history[i - 1]!.at);
        expect(parseDvcqgDate(e.body.ThoiDiemXuLy)?.getTime()).toBe(e.at);
        // Filing online happens at any hour; everything else at the office (a step may end a little
        // after a session's last minute: the seconds are random).
        if (e.status !== 1)
          expect(
            isWithinOfficeHours(calendar, DEFAULT_OFFICE_HOURS, new Date(e.at)) ||
              isWithinOfficeHours(calendar, DEFAULT_OFFICE_HOURS, new Date(e.at - 60_000)),
            `${d.code} ${e.body.ThoiDiemXuLy} ${e.body.NoiDungXuLy}`,
          ).toBe(true);
      });
    }
  });

  it('cover the lifecycles of a one-stop office: refused, supplements, fees, stopped, late, still in progress', () => {
    const expected = run.dossiers.map((d) => expectedOf(d)!);
    const statuses = new Set(expected.map((e) => e.TrangThaiHoSo));
    for (const s of ['3', '4', '8', '9', '10']) expect(statuses, s).toContain(s);
    const all = run.events.filter((e) => e.kind === 'history');
    expect(all.some((e) => e.status === 5)).toBe(true);
    expect(all.some((e) => e.status === 6)).toBe(true);
    const late = expected.filter(
      (e) => e.dates.NgayKetThucXuLy && e.dates.NgayHenTra && e.dates.NgayKetThucXuLy > e.dates.NgayHenTra,
    );
    const finished = expected.filter((e) => e.dates.NgayKetThucXuLy);
    expect(late.length / finished.length).toBeGreaterThan(0.03);
    expect(late.length / finished.length).toBeLessThan(0.2);
    // A supplement moves the appointment.
    const supplemented = run.events.find((e) => e.kind === 'dossier' && e.body.DanhSachHoSoBoSung)!;
    const round = (supplemented.body.DanhSachHoSoBoSung as Array<Record<string, string>>)[0]!;
    expect(round.NgayHenTraMoi! > round.NgayHenTraTruoc!).toBe(true);
  });

  it('give, whatever the order of arrival, the status of the dossier’s last step (the portal’s rule)', () => {
    const rng = createRng('order');
    for (const d of run.dossiers.slice(0, 100)) {
      const marks = rng
        .shuffle([...d.events])
        .map((e) => ({ at: new Date(e.at), seq: e.seq, status: e.status }));
      const latest = marks.reduce((a, b) => (isLater(b, a) ? b : a));
      expect(String(latest.status)).toBe(expectedOf(d)!.TrangThaiHoSo);
      expect(d.events[d.events.length - 1]!.status).toBe(latest.status);
    }
  });
});

describe('the delivery plan', () => {
  it('delivers every event exactly N times, in batches of at most the batch size, shuffled deterministically', () => {
    const n = run.events.length;
    const plan = planBatches(n, { seed: 7, duplicates: 3, shuffle: true, batch: 250 });
    const counts = new Array(n).fill(0);
    for (const b of plan) {
      expect(b.length).toBeLessThanOrEqual(250);
      for (const i of b) counts[i]++;
    }
    expect(new Set(counts)).toEqual(new Set([3]));
    expect(plan).toEqual(planBatches(n, { seed: 7, duplicates: 3, shuffle: true, batch: 250 }));
    expect(plan[0]).not.toEqual(planBatches(n, { seed: 7, duplicates: 3, shuffle: false, batch: 250 })[0]);
    expect(planDigest(run.events, plan)).toBe(planDigest(generate(options()).events, plan));
  });
});

describe('verification', () => {
  it('names what differs: a status, a date, a row lost or doubled', () => {
    const e = expectedOf(run.dossiers.find((d) => d.events.length > 6)!)!;
    const same = {
      MaTTHC: e.MaTTHC,
      TrangThaiHoSo: e.TrangThaiHoSo,
      dates: { ...e.dates },
      history: [...e.history],
    };
    expect(compareDossier(e, same)).toEqual([]);
    expect(compareDossier(e, undefined)).toEqual(['missing: the portal does not know this dossier']);
    expect(compareDossier(e, { ...same, TrangThaiHoSo: '4' }).join()).toMatch(/TrangThaiHoSo 4, expected/);
    expect(compareDossier(e, { ...same, history: [...e.history, e.history[0]!] }).join()).toMatch(
      /history rows, expected/,
    );
    expect(compareDossier(e, { ...same, history: e.history.slice(1) }).join()).toMatch(/history row 1/);
    expect(compareDossier(e, { ...same, dates: { ...e.dates, NgayHenTra: null } }).join()).toMatch(
      /NgayHenTra/,
    );
  });
});

describe('the journal', () => {
  it('keeps the acknowledged batches across a crash, ignoring a line torn by it', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sim-journal-')), 'state.jsonl');
    const header = {
      kind: 'header' as const,
      version: 1 as const,
      createdAt: ANCHOR.toISOString(),
      options: {
        ...options(),
        mode: 'rest' as const,
        duplicates: 1,
        shuffle: false,
        batch: 10,
        codeOffset: 0,
      },
      anchor: ANCHOR.toISOString(),
      procedures: PROCEDURES,
      plan: { events: 10, batches: 3, digest: 'x' },
    };
    const j = openJournal(file, header);
    j.ack({ batch: 0, accepted: 10, duplicate: 0, rejected: 0 });
    j.ack({ batch: 2, accepted: 3, duplicate: 7, rejected: 0 });
    fs.appendFileSync(file, '{"kind":"ack","batch":1,"acc');
    const read = readJournal(file)!;
    expect([...read.acks.keys()].sort()).toEqual([0, 2]);
    expect(read.header.plan.digest).toBe('x');
    fs.rmSync(path.dirname(file), { recursive: true });
  });
});

describe("the simulator's calendar", () => {
  const years = [2024, 2025, 2026];
  const days = officeCalendarOf(officeDays(years));
  // Any minute, or one around the office's hours (where the rules differ: openings, lunch, 15:00, closing).
  const instant = fc.oneof(
    fc
      .integer({ min: Date.UTC(2024, 0, 1) / 60_000, max: Date.UTC(2026, 9, 1) / 60_000 })
      .map((m) => new Date(m * 60_000 + 30_000)),
    fc
      .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 6 * 60, max: 18 * 60 }))
      .map(([d, m]) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000 + (m - 7 * 60) * 60_000 + 30_000)),
  );

  it('works the days the portal works (its published holidays and swapped days), every day of the years', () => {
    for (let n = Date.UTC(2024, 0, 1) / 86_400_000; n <= Date.UTC(2026, 11, 31) / 86_400_000; n++) {
      const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
      expect(days.isWorkingDay(iso), iso).toBe(portal.isWorkingDay(iso));
      expect(days.isWorkingDayNumber(n), iso).toBe(portal.isWorkingDayNumber(n));
    }
  });

  it("counts working time as the portal does (its copy of the portal's arithmetic)", () => {
    const H = DEFAULT_OFFICE_HOURS;
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom('working-day' as const, 'working-hour' as const, 'day' as const),
        fc.boolean(),
        instant,
        fc.integer({ min: 0, max: 20 * 1440 }),
        (start, amount, unit, rule15h, pauseFrom, pauseMinutes) => {
          const pauses = [{ from: pauseFrom, to: new Date(pauseFrom.getTime() + pauseMinutes * 60_000) }];
          expect(
            sim.dueDate(days, sim.DEFAULT_OFFICE_HOURS, start, amount, unit, { rule15h, pauses }),
          ).toEqual(portalDueDate(portal, H, start, amount, unit, { rule15h, pauses }));
          expect(sim.nextWorkingInstant(days, sim.DEFAULT_OFFICE_HOURS, start)).toEqual(
            portalNextWorkingInstant(portal, H, start),
          );
          expect(sim.workingMinutesBetween(days, sim.DEFAULT_OFFICE_HOURS, start, pauseFrom)).toBe(
            portalWorkingMinutesBetween(portal, H, start, pauseFrom),
          );
          expect(sim.DEFAULT_OFFICE_HOURS.sessions).toEqual(H.sessions);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
