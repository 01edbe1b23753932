-- Administrative units and agencies, versioned with validity dates (DESIGN.md: a dossier from 2020
-- still points at Hà Giang after Hà Giang merged into Tuyên Quang on 1 July 2025).
-- A unit or agency is a sequence of versions sharing a code; each version is valid on
-- [valid_from, valid_to] (inclusive dates; null = unbounded). Successions link versions across
-- mergers, renames and reorganisations.

create schema agencies;

create table agencies.admin_units (
  id bigint generated always as identity,
  code text not null,
  level text not null,
  name text not null,
  name_en text,
  name_folded text not null,
  kind text not null,
  region text,
  parent_code text,
  valid_from date,
  valid_to date,
  legal_basis text,
  note text,
  from_reference boolean not null default false,
  constraint admin_units_pk primary key (id),
  constraint admin_units_level_ck check (level in ('province', 'commune')),
  constraint admin_units_code_ck check (
    (level = 'province' and code ~ '^[0-9]{2}$') or (level = 'commune' and code ~ '^[0-9]{5}$')),
  constraint admin_units_kind_ck check (kind in ('city', 'province', 'ward', 'commune', 'special-zone', 'town', 'district')),
  constraint admin_units_validity_ck check (valid_to is null or valid_from is null or valid_to >= valid_from),
  constraint admin_units_parent_ck check ((level = 'province') = (parent_code is null)),
  constraint admin_units_name_ck check (length(name) between 1 and 200)
);
create unique index admin_units_code_from_uq
  on agencies.admin_units (level, code, coalesce(valid_from, '0001-01-01'::date));
create index admin_units_parent_ix on agencies.admin_units (parent_code) where parent_code is not null;
comment on table agencies.admin_units is 'Administrative units (provinces, communes), one row per version';
comment on column agencies.admin_units.code is 'Statistical code: 2 digits for a province, 5 for a commune; codes are reused by later versions';
comment on column agencies.admin_units.level is 'province or commune (the two levels of local government since 1 July 2025)';
comment on column agencies.admin_units.name is 'Official name in Vietnamese (NFC), without the kind prefix (Hà Nội, not Thành phố Hà Nội)';
comment on column agencies.admin_units.name_en is 'English name when it differs from the Vietnamese';
comment on column agencies.admin_units.name_folded is 'Name without diacritics, lower case (đ → d), for search';
comment on column agencies.admin_units.kind is 'city (centrally-run), province, ward, commune, special-zone, town, district';
comment on column agencies.admin_units.region is 'Socio-economic region';
comment on column agencies.admin_units.parent_code is 'For a commune: the code of its province, resolved on the same date';
comment on column agencies.admin_units.valid_from is 'First day this version is valid (null: since before the records)';
comment on column agencies.admin_units.valid_to is 'Last day this version is valid (null: still valid)';
comment on column agencies.admin_units.legal_basis is 'The act that created or changed this version';
comment on column agencies.admin_units.note is 'Free text from the reference data';
comment on column agencies.admin_units.from_reference is 'Loaded from db/reference: removed again when the reference data no longer lists it';

create table agencies.admin_unit_successions (
  predecessor_id bigint not null,
  successor_id bigint not null,
  effective_date date not null,
  kind text not null,
  constraint admin_unit_successions_pk primary key (predecessor_id, successor_id),
  constraint admin_unit_successions_pred_fk foreign key (predecessor_id) references agencies.admin_units (id) on delete cascade,
  constraint admin_unit_successions_succ_fk foreign key (successor_id) references agencies.admin_units (id) on delete cascade,
  constraint admin_unit_successions_kind_ck check (kind in ('merge', 'rename', 'split', 'reclassify')),
  constraint admin_unit_successions_self_ck check (predecessor_id <> successor_id)
);
create index admin_unit_successions_successor_ix on agencies.admin_unit_successions (successor_id);
comment on table agencies.admin_unit_successions is 'Which unit versions became which: mergers, renames, splits';
comment on column agencies.admin_unit_successions.predecessor_id is 'The version that ended';
comment on column agencies.admin_unit_successions.successor_id is 'The version that continued it (wholly or in part)';
comment on column agencies.admin_unit_successions.effective_date is 'The first day of the successor';
comment on column agencies.admin_unit_successions.kind is 'merge, rename, split or reclassify';

