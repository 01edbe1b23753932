-- The deadline watch (a scheduled job of the dossiers module): each warning before a due date and each
-- escalation after it is sent once per dossier and due date (a new due date after an extension or a
-- pause warns again).

create table dossiers.deadline_alerts (
  dossier_code text not null,
  kind text not null,
  due_at timestamptz not null,
  sent_at timestamptz not null default now(),
  constraint deadline_alerts_pk primary key (dossier_code, kind, due_at),
  constraint deadline_alerts_kind_ck check (kind in ('due-soon', 'overdue'))
);
comment on table dossiers.deadline_alerts is 'Warnings (due soon) and escalations (overdue) already sent, one per dossier, kind and due date';
comment on column dossiers.deadline_alerts.dossier_code is 'The dossier (dossiers.dossiers.code)';
comment on column dossiers.deadline_alerts.kind is 'due-soon: within one working day of the due date; overdue: past it';
comment on column dossiers.deadline_alerts.due_at is 'The due date the alert was about';
comment on column dossiers.deadline_alerts.sent_at is 'When it was sent';
