-- Feedback and petitions (phản ánh, kiến nghị — PAKN): items sent by citizens and businesses about
-- administrative regulations and how dossiers are handled, triaged by the Government Office (VPCP),
-- routed to agencies, answered and published (docs/feedback.md, reference/oversight.md). Public search
-- reads only feedback.published, which holds no contact data.

create schema if not exists feedback;

create sequence feedback.item_number_seq;
comment on sequence feedback.item_number_seq is 'Numbers of feedback codes (PAKN-YYYY-NNNNNNN)';

create table feedback.items (
  id uuid not null default gen_random_uuid(),
  code text not null,
  title text not null,
  content text not null,
  category text not null,
  procedure_code text,
  dossier_code text,
  concerned_agency text,
  status text not null,
  revision integer not null default 0,
  channel text not null,
  submitter_account_id uuid,
  submitter_key text not null,
  submitter_name text not null,
  submitter_phone text,
  submitter_email text,
  submitter_address text,
  idempotency_key text not null,
  regime jsonb not null,
  submitted_at timestamptz not null,
  accepted_at timestamptz,
  refused_at timestamptz,
  asked_at timestamptz,
  forwarded_at timestamptz,
  answered_at timestamptz,
  closed_at timestamptz,
  pauses jsonb not null default '[]'::jsonb,
  reason text,
  rated_satisfied boolean,
  rated_at timestamptz,
  constraint items_pk primary key (id),
  constraint items_code_uq unique (code),
  constraint items_idempotency_uq unique (submitter_key, idempotency_key),
  constraint items_status_ck check (status in ('submitted', 'supplemented', 'awaiting-info', 'accepted', 'refused',
    'forwarded', 'passed', 'handling', 'external', 'returned', 'answered', 'published', 'withheld')),
  constraint items_category_ck check (category in ('regulation', 'dossier-handling', 'other')),
  constraint items_channel_ck check (channel in ('web', 'api', 'hotline')),
  constraint items_code_ck check (code ~ '^PAKN-[0-9]{4}-[0-9]{7}$'),
  constraint items_title_ck check (length(title) between 1 and 300),
  constraint items_content_ck check (length(content) between 1 and 10000),
  constraint items_contact_ck check (submitter_account_id is not null or submitter_phone is not null or submitter_email is not null),
  constraint items_idempotency_ck check (length(idempotency_key) between 1 and 200),
  constraint items_rating_ck check ((rated_satisfied is null) = (rated_at is null)),
  constraint items_pauses_ck check (jsonb_typeof(pauses) = 'array')
);
create index items_status_ix on feedback.items (status, submitted_at);
create index items_submitter_ix on feedback.items (submitter_account_id, submitted_at desc) where submitter_account_id is not null;
comment on table feedback.items is 'Feedback items (PAKN): one row per item, its current state; history in feedback.events';
comment on column feedback.items.id is 'Technical identifier';
comment on column feedback.items.code is 'The item''s public code, PAKN-YYYY-NNNNNNN (year of submission, number)';
comment on column feedback.items.title is 'Title written by the submitter';
comment on column feedback.items.content is 'Content written by the submitter (supplements are events)';
comment on column feedback.items.category is 'regulation (quy định hành chính), dossier-handling (hành vi hành chính, xử lý hồ sơ) or other';
comment on column feedback.items.procedure_code is 'The procedure concerned (catalogue code), checked against the catalogue at submission';
comment on column feedback.items.dossier_code is 'The dossier concerned, checked at submission';
comment on column feedback.items.concerned_agency is 'The agency the submitter names as concerned (agencies module code)';
comment on column feedback.items.status is 'Current status (kernel FEEDBACK_STATUSES; names in reference/oversight.md)';
comment on column feedback.items.revision is 'Bumped by every change; a change applies only at the revision it was decided on';
comment on column feedback.items.channel is 'web (the portal''s form), api (POST /api/v1/feedback) or hotline (logged by an operator)';
comment on column feedback.items.submitter_account_id is 'The portal account that sent it; null for an anonymous submitter';
comment on column feedback.items.submitter_key is 'account:<id> or contact:<verified phone or e-mail>: whose idempotency keys these are';
comment on column feedback.items.submitter_name is 'Name of the submitter; never shown publicly';
comment on column feedback.items.submitter_phone is 'Phone number (normalised); verified by a one-time code when anonymous; never public';
comment on column feedback.items.submitter_email is 'E-mail (lower case); verified by a one-time code when anonymous; never public';
comment on column feedback.items.submitter_address is 'Postal address if given; never public';
comment on column feedback.items.idempotency_key is 'The Idempotency-Key of the request that created it (or the form''s token)';
comment on column feedback.items.regime is 'Limits in working days at submission: {refuseWithin, askInfoWithin, handleWithin, publishWithin, warnWithin}';
comment on column feedback.items.submitted_at is 'When it was submitted: the clocks start here';
comment on column feedback.items.accepted_at is 'When the Government Office accepted it';
comment on column feedback.items.refused_at is 'When it was refused';
comment on column feedback.items.asked_at is 'When more information was first asked for';
comment on column feedback.items.forwarded_at is 'When it was first forwarded to an agency (the handling clock starts)';
comment on column feedback.items.answered_at is 'When the answer was complete (status answered)';
comment on column feedback.items.closed_at is 'When it was published or withheld';
comment on column feedback.items.pauses is 'Requests for more information as [{from, to}] (ISO instants, to null while open): the clock stops';
comment on column feedback.items.reason is 'Reason of a refusal or of withholding the answer';
comment on column feedback.items.rated_satisfied is 'The submitter''s rating of the answer: satisfied (true) or not (false)';
comment on column feedback.items.rated_at is 'When the submitter rated the answer';

