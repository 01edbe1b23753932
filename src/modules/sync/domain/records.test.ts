import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGate } from '../gate.ts';
import {
  checkDossier,
  checkHistory,
  formatDvcqgDate,
  isLater,
  parseDvcqgDate,
  type StatusMark,
  vietnamDay,
} from './records.ts';

const NOW = new Date('2025-08-01T00:00:00Z');

describe('yyyyMMddHHmmss in Vietnam time', () => {
  it('reads and writes Vietnam local time', () => {
    expect(parseDvcqgDate('20250701083000')?.toISOString()).toBe('2025-07-01T01:30:00.000Z');
    expect(formatDvcqgDate(new Date('2025-06-30T17:00:00Z'))).toBe('20250701000000');
    expect(vietnamDay(new Date('2025-06-30T17:00:00Z'))).toBe('2025-07-01');
  });

  it('refuses what is not a real moment', () => {
    for (const bad of [
      '20250230083000',
      '20251301000000',
      '20250701246000',
      '2025-07-01',
      '',
      20250701083000,
      null,
    ])
      expect(parseDvcqgDate(bad)).toBeUndefined();
  });

  it('accepts exactly the strings a calendar reading accepts', () => {
    // The reference: a regular expression, then the calendar's own verdict on the fields.
    const reference = (t: string) => {
      const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(t.trim());
      if (!m) return undefined;
      const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
      const back = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
      if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59 || y < 1990)
        return undefined;
      return back.getTime() - 7 * 3_600_000;
    };
    const field = (max: number, width: number) =>
      fc.integer({ min: 0, max }).map((n) => String(n).padStart(width, '0'));
    fc.assert(
      fc.property(
        fc.oneof(
          fc
            .tuple(field(2999, 4), field(13, 2), field(32, 2), field(24, 2), field(60, 2), field(60, 2))
            .map((p) => p.join('')),
          fc.string({ minLength: 12, maxLength: 16 }),
        ),
        (t) => {
          expect(parseDvcqgDate(t)?.getTime()).toBe(reference(t));
        },
      ),
      { numRuns: 5000 },
    );
    expect(parseDvcqgDate('20240229235959')?.toISOString()).toBe('2024-02-29T16:59:59.000Z');
    expect(parseDvcqgDate('21000229000000')).toBeUndefined();
    expect(parseDvcqgDate(' 20250701083000 ')?.toISOString()).toBe('2025-07-01T01:30:00.000Z');
  });

  it('round-trips every second', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2099, 0, 1) / 1000 }), (s) => {
        const d = new Date(s * 1000);
        expect(parseDvcqgDate(formatDvcqgDate(d))?.getTime()).toBe(d.getTime());
      }),
    );
  });
});

describe('the order of events', () => {
  const mark = (iso: string, seq: number, status: number): StatusMark => ({ at: new Date(iso), seq, status });

  it('later time wins, then the higher sequence, then the higher code', () => {
    expect(isLater(mark('2025-07-01T02:00:00Z', 0, 2), mark('2025-07-01T01:00:00Z', 9, 10))).toBe(true);
    expect(isLater(mark('2025-07-01T01:00:00Z', 2, 4), mark('2025-07-01T01:00:00Z', 1, 9))).toBe(true);
    expect(isLater(mark('2025-07-01T01:00:00Z', 1, 9), mark('2025-07-01T01:00:00Z', 1, 4))).toBe(true);
  });

  it('the latest of any set is the same whatever the order of arrival', () => {
    const arb = fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 5 }).map((h) => new Date(Date.UTC(2025, 6, 1, h))),
        seq: fc.integer({ min: 0, max: 3 }),
        status: fc.integer({ min: 1, max: 10 }),
      }),
      { minLength: 1, maxLength: 20 },
    );
    const pairs = arb.chain((marks) =>
      fc.tuple(
        fc.constant(marks),
        fc.shuffledSubarray(marks, { minLength: marks.length, maxLength: marks.length }),
      ),
    );
    fc.assert(
      fc.property(pairs, ([marks, shuffled]) => {
        const latest = (list: StatusMark[]) => list.reduce((a, b) => (isLater(b, a) ? b : a));
        const a = latest(marks);
        const b = latest(shuffled);
        expect([b.at.getTime(), b.seq, b.status]).toEqual([a.at.getTime(), a.seq, a.status]);
      }),
    );
  });
});

