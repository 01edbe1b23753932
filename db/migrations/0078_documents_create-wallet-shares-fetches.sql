-- The wallet's (kho dữ liệu điện tử) sharing links and their accesses, the owners' consents for
-- agencies to fetch from their wallet, and every agency fetch (docs/documents.md, wallet/). The items
-- themselves are documents.items (0076); they gain the file's name and, for a delivered dossier
-- result, the SHA-256 of the unsigned result (delivering the same result again adds nothing).

alter table documents.items add column file_name text;
alter table documents.items add column source_sha256 text;
alter table documents.items add constraint items_file_name_ck check (file_name is null or length(file_name) between 1 and 255);
alter table documents.items add constraint items_source_sha_ck check (source_sha256 is null or source_sha256 ~ '^[0-9a-f]{64}$');
create unique index items_result_source_uq on documents.items (owner_id, dossier_code, source_sha256)
  where kind = 'dossier-result' and source_sha256 is not null;
create index items_owner_number_ix on documents.items (owner_id, document_type, number) where deleted_at is null;
comment on column documents.items.file_name is 'The file''s name shown and given on download (the upload''s name, cleaned; or one made from the title)';
comment on column documents.items.source_sha256 is 'For a delivered dossier result: SHA-256 of the unsigned PDF the agency delivered (the signed file differs at every signing)';

create table documents.shares (
  id uuid not null,
  item_id uuid not null,
  token_hash text not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  access_count integer not null default 0,
  last_access_at timestamptz,
  constraint shares_pk primary key (id),
  constraint shares_item_fk foreign key (item_id) references documents.items (id),
  constraint shares_token_uq unique (token_hash),
  constraint shares_token_ck check (token_hash ~ '^[0-9a-f]{64}$'),
  constraint shares_expiry_ck check (
    expires_at >= created_at + interval '1 hour' and expires_at <= created_at + interval '30 days 1 minute'),
  constraint shares_count_ck check (access_count >= 0)
);
create index shares_item_ix on documents.shares (item_id, created_at desc);
comment on table documents.shares is 'Time-limited sharing links of a wallet item (/chia-se/{token}); the token itself is never stored';
comment on column documents.shares.id is 'Identifier (UUID)';
comment on column documents.shares.item_id is 'The item shared';
comment on column documents.shares.token_hash is 'SHA-256 of the link''s token, lowercase hex';
comment on column documents.shares.created_by is 'The account that made the link (the item''s owner)';
comment on column documents.shares.created_at is 'When it was made';
comment on column documents.shares.expires_at is 'When it stops working (1 hour to 30 days after it was made)';
comment on column documents.shares.revoked_at is 'When the owner revoked it';
comment on column documents.shares.access_count is 'How many times the link was opened or its file downloaded';
comment on column documents.shares.last_access_at is 'The last time it was';

create table documents.share_accesses (
  id bigint generated always as identity,
  share_id uuid not null,
  at timestamptz not null default now(),
  what text not null,
  outcome text not null,
  address_hash text,
  constraint share_accesses_pk primary key (id),
  constraint share_accesses_share_fk foreign key (share_id) references documents.shares (id),
  constraint share_accesses_what_ck check (what in ('view', 'download')),
  constraint share_accesses_outcome_ck check (outcome in ('served', 'expired', 'revoked', 'deleted'))
);
create index share_accesses_share_ix on documents.share_accesses (share_id, at desc);
comment on table documents.share_accesses is 'Every use of a sharing link, served or refused';
comment on column documents.share_accesses.share_id is 'The link';
comment on column documents.share_accesses.at is 'When';
comment on column documents.share_accesses.what is 'view (the page) or download (the file)';
comment on column documents.share_accesses.outcome is 'served, or why not: expired, revoked, deleted (the item was removed)';
comment on column documents.share_accesses.address_hash is 'HMAC of the client address (abuse reviews, not identity)';

create table documents.consents (
  id uuid not null,
  owner_id text not null,
  agency_code text not null,
  procedure_code text,
  valid_until timestamptz not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  constraint consents_pk primary key (id),
  constraint consents_agency_ck check (agency_code ~ '^[A-ZĐ0-9][A-ZĐ0-9-]{1,39}$'),
  constraint consents_procedure_ck check (procedure_code is null or length(procedure_code) between 1 and 40),
  constraint consents_until_ck check (valid_until > created_at)
);
create index consents_owner_ix on documents.consents (owner_id, created_at desc);
comment on table documents.consents is 'An owner''s consent that an agency fetch documents from their wallet (for one procedure, or any), until a date';
comment on column documents.consents.id is 'Identifier (UUID)';
comment on column documents.consents.owner_id is 'The account whose wallet it opens';
comment on column documents.consents.agency_code is 'The agency whose systems (client credentials with the agency) may fetch';
comment on column documents.consents.procedure_code is 'The procedure (MaThuTuc) it is limited to; none: any procedure';
comment on column documents.consents.valid_until is 'When it ends';
comment on column documents.consents.created_at is 'When it was given';
comment on column documents.consents.revoked_at is 'When the owner withdrew it';

create table documents.fetches (
  id bigint generated always as identity,
  at timestamptz not null default now(),
  client_id text not null,
  client_name text not null,
  agency_code text not null,
  owner_id text not null,
  consent_id uuid not null,
  procedure_code text,
  channel text,
  requester_name text,
  requester_id_number text,
  requested jsonb not null,
  item_ids uuid[] not null default '{}',
  constraint fetches_pk primary key (id),
  constraint fetches_consent_fk foreign key (consent_id) references documents.consents (id)
);
create index fetches_owner_ix on documents.fetches (owner_id, at desc);
comment on table documents.fetches is 'Every fetch of an agency system from a wallet, with the consent it relied on (the owner sees them)';
comment on column documents.fetches.at is 'When';
comment on column documents.fetches.client_id is 'The agency system (OAuth client_id)';
comment on column documents.fetches.client_name is 'Its name, as shown to the owner';
comment on column documents.fetches.agency_code is 'The agency of the consent the fetch relied on';
comment on column documents.fetches.owner_id is 'Whose wallet';
comment on column documents.fetches.consent_id is 'The consent';
comment on column documents.fetches.procedure_code is 'MaThuTuc of the request';
comment on column documents.fetches.channel is 'KenhThucHien of the request';
comment on column documents.fetches.requester_name is 'HoTenNguoiYeuCau: the official who asked';
comment on column documents.fetches.requester_id_number is 'SoDinhDanhNguoiYeuCau: that official''s ID number (never shown publicly)';
comment on column documents.fetches.requested is 'DanhSachDanhMucKetQua as asked: [{MaKetQua, SoKyHieu}]';
comment on column documents.fetches.item_ids is 'The items given (download links issued)';
