import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar, parseCalendarOverridesCsv } from '../../platform/calendar/index.ts';
import { ValidationError } from '../../platform/errors/index.ts';
import { DEFAULT_OFFICE_HOURS } from '../../platform/kernel/index.ts';
import type { WorkingTime } from './domain/deadline.ts';
import { DEFAULT_PROCESS, ONE_STOP_V1 } from './domain/processes.ts';
import type { ProcedureForFiling } from './dossiers.ports.ts';
import {
  clockAtSubmission,
  dossierRowOf,
  processFor,
  processingTimeFor,
  type Submission,
  submissionHistoryOf,
  submittedEventOf,
} from './dossiers.submit-steps.ts';

const CSV = path.resolve(import.meta.dirname, '../../../db/reference/calendar-overrides.csv');
const wt: WorkingTime = {
  calendar: createWorkingCalendar({ overrides: parseCalendarOverridesCsv(fs.readFileSync(CSV, 'utf8')) }),
  hours: DEFAULT_OFFICE_HOURS,
};
/** A Vietnam-time instant, 'YYYY-MM-DD HH:MM'. */
const vn = (t: string): Date => new Date(`${t.replace(' ', 'T')}:00+07:00`);
const citizenOnly: ProcedureForFiling = {
  code: '2.000505',
  version: 1,
  name: 'Cấp Phiếu lý lịch tư pháp',
  levels: ['province'],
  implementingAgencies: [{ name: 'Sở Tư pháp' }],
  audiences: ['citizen'],
  channels: [
    { channel: 'online', times: [{ amount: 10, unit: 'working-day' }] },
    { channel: 'in-person', times: [{ amount: 12, unit: 'working-day' }] },
  ],
  after15hRule: false,
};
const problemPath = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return ((e as ValidationError).extras.errors as Array<{ path: string }>)[0]!.path;
  }
  throw new Error('no problem');
};

describe('processingTimeFor', () => {
  it("is the chosen channel's first time", () => {
    expect(processingTimeFor(citizenOnly, 'citizen', 'online')).toEqual({ amount: 10, unit: 'working-day' });
  });

  it('refuses an applicant the procedure is not for before a channel it does not take', () => {
    expect(problemPath(() => processingTimeFor(citizenOnly, 'business', 'postal'))).toBe('applicant.kind');
    expect(problemPath(() => processingTimeFor(citizenOnly, 'citizen', 'postal'))).toBe('channel');
  });
});

describe('processFor', () => {
  const named = (process: ProcedureForFiling['process']): ProcedureForFiling => ({ ...citizenOnly, process });

  it('is the default process, the latest of the one named, or the version named', () => {
    expect(processFor(citizenOnly)).toBe(DEFAULT_PROCESS);
    expect(processFor(named({ id: 'one-stop' }))).toBe(ONE_STOP_V1);
    expect(processFor(named({ id: 'one-stop', version: 1 }))).toBe(ONE_STOP_V1);
  });

  it('throws a plain error (a bug, not a 4xx) for a process this build does not publish', () => {
    expect(() => processFor(named({ id: 'one-stop', version: 99 }))).toThrow(
      'procedure 2.000505: unknown process one-stop',
    );
    expect(() => processFor(named({ id: 'nowhere' }))).toThrow('unknown process nowhere');
  });
});

describe('a submission, worked out before its transaction', () => {
  // Tuesday 24 November 2026, 09:00 in Vietnam.
  const now = vn('2026-11-24 09:00');
  const started = clockAtSubmission(wt, now, { amount: 10, unit: 'working-day' }, false, ONE_STOP_V1);
  const agency = {
    kind: 'x',
    level: 'province' as const,
    parentCode: null,
    adminUnitCode: '01',
    identifiers: [],
  };
  const s: Submission = {
    input: {
      accountId: 'filer',
      applicant: { accountId: 'business', kind: 'business', name: '  Công ty A  ' },
      idempotencyKey: 'k',
      procedureCode: citizenOnly.code,
      channel: 'online',
      place: { provinceCode: '01' },
      formData: { a: 1 },
    },
    procedure: citizenOnly,
    definition: ONE_STOP_V1,
    time: { amount: 10, unit: 'working-day' },
    route: {
      competent: { ...agency, code: 'C', name: 'C' },
      receiving: { ...agency, code: 'R', name: 'R' },
      identifier: '000.00.01.H26',
    },
    now,
    clock: started,
    filer: { name: 'Người được ủy quyền' },
    idNumber: null,
    summary: undefined,
  };

  it("starts in the definition's first state, its step due before the dossier", () => {
    expect(started.initial).toBe(ONE_STOP_V1.states[ONE_STOP_V1.initial]);
    expect(started.due.getTime()).toBeGreaterThan(now.getTime());
    expect(started.stepDueAt!.getTime()).toBeGreaterThan(now.getTime());
    expect(started.stepDueAt!.getTime()).toBeLessThanOrEqual(started.due.getTime());
  });

  it('writes the first state, the due date, the routing and who filed for whom', () => {
    const row = dossierRowOf(s, 'CODE');
    expect(row).toMatchObject({
      code: 'CODE',
      state: ONE_STOP_V1.initial,
      status: started.initial.status,
      applicant_name: 'Công ty A',
      filed_by_account_id: 'filer',
      receiving_agency_code: 'R',
      competent_agency_code: 'C',
      original_due_at: started.due,
      due_at: started.due,
      step_due_at: started.stepDueAt,
    });
    expect(submissionHistoryOf(s, 'CODE')).toMatchObject({
      action: 'submit',
      from_state: null,
      to_state: ONE_STOP_V1.initial,
      actor_name: 'Người được ủy quyền',
      content: 'Nộp hồ sơ trực tuyến',
      details: JSON.stringify({ onBehalfOf: 'business' }),
    });
    expect(submittedEventOf(s, 'CODE')).toMatchObject({
      from: null,
      to: { state: ONE_STOP_V1.initial, status: started.initial.status },
      revision: 1,
    });
  });
});
