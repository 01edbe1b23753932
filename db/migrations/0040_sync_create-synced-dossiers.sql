-- Status sync from agencies' own one-stop-shop systems (DongBoHoSoMC, CapNhatTienDoHoSoMC): the current
-- state of every synced dossier (one row per dossier code), the processing history (range-partitioned by
-- month, idempotent per event: the sender's own event id within its source, else the row's content), history rows waiting for a dossier not yet known, rollups
-- per day × agency × procedure × channel × status maintained in the batch's transaction, and the
-- sessions of the DVCQG-compatible adapter. The dossier code is the distribution key everywhere it
-- appears (docs/sync-scaling.md). Agency codes and client ids point into other modules and are not
-- foreign keys (a module owns its tables).

create schema sync;

create table sync.dossiers (
  code text not null,
  agency_identifier text not null,
  agency_code text not null,
  procedure_code text not null,
  procedure_name text,
  sector_code text,
  channel smallint not null,
  applicant_kind smallint,
  applicant_id_last4 text,
  applicant_id_hash text,
  submitted_at timestamptz,
  received_at timestamptz,
  due_at timestamptz,
  finished_at timestamptz,
  returned_at timestamptz,
  status smallint not null,
  status_at timestamptz not null,
  status_seq bigint not null,
  payload jsonb not null,
  payload_at timestamptz not null,
  payload_seq bigint not null,
  payload_key text not null,
  source_client text not null,
  first_synced_at timestamptz not null default now(),
  last_synced_at timestamptz not null default now(),
  constraint dossiers_pk primary key (code),
  constraint dossiers_code_ck check (code ~ '^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}-[0-9]{6}-[0-9]{4,6}$'),
  constraint dossiers_code_identifier_ck check (starts_with(code, agency_identifier || '-')),
  constraint dossiers_channel_ck check (channel between 0 and 3),
  constraint dossiers_applicant_kind_ck check (applicant_kind between 1 and 4),
  constraint dossiers_status_ck check (status between 1 and 10),
  constraint dossiers_last4_ck check (applicant_id_last4 ~ '^[0-9A-Za-z]{4}$'),
  constraint dossiers_payload_ck check (jsonb_typeof(payload) = 'object'),
  constraint dossiers_texts_ck check (length(procedure_code) between 1 and 50 and length(procedure_name) <= 1000
    and length(sector_code) <= 50 and length(source_client) between 1 and 100)
);
create index dossiers_agency_received_ix on sync.dossiers (agency_code, received_at);
create index dossiers_applicant_ix on sync.dossiers (applicant_id_hash) where applicant_id_hash is not null;
comment on table sync.dossiers is 'Current state of dossiers synced from agency systems (DongBoHoSoMC), one row per dossier code';
comment on column sync.dossiers.code is 'MaHoSo: {agency identifier}-{yyMMdd}-{NNNN}';
comment on column sync.dossiers.agency_identifier is 'The identifier code (Decision 20/2020) the dossier code starts with';
comment on column sync.dossiers.agency_code is 'The portal code of the agency owning that identifier on the receiving date';
comment on column sync.dossiers.procedure_code is 'MaTTHC';
comment on column sync.dossiers.procedure_name is 'TenTTHC as sent';
comment on column sync.dossiers.sector_code is 'MaLinhVuc';
comment on column sync.dossiers.channel is 'KenhThucHien: 1 in person, 2 online, 3 public postal service; 0 not sent';
comment on column sync.dossiers.applicant_kind is 'LoaiDoiTuong: 1 citizen, 2 business, 3 state agency, 4 other organisation';
comment on column sync.dossiers.applicant_id_last4 is 'Last 4 characters of SoGiayToChuHoSo (what the public lookup asks for)';
comment on column sync.dossiers.applicant_id_hash is 'SHA-256 of the applicant''s ID number (matching a citizen''s own dossiers without storing it in a column)';
comment on column sync.dossiers.submitted_at is 'NgayNopHoSo';
comment on column sync.dossiers.received_at is 'NgayTiepNhan (the receiving date of indicator 1.4)';
comment on column sync.dossiers.due_at is 'NgayHenTra';
comment on column sync.dossiers.finished_at is 'NgayKetThucXuLy';
comment on column sync.dossiers.returned_at is 'NgayTra';
comment on column sync.dossiers.status is 'TrangThaiHoSo now: the status of the latest event by time, then sequence, then code';
comment on column sync.dossiers.status_at is 'Time of the event that set the current status';
comment on column sync.dossiers.status_seq is 'Sender''s sequence number of that event (0 when not sent)';
comment on column sync.dossiers.payload is 'The latest DongBoHoSoMC record as sent (with its lists)';
comment on column sync.dossiers.payload_at is 'Time the payload describes: the latest of its dates that are not appointments';
comment on column sync.dossiers.payload_seq is 'Sender''s sequence number of the payload (0 when not sent)';
comment on column sync.dossiers.payload_key is 'SHA-256 of the payload: the same record sent again is a duplicate';
comment on column sync.dossiers.source_client is 'Machine client that last sent the record';
comment on column sync.dossiers.first_synced_at is 'When the dossier was first synced';
comment on column sync.dossiers.last_synced_at is 'When the record or its status last changed';

