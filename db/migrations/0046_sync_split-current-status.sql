-- The current status of a synced dossier moves out of its record into a narrow table of its own.
--
-- Nearly every synced history row moves one dossier's current status: sync.dossiers is rewritten far
-- more often than it grows, and each rewrite copied the whole record (the DongBoHoSoMC payload, the
-- applicant's keys, every date: about 650 bytes a row) to change four columns. The status now lives in
-- sync.dossier_status (about 100 bytes a row, fillfactor 70 for heap-only updates, no index but its
-- key), which the history path updates in the same statement that inserts the history rows; the record,
-- sync.dossier_records, is written only when a DongBoHoSoMC record arrives.
--
-- sync.dossier_status also holds a copy of the three fields of the record that every history row needs
-- for the rollups (agency, procedure, channel), so that the history path reads only the narrow table.
-- Only the record path (DongBoHoSoMC, under the per-dossier lock) writes them, in the same transaction as
-- the record.
--
-- sync.dossiers stays, as a view joining the two on the dossier code (one row per dossier), so that every
-- reader sees the same columns as before.

alter table sync.dossiers rename to dossier_records;
alter table sync.dossier_records rename constraint dossiers_pk to dossier_records_pk;

create table sync.dossier_status (
  code text not null,
  agency_code text not null,
  procedure_code text not null,
  channel smallint not null,
  status smallint not null,
  status_at timestamptz not null,
  status_seq bigint not null,
  last_synced_at timestamptz not null default now(),
  constraint dossier_status_pk primary key (code),
  constraint dossier_status_record_fk foreign key (code) references sync.dossier_records (code),
  constraint dossier_status_status_ck check (status between 1 and 10),
  constraint dossier_status_channel_ck check (channel between 0 and 3)
) with (fillfactor = 70);
comment on table sync.dossier_status is 'Current status of each synced dossier (one row per dossier code), updated by every history row that is later than it';
comment on column sync.dossier_status.code is 'MaHoSo';
comment on column sync.dossier_status.agency_code is 'Copy of the record''s agency (written with the record): the rollups'' key';
comment on column sync.dossier_status.procedure_code is 'Copy of the record''s MaTTHC (written with the record)';
comment on column sync.dossier_status.channel is 'Copy of the record''s KenhThucHien (written with the record)';
comment on column sync.dossier_status.status is 'TrangThaiHoSo now: the status of the latest event by time, then sequence, then code';
comment on column sync.dossier_status.status_at is 'Time of the event that set the current status';
comment on column sync.dossier_status.status_seq is 'Sender''s sequence number of that event (0 when not sent)';
comment on column sync.dossier_status.last_synced_at is 'When the record or the status last changed';

insert into sync.dossier_status (code, agency_code, procedure_code, channel, status, status_at, status_seq, last_synced_at)
select code, agency_code, procedure_code, channel, status, status_at, status_seq, last_synced_at
  from sync.dossier_records;

alter table sync.dossier_records drop constraint dossiers_status_ck;
alter table sync.dossier_records drop column status, drop column status_at, drop column status_seq,
  drop column last_synced_at;
comment on table sync.dossier_records is 'The latest DongBoHoSoMC record of each dossier synced from agency systems (its status is in sync.dossier_status)';

create view sync.dossiers as
select r.code, r.agency_identifier, r.agency_code, r.procedure_code, r.procedure_name, r.sector_code, r.channel,
       r.applicant_kind, r.applicant_id_last4, r.applicant_id_hash, r.submitted_at, r.received_at, r.due_at,
       r.finished_at, r.returned_at, s.status, s.status_at, s.status_seq, r.payload, r.payload_at, r.payload_seq,
       r.payload_key, r.source_client, r.first_synced_at, s.last_synced_at
  from sync.dossier_records r
  join sync.dossier_status s on s.code = r.code;
comment on view sync.dossiers is 'Synced dossiers as readers see them: the record with its current status';