create table agencies.agencies (
  id bigint generated always as identity,
  code text not null,
  short_name text,
  name text not null,
  name_en text,
  name_folded text not null,
  kind text not null,
  level text not null,
  parent_code text,
  admin_unit_code text,
  valid_from date,
  valid_to date,
  office_hours jsonb,
  note text,
  from_reference boolean not null default false,
  constraint agencies_pk primary key (id),
  constraint agencies_code_ck check (code ~ '^[A-Z][A-Z0-9-]{1,39}$'),
  constraint agencies_kind_ck check (kind in ('government', 'ministry', 'ministerial-level', 'government-agency',
    'people-committee', 'one-stop-centre', 'department', 'other')),
  constraint agencies_level_ck check (level in ('central', 'province', 'commune')),
  constraint agencies_validity_ck check (valid_to is null or valid_from is null or valid_to >= valid_from),
  constraint agencies_office_hours_ck check (office_hours is null or jsonb_typeof(office_hours) = 'object')
);
create unique index agencies_code_from_uq on agencies.agencies (code, coalesce(valid_from, '0001-01-01'::date));
create index agencies_parent_ix on agencies.agencies (parent_code);
create index agencies_admin_unit_ix on agencies.agencies (admin_unit_code) where admin_unit_code is not null;
comment on table agencies.agencies is 'State agencies (the Government, ministries, People''s Committees, one-stop centres, departments), one row per version';
comment on column agencies.agencies.code is 'The portal''s stable key of the agency (ASCII), e.g. BTC, UBND-01, TTPVHCC-01';
comment on column agencies.agencies.short_name is 'Customary abbreviation in Vietnamese, e.g. BKHĐT';
comment on column agencies.agencies.name is 'Official name in Vietnamese (NFC)';
comment on column agencies.agencies.name_en is 'Official English name';
comment on column agencies.agencies.name_folded is 'Name without diacritics, lower case, for search';
comment on column agencies.agencies.kind is 'government, ministry, ministerial-level, government-agency, people-committee, one-stop-centre, department, other';
comment on column agencies.agencies.level is 'central, province or commune';
comment on column agencies.agencies.parent_code is 'Code of the parent agency, resolved on the same date (null for the root)';
comment on column agencies.agencies.admin_unit_code is 'Province (or commune) code of a local agency';
comment on column agencies.agencies.valid_from is 'First day of this version (null: since before the records)';
comment on column agencies.agencies.valid_to is 'Last day of this version (null: still valid)';
comment on column agencies.agencies.from_reference is 'Loaded from db/reference: removed again when the reference data no longer lists it';
comment on column agencies.agencies.office_hours is 'Working sessions {sessions:[{start,end}], weekdays:[1..7]}; null = 07:00–11:30, 13:30–17:00, Mon–Fri';

create table agencies.agency_successions (
  predecessor_id bigint not null,
  successor_id bigint not null,
  effective_date date not null,
  kind text not null,
  constraint agency_successions_pk primary key (predecessor_id, successor_id),
  constraint agency_successions_pred_fk foreign key (predecessor_id) references agencies.agencies (id) on delete cascade,
  constraint agency_successions_succ_fk foreign key (successor_id) references agencies.agencies (id) on delete cascade,
  constraint agency_successions_kind_ck check (kind in ('merge', 'rename', 'reorganise', 'split')),
  constraint agency_successions_self_ck check (predecessor_id <> successor_id)
);
create index agency_successions_successor_ix on agencies.agency_successions (successor_id);
comment on table agencies.agency_successions is 'Which agency versions became which (the 2025 restructuring, provincial mergers)';
comment on column agencies.agency_successions.predecessor_id is 'The agency version that ended';
comment on column agencies.agency_successions.successor_id is 'The agency version that took over its duties (wholly or in part)';
comment on column agencies.agency_successions.effective_date is 'The first day of the successor';
comment on column agencies.agency_successions.kind is 'merge, rename, reorganise or split';

create table agencies.agency_identifiers (
  id bigint generated always as identity,
  identifier text not null,
  agency_code text not null,
  valid_from date,
  valid_to date,
  verified boolean not null default false,
  source text,
  origin text not null default 'reference',
  constraint agency_identifiers_pk primary key (id),
  constraint agency_identifiers_format_ck check (identifier ~ '^[0-9A-Z]{1,13}(\.[0-9A-Z]{1,13}){1,6}$' and length(identifier) <= 35),
  constraint agency_identifiers_validity_ck check (valid_to is null or valid_from is null or valid_to >= valid_from),
  constraint agency_identifiers_origin_ck check (origin in ('reference', 'operator'))
);
create unique index agency_identifiers_identifier_from_uq
  on agencies.agency_identifiers (identifier, coalesce(valid_from, '0001-01-01'::date));
create index agency_identifiers_agency_ix on agencies.agency_identifiers (agency_code);
comment on table agencies.agency_identifiers is 'Electronic identifier codes of agencies (Decision 20/2020/QĐ-TTg); an agency may own several; dossier codes start with one';
comment on column agencies.agency_identifiers.identifier is 'Dot-separated groups, e.g. 000.00.01.H22 (the last group is the level-1 code); a code may pass to a successor agency, hence validity dates';
comment on column agencies.agency_identifiers.agency_code is 'agencies.agencies.code of the owner';
comment on column agencies.agency_identifiers.verified is 'true when the code was checked against a published source';
comment on column agencies.agency_identifiers.source is 'Where the code comes from';
comment on column agencies.agency_identifiers.origin is 'reference (shipped data, reloaded on change) or operator (AGENCY_IDENTIFIERS_FILE, never overwritten by shipped data)';
