/**
 * The seed catalogue as reference data, loaded on every start and re-applied when it changes (checksum
 * of the seed). Versions are never rewritten: a seed procedure that changed gets a new published
 * version (the previous one is superseded and kept); a procedure an officer has edited on the portal is
 * left alone — the operator's work wins over the shipped seed.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { ReferenceDataSet } from '../../../platform/db/index.ts';
import * as repo from '../catalogue.repository.ts';
import { contentHash } from '../catalogue.service.ts';
import type { CatalogueTables } from '../catalogue.tables.ts';
import { contentProblems } from '../domain/procedure.ts';
import { foldText } from '../domain/search-text.ts';
import { indexDocument } from '../index-document.ts';
import * as search from '../search.repository.ts';
import { SEED_BUNDLES } from './bundles.ts';
import { SEED_PROCEDURES } from './procedures.ts';
import { SEED_SECTORS } from './sectors.ts';

/** Bump when the loader itself changes what it writes from the same seed. */
const LOADER_VERSION = '2026-12-01.1';

/** Province names of the seed's own local procedures (the index reads them, not the agencies tables). */
const SEED_PROVINCES: Record<string, string> = { '01': 'Hà Nội', '79': 'Hồ Chí Minh' };

/** Checks the seed itself (a unit test runs it too): every procedure valid, every bundle member known. */
export function seedProblems(): string[] {
  const out: string[] = [];
  const sectors = new Set(SEED_SECTORS.map((s) => s.code));
  const codes = new Set<string>();
  for (const p of SEED_PROCEDURES) {
    if (codes.has(p.code)) out.push(`${p.code}: duplicate code`);
    codes.add(p.code);
    for (const e of contentProblems(p.content, { knownSectors: sectors, knownAgencies: new Set() }))
      if (!e.path.includes('agencyCode')) out.push(`${p.code} ${e.path}: ${e.message}`);
    if (p.content.name.normalize('NFC') !== p.content.name) out.push(`${p.code}: name is not NFC`);
  }
  for (const b of SEED_BUNDLES)
    for (const m of b.members) if (!codes.has(m)) out.push(`${b.code}: unknown member ${m}`);
  return out;
}

export function catalogueReferenceData(): ReferenceDataSet {
  return {
    name: 'catalogue.seed',
    sources: [LOADER_VERSION, JSON.stringify({ SEED_SECTORS, SEED_PROCEDURES, SEED_BUNDLES })],
    async load(anyTrx) {
      const trx = anyTrx as unknown as Transaction<CatalogueTables>;
      const problems = seedProblems();
      if (problems.length > 0) throw new Error(`catalogue seed is invalid:\n${problems.join('\n')}`);
      await loadSeed(trx, new Date());
    },
  };
}

async function loadSeed(trx: Kysely<CatalogueTables>, at: Date): Promise<void> {
  for (const s of SEED_SECTORS) {
    await sql`
      insert into catalogue.sectors (code, name, name_en, name_folded, agency_code, from_reference)
      values (${s.code}, ${s.name}, ${s.nameEn}, ${foldText(s.name)}, ${s.agency}, true)
      on conflict (code) do update set name = excluded.name, name_en = excluded.name_en,
        name_folded = excluded.name_folded, agency_code = excluded.agency_code, from_reference = true`.execute(
      trx,
    );
  }
  const sectorNames = new Map(SEED_SECTORS.map((s) => [s.code, s.name]));
  for (const p of SEED_PROCEDURES) {
    await repo.insertProcedure(trx, {
      code: p.code,
      owner_agency_code: p.owner,
      province_code: p.province ?? null,
      popularity: p.popularity,
      origin: 'reference',
      created_by: null,
    });
    const versions = await repo.findVersions(trx, p.code);
    if (versions.some((v) => v.origin !== 'reference')) continue; // edited on the portal: leave it
    await sql`update catalogue.procedures set popularity = ${p.popularity} where code = ${p.code} and origin = 'reference'`.execute(
      trx,
    );
    const hash = contentHash(p.content);
    const current = await repo.findPublicVersion(trx, p.code);
    if (current?.content_hash === hash) {
      await index(
        trx,
        p.code,
        current.version,
        p.content,
        p.owner,
        p.province ?? null,
        p.popularity,
        sectorNames,
      );
      continue;
    }
    if (!current && versions.length > 0) continue; // withdrawn on the portal: not re-published by the seed
    const version = (versions[0]?.version ?? 0) + 1;
    if (current) {
      await repo.setState(trx, p.code, current.version, 'superseded', at);
      await repo.insertEvent(trx, {
        code: p.code,
        version: current.version,
        action: 'supersede',
        from_state: current.state,
        to_state: 'superseded',
        actor: 'system:seed',
        note: null,
        at,
      });
    }
    await repo.insertVersion(trx, {
      code: p.code,
      version,
      state: 'published',
      content: p.content,
      content_hash: hash,
      origin: 'reference',
      created_by: null,
      published_at: at,
      at,
    });
    await repo.insertEvent(trx, {
      code: p.code,
      version,
      action: 'seed',
      from_state: null,
      to_state: 'published',
      actor: 'system:seed',
      note: null,
      at,
    });
    await index(trx, p.code, version, p.content, p.owner, p.province ?? null, p.popularity, sectorNames);
  }
  for (const b of SEED_BUNDLES) {
    await sql`
      insert into catalogue.bundles (code, name, name_en, name_folded, description, description_en, member_codes, legal_basis, from_reference)
      values (${b.code}, ${b.name}, ${b.nameEn}, ${foldText(b.name)}, ${b.description}, ${b.descriptionEn}, ${b.members}::text[], ${b.legalBasis}, true)
      on conflict (code) do update set name = excluded.name, name_en = excluded.name_en, name_folded = excluded.name_folded,
        description = excluded.description, description_en = excluded.description_en, member_codes = excluded.member_codes,
        legal_basis = excluded.legal_basis, from_reference = true`.execute(trx);
  }
  await sql`delete from catalogue.bundles where from_reference and not (code = any(${SEED_BUNDLES.map((b) => b.code)}::text[]))`.execute(
    trx,
  );
}

async function index(
  trx: Kysely<CatalogueTables>,
  code: string,
  version: number,
  content: (typeof SEED_PROCEDURES)[number]['content'],
  owner: string,
  province: string | null,
  popularity: number,
  sectorNames: Map<string, string>,
): Promise<void> {
  await search.upsertEntry(
    trx,
    indexDocument(code, version, content, {
      ownerAgencyCode: owner,
      provinceCode: province,
      popularity,
      sectorName: (s) => sectorNames.get(s),
      provinceName: (c) => SEED_PROVINCES[c],
    }),
  );
}