-- The history is the big table (a billion rows over the years): range-partitioned by month of the
-- event (Vietnam time). Rows land in the default partition until monthly partitions exist; the module's
-- job makes them ahead of time.
create table sync.history (
  dossier_code text not null,
  event_at timestamptz not null,
  seq bigint not null,
  status smallint not null,
  handler_name text,
  handler_title text,
  department text,
  content text,
  step_started_at timestamptz,
  step_due_at timestamptz,
  source_client text not null,
  event_key text not null,
  synced_at timestamptz not null default now(),
  constraint history_event_uq unique (dossier_code, event_at, event_key),
  constraint history_status_ck check (status between 1 and 10),
  constraint history_texts_ck check (length(handler_name) <= 300 and length(handler_title) <= 300
    and length(department) <= 300 and length(content) <= 4000 and length(event_key) between 1 and 200)
) partition by range (event_at);
create table sync.history_default partition of sync.history default;
comment on table sync.history is 'Processing history synced from agency systems (CapNhatTienDoHoSoMC), append-only, partitioned by month';
comment on column sync.history.dossier_code is 'MaHoSo';
comment on column sync.history.event_at is 'ThoiDiemXuLy';
comment on column sync.history.seq is 'Sender''s sequence number (0 when not sent): orders events of the same moment';
comment on column sync.history.status is 'TrangThai after the step';
comment on column sync.history.handler_name is 'NguoiXuLy';
comment on column sync.history.handler_title is 'ChucDanh';
comment on column sync.history.department is 'PhongBanXuLy';
comment on column sync.history.content is 'NoiDungXuLy';
comment on column sync.history.step_started_at is 'NgayBatDau';
comment on column sync.history.step_due_at is 'NgayKetThucTheoQuyDinh';
comment on column sync.history.source_client is 'Machine client that sent the row';
comment on column sync.history.event_key is 'Idempotency key of the event: id:{client}:{the sender''s event id}, or h:{digest of the row''s content} (the same row from any source is one event)';
comment on column sync.history.synced_at is 'When the row was stored';

create function sync.create_history_partition(month date) returns text
language plpgsql as $$
declare
  first date := date_trunc('month', month)::date;
  name text := format('history_%s', to_char(first, 'YYYY_MM'));
begin
  execute format(
    'create table if not exists sync.%I partition of sync.history for values from (%L) to (%L)',
    name, (first::text || ' 00:00:00+07')::timestamptz, ((first + interval '1 month')::date::text || ' 00:00:00+07')::timestamptz);
  return name;
end;
$$;
comment on function sync.create_history_partition(date) is 'Creates the history partition of a month (Vietnam time) if missing; the sync job runs it ahead of the month';

