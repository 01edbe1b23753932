-- Platform tables: the transactional outbox, the hash-chained audit log, and the record of reference
-- data loads. The schema `platform` and `platform.schema_migrations` are created by the migration runner.

create table platform.outbox (
  id bigint generated always as identity,
  topic text not null,
  payload jsonb not null,
  dedupe_key text,
  status text not null default 'pending',
  attempts integer not null default 0,
  available_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  last_error text,
  constraint outbox_pk primary key (id),
  constraint outbox_status_ck check (status in ('pending', 'delivered', 'dead')),
  constraint outbox_topic_ck check (topic ~ '^[a-z][a-z0-9_.-]{0,99}$'),
  constraint outbox_topic_dedupe_key_uq unique (topic, dedupe_key)
);
comment on table platform.outbox is 'Side effects written in the business transaction and delivered after commit, at least once';
comment on column platform.outbox.topic is 'What kind of message this is; a dispatcher handler is registered per topic';
comment on column platform.outbox.payload is 'The message, as JSON; receivers must be idempotent';
comment on column platform.outbox.dedupe_key is 'Optional producer key: the same (topic, key) is enqueued once';
comment on column platform.outbox.status is 'pending (waiting or leased), delivered, or dead (gave up after the maximum attempts)';
comment on column platform.outbox.attempts is 'Delivery attempts so far';
comment on column platform.outbox.available_at is 'Not before this instant: the retry backoff, or the lease of the dispatcher that claimed it';
comment on column platform.outbox.created_at is 'When the business transaction wrote it; the lag is measured from here';
comment on column platform.outbox.delivered_at is 'When a handler acknowledged it';
comment on column platform.outbox.last_error is 'The error of the last failed attempt, for the dead-letter view';
create index outbox_pending_ix on platform.outbox (available_at, id) where status = 'pending';
create index outbox_dead_ix on platform.outbox (id) where status = 'dead';

create table platform.audit_log (
  id bigint generated always as identity,
  at timestamptz not null,
  actor text not null,
  action text not null,
  subject text not null,
  data jsonb not null default '{}'::jsonb,
  prev_hash text not null,
  hash text not null,
  constraint audit_log_pk primary key (id),
  constraint audit_log_hash_uq unique (hash),
  constraint audit_log_hash_ck check (hash ~ '^[0-9a-f]{64}$' and prev_hash ~ '^[0-9a-f]{64}$')
);
comment on table platform.audit_log is 'Append-only, hash-chained record of every state change that matters';
comment on column platform.audit_log.at is 'When the change was made (UTC)';
comment on column platform.audit_log.actor is 'Who made it: user:<id>, officer:<id>, client:<id> or system:<job>';
comment on column platform.audit_log.action is 'What was done, module.verb (e.g. dossier.receive)';
comment on column platform.audit_log.subject is 'What it was done to, kind:id (e.g. dossier:000.00.01.H22-250701-0001)';
comment on column platform.audit_log.data is 'Details of the change';
comment on column platform.audit_log.prev_hash is 'hash of the previous row (64 zeros for the first row)';
comment on column platform.audit_log.hash is 'SHA-256 over prev_hash and this row''s content in canonical JSON';

create function platform.audit_log_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception 'platform.audit_log is append-only: % refused', tg_op
    using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_log_no_update_delete before update or delete on platform.audit_log
  for each row execute function platform.audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on platform.audit_log
  for each statement execute function platform.audit_log_refuse_change();

create table platform.reference_data (
  name text not null,
  checksum text not null,
  loaded_at timestamptz not null default now(),
  constraint reference_data_pk primary key (name)
);
comment on table platform.reference_data is 'Reference data sets loaded at start-up, reloaded only when their source changes';
comment on column platform.reference_data.name is 'Data set name, e.g. agencies.admin-units';
comment on column platform.reference_data.checksum is 'SHA-256 of the source files as loaded';
