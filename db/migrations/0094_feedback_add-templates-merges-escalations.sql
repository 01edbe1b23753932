-- Feedback handling (issue 19, item 2): agencies' answer templates, one answer per agency and item (so one
-- answer sent to many items never answers an item twice), merging duplicates (a new status `merged`, an
-- action `merge`), and the deadline watch's alerts (warning once, escalation once, per item and clock).

create table feedback.answer_templates (
  id uuid not null default gen_random_uuid(),
  agency_code text not null,
  title text not null,
  body text not null,
  created_by uuid not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint answer_templates_pk primary key (id),
  constraint answer_templates_title_uq unique (agency_code, title),
  constraint answer_templates_title_ck check (length(title) between 1 and 200),
  constraint answer_templates_body_ck check (length(body) between 1 and 20000)
);
comment on table feedback.answer_templates is 'Answer templates an agency (or the Government Office, CP) keeps; placeholders {ten_nguoi_gui}, {ma_pakn}, {co_quan}, {ngay_gui} are filled per item';
comment on column feedback.answer_templates.id is 'Technical identifier';
comment on column feedback.answer_templates.agency_code is 'The agency whose handlers use and manage it (CP: the Government Office)';
comment on column feedback.answer_templates.title is 'Name of the template, unique within the agency';
comment on column feedback.answer_templates.body is 'Text with placeholders, e.g. “Kính gửi {ten_nguoi_gui}, về phản ánh {ma_pakn}…”';
comment on column feedback.answer_templates.created_by is 'The officer who created it';
comment on column feedback.answer_templates.created_at is 'When it was created';
comment on column feedback.answer_templates.updated_at is 'When it was last changed';

-- An agency (or the Government Office, agency_code null) answers an item once: a retry or a second batch
-- that reaches the database anyway fails here.
create unique index answers_item_agency_uq on feedback.answers (item_id, coalesce(agency_code, ''));

alter table feedback.items drop constraint items_status_ck;
alter table feedback.items add constraint items_status_ck check (status in ('submitted', 'supplemented',
  'awaiting-info', 'accepted', 'refused', 'forwarded', 'passed', 'handling', 'external', 'returned', 'answered',
  'published', 'withheld', 'merged'));
alter table feedback.events drop constraint events_action_ck;
alter table feedback.events add constraint events_action_ck check (action in ('submit', 'accept', 'refuse',
  'ask-info', 'supplement', 'forward', 'receive', 'hand-off', 'answer', 'return', 'pass', 'publish', 'withhold',
  'rate', 'merge'));
comment on column feedback.items.closed_at is 'When it was published, withheld, or merged into another item (its clocks stop)';

alter table feedback.items add column escalated_at timestamptz;
comment on column feedback.items.escalated_at is 'When an overdue clock was first escalated to the agency''s leaders / the Government Office (feedback.deadline_alerts)';

create table feedback.merges (
  item_id uuid not null,
  kept_item_id uuid not null,
  ground text not null,
  merged_by uuid not null,
  merged_at timestamptz not null,
  constraint merges_pk primary key (item_id),
  constraint merges_item_fk foreign key (item_id) references feedback.items (id) on delete cascade,
  constraint merges_kept_fk foreign key (kept_item_id) references feedback.items (id) on delete cascade,
  constraint merges_self_ck check (item_id <> kept_item_id),
  constraint merges_ground_ck check (ground in ('same-submitter', 'same-subject'))
);
create index merges_kept_ix on feedback.merges (kept_item_id, merged_at);
comment on table feedback.merges is 'Duplicates merged by the Government Office: the item (status merged) follows the kept one; at most once per item';
comment on column feedback.merges.item_id is 'The duplicate (status merged; never published on its own)';
comment on column feedback.merges.kept_item_id is 'The item kept, whose answer the duplicate''s submitter follows and may rate';
comment on column feedback.merges.ground is 'same-submitter or same-subject (the same dossier or procedure)';
comment on column feedback.merges.merged_by is 'The Government Office supervisor who merged it';
comment on column feedback.merges.merged_at is 'When it was merged';

create table feedback.deadline_alerts (
  item_id uuid not null,
  clock text not null,
  level text not null,
  due_at timestamptz not null,
  agency_codes text[] not null,
  recipients uuid[] not null,
  sent_at timestamptz not null,
  constraint deadline_alerts_pk primary key (item_id, clock, level),
  constraint deadline_alerts_item_fk foreign key (item_id) references feedback.items (id) on delete cascade,
  constraint deadline_alerts_clock_ck check (clock in ('refuse', 'ask-info', 'handle', 'publish')),
  constraint deadline_alerts_level_ck check (level in ('warning', 'overdue'))
);
comment on table feedback.deadline_alerts is 'The deadline watch''s alerts: one warning and one escalation per item and clock, whatever the number of runs';
comment on column feedback.deadline_alerts.item_id is 'The item';
comment on column feedback.deadline_alerts.clock is 'refuse, ask-info, handle or publish (domain/deadlines.ts)';
comment on column feedback.deadline_alerts.level is 'warning: the handlers were told; overdue: escalated to leaders / the Government Office';
comment on column feedback.deadline_alerts.due_at is 'The clock''s due moment when the alert was sent';
comment on column feedback.deadline_alerts.agency_codes is 'The agencies responsible (CP for the Government Office''s clocks)';
comment on column feedback.deadline_alerts.recipients is 'The accounts told';
comment on column feedback.deadline_alerts.sent_at is 'When it was sent';
