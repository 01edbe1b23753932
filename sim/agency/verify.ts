/** Comparing what the portal holds with the simulator's own record of a dossier (no I/O). */
import type { Expected } from './generate.ts';
import type { ReadBack } from './transport.ts';

/** The differences, in words; empty when the portal holds exactly what was sent. */
export function compareDossier(expected: Expected, actual: ReadBack | undefined): string[] {
  if (!actual) return ['missing: the portal does not know this dossier'];
  const out: string[] = [];
  if (actual.TrangThaiHoSo !== expected.TrangThaiHoSo)
    out.push(`TrangThaiHoSo ${actual.TrangThaiHoSo}, expected ${expected.TrangThaiHoSo}`);
  if (actual.MaTTHC !== expected.MaTTHC) out.push(`MaTTHC ${actual.MaTTHC}, expected ${expected.MaTTHC}`);
  for (const [field, value] of Object.entries(expected.dates)) {
    const got = actual.dates[field as keyof Expected['dates']];
    if (got !== value) out.push(`${field} ${got ?? '—'}, expected ${value ?? '—'}`);
  }
  if (actual.history.length !== expected.history.length)
    out.push(`${actual.history.length} history rows, expected ${expected.history.length}`);
  const n = Math.min(actual.history.length, expected.history.length);
  for (let i = 0; i < n; i++) {
    const a = actual.history[i]!;
    const e = expected.history[i]!;
    const fields = (Object.keys(e) as Array<keyof typeof e>).filter((f) => a[f] !== e[f]);
    if (fields.length > 0) {
      out.push(`history row ${i + 1}: ${fields.map((f) => `${f} "${a[f]}", expected "${e[f]}"`).join('; ')}`);
      break;
    }
  }
  return out;
}
