-- Documents: certified electronic copies from paper originals, the offices' signing keys, the electronic
-- certification register, the citizens' and businesses' wallet (kho dữ liệu điện tử), sharing links,
-- verifications and agencies' fetches (docs/documents.md). Appointments are 0077.

create schema if not exists documents;

create table documents.offices (
  agency_code text not null,
  kind text not null,
  name text not null,
  commune_code text,
  province_code text not null,
  address text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  constraint offices_pk primary key (agency_code),
  constraint offices_kind_ck check (kind in ('commune', 'notary')),
  constraint offices_name_ck check (length(name) between 1 and 300),
  constraint offices_province_ck check (province_code ~ '^[0-9]{2}$'),
  constraint offices_commune_ck check (commune_code is null or commune_code ~ '^[0-9]{5}$')
);
create index offices_commune_ix on documents.offices (commune_code);
create index offices_province_ix on documents.offices (province_code);
comment on table documents.offices is 'Certifying offices: commune People''s Committees and notary offices that certify copies from originals';
comment on column documents.offices.agency_code is 'The agency (agencies module) whose officers with the certifier role certify here';
comment on column documents.offices.kind is 'commune (Ủy ban nhân dân xã, phường, đặc khu) or notary (tổ chức hành nghề công chứng)';
comment on column documents.offices.name is 'The name shown to citizens and printed in the certification block';
comment on column documents.offices.commune_code is 'Statistical code of the commune it sits in (5 digits)';
comment on column documents.offices.province_code is 'Statistical code of its province (2 digits)';
comment on column documents.offices.address is 'Where the citizen brings the original';
comment on column documents.offices.active is 'Whether it takes appointments and certifies now';
comment on column documents.offices.created_at is 'When the office was registered';

create table documents.trusted_roots (
  id bigint generated always as identity,
  subject text not null,
  serial_hex text not null,
  sha256 text not null,
  certificate bytea not null,
  source text not null,
  added_at timestamptz not null default now(),
  constraint trusted_roots_pk primary key (id),
  constraint trusted_roots_sha_uq unique (sha256),
  constraint trusted_roots_source_ck check (source in ('demo', 'operator'))
);
comment on table documents.trusted_roots is 'Root certificates the verification of signatures trusts';
comment on column documents.trusted_roots.subject is 'Subject of the root, as text (UTF-8)';
comment on column documents.trusted_roots.serial_hex is 'Serial number, uppercase hex (as the signing library gives it)';
comment on column documents.trusted_roots.sha256 is 'SHA-256 of the DER, lowercase hex';
comment on column documents.trusted_roots.certificate is 'The certificate, DER';
comment on column documents.trusted_roots.source is 'demo: made by the embedded demo on first start; operator: added by the operator';
comment on column documents.trusted_roots.added_at is 'When it was added';

create table documents.signing_keys (
  id bigint generated always as identity,
  agency_code text not null,
  subject text not null,
  serial_hex text not null,
  issuer text not null,
  certificate bytea not null,
  chain bytea[] not null default '{}',
  not_before timestamptz not null,
  not_after timestamptz not null,
  key_ref text not null,
  status text not null default 'active',
  revoked_at timestamptz,
  revoked_reason text,
  revoked_by text,
  created_at timestamptz not null default now(),
  constraint signing_keys_pk primary key (id),
  constraint signing_keys_issuer_serial_uq unique (issuer, serial_hex),
  constraint signing_keys_status_ck check (status in ('active', 'retired', 'revoked')),
  constraint signing_keys_revoked_ck check ((status = 'revoked') = (revoked_at is not null)),
  constraint signing_keys_validity_ck check (not_before < not_after)
);
create unique index signing_keys_active_uq on documents.signing_keys (agency_code) where status = 'active';
comment on table documents.signing_keys is 'Offices'' signing certificates and where their private keys are';
comment on column documents.signing_keys.agency_code is 'The office (agency) the certificate names';
comment on column documents.signing_keys.subject is 'Subject, as text (UTF-8)';
comment on column documents.signing_keys.serial_hex is 'Serial number, uppercase hex (as the signing library gives it)';
comment on column documents.signing_keys.issuer is 'Issuer, as text (UTF-8)';
comment on column documents.signing_keys.certificate is 'The certificate, DER';
comment on column documents.signing_keys.chain is 'The certificates between it and the root, issuer first, DER';
comment on column documents.signing_keys.not_before is 'Start of validity';
comment on column documents.signing_keys.not_after is 'End of validity';
comment on column documents.signing_keys.key_ref is 'Where the private key is: p12:<file under DATA_DIR/pki> for the software key, or the reference a hardware module or remote signing service understands';
comment on column documents.signing_keys.status is 'active (signs now; one per office), retired (replaced, its signatures stay valid), revoked';
comment on column documents.signing_keys.revoked_at is 'From when the certificate is revoked: signatures made after it are not valid';
comment on column documents.signing_keys.revoked_reason is 'Why it was revoked';
comment on column documents.signing_keys.revoked_by is 'Who revoked it (officer:<account id>)';
comment on column documents.signing_keys.created_at is 'When it was registered';

