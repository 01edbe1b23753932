-- The procedure catalogue (CSDL TTHC): sectors, procedures and their versions with the publication
-- lifecycle, the history of lifecycle actions, life-event bundles (liên thông), and the search index
-- derived from the published versions (see docs/decisions/0010-catalogue-versions-and-search.md).
--
-- A procedure is a code (1.001776, 2.000815, or a local variant such as 1.001193.000.00.00.H26) and a
-- sequence of versions. A version's content (documents, fees, channels, e-form…) is one JSON document,
-- validated by the application at save and immutable once it leaves draft: a dossier refers to
-- (code, version) and must always find what it was filed under.

create schema catalogue;

create table catalogue.sectors (
  code text not null,
  name text not null,
  name_en text,
  name_folded text not null,
  agency_code text,
  from_reference boolean not null default false,
  constraint sectors_pk primary key (code),
  constraint sectors_code_ck check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'),
  constraint sectors_name_ck check (length(name) between 1 and 300)
);
comment on table catalogue.sectors is 'Sectors (lĩnh vực) procedures are grouped in (MaLinhVuc / TenLinhVuc of the national portal)';
comment on column catalogue.sectors.code is 'Sector code as exchanged with agency systems (MALINHVUC)';
comment on column catalogue.sectors.name is 'Name in Vietnamese (NFC)';
comment on column catalogue.sectors.name_en is 'Name in English';
comment on column catalogue.sectors.name_folded is 'Name without diacritics, lower case (đ → d), for search';
comment on column catalogue.sectors.agency_code is 'The ministry that governs the sector (agencies.agencies.code), when known';
comment on column catalogue.sectors.from_reference is 'Loaded from the shipped seed data (reloaded when it changes)';

create table catalogue.procedures (
  code text not null,
  owner_agency_code text not null,
  province_code text,
  popularity integer not null default 0,
  origin text not null,
  created_at timestamptz not null default now(),
  created_by uuid,
  constraint procedures_pk primary key (code),
  constraint procedures_code_ck check (code ~ '^[0-9]\.[0-9]{6}(\.[0-9A-Z]{1,13}){0,6}$' and length(code) <= 40),
  constraint procedures_province_ck check (province_code is null or province_code ~ '^[0-9]{2}$'),
  constraint procedures_popularity_ck check (popularity >= 0),
  constraint procedures_origin_ck check (origin in ('reference', 'officer', 'import', 'generated'))
);
create index procedures_owner_ix on catalogue.procedures (owner_agency_code);
comment on table catalogue.procedures is 'Administrative procedures (thủ tục hành chính): one row per code; the content lives in versions';
comment on column catalogue.procedures.code is 'Procedure code (MaTTHC), e.g. 2.000815; a local variant appends the agency identifier groups';
comment on column catalogue.procedures.owner_agency_code is 'The agency that announces and maintains the procedure (a ministry, or a province''s People''s Committee); its agency-admins edit it';
comment on column catalogue.procedures.province_code is 'For a province''s own procedure or local variant: the province statistical code; null for a national procedure';
comment on column catalogue.procedures.popularity is 'How much the procedure is used (dossiers in the last twelve months, or an estimate for seed data); ranks search results after the name match';
comment on column catalogue.procedures.origin is 'reference (shipped seed), officer (created on the portal), import (LayThuTuc import), generated (benchmark catalogue)';
comment on column catalogue.procedures.created_at is 'When the code was first recorded';
comment on column catalogue.procedures.created_by is 'The officer account that created it (null for seed and generated data)';

