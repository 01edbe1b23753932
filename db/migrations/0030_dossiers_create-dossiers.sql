-- Online dossiers (hồ sơ): one row per dossier with its current state, the processing history
-- (CapNhatTienDoHoSoMC rows, range-partitioned by month), attachments' metadata, the pauses of the
-- processing clock and the extensions (form 04), the per-unit daily counters behind dossier codes, and
-- the idempotency keys of submissions. The dossier code is the key everywhere (and the distribution
-- key if the tables are ever sharded). Account and agency ids point into other modules' schemas and are
-- not foreign keys (a module owns its tables).

create schema dossiers;

create table dossiers.dossiers (
  code text not null,
  procedure_code text not null,
  procedure_version integer not null,
  procedure_name text not null,
  process_id text not null,
  process_version integer not null,
  state text not null,
  status smallint not null,
  outcome text,
  channel text not null,
  applicant_account_id uuid not null,
  applicant_kind text not null,
  applicant_name text not null,
  filed_by_account_id uuid not null,
  summary text,
  receiving_agency_code text not null,
  competent_agency_code text not null,
  agency_identifier text not null,
  province_code text,
  commune_code text,
  submitted_at timestamptz not null,
  received_at timestamptz,
  processing_amount numeric(8, 2) not null,
  processing_unit text not null,
  rule_15h boolean not null,
  original_due_at timestamptz not null,
  due_at timestamptz not null,
  paused_since timestamptz,
  paused_minutes integer not null default 0,
  pause_count integer not null default 0,
  extension_count integer not null default 0,
  state_entered_at timestamptz not null,
  step_due_at timestamptz,
  finished_at timestamptz,
  returned_at timestamptz,
  form_data jsonb not null default '{}'::jsonb,
  revision integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint dossiers_pk primary key (code),
  constraint dossiers_code_ck check (code ~ '^[0-9A-Z]{1,13}(\.[0-9A-Z]{1,13}){1,6}-[0-9]{6}-[0-9]{4,6}$'),
  constraint dossiers_code_identifier_ck check (starts_with(code, agency_identifier || '-')),
  constraint dossiers_procedure_code_ck check (procedure_code ~ '^[0-9A-Za-z][0-9A-Za-z._-]{0,59}$'),
  constraint dossiers_procedure_version_ck check (procedure_version >= 1),
  constraint dossiers_procedure_name_ck check (length(procedure_name) between 1 and 500),
  constraint dossiers_process_ck check (process_id ~ '^[a-z][a-z0-9-]{0,39}$' and process_version >= 1),
  constraint dossiers_state_ck check (state ~ '^[a-z][a-z0-9-]{0,39}$'),
  constraint dossiers_status_ck check (status between 1 and 10),
  constraint dossiers_outcome_ck check (outcome in ('approved', 'rejected')),
  constraint dossiers_channel_ck check (channel in ('in-person', 'online', 'postal')),
  constraint dossiers_applicant_kind_ck check (applicant_kind in ('citizen', 'business', 'organisation', 'state-agency')),
  constraint dossiers_applicant_name_ck check (length(applicant_name) between 1 and 300),
  constraint dossiers_summary_ck check (length(summary) <= 1000),
  constraint dossiers_province_code_ck check (province_code ~ '^[0-9]{2}$'),
  constraint dossiers_commune_code_ck check (commune_code ~ '^[0-9]{5}$'),
  constraint dossiers_processing_ck check (processing_amount >= 0
    and processing_unit in ('working-day', 'working-hour', 'day', 'hour', 'month')),
  constraint dossiers_pause_ck check (paused_minutes >= 0 and pause_count >= 0 and extension_count >= 0),
  constraint dossiers_form_data_ck check (jsonb_typeof(form_data) = 'object' and octet_length(form_data::text) <= 524288),
  constraint dossiers_revision_ck check (revision >= 1)
);
create index dossiers_applicant_ix on dossiers.dossiers (applicant_account_id, submitted_at desc);
create index dossiers_filed_by_ix on dossiers.dossiers (filed_by_account_id, submitted_at desc);
create index dossiers_receiving_ix on dossiers.dossiers (receiving_agency_code, state, due_at);
create index dossiers_competent_ix on dossiers.dossiers (competent_agency_code, state, due_at);
create index dossiers_open_due_ix on dossiers.dossiers (due_at) where finished_at is null;
comment on table dossiers.dossiers is 'Dossiers filed with the portal, one row per dossier: its current state (the history is in dossiers.history)';
comment on column dossiers.dossiers.code is 'MaHoSo: {agency identifier}-{yyMMdd}-{NNNN}, the receiving unit''s identifier, the Vietnam date of submission and the unit''s sequence number of that day';
comment on column dossiers.dossiers.procedure_code is 'MaTTHC of the procedure filed under (catalogue)';
comment on column dossiers.dossiers.procedure_version is 'The published version of the procedure the dossier was filed under';
comment on column dossiers.dossiers.procedure_name is 'TenTTHC as it was at filing';
comment on column dossiers.dossiers.process_id is 'The process definition the dossier follows (e.g. one-stop)';
comment on column dossiers.dossiers.process_version is 'The version of the process definition the dossier started with; kept for ever';
comment on column dossiers.dossiers.state is 'Current state in the process definition (e.g. processing)';
comment on column dossiers.dossiers.status is 'TrangThaiHoSo 1–10 of the current state';
comment on column dossiers.dossiers.outcome is 'approved or rejected once an approver decided; null before';
comment on column dossiers.dossiers.channel is 'KenhThucHien: in-person (1), online (2), postal (3)';
comment on column dossiers.dossiers.applicant_account_id is 'MaDoiTuong: the account the dossier belongs to (the citizen, or the business a delegate filed for)';
comment on column dossiers.dossiers.applicant_kind is 'LoaiDoiTuong: citizen (1), business (2), state-agency (3), organisation (4)';
comment on column dossiers.dossiers.applicant_name is 'ChuHoSo: the applicant''s name at filing';
comment on column dossiers.dossiers.filed_by_account_id is 'The account that submitted: the applicant, or a delegate of the business';
comment on column dossiers.dossiers.summary is 'TrichYeuHoSo: a short description (up to 1000 characters)';
comment on column dossiers.dossiers.receiving_agency_code is 'The unit that receives the dossier and returns the result (agencies.agencies.code), usually a one-stop centre';
comment on column dossiers.dossiers.competent_agency_code is 'The agency competent to decide (agencies.agencies.code): where the dossier was routed, not where it was filed';
comment on column dossiers.dossiers.agency_identifier is 'The electronic identifier code (Decision 20/2020/QĐ-TTg) the dossier code starts with, owned by the receiving unit or an agency above it on the filing date';
comment on column dossiers.dossiers.province_code is 'The province the applicant chose (statistical code)';
comment on column dossiers.dossiers.commune_code is 'The commune the applicant chose (statistical code), when the procedure is handled at commune level';
comment on column dossiers.dossiers.submitted_at is 'NgayNopHoSo: when the dossier was submitted (the clock counts from here, by the filing rules)';
comment on column dossiers.dossiers.received_at is 'NgayTiepNhan: when the desk received it; null until then';
comment on column dossiers.dossiers.processing_amount is 'The processing time of the procedure for the channel, at filing';
comment on column dossiers.dossiers.processing_unit is 'Its unit: working-day, working-hour, day, hour or month';
comment on column dossiers.dossiers.rule_15h is 'The procedure counts a dossier received after 15:00 from the next working day';
comment on column dossiers.dossiers.original_due_at is 'The due date computed at filing, before any pause or extension';
comment on column dossiers.dossiers.due_at is 'NgayHenTra: the current due date (pauses and extensions applied)';
comment on column dossiers.dossiers.paused_since is 'Start of the open pause of the clock (a supplement is awaited); null when the clock runs';
comment on column dossiers.dossiers.paused_minutes is 'Working minutes of the closed pauses, in total';
comment on column dossiers.dossiers.pause_count is 'Number of pauses (supplement rounds), open one included';
comment on column dossiers.dossiers.extension_count is 'Number of extensions (forms 04)';
comment on column dossiers.dossiers.state_entered_at is 'When the dossier entered its current state (start of the current step)';
comment on column dossiers.dossiers.step_due_at is 'When the current step should be done by the process definition; null when it has no limit';
comment on column dossiers.dossiers.finished_at is 'NgayKetThucXuLy: when processing ended (result ready, refused, stopped, withdrawn)';
comment on column dossiers.dossiers.returned_at is 'NgayTra: when the result was returned';
comment on column dossiers.dossiers.form_data is 'The e-form as filled in (JSON object, at most 512 KiB)';
comment on column dossiers.dossiers.revision is 'Incremented by every action: an action applies only to the revision it was decided on';
comment on column dossiers.dossiers.created_at is 'When the row was written';
comment on column dossiers.dossiers.updated_at is 'When the row last changed';

