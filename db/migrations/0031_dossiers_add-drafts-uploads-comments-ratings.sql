-- What the dossiers' pages and API add to migration 0030: files uploaded before they belong to a
-- dossier (staged uploads, in the blob store), e-form drafts with the one-time token of their filing
-- form, the officers' internal comments, the applicants' ratings after the result, and the officer a
-- dossier is assigned to (the inbox's "mine").

create table dossiers.uploads (
  id uuid not null default gen_random_uuid(),
  account_id uuid not null,
  document_code text,
  file_name text not null,
  media_type text not null,
  size_bytes bigint not null,
  sha256 text not null,
  blob_key text not null,
  created_at timestamptz not null default now(),
  used_by_dossier text,
  constraint uploads_pk primary key (id),
  constraint uploads_document_code_ck check (document_code ~ '^[0-9A-Za-z][0-9A-Za-z._-]{0,59}$'),
  constraint uploads_file_name_ck check (length(file_name) between 1 and 255),
  constraint uploads_media_type_ck check (media_type ~ '^[a-z]+/[a-z0-9.+-]+$'),
  constraint uploads_size_ck check (size_bytes > 0),
  constraint uploads_sha256_ck check (sha256 ~ '^[0-9a-f]{64}$'),
  constraint uploads_blob_key_ck check (length(blob_key) between 1 and 300)
);
create index uploads_account_ix on dossiers.uploads (account_id, created_at desc);
comment on table dossiers.uploads is 'Files an applicant or officer uploaded (content type checked by magic bytes, hashed), before they are attached to a dossier';
comment on column dossiers.uploads.id is 'The upload''s id (what an e-form''s file slot holds)';
comment on column dossiers.uploads.account_id is 'Who uploaded it (identity.accounts); only they may attach it';
comment on column dossiers.uploads.document_code is 'The procedure document (file slot) it was uploaded for, if any';
comment on column dossiers.uploads.file_name is 'The file name as the uploader gave it (NFC)';
comment on column dossiers.uploads.media_type is 'The type found in the content (magic bytes), not the one the browser claimed';
comment on column dossiers.uploads.size_bytes is 'Size in bytes';
comment on column dossiers.uploads.sha256 is 'SHA-256 of the content, lowercase hex';
comment on column dossiers.uploads.blob_key is 'Key of the content in the blob store (local directory or S3-compatible bucket)';
comment on column dossiers.uploads.created_at is 'When it was uploaded';
comment on column dossiers.uploads.used_by_dossier is 'The dossier it was attached to (then it cannot be attached again)';

create table dossiers.drafts (
  id uuid not null default gen_random_uuid(),
  account_id uuid not null,
  procedure_code text not null,
  form_data jsonb not null default '{}'::jsonb,
  submit_token text not null,
  submitted_dossier text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint drafts_pk primary key (id),
  constraint drafts_procedure_code_ck check (procedure_code ~ '^[0-9A-Za-z][0-9A-Za-z._-]{0,59}$'),
  constraint drafts_form_data_ck check (jsonb_typeof(form_data) = 'object' and octet_length(form_data::text) <= 524288),
  constraint drafts_submit_token_ck check (submit_token ~ '^[A-Za-z0-9_-]{16,100}$')
);
create index drafts_account_ix on dossiers.drafts (account_id, updated_at desc);
comment on table dossiers.drafts is 'E-forms an applicant saved to finish later (Lưu nháp), one per filing in progress';
comment on column dossiers.drafts.id is 'The draft''s id (in its page''s address)';
comment on column dossiers.drafts.account_id is 'Whose draft it is (identity.accounts)';
comment on column dossiers.drafts.procedure_code is 'The procedure it is filed under';
comment on column dossiers.drafts.form_data is 'The answers so far, as the form posted them (file slots hold upload ids)';
comment on column dossiers.drafts.submit_token is 'The one-time token of the filing form: the idempotency key of its submission (a double submit makes one dossier)';
comment on column dossiers.drafts.submitted_dossier is 'The dossier its submission made; the draft is then closed';
comment on column dossiers.drafts.created_at is 'When it was started';
comment on column dossiers.drafts.updated_at is 'When it was last saved';

create table dossiers.comments (
  id bigint generated always as identity,
  dossier_code text not null,
  account_id uuid not null,
  author_name text not null,
  body text not null,
  created_at timestamptz not null default now(),
  constraint comments_pk primary key (id),
  constraint comments_body_ck check (length(body) between 1 and 4000),
  constraint comments_author_ck check (length(author_name) between 1 and 300)
);
create index comments_dossier_ix on dossiers.comments (dossier_code, created_at);
comment on table dossiers.comments is 'Officers'' internal comments on a dossier (never shown to the applicant)';
comment on column dossiers.comments.id is 'Order of writing';
comment on column dossiers.comments.dossier_code is 'The dossier (dossiers.dossiers.code)';
comment on column dossiers.comments.account_id is 'The officer who wrote it';
comment on column dossiers.comments.author_name is 'The officer''s name and title when it was written';
comment on column dossiers.comments.body is 'The comment';
comment on column dossiers.comments.created_at is 'When it was written';

create table dossiers.ratings (
  dossier_code text not null,
  account_id uuid not null,
  satisfied boolean not null,
  comment text,
  rated_at timestamptz not null default now(),
  constraint ratings_pk primary key (dossier_code),
  constraint ratings_comment_ck check (length(comment) <= 2000)
);
comment on table dossiers.ratings is 'The applicant''s rating of a dossier after its result (one per dossier)';
comment on column dossiers.ratings.dossier_code is 'The dossier rated';
comment on column dossiers.ratings.account_id is 'Who rated it (the applicant or a delegate)';
comment on column dossiers.ratings.satisfied is 'Satisfied (hài lòng) or not';
comment on column dossiers.ratings.comment is 'What they wrote, if anything';
comment on column dossiers.ratings.rated_at is 'When';

alter table dossiers.dossiers add column assignee_account_id uuid, add column assigned_at timestamptz;
comment on column dossiers.dossiers.assignee_account_id is 'The officer the dossier is assigned to now (inbox "mine"), if any';
comment on column dossiers.dossiers.assigned_at is 'When it was assigned';
create index dossiers_assignee_ix on dossiers.dossiers (assignee_account_id, due_at) where finished_at is null;
