-- Documents: appointments at certifying offices (docs/documents.md, appointments/). Each office publishes
-- availability rules (weekdays, hours in Vietnam time, slot length, online and counter capacity); slots
-- are derived from them and the holiday calendar, never stored. What is stored is a counter per slot
-- that is actually booked — the database enforces its capacity (one conditional upsert, correct under
-- READ COMMITTED: concurrent attempts on the last place serialise on the row and exactly one wins) —
-- the bookings themselves, and the queue numbers of each office's day.

create table documents.availability_rules (
  id bigint generated always as identity,
  agency_code text not null,
  weekdays smallint[] not null,
  start_time time not null,
  end_time time not null,
  slot_minutes smallint not null,
  online_capacity smallint not null,
  counter_capacity smallint not null,
  valid_from date not null,
  valid_to date,
  created_by text,
  created_at timestamptz not null default now(),
  constraint availability_rules_pk primary key (id),
  constraint availability_rules_office_fk foreign key (agency_code) references documents.offices (agency_code),
  constraint availability_rules_weekdays_ck check (
    cardinality(weekdays) between 1 and 7 and weekdays <@ array[1, 2, 3, 4, 5, 6, 7]::smallint[]
  ),
  constraint availability_rules_hours_ck check (start_time < end_time),
  constraint availability_rules_slot_ck check (slot_minutes between 5 and 240),
  constraint availability_rules_online_ck check (online_capacity between 0 and 500),
  constraint availability_rules_counter_ck check (counter_capacity between 0 and 500),
  constraint availability_rules_validity_ck check (valid_to is null or valid_from <= valid_to)
);
create index availability_rules_office_ix on documents.availability_rules (agency_code, valid_from);
comment on table documents.availability_rules is 'When a certifying office receives people: slots are derived from these rules and the holiday calendar';
comment on column documents.availability_rules.id is 'Surrogate key';
comment on column documents.availability_rules.agency_code is 'The office (documents.offices) the rule is of';
comment on column documents.availability_rules.weekdays is 'ISO weekdays it applies on (1 = Monday … 7 = Sunday); public holidays have no slots';
comment on column documents.availability_rules.start_time is 'Start of the first slot, Vietnam local time';
comment on column documents.availability_rules.end_time is 'End of the last slot, Vietnam local time (a slot that would run past it is not offered)';
comment on column documents.availability_rules.slot_minutes is 'Length of one slot in minutes';
comment on column documents.availability_rules.online_capacity is 'People per slot who may book online';
comment on column documents.availability_rules.counter_capacity is 'People per slot the counter takes without an appointment (walk-ins), apart from the online places';
comment on column documents.availability_rules.valid_from is 'First day (Vietnam date) the rule applies';
comment on column documents.availability_rules.valid_to is 'Last day (Vietnam date) the rule applies; null: until further notice';
comment on column documents.availability_rules.created_by is 'The officer (account id) who published the rule; null for the demo seed';
comment on column documents.availability_rules.created_at is 'When the rule was published';

create table documents.slot_counters (
  agency_code text not null,
  starts_at timestamptz not null,
  online_capacity smallint not null,
  counter_capacity smallint not null,
  online_taken integer not null default 0,
  counter_taken integer not null default 0,
  constraint slot_counters_pk primary key (agency_code, starts_at),
  constraint slot_counters_office_fk foreign key (agency_code) references documents.offices (agency_code),
  constraint slot_counters_online_ck check (online_taken >= 0 and online_taken <= online_capacity),
  constraint slot_counters_counter_ck check (counter_taken >= 0 and counter_taken <= counter_capacity)
);
comment on table documents.slot_counters is 'Places taken in a slot, made on the first booking of the slot; the checks are the capacity the database enforces';
comment on column documents.slot_counters.agency_code is 'The office';
comment on column documents.slot_counters.starts_at is 'Start of the slot';
comment on column documents.slot_counters.online_capacity is 'Online places of the slot, from the rule at the last booking (never below what is taken)';
comment on column documents.slot_counters.counter_capacity is 'Walk-in places of the slot, from the rule at the last walk-in (never below what is taken)';
comment on column documents.slot_counters.online_taken is 'Online places held or booked (a hold takes its place until it expires)';
comment on column documents.slot_counters.counter_taken is 'Walk-in places taken at the counter';

