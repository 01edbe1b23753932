import { describe, expect, it } from 'vitest';
import { formatVietnameseDate, isIsoDate, vietnamDate, vietnamDateTime, vietnamWhen } from './clock.ts';

describe('Vietnam time', () => {
  it('gives the civil date and time in UTC+7', () => {
    expect(vietnamDate(new Date('2026-11-27T17:30:00Z'))).toBe('2026-11-28');
    expect(vietnamDate(new Date('2026-11-27T16:59:59Z'))).toBe('2026-11-27');
    expect(vietnamDateTime(new Date('2026-11-27T09:00:00Z'))).toBe('2026-11-27 16:00');
  });

  it('writes a moment as Vietnamese pages do: the time, then the date day first', () => {
    expect(vietnamWhen(new Date('2026-11-27T17:05:00Z'))).toBe('00:05 28/11/2026');
  });

  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-2-3')).toBe(false);
    expect(formatVietnameseDate('2025-07-01')).toBe('01/07/2025');
  });
});
