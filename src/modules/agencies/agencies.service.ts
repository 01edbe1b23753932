/**
 * Administrative units and agencies, answered for a date: what was unit X on date D, what did it
 * become, which units formed it; which agencies existed, their tree, identifiers and office hours.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { type Clock, isIsoDate, vietnamDate } from '../../platform/clock/index.ts';
import { NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import { foldVietnamese } from '../../platform/i18n/index.ts';
import { DEFAULT_OFFICE_HOURS } from '../../platform/kernel/index.ts';
import {
  type DepartmentName,
  matchDepartmentName,
  parseDepartmentNames,
} from './agencies.department-names.ts';
import * as repo from './agencies.repository.ts';
import type { AdminLevel, AgenciesTables, OfficeHoursJson } from './agencies.tables.ts';

export type { AdminLevel } from './agencies.tables.ts';

export const ADMIN_LEVELS: readonly AdminLevel[] = ['province', 'district', 'commune'];
/** The most units one list answers (all 10,035 communes of March 2025 fit). */
export const ADMIN_UNIT_LIMIT_MAX = 20_000;

export interface AdminUnit {
  code: string;
  level: AdminLevel;
  /** A province without its kind prefix (Hà Nội); a district or commune in full (Phường Ba Đình). */
  name: string;
  nameEn: string | null;
  kind: string;
  region: string | null;
  /** The unit directly above on the same date: the province, or before July 2025 a commune's district. */
  parentCode: string | null;
  /** The province the unit lies in on the same date (a province: its own code). */
  provinceCode: string;
  validFrom: string | null;
  validTo: string | null;
  legalBasis: string | null;
  note: string | null;
}

export interface AdminUnitDetail extends AdminUnit {
  /** The date the answer is for. */
  date: string;
  /** Every version of this code, oldest first. */
  versions: AdminUnit[];
  /** The units (versions) this one was formed from. */
  formedFrom: Array<AdminUnit & { change: string }>;
  /** What this version became, directly. */
  became: Array<AdminUnit & { change: string }>;
  /** The units valid today that this version's territory is part of now (following every change). */
  nowPartOf: AdminUnit[];
  /** The unit directly above, as it was on the date (the last day of this version if it had ended). */
  parentUnit: AdminUnit | null;
  /** The province the unit lies in, as it was on that date (a province: null). */
  provinceUnit: AdminUnit | null;
}

export interface AdminUnitFilter {
  /** YYYY-MM-DD; default today in Vietnam. */
  date?: string | undefined;
  level?: AdminLevel | undefined;
  /** Units in this province (2 digits), whatever their parent: a commune before July 2025 through its district. */
  province?: string | undefined;
  /** Units directly under this one: a province (2 digits) or a district (3 digits). */
  parent?: string | undefined;
  /** Words of the name, with or without diacritics, all of which must appear; or the exact code. */
  q?: string | undefined;
  /** At most this many items (default and maximum ADMIN_UNIT_LIMIT_MAX). */
  limit?: number | undefined;
}

export interface AdminUnitList {
  date: string;
  /** How many units match, before the limit. */
  total: number;
  /** Provinces, then districts, then communes, each by code. */
  items: AdminUnit[];
}

export interface Agency {
  code: string;
  shortName: string | null;
  name: string;
  nameEn: string | null;
  kind: string;
  level: 'central' | 'province' | 'commune';
  parentCode: string | null;
  adminUnitCode: string | null;
  validFrom: string | null;
  validTo: string | null;
  note: string | null;
}

export interface AgencyIdentifier {
  identifier: string;
  validFrom: string | null;
  validTo: string | null;
  verified: boolean;
  source: string | null;
}

export interface AgencyDetail extends Agency {
  date: string;
  /** The province (or commune) of a local agency, as it was on the date. */
  adminUnit: { code: string; name: string; nameEn: string | null; kind: string } | null;
  identifiers: AgencyIdentifier[];
  parent: Agency | null;
  children: Agency[];
  versions: Agency[];
  predecessors: Agency[];
  successors: Agency[];
  officeHours: OfficeHoursJson;
}

const toUnit = (r: repo.AdminUnitRow): AdminUnit => ({
  code: r.code,
  level: r.level,
  name: r.name,
  nameEn: r.name_en,
  kind: r.kind,
  region: r.region,
  parentCode: r.parent_code,
  provinceCode: r.province_code,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  legalBasis: r.legal_basis,
  note: r.note,
});

const toAgency = (r: repo.AgencyRow): Agency => ({
  code: r.code,
  shortName: r.short_name,
  name: r.name,
  nameEn: r.name_en,
  kind: r.kind,
  level: r.level,
  parentCode: r.parent_code,
  adminUnitCode: r.admin_unit_code,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  note: r.note,
});