describe('checking what agency systems send', () => {
  const record = {
    MaHoSo: '000.00.00.H26-250701-0001',
    MaTTHC: '1.001776',
    TrangThaiHoSo: '4',
    KenhThucHien: 2,
    SoGiayToChuHoSo: '001190001234',
    NgayNopHoSo: '20250701080000',
    NgayTiepNhan: '20250701090000',
    NgayHenTra: '20250710170000',
  };

  it('takes a DongBoHoSoMC record; its moment is its latest date that is not an appointment', () => {
    const c = checkDossier(record, NOW);
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.item).toMatchObject({
      status: 4,
      channel: 2,
      identifier: '000.00.00.H26',
      codeDate: '2025-07-01',
    });
    expect(c.item.at.toISOString()).toBe('2025-07-01T02:00:00.000Z');
    expect(checkDossier({ ...record }, NOW).ok && c.item.payloadKey).toBe(
      (checkDossier({ ...record }, NOW) as { item: { payloadKey: string } }).item.payloadKey,
    );
  });

  it('gives a reason in Vietnamese for each kind of mistake', () => {
    const reason = (r: unknown) => {
      const c = checkDossier(r, NOW);
      return c.ok ? '' : c.reason;
    };
    expect(reason({ ...record, MaHoSo: undefined })).toMatch(/Thiếu MaHoSo/);
    expect(reason({ ...record, MaTTHC: '' })).toMatch(/MaTTHC/);
    expect(reason({ ...record, TrangThaiHoSo: 0 })).toMatch(/TrangThaiHoSo/);
    expect(reason({ ...record, KenhThucHien: 5 })).toMatch(/KenhThucHien/);
    expect(reason({ ...record, NgayNopHoSo: undefined, NgayTiepNhan: undefined })).toMatch(/NgayNopHoSo/);
    expect(reason({ ...record, NgayTiepNhan: '20300101000000' })).toMatch(/tương lai/);
    expect(reason({ ...record, TrichYeuHoSo: 'x'.repeat(70_000) })).toMatch(/quá lớn/);
    expect(reason([record])).toMatch(/đối tượng/);
  });

  it('keys a history row by its content, or by the sender’s event id within its source', () => {
    const row = {
      MaHoSo: record.MaHoSo,
      ThoiDiemXuLy: '20250701100000',
      TrangThai: 4,
      NoiDungXuLy: 'Chuyển xử lý',
    };
    const a = checkHistory(row, NOW, 'a');
    const b = checkHistory({ ...row }, NOW, 'b');
    const c = checkHistory({ ...row, NoiDungXuLy: 'Khác' }, NOW, 'a');
    const withId = checkHistory({ ...row, eventId: 'e-1' }, NOW, 'a');
    if (!a.ok || !b.ok || !c.ok || !withId.ok) throw new Error('expected ok');
    expect(a.item.eventKey).toBe(b.item.eventKey);
    expect(a.item.eventKey).not.toBe(c.item.eventKey);
    expect(withId.item.eventKey).toBe('id:a:e-1');
    expect(checkHistory({ ...row, TrangThai: '11' }, NOW, 'a').ok).toBe(false);
    expect(checkHistory({ ...row, ThoiDiemXuLy: '2025-07-01' }, NOW, 'a').ok).toBe(false);
  });
});

describe('the ingestion gate', () => {
  it('runs at most `concurrent` at once and refuses beyond the queue', async () => {
    const gate = createGate({ concurrent: 2, queued: 1 });
    let running = 0;
    let peak = 0;
    const job = () =>
      gate.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return 1;
      });
    const results = await Promise.all([job(), job(), job(), job(), job()]);
    expect(peak).toBe(2);
    expect(results.filter((r) => r === undefined)).toHaveLength(2);
    expect(gate.stats()).toEqual({ running: 0, waiting: 0 });
  });
});