create table documents.registers (
  id bigint generated always as identity,
  agency_code text not null,
  kind text not null,
  year integer not null,
  book text not null,
  next_number integer not null default 1,
  opened_at timestamptz not null default now(),
  closed_at timestamptz,
  constraint registers_pk primary key (id),
  constraint registers_kind_ck check (kind in ('SCT/BS')),
  constraint registers_year_ck check (year between 2000 and 2200),
  constraint registers_next_ck check (next_number >= 1),
  constraint registers_book_uq unique (agency_code, book)
);
create unique index registers_open_uq on documents.registers (agency_code, kind, year) where closed_at is null;
comment on table documents.registers is 'Electronic certification registers (sổ chứng thực): one open per office, kind and year; numbers sequential and gapless';
comment on column documents.registers.agency_code is 'The office keeping it';
comment on column documents.registers.kind is 'SCT/BS: copies certified from originals';
comment on column documents.registers.year is 'The year it is for';
comment on column documents.registers.book is 'The book number as printed, e.g. 01/2026-SCT/BS';
comment on column documents.registers.next_number is 'The number the next entry takes (taken in the transaction that writes the entry)';
comment on column documents.registers.opened_at is 'When it was opened';
comment on column documents.registers.closed_at is 'When it was closed (the end of the year or a full book)';