create table documents.queue_counters (
  agency_code text not null,
  day date not null,
  last_number integer not null default 0,
  constraint queue_counters_pk primary key (agency_code, day),
  constraint queue_counters_office_fk foreign key (agency_code) references documents.offices (agency_code),
  constraint queue_counters_number_ck check (last_number >= 0)
);
comment on table documents.queue_counters is 'The last queue number given at an office on a day';
comment on column documents.queue_counters.agency_code is 'The office';
comment on column documents.queue_counters.day is 'The day (Vietnam date)';
comment on column documents.queue_counters.last_number is 'The last number given (taken with update … set last_number = last_number + 1 returning)';

create table documents.appointments (
  id uuid not null default gen_random_uuid(),
  agency_code text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  day date not null,
  channel text not null,
  account_id uuid,
  name text not null,
  id_number text,
  documents text not null default '',
  copies smallint,
  status text not null,
  hold_expires_at timestamptz,
  queue_number integer,
  idempotency_key text,
  request_hash text,
  certification_id uuid,
  reminded_at timestamptz,
  revision integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint appointments_pk primary key (id),
  constraint appointments_office_fk foreign key (agency_code) references documents.offices (agency_code),
  constraint appointments_channel_ck check (channel in ('online', 'counter')),
  constraint appointments_status_ck check (status in ('held', 'booked', 'served', 'cancelled', 'expired', 'no-show')),
  constraint appointments_hold_ck check ((status = 'held') = (hold_expires_at is not null)),
  constraint appointments_online_account_ck check (channel = 'counter' or account_id is not null),
  constraint appointments_time_ck check (starts_at < ends_at),
  constraint appointments_name_ck check (length(name) between 1 and 200),
  constraint appointments_id_number_ck check (id_number is null or id_number ~ '^[0-9]{9,12}$'),
  constraint appointments_documents_ck check (length(documents) <= 500),
  constraint appointments_copies_ck check (copies is null or copies between 1 and 100),
  constraint appointments_queue_ck check (queue_number is null or queue_number > 0),
  constraint appointments_key_ck check ((idempotency_key is null) = (request_hash is null)),
  constraint appointments_served_ck check (certification_id is null or status = 'served')
);
create unique index appointments_key_uq on documents.appointments (account_id, idempotency_key)
  where idempotency_key is not null;
create unique index appointments_queue_uq on documents.appointments (agency_code, day, queue_number)
  where queue_number is not null;
create unique index appointments_one_per_slot_uq on documents.appointments (account_id, agency_code, starts_at)
  where status in ('held', 'booked');
create index appointments_office_day_ix on documents.appointments (agency_code, day);
create index appointments_account_ix on documents.appointments (account_id, starts_at);
create index appointments_holds_ix on documents.appointments (hold_expires_at) where status = 'held';
create index appointments_reminders_ix on documents.appointments (starts_at) where status = 'booked' and reminded_at is null;
comment on table documents.appointments is 'Appointments at certifying offices: online bookings (held, then booked) and walk-ins at the counter';
comment on column documents.appointments.id is 'The appointment id (also what the counter looks it up by)';
comment on column documents.appointments.agency_code is 'The office';
comment on column documents.appointments.starts_at is 'Start of the slot';
comment on column documents.appointments.ends_at is 'End of the slot';
comment on column documents.appointments.day is 'The day of the slot (Vietnam date): the queue numbers'' day';
comment on column documents.appointments.channel is 'online (booked on the portal, an online place) or counter (a walk-in, a counter place)';
comment on column documents.appointments.account_id is 'The account that booked (always for online; for a walk-in when the officer found one)';
comment on column documents.appointments.name is 'Name of the person who comes, as the account or the officer gave it';
comment on column documents.appointments.id_number is 'Their ID number (số định danh cá nhân), when known';
comment on column documents.appointments.documents is 'What they bring: a short description of the originals to certify copies of';
comment on column documents.appointments.copies is 'How many copies they expect to ask for, when said';
comment on column documents.appointments.status is 'held (place kept while the form is filled) → booked → served | no-show; held → expired; held or booked → cancelled';
comment on column documents.appointments.hold_expires_at is 'When a hold lapses and its place is given back (held only)';
comment on column documents.appointments.queue_number is 'Number in the office''s queue of the day, given when booked (or at the counter for a walk-in)';
comment on column documents.appointments.idempotency_key is 'The Idempotency-Key of the request that made it (unique per account)';
comment on column documents.appointments.request_hash is 'SHA-256 of that request''s body: the same key with another body is refused';
comment on column documents.appointments.certification_id is 'The certification made at the counter when served';
comment on column documents.appointments.reminded_at is 'When the reminder of the day before was queued';
comment on column documents.appointments.revision is 'Incremented by every change (updates apply only at the expected revision)';
comment on column documents.appointments.created_at is 'When it was made';
comment on column documents.appointments.updated_at is 'When it last changed';
