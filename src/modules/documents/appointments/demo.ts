/**
 * The demo's availability: every demo office receives Monday to Friday, 7:30–11:30 and 13:30–17:00, in
 * 30-minute slots of 3 online places and 2 at the counter. Seeded once (an office with rules keeps them).
 */
import { sql } from 'kysely';
import type { AnyDb } from '../../../platform/db/index.ts';
import { DEMO_OFFICES } from '../demo.ts';
import { replaceRules } from './appointments.repository.ts';
import type { AvailabilityRule } from './slots.ts';

const session = (startTime: string, endTime: string): AvailabilityRule => ({
  weekdays: [1, 2, 3, 4, 5],
  startTime,
  endTime,
  slotMinutes: 30,
  onlineCapacity: 3,
  counterCapacity: 2,
  validFrom: '2025-01-01',
  validTo: null,
});

export const DEMO_RULES: readonly AvailabilityRule[] = [session('07:30', '11:30'), session('13:30', '17:00')];

export async function seedDemoRules(db: AnyDb): Promise<void> {
  for (const o of DEMO_OFFICES) {
    const r = await sql<{ n: number }>`
      select count(*)::int as n from documents.availability_rules where agency_code = ${o.agencyCode}`.execute(
      db,
    );
    if (Number(r.rows[0]?.n ?? 0) === 0) await replaceRules(db, o.agencyCode, DEMO_RULES, null);
  }
}