create table documents.certifications (
  id uuid not null,
  agency_code text not null,
  certifier_id text not null,
  source text not null,
  appointment_id uuid,
  dossier_code text,
  requester_account_id text,
  requester_name text not null,
  requester_id_number text,
  document_type text not null,
  document_title text not null,
  document_issuer text,
  document_number text,
  document_date date,
  pages integer not null,
  copies integer not null,
  fee integer not null,
  payment_id uuid,
  status text not null,
  scan_key text not null,
  scan_sha256 text not null,
  register_id bigint,
  register_number integer,
  public_code text not null,
  signed_key text,
  signed_sha256 text,
  signed_size integer,
  created_at timestamptz not null default now(),
  paid_at timestamptz,
  numbered_at timestamptz,
  issued_at timestamptz,
  cancelled_at timestamptz,
  revoked_at timestamptz,
  revoked_reason text,
  revoked_by text,
  idempotency_key text,
  request_hash text,
  constraint certifications_pk primary key (id),
  constraint certifications_idempotency_uq unique (certifier_id, idempotency_key),
  constraint certifications_register_fk foreign key (register_id) references documents.registers (id),
  constraint certifications_entry_uq unique (register_id, register_number),
  constraint certifications_code_uq unique (public_code),
  constraint certifications_source_ck check (source in ('appointment', 'walk-in', 'dossier')),
  constraint certifications_status_ck check (status in ('awaiting-fee', 'numbered', 'issued', 'cancelled')),
  constraint certifications_pages_ck check (pages between 1 and 500),
  constraint certifications_copies_ck check (copies between 1 and 100),
  constraint certifications_fee_ck check (fee >= 0),
  constraint certifications_numbered_ck check ((status in ('numbered', 'issued')) = (register_number is not null)),
  constraint certifications_issued_ck check ((status = 'issued') = (signed_key is not null)),
  constraint certifications_scan_sha_ck check (scan_sha256 ~ '^[0-9a-f]{64}$'),
  constraint certifications_signed_sha_ck check (signed_sha256 is null or signed_sha256 ~ '^[0-9a-f]{64}$'),
  constraint certifications_revoked_ck check (revoked_at is null or status = 'issued')
);
create unique index certifications_signed_sha_uq on documents.certifications (signed_sha256) where signed_sha256 is not null;
create unique index certifications_payment_uq on documents.certifications (payment_id) where payment_id is not null;
create index certifications_office_ix on documents.certifications (agency_code, created_at desc);
create index certifications_requester_ix on documents.certifications (requester_account_id) where requester_account_id is not null;
create index certifications_numbered_ix on documents.certifications (numbered_at) where status = 'numbered';
comment on table documents.certifications is 'Acts of certification of a copy from its paper original, with their register entry and signed copy';
comment on column documents.certifications.id is 'Identifier (UUID)';
comment on column documents.certifications.agency_code is 'The certifying office';
comment on column documents.certifications.certifier_id is 'The certifier (account id) who compared the copy with the original';
comment on column documents.certifications.source is 'appointment, walk-in, or dossier (filed online for procedure 2.000815)';
comment on column documents.certifications.appointment_id is 'The appointment it came from';
comment on column documents.certifications.dossier_code is 'The dossier it came from';
comment on column documents.certifications.requester_account_id is 'The portal account the copy is delivered to (its wallet), when the requester has one';
comment on column documents.certifications.requester_name is 'The requester''s name as presented';
comment on column documents.certifications.requester_id_number is 'The requester''s ID number as presented (never shown publicly)';
comment on column documents.certifications.document_type is 'Type of the original (a code of the document types list, or other)';
comment on column documents.certifications.document_title is 'Title of the original as shown to its owner';
comment on column documents.certifications.document_issuer is 'Who issued the original';
comment on column documents.certifications.document_number is 'The original''s number (số ký hiệu)';
comment on column documents.certifications.document_date is 'The original''s date of issue';
comment on column documents.certifications.pages is 'Pages of the original';
comment on column documents.certifications.copies is 'Copies certified (the fee is per copy)';
comment on column documents.certifications.fee is 'The fee in đồng (Circular 226/2016/TT-BTC)';
comment on column documents.certifications.payment_id is 'The payment of the fee (payments module)';
comment on column documents.certifications.status is 'awaiting-fee, numbered (register number taken, signing pending), issued, cancelled';
comment on column documents.certifications.scan_key is 'Blob key of the scan of the original, as a PDF';
comment on column documents.certifications.scan_sha256 is 'SHA-256 of the scan PDF';
comment on column documents.certifications.register_id is 'The register the entry is in';
comment on column documents.certifications.register_number is 'The entry''s number in the register (số chứng thực)';
comment on column documents.certifications.public_code is 'The code printed under the QR; /xac-thuc/{code} shows the entry';
comment on column documents.certifications.signed_key is 'Blob key of the stamped and signed copy';
comment on column documents.certifications.signed_sha256 is 'SHA-256 of the signed copy: verification finds the entry by it';
comment on column documents.certifications.signed_size is 'Size of the signed copy in bytes';
comment on column documents.certifications.created_at is 'When the certifier opened it';
comment on column documents.certifications.paid_at is 'When the fee was paid';
comment on column documents.certifications.numbered_at is 'When the register number was taken';
comment on column documents.certifications.issued_at is 'When the signed copy was stored';
comment on column documents.certifications.cancelled_at is 'When it was cancelled before issue';
comment on column documents.certifications.revoked_at is 'When the copy was revoked: verification says so from then on';
comment on column documents.certifications.revoked_reason is 'Why it was revoked';
comment on column documents.certifications.revoked_by is 'Who revoked it (officer:<account id>)';
comment on column documents.certifications.idempotency_key is 'The Idempotency-Key the certifier''s API request carried: the same key opens nothing new';
comment on column documents.certifications.request_hash is 'SHA-256 of that request: the same key with another request is refused';

