-- Feedback figures for the operations centre (docs/feedback.md, "Figures"): indicators 5.1–5.3 of Decision
-- 766/QĐ-TTg read from daily rollups, never from the items. Every event written to feedback.events marks its
-- item (a trigger, in the event's transaction); the job `feedback.figures-refresh` derives the item's spans
-- (one per agency that had it) from the item, its events and answers, replaces them, and recomputes the
-- rollups of the days and agencies whose figures the change touched. Recomputing is idempotent.

create table feedback.figure_marks (
  item_id uuid not null,
  event_id bigint not null,
  constraint figure_marks_pk primary key (item_id),
  constraint figure_marks_item_fk foreign key (item_id) references feedback.items (id) on delete cascade
);
comment on table feedback.figure_marks is 'Items whose figures must be recomputed: marked by every event, cleared by the refresh job';
comment on column feedback.figure_marks.item_id is 'The item';
comment on column feedback.figure_marks.event_id is 'The latest event that marked it: the job clears the mark only if no newer event came meanwhile';

create function feedback.mark_for_figures() returns trigger
language plpgsql as $$
begin
  insert into feedback.figure_marks (item_id, event_id) values (new.item_id, new.id)
  on conflict on constraint figure_marks_pk
  do update set event_id = greatest(feedback.figure_marks.event_id, excluded.event_id);
  return null;
end;
$$;
comment on function feedback.mark_for_figures() is 'Marks the item of a new event for the figures job, in the event''s transaction';
create trigger events_mark_for_figures after insert on feedback.events
  for each row execute function feedback.mark_for_figures();

-- Items before this migration: figured on the job's first run.
insert into feedback.figure_marks (item_id, event_id)
select item_id, max(id) from feedback.events group by item_id;

create table feedback.figure_spans (
  item_id uuid not null,
  agency_code text not null,
  category text not null,
  received_at timestamptz not null,
  refused_at timestamptz,
  answered_at timestamptz,
  on_time boolean,
  closed_at timestamptz,
  due_at timestamptz not null,
  paused_from timestamptz,
  published_at timestamptz,
  rated_at timestamptz,
  rated_satisfied boolean,
  constraint figure_spans_pk primary key (item_id, agency_code),
  constraint figure_spans_item_fk foreign key (item_id) references feedback.items (id) on delete cascade,
  constraint figure_spans_category_ck check (category in ('regulation', 'dossier-handling', 'other')),
  constraint figure_spans_answer_ck check ((answered_at is null) = (on_time is null)),
  constraint figure_spans_rating_ck check ((rated_at is null) = (rated_satisfied is null))
);
create index figure_spans_agency_ix on feedback.figure_spans (agency_code, received_at);
create index figure_spans_open_ix on feedback.figure_spans (received_at) where closed_at is null;
create index figure_spans_closed_ix on feedback.figure_spans (closed_at);
create index figure_spans_answered_ix on feedback.figure_spans (answered_at) where answered_at is not null;
create index figure_spans_published_ix on feedback.figure_spans (published_at) where published_at is not null;
create index figure_spans_rated_ix on feedback.figure_spans (rated_at) where rated_at is not null;
comment on table feedback.figure_spans is 'What each agency had of an item (the Government Office CP from submission; an agency from its first routing): derived by the figures job, the rollups'' source';
comment on column feedback.figure_spans.item_id is 'The item';
comment on column feedback.figure_spans.agency_code is 'CP for the Government Office, else the agency the item was forwarded or passed to';
comment on column feedback.figure_spans.category is 'The item''s category: regulation, dossier-handling or other';
comment on column feedback.figure_spans.received_at is 'CP: submission; an agency: its first forwarding or passing to the agency';
comment on column feedback.figure_spans.refused_at is 'CP: when the Government Office refused the item';
comment on column feedback.figure_spans.answered_at is 'The agency''s first answer (CP: the Government Office''s own answer)';
comment on column feedback.figure_spans.on_time is 'Whether that answer came by due_at (null before an answer)';
comment on column feedback.figure_spans.closed_at is 'When the item stopped waiting for this agency (answered, refused, forwarded by CP, returned or passed on); null while open';
comment on column feedback.figure_spans.due_at is 'The handling limit: the regime''s working days from submission (CP) or first forwarding, requests for information not counted';
comment on column feedback.figure_spans.paused_from is 'Start of an open request for information (the clock stops; not overdue unless due_at came before it)';
comment on column feedback.figure_spans.published_at is 'When the item was published, if this agency answered it';
comment on column feedback.figure_spans.rated_at is 'When the submitter rated the answer, if this agency answered it';
comment on column feedback.figure_spans.rated_satisfied is 'The rating: satisfied or not';

create table feedback.rollups (
  day date not null,
  agency_code text not null,
  category text not null,
  submitted integer not null default 0,
  refused integer not null default 0,
  forwarded integer not null default 0,
  answered integer not null default 0,
  answered_on_time integer not null default 0,
  answered_late integer not null default 0,
  published integer not null default 0,
  satisfied integer not null default 0,
  unsatisfied integer not null default 0,
  open_at_end integer not null default 0,
  overdue_at_end integer not null default 0,
  constraint rollups_pk primary key (day, agency_code, category),
  constraint rollups_category_ck check (category in ('regulation', 'dossier-handling', 'other')),
  constraint rollups_answered_ck check (answered = answered_on_time + answered_late),
  constraint rollups_overdue_ck check (overdue_at_end <= open_at_end),
  constraint rollups_counts_ck check (submitted >= 0 and refused >= 0 and forwarded >= 0 and answered_on_time >= 0
    and answered_late >= 0 and published >= 0 and satisfied >= 0 and unsatisfied >= 0 and overdue_at_end >= 0)
);
create index rollups_agency_ix on feedback.rollups (agency_code, day);
comment on table feedback.rollups is 'Feedback figures per Vietnam day, agency and category (from feedback.figure_spans); what the figures API and page read';
comment on column feedback.rollups.day is 'The day in Vietnam time (Asia/Ho_Chi_Minh)';
comment on column feedback.rollups.agency_code is 'CP (the Government Office) or the agency the items were routed to';
comment on column feedback.rollups.category is 'regulation, dossier-handling or other';
comment on column feedback.rollups.submitted is 'CP: items submitted that day';
comment on column feedback.rollups.refused is 'CP: items refused that day';
comment on column feedback.rollups.forwarded is 'Agencies: items forwarded or passed to the agency that day (the first time)';
comment on column feedback.rollups.answered is 'Items the agency answered that day (first answer)';
comment on column feedback.rollups.answered_on_time is 'Of those, answered by the handling limit';
comment on column feedback.rollups.answered_late is 'Of those, answered after it';
comment on column feedback.rollups.published is 'Items the agency answered that were published that day';
comment on column feedback.rollups.satisfied is 'Answered on time and rated satisfied that day';
comment on column feedback.rollups.unsatisfied is 'Answered on time and rated not satisfied that day, plus answered late that day (rated or not)';
comment on column feedback.rollups.open_at_end is 'Items waiting for the agency at the end of the day';
comment on column feedback.rollups.overdue_at_end is 'Of those, past the handling limit at the end of the day';

create table feedback.figure_state (
  id integer not null default 1,
  closed_through date,
  constraint figure_state_pk primary key (id),
  constraint figure_state_one_ck check (id = 1)
);
insert into feedback.figure_state (id, closed_through) values (1, null);
comment on table feedback.figure_state is 'One row: how far the figures job has closed days';
comment on column feedback.figure_state.id is 'Always 1';
comment on column feedback.figure_state.closed_through is 'The last day whose rollups were recomputed after it ended (its open and overdue counts are final)';
