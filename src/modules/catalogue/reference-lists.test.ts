import { describe, expect, it } from 'vitest';
import type { Clock } from '../../platform/clock/index.ts';
import { type AgencyInfo, createReferenceLists } from './reference-lists.ts';

describe("the catalogue's lists of today's agencies and provinces", () => {
  it('are read again from midnight, Vietnam time, when a reorganisation takes effect', async () => {
    let now = new Date('2025-06-30T16:58:00Z'); // 23:58 on 30 June in Vietnam
    const clock: Clock = { now: () => new Date(now) };
    // Hà Giang merges into Tuyên Quang on 1 July 2025.
    const today = () => (now < new Date('2025-06-30T17:00:00Z') ? 'Hà Giang' : 'Tuyên Quang');
    let reads = 0;
    const lists = createReferenceLists({
      db: {} as never,
      clock,
      agencies: async (): Promise<AgencyInfo[]> => {
        reads++;
        return [{ code: 'UB02', name: `UBND tỉnh ${today()}`, level: 'province', adminUnitCode: '02' }];
      },
      provinces: async () => [{ code: '02', name: today() }],
    });
    expect((await lists.provinceNames()).get('02')).toBe('Hà Giang');
    expect((await lists.agencyDirectory()).get('UB02')?.name).toBe('UBND tỉnh Hà Giang');
    now = new Date('2025-06-30T16:59:59Z');
    expect((await lists.provinceNames()).get('02')).toBe('Hà Giang');
    expect(reads).toBe(1);
    now = new Date('2025-06-30T17:00:00Z'); // 00:00 on 1 July
    expect((await lists.provinceNames()).get('02')).toBe('Tuyên Quang');
    expect((await lists.agencyDirectory()).get('UB02')?.name).toBe('UBND tỉnh Tuyên Quang');
    expect(reads).toBe(2);
  });
});
