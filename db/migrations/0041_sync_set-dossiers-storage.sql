-- Every synced history row moves its dossier's current status: sync.dossiers is updated far more often
-- than it grows, and each update writes a new version of the row.
--  - fillfactor 70: 30% of each page is left free, so that most of those updates stay on the same page
--    without touching the indexes (heap-only tuples);
--  - toast_tuple_target 128: the DongBoHoSoMC payload (jsonb, usually 0.5–5 kB) is compressed and moved
--    out of line, so a status update copies a narrow row and a pointer, not the whole record.
-- Pages written before this change keep their old layout until rewritten (VACUUM FULL or pg_repack).
alter table sync.dossiers set (fillfactor = 70, toast_tuple_target = 128);