-- The history is the big table (a billion rows over the years): range-partitioned by month on the
-- moment of the step. Rows land in the default partition until monthly partitions are made ahead of
-- time with dossiers.create_history_partition (a scheduled job's work).
create table dossiers.history (
  id bigint generated always as identity,
  dossier_code text not null,
  recorded_at timestamptz not null,
  action text not null,
  from_state text,
  to_state text not null,
  status smallint not null,
  actor_kind text not null,
  actor_account_id uuid,
  actor_name text not null,
  actor_title text,
  department text,
  agency_code text,
  content text not null,
  step_started_at timestamptz not null,
  step_due_at timestamptz,
  form text,
  details jsonb not null default '{}'::jsonb,
  constraint history_pk primary key (id, recorded_at),
  constraint history_dossier_fk foreign key (dossier_code) references dossiers.dossiers (code),
  constraint history_action_ck check (action ~ '^[a-z][a-z0-9-]{0,39}$'),
  constraint history_states_ck check (to_state ~ '^[a-z][a-z0-9-]{0,39}$' and (from_state is null or from_state ~ '^[a-z][a-z0-9-]{0,39}$')),
  constraint history_status_ck check (status between 1 and 10),
  constraint history_actor_ck check (actor_kind in ('applicant', 'officer', 'system')
    and (actor_kind = 'system') = (actor_account_id is null)),
  constraint history_texts_ck check (length(actor_name) between 1 and 300 and length(actor_title) <= 200
    and length(department) <= 300 and length(content) between 1 and 4000),
  constraint history_form_ck check (form in ('01', '02', '03', '04', '05')),
  constraint history_step_ck check (step_started_at <= recorded_at),
  constraint history_details_ck check (jsonb_typeof(details) = 'object')
) partition by range (recorded_at);
create table dossiers.history_default partition of dossiers.history default;
create index history_dossier_ix on dossiers.history (dossier_code, recorded_at, id);
comment on table dossiers.history is 'Processing history (CapNhatTienDoHoSoMC): one row per step completed by an action, append-only, partitioned by month';
comment on column dossiers.history.id is 'Row number, increasing in insertion order';
comment on column dossiers.history.dossier_code is 'MaHoSo';
comment on column dossiers.history.recorded_at is 'ThoiDiemXuLy: when the action was taken';
comment on column dossiers.history.action is 'The action of the process definition (receive, forward, approve…)';
comment on column dossiers.history.from_state is 'State before the action (null for the submission)';
comment on column dossiers.history.to_state is 'State after the action';
comment on column dossiers.history.status is 'TrangThai: status code after the action';
comment on column dossiers.history.actor_kind is 'applicant, officer or system';
comment on column dossiers.history.actor_account_id is 'Who acted (null for the system)';
comment on column dossiers.history.actor_name is 'NguoiXuLy: the name of who acted, at the time';
comment on column dossiers.history.actor_title is 'ChucDanh: the officer''s title, at the time';
comment on column dossiers.history.department is 'PhongBanXuLy: the officer''s department, at the time';
comment on column dossiers.history.agency_code is 'The agency the officer acted for';
comment on column dossiers.history.content is 'NoiDungXuLy: what was done (the officer''s words, or the action''s standard text)';
comment on column dossiers.history.step_started_at is 'NgayBatDau: when the step this action completed began';
comment on column dossiers.history.step_due_at is 'NgayKetThucTheoQuyDinh: when that step should have been done; null when it has no limit';
comment on column dossiers.history.form is 'The standard form the action produced (02 supplement request, 03 refusal, 04 apology, 05 stop)';
comment on column dossiers.history.details is 'Action details: reason, new due date, payment note…';

create function dossiers.create_history_partition(month date) returns text
language plpgsql as $$
declare
  first date := date_trunc('month', month)::date;
  name text := format('history_%s', to_char(first, 'YYYY_MM'));
begin
  execute format(
    'create table if not exists dossiers.%I partition of dossiers.history for values from (%L) to (%L)',
    name, (first::text || ' 00:00:00+07')::timestamptz, ((first + interval '1 month')::date::text || ' 00:00:00+07')::timestamptz);
  return name;
end;
$$;
comment on function dossiers.create_history_partition(date) is 'Creates the history partition of a month (Vietnam time) if missing; run ahead of the month, before rows for it land in the default partition';

create table dossiers.attachments (
  id uuid not null default gen_random_uuid(),
  dossier_code text not null,
  document_code text,
  purpose text not null,
  file_name text not null,
  media_type text not null,
  size_bytes bigint not null,
  sha256 text not null,
  blob_key text not null,
  uploaded_by_account_id uuid not null,
  uploaded_at timestamptz not null default now(),
  deleted_at timestamptz,
  constraint attachments_pk primary key (id),
  constraint attachments_dossier_fk foreign key (dossier_code) references dossiers.dossiers (code),
  constraint attachments_blob_key_uq unique (blob_key),
  constraint attachments_document_code_ck check (document_code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'),
  constraint attachments_purpose_ck check (purpose in ('application', 'supplement', 'result')),
  constraint attachments_file_name_ck check (length(file_name) between 1 and 255),
  constraint attachments_media_type_ck check (media_type ~ '^[a-z]+/[a-z0-9.+-]{1,100}$'),
  constraint attachments_size_ck check (size_bytes between 0 and 1073741824),
  constraint attachments_sha256_ck check (sha256 ~ '^[0-9a-f]{64}$'),
  constraint attachments_blob_key_ck check (length(blob_key) between 1 and 500)
);
create index attachments_dossier_ix on dossiers.attachments (dossier_code);
comment on table dossiers.attachments is 'Files of a dossier (the content is in the blob store)';
comment on column dossiers.attachments.id is 'TepDinhKemId';
comment on column dossiers.attachments.dossier_code is 'The dossier';
comment on column dossiers.attachments.document_code is 'MaThanhPhanHoSo: the procedure''s document this file is for';
comment on column dossiers.attachments.purpose is 'application (filed with it), supplement (a supplement round), result (the result returned)';
comment on column dossiers.attachments.file_name is 'TenTepDinhKem: the name the file was uploaded with';
comment on column dossiers.attachments.media_type is 'Media type found from the content (not from the name)';
comment on column dossiers.attachments.size_bytes is 'Size in bytes';
comment on column dossiers.attachments.sha256 is 'SHA-256 of the content, lower-case hex';
comment on column dossiers.attachments.blob_key is 'Where the content is in the blob store';
comment on column dossiers.attachments.uploaded_by_account_id is 'Who uploaded it';
comment on column dossiers.attachments.uploaded_at is 'When it was uploaded';
comment on column dossiers.attachments.deleted_at is 'IsDeleted: when it was withdrawn from the dossier; null while it counts';

create table dossiers.clock_pauses (
  id bigint generated always as identity,
  dossier_code text not null,
  started_at timestamptz not null,
  ended_at timestamptz,
  working_minutes integer,
  reason text not null,
  constraint clock_pauses_pk primary key (id),
  constraint clock_pauses_dossier_fk foreign key (dossier_code) references dossiers.dossiers (code),
  constraint clock_pauses_order_ck check (ended_at is null or ended_at >= started_at),
  constraint clock_pauses_minutes_ck check ((ended_at is null) = (working_minutes is null) and working_minutes >= 0),
  constraint clock_pauses_reason_ck check (length(reason) between 1 and 4000)
);
create unique index clock_pauses_open_uq on dossiers.clock_pauses (dossier_code) where ended_at is null;
create index clock_pauses_dossier_ix on dossiers.clock_pauses (dossier_code, started_at);
comment on table dossiers.clock_pauses is 'Periods the processing clock stopped (a supplement request open, status 5); at most one open per dossier';
comment on column dossiers.clock_pauses.id is 'Row number';
comment on column dossiers.clock_pauses.dossier_code is 'The dossier';
comment on column dossiers.clock_pauses.started_at is 'When the supplement was requested';
comment on column dossiers.clock_pauses.ended_at is 'When it was received (or the dossier ended); null while open';
comment on column dossiers.clock_pauses.working_minutes is 'Working minutes of the pause in the receiving unit''s calendar, once closed';
comment on column dossiers.clock_pauses.reason is 'What was asked for (form 02)';

create table dossiers.extensions (
  id bigint generated always as identity,
  dossier_code text not null,
  granted_at timestamptz not null,
  granted_by_account_id uuid not null,
  previous_due_at timestamptz not null,
  new_due_at timestamptz not null,
  reason text not null,
  constraint extensions_pk primary key (id),
  constraint extensions_dossier_fk foreign key (dossier_code) references dossiers.dossiers (code),
  constraint extensions_later_ck check (new_due_at > previous_due_at),
  constraint extensions_reason_ck check (length(reason) between 1 and 4000)
);
create index extensions_dossier_ix on dossiers.extensions (dossier_code, granted_at);
comment on table dossiers.extensions is 'Extensions of the due date (form 04: apology and a new appointment)';
comment on column dossiers.extensions.id is 'Row number';
comment on column dossiers.extensions.dossier_code is 'The dossier';
comment on column dossiers.extensions.granted_at is 'When the officer extended';
comment on column dossiers.extensions.granted_by_account_id is 'The officer';
comment on column dossiers.extensions.previous_due_at is 'NgayHenTraTruoc: the due date before';
comment on column dossiers.extensions.new_due_at is 'NgayHenTraMoi: the new due date';
comment on column dossiers.extensions.reason is 'Why (stated to the applicant in form 04)';

create table dossiers.code_counters (
  agency_identifier text not null,
  day date not null,
  last_value integer not null,
  constraint code_counters_pk primary key (agency_identifier, day),
  constraint code_counters_value_ck check (last_value between 1 and 999999)
);
comment on table dossiers.code_counters is 'The last sequence number given to a dossier code per agency identifier and Vietnam date; incremented inside the submission transaction, so a rolled-back submission leaves no gap';
comment on column dossiers.code_counters.agency_identifier is 'The identifier codes start with';
comment on column dossiers.code_counters.day is 'The Vietnam date of submission';
comment on column dossiers.code_counters.last_value is 'The last number given (the next dossier gets last_value + 1)';

create table dossiers.submission_keys (
  account_id uuid not null,
  key text not null,
  request_hash text not null,
  dossier_code text,
  created_at timestamptz not null default now(),
  constraint submission_keys_pk primary key (account_id, key),
  constraint submission_keys_dossier_fk foreign key (dossier_code) references dossiers.dossiers (code),
  constraint submission_keys_key_ck check (key ~ '^[!-~]{1,255}$'),
  constraint submission_keys_hash_ck check (request_hash ~ '^[0-9a-f]{64}$')
);
create index submission_keys_created_ix on dossiers.submission_keys (created_at);
comment on table dossiers.submission_keys is 'Idempotency keys of submissions: a repeated key of the same account returns the dossier it made';
comment on column dossiers.submission_keys.account_id is 'The account that submitted';
comment on column dossiers.submission_keys.key is 'The Idempotency-Key header (or the form''s one-time token)';
comment on column dossiers.submission_keys.request_hash is 'SHA-256 of the request: the same key with another request is refused';
comment on column dossiers.submission_keys.dossier_code is 'The dossier the key made (set in the same transaction)';
comment on column dossiers.submission_keys.created_at is 'When the key was first used';