const validOn = (v: { validFrom: string | null; validTo: string | null }, date: string) =>
  (v.validFrom === null || v.validFrom <= date) && (v.validTo === null || v.validTo >= date);

export interface AgenciesServiceDeps {
  db: Kysely<AgenciesTables>;
  clock: Clock;
  /** provincial-departments.csv (default: the shipped file), for `findDepartment`. */
  departmentsCsv?: () => string;
}

const shippedDepartments = () =>
  fs.readFileSync(
    path.resolve(import.meta.dirname, '../../../db/reference/provincial-departments.csv'),
    'utf8',
  );

/** Control characters never belong in a query (and a NUL would make PostgreSQL refuse the statement). */
const hasControl = (text: string) =>
  [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
const QUERY_MAX = 100;

const levelOfCode = (code: string): AdminLevel | undefined =>
  code.length === 2 ? 'province' : code.length === 3 ? 'district' : code.length === 5 ? 'commune' : undefined;

export type AgenciesService = ReturnType<typeof createAgenciesService>;

export function createAgenciesService({
  db,
  clock,
  departmentsCsv = shippedDepartments,
}: AgenciesServiceDeps) {
  let departmentNames: DepartmentName[] | undefined;
  const departments = () => {
    departmentNames ??= parseDepartmentNames(departmentsCsv());
    return departmentNames;
  };

  function dateOrToday(date: string | undefined): string {
    if (date === undefined) return vietnamDate(clock.now());
    if (!isIsoDate(date)) {
      throw new ValidationError(`Ngày "${date}" không hợp lệ; dùng dạng YYYY-MM-DD.`, [
        { path: 'date', message: 'must be a date YYYY-MM-DD' },
      ]);
    }
    return date;
  }

  const folded = (q: string | undefined) => {
    const f = q === undefined ? '' : foldVietnamese(q);
    return f === '' ? undefined : f;
  };

  function invalid(path: string, message: string, detail: string): never {
    throw new ValidationError(detail, [{ path, message }]);
  }

  function checkedQuery(q: string | undefined): string | undefined {
    if (q === undefined) return undefined;
    if (q.length > QUERY_MAX)
      invalid('q', `must be at most ${QUERY_MAX} characters`, `Từ khóa dài quá ${QUERY_MAX} ký tự.`);
    if (hasControl(q))
      invalid('q', 'must not contain control characters', 'Từ khóa chứa ký tự không hợp lệ.');
    return q;
  }

  /** An optional code filter: absent when empty, else it must match. */
  function checkedCode(name: string, value: string | undefined, pattern: RegExp, what: string) {
    if (value === undefined || value === '') return undefined;
    if (!pattern.test(value))
      invalid(name, `must be ${what}`, `Mã "${value.slice(0, 20)}" không hợp lệ (${what}).`);
    return value;
  }

  async function followToToday(start: repo.AdminUnitRow, today: string): Promise<AdminUnit[]> {
    const found = new Map<number, repo.AdminUnitRow>();
    let frontier = [start];
    for (let depth = 0; depth < 10 && frontier.length > 0; depth++) {
      const next: repo.AdminUnitRow[] = [];
      for (const u of frontier) {
        if (validOn({ validFrom: u.valid_from, validTo: u.valid_to }, today)) found.set(u.id, u);
        else next.push(...(await repo.findUnitSuccessors(db, u.id)));
      }
      frontier = next;
    }
    return [...found.values()].map(toUnit);
  }

  return {
    todayOr: dateOrToday,

    /** The units valid on a date, filtered (see AdminUnitFilter), with how many match before the limit. */
    async listAdminUnits(filter: AdminUnitFilter): Promise<AdminUnitList> {
      const date = dateOrToday(filter.date);
      if (filter.level !== undefined && !ADMIN_LEVELS.includes(filter.level))
        invalid(
          'level',
          'must be province, district or commune',
          `Cấp "${String(filter.level)}" không hợp lệ.`,
        );
      const province = checkedCode('province', filter.province, /^\d{2}$/, '2 digits');
      const parent = checkedCode('parent', filter.parent, /^\d{2}(\d)?$/, '2 or 3 digits');
      const limit = filter.limit ?? ADMIN_UNIT_LIMIT_MAX;
      if (!Number.isInteger(limit) || limit < 1 || limit > ADMIN_UNIT_LIMIT_MAX)
        invalid(
          'limit',
          `must be 1 to ${ADMIN_UNIT_LIMIT_MAX}`,
          `Giới hạn phải từ 1 đến ${ADMIN_UNIT_LIMIT_MAX}.`,
        );
      const q = checkedQuery(filter.q)?.trim();
      const f = folded(q);
      const { total, rows } = await repo.findAdminUnitsOn(db, {
        date,
        level: filter.level,
        parent,
        province,
        words: f?.split(' '),
        code: q && /^\d{2,5}$/.test(q) ? q : undefined,
        limit,
      });
      return { date, total, items: rows.map(toUnit) };
    },

    /** The version of `code` valid on `date` (default: today, or the latest version if none is valid today). */
    async getAdminUnit(
      code: string,
      options: { date?: string | undefined; level?: AdminLevel | undefined } = {},
    ): Promise<AdminUnitDetail> {
      const level = options.level ?? levelOfCode(code);
      if (!level || !/^\d+$/.test(code))
        throw new NotFoundError(`Không có đơn vị hành chính mã ${code.slice(0, 20)}.`);
      const versions = await repo.findAdminUnitVersions(db, code, level);
      if (versions.length === 0) throw new NotFoundError(`Không có đơn vị hành chính mã ${code}.`);
      const date = dateOrToday(options.date);
      const on = (v: repo.AdminUnitRow) => validOn({ validFrom: v.valid_from, validTo: v.valid_to }, date);
      let version = versions.find(on);
      if (!version) {
        if (options.date !== undefined) {
          throw new NotFoundError(`Đơn vị hành chính mã ${code} không tồn tại vào ngày ${date}.`);
        }
        version = versions.at(-1)!;
      }
      const today = vietnamDate(clock.now());
      const effective = on(version) ? date : (version.valid_to ?? date);
      const [formedFrom, became, nowPartOf, parent, province] = await Promise.all([
        repo.findUnitPredecessors(db, version.id),
        repo.findUnitSuccessors(db, version.id),
        followToToday(version, today),
        version.parent_code ? repo.findAdminUnitOn(db, version.parent_code, effective) : undefined,
        version.level !== 'province' && version.province_code !== version.parent_code
          ? repo.findAdminUnitOn(db, version.province_code, effective)
          : undefined,
      ]);
      return {
        ...toUnit(version),
        date,
        versions: versions.map(toUnit),
        formedFrom: formedFrom.map((r) => ({ ...toUnit(r), change: r.succession_kind })),
        became: became.map((r) => ({ ...toUnit(r), change: r.succession_kind })),
        nowPartOf,
        parentUnit: parent ? toUnit(parent) : null,
        provinceUnit:
          version.level === 'province' ? null : province ? toUnit(province) : parent ? toUnit(parent) : null,
      };
    },

    async listAgencies(filter: {
      date?: string;
      kind?: string;
      level?: string;
      parent?: string;
      adminUnit?: string;
      q?: string;
      limit?: number;
    }) {
      const date = dateOrToday(filter.date);
      const rows = await repo.findAgenciesOn(db, {
        date,
        kind: filter.kind,
        level: filter.level,
        parent: filter.parent,
        adminUnit: filter.adminUnit,
        folded: folded(checkedQuery(filter.q)),
        limit: filter.limit,
      });
      const ids = await repo.findIdentifiersOf(
        db,
        rows.map((r) => r.code),
      );
      return {
        date,
        items: rows.map((r) => ({
          ...toAgency(r),
          identifiers: ids
            .filter(
              (i) =>
                i.agency_code === r.code && validOn({ validFrom: i.valid_from, validTo: i.valid_to }, date),
            )
            .map((i) => i.identifier),
        })),
      };
    },

    /** By the portal code (BTC, UBND-01) or by an identifier code (000.00.00.G12). */
    async getAgency(codeOrIdentifier: string, options: { date?: string } = {}): Promise<AgencyDetail> {
      const date = dateOrToday(options.date);
      let code = codeOrIdentifier.toUpperCase();
      if (code.includes('.')) {
        const owner = await repo.findIdentifierOwner(db, code, date);
        if (!owner)
          throw new NotFoundError(
            `Không có cơ quan nào mang mã định danh ${codeOrIdentifier} vào ngày ${date}.`,
          );
        code = owner.agency_code;
      }
      const versions = await repo.findAgencyVersions(db, code);
      if (versions.length === 0) throw new NotFoundError(`Không có cơ quan mã ${codeOrIdentifier}.`);
      let version = versions.find((v) => validOn({ validFrom: v.valid_from, validTo: v.valid_to }, date));
      if (!version) {
        if (options.date !== undefined)
          throw new NotFoundError(`Cơ quan ${code} không tồn tại vào ngày ${date}.`);
        version = versions.at(-1)!;
      }
      const effective = validOn({ validFrom: version.valid_from, validTo: version.valid_to }, date)
        ? date
        : (version.valid_to ?? date);
      const [identifiers, parent, unit, children, predecessors, successors] = await Promise.all([
        repo.findIdentifiersOf(db, [code]),
        version.parent_code
          ? repo.findAgencyOn(db, version.parent_code, effective)
          : Promise.resolve(undefined),
        version.admin_unit_code
          ? repo.findAdminUnitOn(db, version.admin_unit_code, effective)
          : Promise.resolve(undefined),
        repo.findAgenciesOn(db, { date: effective, parent: code }),
        repo.findAgencyPredecessors(db, version.id),
        repo.findAgencySuccessors(db, version.id),
      ]);
      return {
        ...toAgency(version),
        date,
        identifiers: identifiers.map((i) => ({
          identifier: i.identifier,
          validFrom: i.valid_from,
          validTo: i.valid_to,
          verified: i.verified,
          source: i.source,
        })),
        parent: parent ? toAgency(parent) : null,
        adminUnit: unit ? { code: unit.code, name: unit.name, nameEn: unit.name_en, kind: unit.kind } : null,
        children: children.map(toAgency),
        versions: versions.map(toAgency),
        predecessors: predecessors.map(toAgency),
        successors: successors.map(toAgency),
        officeHours: version.office_hours ?? DEFAULT_OFFICE_HOURS,
      };
    },

    /** Office hours of an agency on a date; undefined when the agency is unknown. */
    async officeHoursFor(code: string, date?: string): Promise<OfficeHoursJson | undefined> {
      const d = dateOrToday(date);
      const versions = await repo.findAgencyVersions(db, code.toUpperCase());
      const v =
        versions.find((x) => validOn({ validFrom: x.valid_from, validTo: x.valid_to }, d)) ?? versions.at(-1);
      if (!v) return undefined;
      return v.office_hours ?? DEFAULT_OFFICE_HOURS;
    },

    /** Every change between province versions: who merged into whom, renames. */
    async provinceSuccessions() {
      const pairs = await repo.findProvinceSuccessions(db);
      return pairs.map((p) => ({
        predecessor: toUnit(p.predecessor),
        successor: toUnit(p.successor),
        kind: p.kind,
        effectiveDate: p.effective_date,
      }));
    },

    /** The agency and every agency above it on a date, nearest first (for role inheritance). */
    async lineageOf(code: string, date?: string): Promise<string[]> {
      return repo.findLineageOn(db, code.toUpperCase(), dateOrToday(date), 12);
    },

    /** The agency and every agency under it on a date (today by default), the agency first. */
    async subtreeOf(code: string, date?: string): Promise<Array<{ code: string; name: string }>> {
      // One recursive statement: officers' scopes and the monitoring read it on every page.
      // Room for the Government's whole tree: ~1,700 central and provincial agencies, 3,321 communes'.
      return repo.findSubtreeOn(db, code.toUpperCase(), dateOrToday(date), 10_000);
    },

    /**
     * The department (sở) of a province on a date (default today) that a procedure's text names by its
     * generic name ("Sở Tư pháp", "Phòng Đăng ký kinh doanh thuộc Sở Tài chính"): diacritics, case and
     * punctuation ignored, on word boundaries, the longest name named winning. A department merged away
     * by the date answers with its successor in the province (the first listed where it was split).
     * Undefined when the text names no department or the province has none on the date.
     */
    async findDepartment(provinceCode: string, name: string, date?: string): Promise<Agency | undefined> {
      const d = dateOrToday(date);
      if (!/^\d{2}$/.test(provinceCode))
        invalid('provinceCode', 'must be 2 digits', `Mã tỉnh "${provinceCode.slice(0, 20)}" không hợp lệ.`);
      if (name.length > 1000) invalid('name', 'must be at most 1000 characters', 'Tên cơ quan quá dài.');
      const names = departments();
      const named = matchDepartmentName(name, names);
      if (!named) return undefined;
      const byPrefix = new Map(names.map((n) => [n.prefix, n]));
      const tried = new Set<string>();
      let candidates = [named.prefix];
      while (candidates.length > 0) {
        for (const prefix of candidates) {
          tried.add(prefix);
          const row = await repo.findAgencyOn(db, `${prefix}-${provinceCode}`, d);
          if (row?.kind === 'department') return toAgency(row);
        }
        candidates = candidates.flatMap((p) => byPrefix.get(p)?.became ?? []).filter((p) => !tried.has(p));
      }
      return undefined;
    },

    /** Figures for the home page. */
    async figures(date?: string) {
      const d = dateOrToday(date);
      const c = await repo.countOn(db, d);
      const k = c.agenciesByKind;
      return {
        date: d,
        provinces: c.provinces,
        ministries: (k.ministry ?? 0) + (k['ministerial-level'] ?? 0),
        agencies: Object.values(k).reduce((a, b) => a + b, 0),
        oneStopCentres: k['one-stop-centre'] ?? 0,
      };
    },
  };
}