create table documents.items (
  id uuid not null,
  owner_id text not null,
  kind text not null,
  document_type text not null,
  title text not null,
  issuer text,
  number text,
  issued_on date,
  expires_on date,
  blob_key text not null,
  sha256 text not null,
  size_bytes integer not null,
  content_type text not null,
  certification_id uuid,
  dossier_code text,
  signed boolean not null default false,
  created_at timestamptz not null default now(),
  deleted_at timestamptz,
  constraint items_pk primary key (id),
  constraint items_certification_fk foreign key (certification_id) references documents.certifications (id),
  constraint items_kind_ck check (kind in ('certified-copy', 'dossier-result', 'upload')),
  constraint items_title_ck check (length(title) between 1 and 500),
  constraint items_sha_ck check (sha256 ~ '^[0-9a-f]{64}$'),
  constraint items_size_ck check (size_bytes > 0),
  constraint items_dates_ck check (expires_on is null or issued_on is null or expires_on >= issued_on)
);
create index items_owner_ix on documents.items (owner_id, created_at desc) where deleted_at is null;
create unique index items_certification_uq on documents.items (owner_id, certification_id) where certification_id is not null;
create unique index items_result_uq on documents.items (owner_id, dossier_code, sha256) where kind = 'dossier-result';
comment on table documents.items is 'The wallet (kho dữ liệu điện tử): each account''s certified copies, signed dossier results and own uploads';
comment on column documents.items.id is 'Identifier (UUID)';
comment on column documents.items.owner_id is 'The account that owns it (citizen, business or organisation)';
comment on column documents.items.kind is 'certified-copy, dossier-result, or upload (the owner''s own file, not verified)';
comment on column documents.items.document_type is 'Type of document (a code of the document types list, or other)';
comment on column documents.items.title is 'Title shown to the owner';
comment on column documents.items.issuer is 'Who issued it (for a result: the agency; for a copy: the certifying office)';
comment on column documents.items.number is 'Its number (số ký hiệu; MaKetQua/SoKyHieu in the e-document store)';
comment on column documents.items.issued_on is 'Date of issue';
comment on column documents.items.expires_on is 'Date it stops being valid, if any';
comment on column documents.items.blob_key is 'Blob key of the file';
comment on column documents.items.sha256 is 'SHA-256 of the file';
comment on column documents.items.size_bytes is 'Size of the file in bytes';
comment on column documents.items.content_type is 'Type found from the content (application/pdf, image/jpeg, image/png)';
comment on column documents.items.certification_id is 'The certification it is the copy of';
comment on column documents.items.dossier_code is 'The dossier it is the result of';
comment on column documents.items.signed is 'Its signature was verified by the portal when it entered the wallet';
comment on column documents.items.created_at is 'When it entered the wallet';
comment on column documents.items.deleted_at is 'When the owner removed it from the wallet';

create table documents.verifications (
  id bigint generated always as identity,
  at timestamptz not null default now(),
  channel text not null,
  sha256 text,
  certification_id uuid,
  valid boolean not null,
  reasons text[] not null default '{}',
  address_hash text,
  constraint verifications_pk primary key (id),
  constraint verifications_channel_ck check (channel in ('api', 'page', 'qr'))
);
create index verifications_certification_ix on documents.verifications (certification_id, at desc) where certification_id is not null;
comment on table documents.verifications is 'Every verification of a document (who asked is not recorded beyond a hash of the address)';
comment on column documents.verifications.at is 'When';
comment on column documents.verifications.channel is 'api (POST /api/v1/verifications), page (upload on /xac-thuc-ban-sao), qr (the QR''s link)';
comment on column documents.verifications.sha256 is 'SHA-256 of the file checked (none for a QR look-up)';
comment on column documents.verifications.certification_id is 'The certification it matched, if any';
comment on column documents.verifications.valid is 'The verdict';
comment on column documents.verifications.reasons is 'Codes of the reasons (unsigned, altered, untrusted, revoked, …)';
comment on column documents.verifications.address_hash is 'HMAC of the client address (rate limits and abuse reviews, not identity)';
