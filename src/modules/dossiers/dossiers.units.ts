/**
 * The administrative units filing needs (the agencies module's, valid today): the provinces, each
 * province's communes, a unit by code with its name as people write it, and a diacritic-insensitive
 * search over a province's communes for the place picker. One load of each list per Vietnam day and
 * process (34 provinces and 3,321 communes): a new day loads them again.
 */
import { type Clock, vietnamDate } from '../../platform/clock/index.ts';
import { foldVietnamese } from '../../platform/i18n/index.ts';
import type { UnitNames } from './dossiers.answers.ts';

export interface Unit {
  code: string;
  name: string;
  kind?: string | undefined;
  /** A commune's province (today's communes are directly under their province). */
  parentCode?: string | null | undefined;
}

export type UnitSource = (level: 'province' | 'commune', parent?: string) => Promise<Unit[]>;

/** "Thành phố Hà Nội", "Tỉnh Tuyên Quang": a province's name as documents write it; communes as they are. */
export function unitDisplayName(u: Unit): string {
  if (u.code.length !== 2) return u.name;
  if (u.kind === 'city') return `Thành phố ${u.name}`;
  if (u.kind === 'province') return `Tỉnh ${u.name}`;
  return u.name;
}

/**
 * Whether the words typed are, in order, the starts of consecutive words of the name (diacritics, case
 * and spacing aside): how people type a place's name. The filing page's script filters the same way.
 */
export function nameMatches(name: string, typed: string): boolean {
  const q = foldVietnamese(typed).split(' ').filter(Boolean);
  if (q.length === 0) return true;
  const words = foldVietnamese(name).split(' ');
  for (let i = 0; i + q.length <= words.length; i++)
    if (q.every((w, j) => words[i + j]!.startsWith(w))) return true;
  return false;
}

interface Day {
  date: string;
  provinces: Promise<Unit[]>;
  communes: Promise<Unit[]>;
  byCode: Promise<Map<string, Unit>>;
}

export function unitDirectory(source: UnitSource, clock: Clock) {
  let day: Day | undefined;
  function today(): Day {
    const date = vietnamDate(clock.now());
    if (day?.date === date) return day;
    const provinces = source('province');
    const communes = source('commune');
    const byCode = Promise.all([provinces, communes]).then(
      ([p, c]) => new Map([...p, ...c].map((u) => [u.code, u])),
    );
    const fresh: Day = { date, provinces, communes, byCode };
    // A failed load is not kept: the next call tries again.
    byCode.catch(() => {
      if (day === fresh) day = undefined;
    });
    day = fresh;
    return fresh;
  }

  return {
    async provinces(): Promise<Unit[]> {
      return today().provinces;
    },
    /** The communes of a province today, in the order of their names. */
    async communesOf(province: string): Promise<Unit[]> {
      if (!/^\d{2}$/.test(province)) return [];
      return (await today().communes)
        .filter((c) => c.parentCode === province)
        .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    },
    /**
     * A province's communes whose name has the words of `q` in order, each the start of a word, with or
     * without diacritics ("ba dinh" finds Phường Ba Đình, not Phường Đình Bảng; "hoan k" finds Phường Hoàn
     * Kiếm), or whose code is `q`.
     */
    async searchCommunes(province: string, q: string): Promise<Unit[]> {
      const all = await this.communesOf(province);
      if (foldVietnamese(q) === '') return all;
      return all.filter((c) => c.code === q.trim() || nameMatches(c.name, q));
    },
    async find(code: string): Promise<Unit | undefined> {
      return (await today().byCode).get(code);
    },
    async exists(code: string, level: 'province' | 'commune'): Promise<boolean> {
      const u = (await today().byCode).get(code);
      return u !== undefined && (level === 'province' ? code.length === 2 : code.length === 5);
    },
    async provinceOf(commune: string): Promise<string | undefined> {
      const u = (await today().byCode).get(commune);
      return u && commune.length === 5 ? (u.parentCode ?? undefined) : undefined;
    },
    /** Names of today's units, for answers that point at them. */
    async names(): Promise<UnitNames> {
      const map = await today().byCode;
      return { unit: (code) => (map.has(code) ? unitDisplayName(map.get(code)!) : undefined) };
    },
  };
}

export type UnitDirectory = ReturnType<typeof unitDirectory>;
