-- Monitoring of status sync per agency (issue 6, item 6). Each batch writes one set-based statement
-- (sync.monitor.ts): counts per agency × hour × client, the agency's last sync and lag, and the rejected
-- items with their reasons in a ring of 1,000 slots per agency (a misbehaving system overwrites its own
-- oldest rejections, it cannot fill the disk). The agencies' own reported figures (denominator of
-- indicator 1.4 of Decision 766) are entered by an officer or sent by the agency system.
-- Agency codes and client ids point into other modules and are not foreign keys.

create table sync.batch_stats (
  agency_code text not null,
  hour timestamptz not null,
  client_id text not null,
  client_name text not null,
  batches bigint not null,
  accepted bigint not null,
  duplicate bigint not null,
  rejected bigint not null,
  pending bigint not null,
  lag_count bigint not null,
  lag_sum_ms bigint not null,
  lag_max_ms bigint,
  lag_p95_ms bigint,
  last_at timestamptz not null,
  last_lag_p95_ms bigint,
  constraint batch_stats_pk primary key (agency_code, hour, client_id),
  constraint batch_stats_counts_ck check (batches >= 0 and accepted >= 0 and duplicate >= 0 and rejected >= 0
    and pending >= 0 and lag_count >= 0 and lag_sum_ms >= 0)
);
create index batch_stats_hour_ix on sync.batch_stats (hour);
comment on table sync.batch_stats is 'Sync items per agency × hour × machine client, written by each batch (monitoring page)';
comment on column sync.batch_stats.agency_code is 'The agency owning the items'' dossier codes (the client''s first agency for items without a usable code, or with a code the client may not sync)';
comment on column sync.batch_stats.hour is 'Start of the hour the batch arrived in';
comment on column sync.batch_stats.client_id is 'Machine client that sent the batch';
comment on column sync.batch_stats.client_name is 'Its name at the latest batch';
comment on column sync.batch_stats.batches is 'Batches that carried items of this agency';
comment on column sync.batch_stats.accepted is 'Items accepted (new or newer information), pending history rows included';
comment on column sync.batch_stats.duplicate is 'Items already known (sent again), and DVCQG "đã tồn tại" answers';
comment on column sync.batch_stats.rejected is 'Items rejected with a reason';
comment on column sync.batch_stats.pending is 'Accepted history rows kept until their dossier arrives';
comment on column sync.batch_stats.lag_count is 'Accepted items whose lag was measured';
comment on column sync.batch_stats.lag_sum_ms is 'Sum of their lags (receipt time minus the event time), for the mean';
comment on column sync.batch_stats.lag_max_ms is 'Largest lag of an accepted item';
comment on column sync.batch_stats.lag_p95_ms is 'Largest per-batch 95th percentile of the lag in the hour';
comment on column sync.batch_stats.last_at is 'Time of the latest batch';
comment on column sync.batch_stats.last_lag_p95_ms is '95th percentile of the lag in the latest batch that had accepted items';

create table sync.agency_status (
  agency_code text not null,
  first_at timestamptz not null,
  last_at timestamptz not null,
  last_client_id text not null,
  last_lag_p95_ms bigint,
  rejected_total bigint not null,
  constraint agency_status_pk primary key (agency_code),
  constraint agency_status_rejected_ck check (rejected_total >= 0)
);
comment on table sync.agency_status is 'Latest sync of each agency, and the counter that numbers its rejected items';
comment on column sync.agency_status.agency_code is 'The agency';
comment on column sync.agency_status.first_at is 'First batch with items of the agency';
comment on column sync.agency_status.last_at is 'Latest batch with items of the agency';
comment on column sync.agency_status.last_client_id is 'Client of that batch';
comment on column sync.agency_status.last_lag_p95_ms is '95th percentile of the lag in the latest batch that had accepted items';
comment on column sync.agency_status.rejected_total is 'Rejected items ever recorded for the agency (numbers the slots of sync.rejections)';

create table sync.rejections (
  agency_code text not null,
  slot integer not null,
  seq bigint not null,
  rejected_at timestamptz not null,
  client_id text not null,
  client_name text not null,
  list text not null,
  item_index integer not null,
  dossier_code text,
  reason text not null,
  constraint rejections_pk primary key (agency_code, slot),
  constraint rejections_slot_ck check (slot >= 0 and slot < 1000),
  constraint rejections_list_ck check (list in ('dossiers', 'history')),
  constraint rejections_texts_ck check (length(dossier_code) <= 60 and length(reason) <= 1000)
);
comment on table sync.rejections is 'The latest 1,000 rejected items of each agency, with the reason given to the sender (a ring: slot = seq mod 1000)';
comment on column sync.rejections.agency_code is 'As in sync.batch_stats';
comment on column sync.rejections.slot is 'Position in the agency''s ring of 1,000';
comment on column sync.rejections.seq is 'Number of the rejection within the agency (1, 2, …): the larger, the later';
comment on column sync.rejections.rejected_at is 'When the batch arrived';
comment on column sync.rejections.client_id is 'Machine client that sent it';
comment on column sync.rejections.client_name is 'Its name then';
comment on column sync.rejections.list is 'dossiers (DongBoHoSoMC) or history (CapNhatTienDoHoSoMC)';
comment on column sync.rejections.item_index is 'Position of the item in its list in the batch';
comment on column sync.rejections.dossier_code is 'MaHoSo as sent (first 60 characters), when there was one';
comment on column sync.rejections.reason is 'The reason answered to the sender';

create table sync.reported_counts (
  agency_code text not null,
  period_from date not null,
  period_to date not null,
  dossiers bigint not null,
  source text not null,
  reported_by text not null,
  reporter_name text not null,
  reported_at timestamptz not null,
  note text,
  constraint reported_counts_pk primary key (agency_code, period_from, period_to),
  constraint reported_counts_period_ck check (period_to >= period_from and period_to - period_from <= 366),
  constraint reported_counts_dossiers_ck check (dossiers >= 0),
  constraint reported_counts_source_ck check (source in ('officer', 'system')),
  constraint reported_counts_note_ck check (length(note) <= 1000)
);
comment on table sync.reported_counts is 'Dossiers an agency reports it received in a period (its own figures): the "reported" term of indicator 1.4 of Decision 766';
comment on column sync.reported_counts.agency_code is 'The reporting agency (its figure covers the agencies below it)';
comment on column sync.reported_counts.period_from is 'First Vietnam day of the period';
comment on column sync.reported_counts.period_to is 'Last Vietnam day of the period (inclusive)';
comment on column sync.reported_counts.dossiers is 'Dossiers received in the period, as reported';
comment on column sync.reported_counts.source is 'officer (entered on the monitoring page) or system (sent by the agency system through the API)';
comment on column sync.reported_counts.reported_by is 'Account id of the officer, or client id of the system';
comment on column sync.reported_counts.reporter_name is 'Their name then';
comment on column sync.reported_counts.reported_at is 'When the figure was entered (a new figure for the same period replaces it; the audit log keeps the old)';
comment on column sync.reported_counts.note is 'Source of the figure (e.g. the report number)';