create table feedback.routes (
  item_id uuid not null,
  agency_code text not null,
  state text not null,
  via text not null,
  routed_at timestamptz not null,
  updated_at timestamptz not null,
  constraint routes_pk primary key (item_id, agency_code),
  constraint routes_item_fk foreign key (item_id) references feedback.items (id) on delete cascade,
  constraint routes_state_ck check (state in ('forwarded', 'handling', 'external', 'answered', 'returned', 'passed')),
  constraint routes_via_ck check (via in ('vpcp', 'pass'))
);
create index routes_agency_ix on feedback.routes (agency_code, state, routed_at);
comment on table feedback.routes is 'Where an item is routed: one row per agency it was forwarded or passed to';
comment on column feedback.routes.item_id is 'The item';
comment on column feedback.routes.agency_code is 'The agency (agencies module code) whose officers handle this route';
comment on column feedback.routes.state is 'forwarded, handling, external (in the agency''s own software), answered, returned (to VPCP) or passed (to another agency)';
comment on column feedback.routes.via is 'vpcp: forwarded by the Government Office; pass: passed on by another agency';
comment on column feedback.routes.routed_at is 'When the agency got it (last forwarding or passing)';
comment on column feedback.routes.updated_at is 'When the route''s state last changed';

create table feedback.events (
  id bigint generated always as identity,
  item_id uuid not null,
  at timestamptz not null,
  actor text not null,
  action text not null,
  from_status text,
  to_status text not null,
  agency_code text,
  data jsonb not null default '{}'::jsonb,
  constraint events_pk primary key (id),
  constraint events_item_fk foreign key (item_id) references feedback.items (id) on delete cascade,
  constraint events_action_ck check (action in ('submit', 'accept', 'refuse', 'ask-info', 'supplement', 'forward',
    'receive', 'hand-off', 'answer', 'return', 'pass', 'publish', 'withhold', 'rate'))
);
create index events_item_ix on feedback.events (item_id, id);
comment on table feedback.events is 'Append-only history of every action on an item (the audit log holds the same, hash-chained)';
comment on column feedback.events.id is 'Order of the events';
comment on column feedback.events.item_id is 'The item';
comment on column feedback.events.at is 'When the action was taken';
comment on column feedback.events.actor is 'user:<id>, officer:<id>, contact:<verified contact> or client:<id>';
comment on column feedback.events.action is 'The workflow action (domain/workflow.ts)';
comment on column feedback.events.from_status is 'Status before (null for submit)';
comment on column feedback.events.to_status is 'Status after';
comment on column feedback.events.agency_code is 'The agency the officer acted for (agency actions)';
comment on column feedback.events.data is 'The action''s input: reason, question, supplement text, agencies forwarded to, rating';

create table feedback.answers (
  id bigint generated always as identity,
  item_id uuid not null,
  agency_code text,
  body text not null,
  answered_by uuid not null,
  answered_at timestamptz not null,
  constraint answers_pk primary key (id),
  constraint answers_item_fk foreign key (item_id) references feedback.items (id) on delete cascade,
  constraint answers_body_ck check (length(body) between 1 and 20000)
);
create index answers_item_ix on feedback.answers (item_id, id);
comment on table feedback.answers is 'Answers given: one per answering agency (or the Government Office itself)';
comment on column feedback.answers.id is 'Order of the answers';
comment on column feedback.answers.item_id is 'The item answered';
comment on column feedback.answers.agency_code is 'The answering agency; null when the Government Office answered';
comment on column feedback.answers.body is 'The answer''s text, published with the item';
comment on column feedback.answers.answered_by is 'The officer''s account';
comment on column feedback.answers.answered_at is 'When it was given';