create table sync.pending_history (
  dossier_code text not null,
  event_at timestamptz not null,
  seq bigint not null,
  status smallint not null,
  handler_name text,
  handler_title text,
  department text,
  content text,
  step_started_at timestamptz,
  step_due_at timestamptz,
  source_client text not null,
  event_key text not null,
  synced_at timestamptz not null default now(),
  constraint pending_history_pk primary key (dossier_code, event_at, event_key),
  constraint pending_history_status_ck check (status between 1 and 10)
);
comment on table sync.pending_history is 'History rows for dossiers not yet synced: moved into sync.history when the dossier arrives';
comment on column sync.pending_history.dossier_code is 'MaHoSo';
comment on column sync.pending_history.event_at is 'ThoiDiemXuLy';
comment on column sync.pending_history.seq is 'Sender''s sequence number (0 when not sent)';
comment on column sync.pending_history.status is 'TrangThai after the step';
comment on column sync.pending_history.handler_name is 'NguoiXuLy';
comment on column sync.pending_history.handler_title is 'ChucDanh';
comment on column sync.pending_history.department is 'PhongBanXuLy';
comment on column sync.pending_history.content is 'NoiDungXuLy';
comment on column sync.pending_history.step_started_at is 'NgayBatDau';
comment on column sync.pending_history.step_due_at is 'NgayKetThucTheoQuyDinh';
comment on column sync.pending_history.source_client is 'Machine client that sent the row';
comment on column sync.pending_history.event_key is 'Idempotency key of the event';
comment on column sync.pending_history.synced_at is 'When the row arrived';

create table sync.rollups (
  day date not null,
  agency_code text not null,
  procedure_code text not null,
  channel smallint not null,
  status smallint not null,
  events bigint not null,
  constraint rollups_pk primary key (day, agency_code, procedure_code, channel, status),
  constraint rollups_events_ck check (events >= 0)
);
comment on table sync.rollups is 'History events per day × agency × procedure × channel × status, kept up to date in each batch''s transaction';
comment on column sync.rollups.day is 'Vietnam date of ThoiDiemXuLy';
comment on column sync.rollups.agency_code is 'The dossier''s agency (owner of its identifier)';
comment on column sync.rollups.procedure_code is 'The dossier''s MaTTHC';
comment on column sync.rollups.channel is 'The dossier''s KenhThucHien (0 not sent)';
comment on column sync.rollups.status is 'TrangThai the dossier reached';
comment on column sync.rollups.events is 'Number of history rows';

create table sync.received_rollups (
  day date not null,
  agency_code text not null,
  procedure_code text not null,
  channel smallint not null,
  dossiers bigint not null,
  constraint received_rollups_pk primary key (day, agency_code, procedure_code, channel),
  constraint received_rollups_dossiers_ck check (dossiers >= 0)
);
comment on table sync.received_rollups is 'Synced dossiers per receiving day × agency × procedure × channel (numerator of indicator 1.4 of Decision 766)';
comment on column sync.received_rollups.day is 'Vietnam date of NgayTiepNhan (else NgayNopHoSo) at first sync';
comment on column sync.received_rollups.agency_code is 'The dossier''s agency';
comment on column sync.received_rollups.procedure_code is 'The dossier''s MaTTHC';
comment on column sync.received_rollups.channel is 'The dossier''s KenhThucHien (0 not sent)';
comment on column sync.received_rollups.dossiers is 'Number of dossiers';

create table sync.adapter_sessions (
  token_hash text not null,
  client_id text not null,
  client_name text not null,
  scopes text[] not null,
  agency_codes text[] not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  constraint adapter_sessions_pk primary key (token_hash),
  constraint adapter_sessions_expiry_ck check (expires_at > created_at)
);
create index adapter_sessions_expires_ix on sync.adapter_sessions (expires_at);
comment on table sync.adapter_sessions is 'Sessions of the DVCQG-compatible adapter (login with client id and secret)';
comment on column sync.adapter_sessions.token_hash is 'SHA-256 of the session token (the token itself is never stored)';
comment on column sync.adapter_sessions.client_id is 'Machine client that logged in';
comment on column sync.adapter_sessions.client_name is 'Its name at login';
comment on column sync.adapter_sessions.scopes is 'Its scopes at login';
comment on column sync.adapter_sessions.agency_codes is 'The agencies it may sync for, at login';
comment on column sync.adapter_sessions.created_at is 'Login time';
comment on column sync.adapter_sessions.expires_at is 'When the session stops working';