create table catalogue.procedure_versions (
  code text not null,
  version integer not null,
  state text not null,
  name text not null,
  content jsonb not null,
  content_hash text not null,
  origin text not null,
  created_at timestamptz not null default now(),
  created_by uuid,
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  superseded_at timestamptz,
  withdrawn_at timestamptz,
  constraint procedure_versions_pk primary key (code, version),
  constraint procedure_versions_procedure_fk foreign key (code) references catalogue.procedures (code) on delete cascade,
  constraint procedure_versions_version_ck check (version >= 1),
  constraint procedure_versions_state_ck check (state in ('draft', 'testing', 'published', 'pending-withdrawal', 'withdrawn', 'superseded')),
  constraint procedure_versions_content_ck check (jsonb_typeof(content) = 'object'),
  constraint procedure_versions_name_ck check (length(name) between 1 and 500),
  constraint procedure_versions_origin_ck check (origin in ('reference', 'officer', 'import', 'generated')),
  constraint procedure_versions_published_ck check (
    (state in ('published', 'pending-withdrawal', 'withdrawn', 'superseded')) = (published_at is not null))
);
-- One working copy (draft or testing) and one public version (published or pending withdrawal) per code.
create unique index procedure_versions_working_uq on catalogue.procedure_versions (code) where state in ('draft', 'testing');
create unique index procedure_versions_public_uq on catalogue.procedure_versions (code) where state in ('published', 'pending-withdrawal');
create index procedure_versions_queue_ix on catalogue.procedure_versions (state, updated_at) where state in ('testing', 'pending-withdrawal');
comment on table catalogue.procedure_versions is 'Every version of every procedure, kept for ever: a dossier refers to the (code, version) it was filed under';
comment on column catalogue.procedure_versions.code is 'The procedure';
comment on column catalogue.procedure_versions.version is 'Version number, 1, 2, … per code';
comment on column catalogue.procedure_versions.state is 'draft → testing (đang kiểm thử) → published (đang công khai) → pending-withdrawal (chờ dừng công khai) → withdrawn; superseded when a newer version is published';
comment on column catalogue.procedure_versions.name is 'The procedure name in this version (copied from content for listings)';
comment on column catalogue.procedure_versions.content is 'The whole procedure as a JSON document (documents per case, channels with times and fees, e-form, results, legal basis, steps…), validated by the application at save';
comment on column catalogue.procedure_versions.content_hash is 'SHA-256 of the canonical JSON of content: tells an unchanged re-import or seed from a change';
comment on column catalogue.procedure_versions.origin is 'Who wrote this version: reference, officer, import or generated';
comment on column catalogue.procedure_versions.created_by is 'The officer who created the version (null for seed, import by system, generated)';
comment on column catalogue.procedure_versions.updated_at is 'Last change of content or state';
comment on column catalogue.procedure_versions.published_at is 'When the Government Office published this version';
comment on column catalogue.procedure_versions.superseded_at is 'When a newer version replaced it';
comment on column catalogue.procedure_versions.withdrawn_at is 'When its withdrawal was approved';

create table catalogue.version_events (
  id bigint generated always as identity,
  code text not null,
  version integer not null,
  action text not null,
  from_state text,
  to_state text,
  actor text not null,
  note text,
  at timestamptz not null default now(),
  constraint version_events_pk primary key (id),
  constraint version_events_version_fk foreign key (code, version) references catalogue.procedure_versions (code, version) on delete cascade,
  constraint version_events_action_ck check (action in ('create', 'edit', 'submit', 'return', 'publish', 'request-withdrawal',
    'cancel-withdrawal', 'approve-withdrawal', 'supersede', 'seed', 'import')),
  constraint version_events_note_ck check (note is null or length(note) <= 2000)
);
create index version_events_version_ix on catalogue.version_events (code, version, id);
comment on table catalogue.version_events is 'What happened to each version, in order (the lifecycle history shown to officers)';
comment on column catalogue.version_events.action is 'create, edit, submit (for testing), return (to draft), publish, request-withdrawal, cancel-withdrawal, approve-withdrawal, supersede, seed, import';
comment on column catalogue.version_events.from_state is 'State before the action (null on creation)';
comment on column catalogue.version_events.to_state is 'State after the action';
comment on column catalogue.version_events.actor is 'officer:<account id>, or system:<what> for seed and import';
comment on column catalogue.version_events.note is 'Reason given by the officer (e.g. why a version was returned)';
comment on column catalogue.version_events.at is 'When';

