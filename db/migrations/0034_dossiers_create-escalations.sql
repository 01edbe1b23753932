-- Escalations of overdue dossiers to the leaders of the competent agency (the deadline watch, a scheduled
-- job): level 1 when the due date has passed, level 2 when the dossier is still open three working days
-- later (src/modules/dossiers/domain/escalation.ts). Each level is sent once per dossier: the job claims
-- the row before it writes the history row, the outbox message and the e-mails, in one transaction.

create table dossiers.escalations (
  dossier_code text not null,
  level smallint not null,
  due_at timestamptz not null,
  agency_code text not null,
  leader_account_ids uuid[] not null default '{}',
  escalated_at timestamptz not null default now(),
  constraint escalations_pk primary key (dossier_code, level),
  constraint escalations_dossier_fk foreign key (dossier_code) references dossiers.dossiers (code),
  constraint escalations_level_ck check (level between 1 and 9),
  constraint escalations_leaders_ck check (cardinality(leader_account_ids) <= 200)
);
comment on table dossiers.escalations is 'Overdue dossiers reported to the leaders of the competent agency: one row per dossier and escalation level, never sent twice';
comment on column dossiers.escalations.dossier_code is 'The dossier (dossiers.dossiers.code)';
comment on column dossiers.escalations.level is '1: the due date has passed; 2: still open three working days after it';
comment on column dossiers.escalations.due_at is 'The due date the dossier had missed when it was escalated';
comment on column dossiers.escalations.agency_code is 'The competent agency whose leaders were told';
comment on column dossiers.escalations.leader_account_ids is 'The leaders told (identity accounts holding the approver role nearest the agency); empty when it had none';
comment on column dossiers.escalations.escalated_at is 'When';
