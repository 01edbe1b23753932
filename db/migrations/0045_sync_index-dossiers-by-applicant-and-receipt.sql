-- A citizen's "my dossiers" lists the synced dossiers whose SoGiayToChuHoSo is their personal ID number,
-- newest received first, a page at a time: with (applicant_id_hash, received_at desc) the query reads
-- only the rows it shows, even for an ID number that agency systems have used on many dossiers (a
-- placeholder, a busy representative). It replaces the index on the hash alone (same number of indexes
-- to maintain on the ingestion path; received_at is already indexed, so heap-only updates are not lost).
-- On a large table, build it by hand first with CREATE INDEX CONCURRENTLY under the same name.
create index if not exists dossiers_applicant_received_ix
  on sync.dossiers (applicant_id_hash, received_at desc) where applicant_id_hash is not null;
drop index if exists sync.dossiers_applicant_ix;
