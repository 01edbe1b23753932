import { describe, expect, it } from 'vitest';
import { allowedActions, decide } from './states.ts';

const start = new Date('2026-12-08T01:00:00Z');
const before = new Date('2026-12-07T01:00:00Z');
const after = new Date('2026-12-08T01:10:00Z');

describe('the appointment state machine', () => {
  it('confirms a live hold; a lapsed one can only expire', () => {
    const held = {
      status: 'held' as const,
      startsAt: start,
      holdExpiresAt: new Date(before.getTime() + 600_000),
    };
    expect(decide(held, 'confirm', before)).toEqual({ ok: true, to: 'booked' });
    expect(decide(held, 'cancel', before)).toEqual({ ok: true, to: 'cancelled' });
    const lapsed = new Date(before.getTime() + 600_000);
    expect(decide(held, 'confirm', lapsed)).toMatchObject({ ok: false, allowed: ['expire'] });
    expect(decide(held, 'expire', lapsed)).toEqual({ ok: true, to: 'expired' });
    expect(decide(held, 'expire', before).ok).toBe(false);
  });

  it('lets a booking be cancelled or moved before it starts, served or marked absent after', () => {
    const booked = { status: 'booked' as const, startsAt: start, holdExpiresAt: null };
    expect(allowedActions(booked, before)).toEqual(['cancel', 'reschedule', 'serve']);
    expect(decide(booked, 'reschedule', before)).toEqual({ ok: true, to: 'booked' });
    expect(decide(booked, 'no-show', before).ok).toBe(false);
    expect(allowedActions(booked, after)).toEqual(['serve', 'no-show']);
    expect(decide(booked, 'cancel', after)).toMatchObject({ ok: false, allowed: ['serve', 'no-show'] });
    expect(decide(booked, 'no-show', after)).toEqual({ ok: true, to: 'no-show' });
  });

  it('ends in served, cancelled, expired and no-show', () => {
    for (const status of ['served', 'cancelled', 'expired', 'no-show'] as const)
      for (const action of ['confirm', 'cancel', 'reschedule', 'serve', 'no-show', 'expire'] as const)
        expect(decide({ status, startsAt: start, holdExpiresAt: null }, action, before)).toMatchObject({
          ok: false,
          allowed: [],
        });
  });
});
