import { describe, expect, it } from 'vitest';
import { normalizePhone, parseCall, requestHash, vietnamDay } from './call-input.ts';

const now = new Date('2026-12-07T02:00:00Z'); // 09:00 in Vietnam
const base = { topic: 'dossier', outcome: 'transferred', startedAt: '2026-12-07T08:55:00+07:00' };
const paths = (r: ReturnType<typeof parseCall>) => (r.ok ? [] : r.errors.map((e) => e.path).sort());

describe('a call as written down', () => {
  it('normalises phones and ends the call now when no end is given', () => {
    expect(['0903 111 222', '+84903111222', '84-903-111-222'].map(normalizePhone)).toEqual([
      '0903111222',
      '0903111222',
      '0903111222',
    ]);
    expect(normalizePhone('024 3825 1234')).toBe('02438251234');
    expect(normalizePhone('12345')).toBeUndefined();
    const r = parseCall({ ...base, callerPhone: '+84 903 111 222' }, now);
    expect(r.ok && [r.call.callerPhone, r.call.endedAt.toISOString()]).toEqual([
      '0903111222',
      now.toISOString(),
    ]);
  });

  it('bounds the times', () => {
    expect(paths(parseCall({ ...base, startedAt: '2026-12-07T09:05:00+07:00' }, now))).toEqual(['startedAt']);
    expect(paths(parseCall({ ...base, startedAt: '2026-11-29T09:00:00+07:00' }, now))).toEqual(['startedAt']);
    expect(paths(parseCall({ ...base, endedAt: '2026-12-07T08:50:00+07:00' }, now))).toEqual(['endedAt']);
    expect(
      paths(
        parseCall(
          { ...base, startedAt: '2026-12-07T04:00:00+07:00', endedAt: '2026-12-07T08:01:00+07:00' },
          now,
        ),
      ),
    ).toEqual(['endedAt']);
    expect(paths(parseCall({ ...base, startedAt: '2026-02-30T08:00:00+07:00' }, now))).toEqual(['startedAt']);
  });

  it('asks of each outcome what it needs', () => {
    expect(paths(parseCall({ ...base, outcome: 'answered' }, now))).toEqual(['answer']);
    expect(paths(parseCall({ ...base, answer: 'Đã hướng dẫn' }, now))).toEqual(['answer']);
    expect(paths(parseCall({ ...base, outcome: 'answered', answer: 'x', sendAnswerBy: 'sms' }, now))).toEqual(
      ['callerPhone'],
    );
    // A landline cannot take an SMS.
    expect(
      paths(
        parseCall(
          { ...base, outcome: 'answered', answer: 'x', sendAnswerBy: 'sms', callerPhone: '02438251234' },
          now,
        ),
      ),
    ).toEqual(['callerPhone']);
    expect(paths(parseCall({ ...base, outcome: 'callback' }, now))).toEqual(['callerPhone']);
    const cb = parseCall({ ...base, outcome: 'callback', callerPhone: '0903111222' }, now);
    expect(cb.ok && cb.call.callbackDueAt?.toISOString()).toBe('2026-12-07T04:00:00.000Z');
    expect(paths(parseCall({ ...base, outcome: 'feedback' }, now))).toEqual([
      'callerName',
      'callerPhone',
      'feedback.category',
      'feedback.content',
      'feedback.title',
    ]);
    expect(
      paths(
        parseCall({ ...base, outcome: 'callback', callerPhone: '0903111222' }, now, {
          outcomes: ['answered'],
        }),
      ),
    ).toEqual(['outcome']);
  });

  it('fingerprints the request as sent, ignoring key order and empty fields', () => {
    expect(requestHash({ a: 'x', b: '' })).toBe(requestHash({ a: ' x ' }));
    expect(requestHash({ a: 'x', c: { d: 1 } })).toBe(requestHash({ c: { d: 1 }, a: 'x' }));
    expect(requestHash({ a: 'x' })).not.toBe(requestHash({ a: 'y' }));
  });

  it('takes a Vietnam day from midnight at UTC+7', () => {
    expect(vietnamDay('2026-12-07')).toEqual({
      from: new Date('2026-12-06T17:00:00Z'),
      to: new Date('2026-12-07T17:00:00Z'),
    });
  });
});
