-- Filing: the case (trường hợp) the applicant files under, and one open draft per account and procedure.
--
-- One open draft per account and procedure: two first visits of the filing page at the same moment (a
-- double click, two tabs) must resume one draft, not start two. The filing page inserts with
-- `on conflict do nothing` on this index and reads back the draft that won.
--
-- Drafts opened twice before this index existed: the one saved last is kept (it is the one the filing
-- page resumed); the others are deleted (their uploads, unattached, go with the orphan-upload cleanup).

delete from dossiers.drafts d
where d.submitted_dossier is null
  and exists (
    select 1 from dossiers.drafts k
    where k.account_id = d.account_id and k.procedure_code = d.procedure_code and k.submitted_dossier is null
      and (k.updated_at, k.id) > (d.updated_at, d.id));

create unique index drafts_open_uq on dossiers.drafts (account_id, procedure_code) where submitted_dossier is null;
comment on index dossiers.drafts_open_uq is 'At most one open (not yet submitted) draft per account and procedure';

-- The case (TRUONGHOP) chosen: a procedure lists its required documents per case, and only the chosen
-- case's documents are required. Kept by name (as the catalogue publishes it), on the draft while it is
-- filled in and on the dossier for good.
alter table dossiers.drafts add column case_name text,
  add constraint drafts_case_name_ck check (length(case_name) between 1 and 500);
comment on column dossiers.drafts.case_name is 'The case (TRUONGHOP) the applicant chose, by its name in the catalogue; null until chosen';
alter table dossiers.dossiers add column case_name text,
  add constraint dossiers_case_name_ck check (length(case_name) between 1 and 500);
comment on column dossiers.dossiers.case_name is 'The case (TRUONGHOP) filed under, by its name in the procedure version filed under; its documents were the required ones';