create table catalogue.bundles (
  code text not null,
  name text not null,
  name_en text,
  name_folded text not null,
  description text not null,
  description_en text,
  member_codes text[] not null,
  legal_basis text,
  from_reference boolean not null default false,
  constraint bundles_pk primary key (code),
  constraint bundles_code_ck check (code ~ '^LT-[A-Z0-9-]{1,37}$'),
  constraint bundles_members_ck check (cardinality(member_codes) between 2 and 20)
);
comment on table catalogue.bundles is 'Life-event bundles (thủ tục liên thông): one application that spans several procedures';
comment on column catalogue.bundles.code is 'Bundle code, LT-…';
comment on column catalogue.bundles.name is 'Name in Vietnamese';
comment on column catalogue.bundles.name_en is 'Name in English';
comment on column catalogue.bundles.name_folded is 'Name without diacritics, lower case, for search';
comment on column catalogue.bundles.description is 'Who it is for and what the applicant receives';
comment on column catalogue.bundles.description_en is 'The description in English';
comment on column catalogue.bundles.member_codes is 'The member procedures, in the order they are handled';
comment on column catalogue.bundles.legal_basis is 'The act that established the bundle';
comment on column catalogue.bundles.from_reference is 'Loaded from the shipped seed data';

-- The search index: one narrow row per public version (published or pending withdrawal), rebuilt in the
-- same transaction as the lifecycle action that changes what is public.
create table catalogue.search_entries (
  code text not null,
  version integer not null,
  name text not null,
  name_folded text not null,
  document tsvector not null,
  popularity integer not null,
  sector_codes text[] not null,
  agency_codes text[] not null,
  province_code text,
  levels text[] not null,
  audiences text[] not null,
  online_level text not null,
  constraint search_entries_pk primary key (code),
  constraint search_entries_version_fk foreign key (code, version) references catalogue.procedure_versions (code, version) on delete cascade
);
create index search_entries_document_ix on catalogue.search_entries using gin (document);
create index search_entries_name_prefix_ix on catalogue.search_entries (name_folded text_pattern_ops);
create index search_entries_sector_ix on catalogue.search_entries using gin (sector_codes);
create index search_entries_agency_ix on catalogue.search_entries using gin (agency_codes);
create index search_entries_popularity_ix on catalogue.search_entries (popularity desc, code);
comment on table catalogue.search_entries is 'What search reads: the public version of each procedure, folded and weighted';
comment on column catalogue.search_entries.version is 'The public version indexed';
comment on column catalogue.search_entries.name_folded is 'Name without diacritics, lower case, words separated by one space';
comment on column catalogue.search_entries.document is 'Weighted words (simple configuration, folded): A name, B keywords, C sectors, D agencies and place';
comment on column catalogue.search_entries.popularity is 'Copied from catalogue.procedures.popularity';
comment on column catalogue.search_entries.sector_codes is 'Sector codes (filter and facet)';
comment on column catalogue.search_entries.agency_codes is 'Owner and implementing agency codes (filter and facet)';
comment on column catalogue.search_entries.province_code is 'Province of a local procedure (filter and facet)';
comment on column catalogue.search_entries.levels is 'central, province, commune: the levels that implement it';
comment on column catalogue.search_entries.audiences is 'citizen, business, organisation, state-agency';
comment on column catalogue.search_entries.online_level is 'full (toàn trình), partial (một phần) or none';

-- The vocabulary of the index, for typo tolerance without extensions: every word, and every form of it
-- with one letter deleted (symmetric-delete spelling correction). A query word that is not a word of the
-- catalogue is looked up by its own deletions and corrected to the words within one edit.
create table catalogue.search_terms (
  term text not null,
  doc_count integer not null default 0,
  constraint search_terms_pk primary key (term),
  constraint search_terms_term_ck check (term ~ '^[a-z0-9]{1,40}$')
);
create index search_terms_prefix_ix on catalogue.search_terms (term text_pattern_ops);
comment on table catalogue.search_terms is 'Words of the search index (folded)';
comment on column catalogue.search_terms.term is 'A folded word';
comment on column catalogue.search_terms.doc_count is 'Roughly how many indexed procedures contain it (ranks corrections)';

create table catalogue.search_term_variants (
  variant text not null,
  term text not null,
  constraint search_term_variants_pk primary key (variant, term),
  constraint search_term_variants_term_fk foreign key (term) references catalogue.search_terms (term) on delete cascade
);
create index search_term_variants_term_ix on catalogue.search_term_variants (term);
comment on table catalogue.search_term_variants is 'A word and its one-letter deletions, pointing to the word';
comment on column catalogue.search_term_variants.variant is 'The word itself or the word with one letter deleted';
comment on column catalogue.search_term_variants.term is 'The word of the index';
