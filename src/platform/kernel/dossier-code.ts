/**
 * Dossier codes (MaHoSo): `{agency identifier}-{yyMMdd}-{NNNN}`, e.g. `000.00.01.H22-250701-0001` — the
 * receiving unit's electronic identifier (Decision 20/2020/QĐ-TTg: dot-separated groups), the Vietnam
 * date of submission, and the unit's sequence number of that day, zero-padded to four digits (a fifth
 * and sixth digit only past 9 999 dossiers a day).
 *
 * One grammar for the whole portal: the codes the dossiers module issues, the codes agency systems sync
 * and the codes the public lookup accepts. The identifier part is whatever `agencies.agency_identifiers`
 * accepts (its check constraint: 2 to 7 groups of 1–13 digits or capitals, at most 35 characters), so an
 * identifier an operator loads from `AGENCY_IDENTIFIERS_FILE` numbers dossiers that sync and lookup also
 * read. Only the canonical spelling parses (a real date, no more padding than needed, sequence ≥ 1):
 * codes are keys, and `…-0001` and `…-00001` must not become two dossiers.
 */
import { vietnamDate } from '../clock/index.ts';

/** Same pattern as the check constraint of agencies.agency_identifiers (with its 35-character limit). */
export const AGENCY_IDENTIFIER = /^[0-9A-Z]{1,13}(\.[0-9A-Z]{1,13}){1,6}$/;
export const AGENCY_IDENTIFIER_MAX_LENGTH = 35;
export const MAX_SEQUENCE = 999_999;

const CODE = /^([0-9A-Z]{1,13}(?:\.[0-9A-Z]{1,13}){1,6})-(\d{2})(\d{2})(\d{2})-(\d{4,6})$/;

export function isAgencyIdentifier(text: string): boolean {
  return text.length <= AGENCY_IDENTIFIER_MAX_LENGTH && AGENCY_IDENTIFIER.test(text);
}

/** yyMMdd of a Vietnam date 'YYYY-MM-DD' (2000–2099). */
function yymmdd(isoDate: string): string {
  const m = /^20(\d{2})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new RangeError(`dossier codes carry dates of 2000–2099: ${isoDate}`);
  return `${m[1]}${m[2]}${m[3]}`;
}

/** The Vietnam date a dossier submitted at `instant` is numbered under. */
export function codeDay(instant: Date): string {
  return vietnamDate(instant);
}

export function formatDossierCode(identifier: string, day: string, sequence: number): string {
  if (!isAgencyIdentifier(identifier)) throw new RangeError(`not an agency identifier: ${identifier}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE)
    throw new RangeError(`a dossier sequence is 1–${MAX_SEQUENCE}: ${sequence}`);
  return `${identifier}-${yymmdd(day)}-${String(sequence).padStart(4, '0')}`;
}

export interface ParsedDossierCode {
  identifier: string;
  /** The Vietnam date of the code, 'YYYY-MM-DD'. */
  day: string;
  sequence: number;
}

/** The parts of a well-formed code (the canonical spelling only), or undefined. */
export function parseDossierCode(code: unknown): ParsedDossierCode | undefined {
  if (typeof code !== 'string') return undefined;
  const m = CODE.exec(code);
  if (!m || m[1]!.length > AGENCY_IDENTIFIER_MAX_LENGTH) return undefined;
  const day = `20${m[2]}-${m[3]}-${m[4]}`;
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) return undefined;
  const sequence = Number(m[5]);
  if (sequence < 1 || (m[5]!.length > 4 && m[5]!.startsWith('0'))) return undefined;
  return { identifier: m[1]!, day, sequence };
}