create table feedback.attachments (
  id uuid not null default gen_random_uuid(),
  item_id uuid not null,
  file_name text not null,
  media_type text not null,
  size_bytes integer not null,
  sha256 text not null,
  blob_key text not null,
  uploaded_at timestamptz not null,
  constraint attachments_pk primary key (id),
  constraint attachments_item_fk foreign key (item_id) references feedback.items (id) on delete cascade,
  constraint attachments_type_ck check (media_type in ('image/jpeg', 'application/pdf', 'application/msword',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.ms-excel',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')),
  constraint attachments_size_ck check (size_bytes between 1 and 10485760),
  constraint attachments_sha_ck check (sha256 ~ '^[0-9a-f]{64}$')
);
create index attachments_item_ix on feedback.attachments (item_id);
comment on table feedback.attachments is 'Files attached by the submitter (JPG, PDF, DOC, DOCX, XLS, XLSX; type checked by content; 10 MB)';
comment on column feedback.attachments.id is 'Technical identifier';
comment on column feedback.attachments.item_id is 'The item';
comment on column feedback.attachments.file_name is 'File name as given (cleaned)';
comment on column feedback.attachments.media_type is 'Media type found from the content';
comment on column feedback.attachments.size_bytes is 'Size in bytes';
comment on column feedback.attachments.sha256 is 'SHA-256 of the content, lowercase hex';
comment on column feedback.attachments.blob_key is 'Where the blob store keeps it';
comment on column feedback.attachments.uploaded_at is 'When it was uploaded';

create table feedback.contact_codes (
  id uuid not null default gen_random_uuid(),
  destination text not null,
  channel text not null,
  code_hash text not null,
  attempts integer not null default 0,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  consumed_at timestamptz,
  constraint contact_codes_pk primary key (id),
  constraint contact_codes_channel_ck check (channel in ('sms', 'email')),
  constraint contact_codes_attempts_ck check (attempts >= 0)
);
create index contact_codes_expiry_ix on feedback.contact_codes (expires_at);
comment on table feedback.contact_codes is 'One-time codes proving an anonymous submitter''s phone or e-mail';
comment on column feedback.contact_codes.id is 'The challenge''s identifier, given to the submitter with the code''s message';
comment on column feedback.contact_codes.destination is 'Normalised phone number or lower-case e-mail';
comment on column feedback.contact_codes.channel is 'sms or email';
comment on column feedback.contact_codes.code_hash is 'HMAC-SHA-256 of the code (never the code)';
comment on column feedback.contact_codes.attempts is 'Wrong codes tried; the challenge dies at the limit';
comment on column feedback.contact_codes.created_at is 'When the code was sent';
comment on column feedback.contact_codes.expires_at is 'When the code stops working';
comment on column feedback.contact_codes.consumed_at is 'When a submission used it (once)';

-- The public side: one narrow row per published item, written in the transaction that publishes it. Search
-- folds text in the application (no diacritics, đ → d) into a `simple` tsvector, as the catalogue does
-- (docs/decisions/0010): no extension, the same on PGlite and PostgreSQL. No contact data here.
create table feedback.published (
  item_id uuid not null,
  code text not null,
  title text not null,
  content text not null,
  category text not null,
  procedure_code text,
  agency_codes text[] not null,
  answer text not null,
  submitted_at timestamptz not null,
  answered_at timestamptz not null,
  published_at timestamptz not null,
  handled_on_time boolean not null,
  handling_tenths integer not null,
  handling_limit_days integer not null,
  document tsvector not null,
  constraint published_pk primary key (item_id),
  constraint published_code_uq unique (code),
  constraint published_item_fk foreign key (item_id) references feedback.items (id) on delete cascade,
  constraint published_handling_ck check (handling_tenths >= 0 and handling_limit_days >= 0)
);
create index published_document_ix on feedback.published using gin (document);
create index published_recent_ix on feedback.published (published_at desc, code desc);
create index published_procedure_ix on feedback.published (procedure_code, published_at desc);
create index published_agencies_ix on feedback.published using gin (agency_codes);
comment on table feedback.published is 'Published items with their answers: what the public reads and searches';
comment on column feedback.published.item_id is 'The item';
comment on column feedback.published.code is 'The item''s public code';
comment on column feedback.published.title is 'Title';
comment on column feedback.published.content is 'Content as submitted (plus supplements)';
comment on column feedback.published.category is 'regulation, dossier-handling or other';
comment on column feedback.published.procedure_code is 'The procedure concerned';
comment on column feedback.published.agency_codes is 'The agencies that answered (and the agency concerned)';
comment on column feedback.published.answer is 'The answers, in order, as published';
comment on column feedback.published.submitted_at is 'When it was submitted';
comment on column feedback.published.answered_at is 'When it was answered';
comment on column feedback.published.published_at is 'When it was published; newest first';
comment on column feedback.published.handled_on_time is 'Whether the answer came within the handling limit (pauses not counted)';
comment on column feedback.published.handling_tenths is 'Working days the handling took, in tenths (from forwarding, or submission, to the answer; pauses not counted)';
comment on column feedback.published.handling_limit_days is 'The handling limit of the item''s regime, in working days';
comment on column feedback.published.document is 'Folded words (simple configuration): A title, B content, C answer';
