-- Outbound delivery: dossiers filed on the portal reach the competent agency's own one-stop-shop system
-- by a pull feed (sync.outbound_entries read with a cursor, acknowledged per client in
-- sync.inbox_positions) and by signed webhooks (sync.webhook_subscriptions, one delivery per entry and
-- subscription in sync.webhook_deliveries, every try in sync.webhook_attempts). docs/sync.md.
--
-- The feed's cursor is `seq`, allocated from the single row of sync.outbound_sequence while holding its
-- row lock until commit: entries become visible in the order of their sequence numbers, so a reader
-- that has seen entry N will never later find an entry below N (no skipped entry when transactions
-- commit out of order). Client ids and agency codes point into other modules: not foreign keys.

create table sync.outbound_sequence (
  id smallint not null default 1,
  last_seq bigint not null,
  constraint outbound_sequence_pk primary key (id),
  constraint outbound_sequence_one_ck check (id = 1)
);
insert into sync.outbound_sequence (id, last_seq) values (1, 0);
comment on table sync.outbound_sequence is 'The last sequence number given to a feed entry (one row; its row lock orders commits)';
comment on column sync.outbound_sequence.id is 'Always 1';
comment on column sync.outbound_sequence.last_seq is 'The sequence number of the newest feed entry';

create table sync.outbound_entries (
  seq bigint not null,
  dossier_code text not null,
  revision integer not null,
  event text not null,
  action text not null,
  status smallint not null,
  competent_agency_code text not null,
  lineage text[] not null,
  record jsonb not null,
  occurred_at timestamptz not null,
  created_at timestamptz not null default now(),
  constraint outbound_entries_pk primary key (seq),
  constraint outbound_entries_revision_uq unique (dossier_code, revision),
  constraint outbound_entries_status_ck check (status between 1 and 10),
  constraint outbound_entries_event_ck check (event in ('dossier.status-changed', 'dossier.extended')),
  constraint outbound_entries_record_ck check (jsonb_typeof(record) = 'object'),
  constraint outbound_entries_lineage_ck check (cardinality(lineage) >= 1)
);
create index outbound_entries_lineage_ix on sync.outbound_entries using gin (lineage);
comment on table sync.outbound_entries is 'The outbound feed: one entry per change of a portal dossier (code, revision), for the competent agency''s system';
comment on column sync.outbound_entries.seq is 'The cursor: increases by one per entry, in commit order';
comment on column sync.outbound_entries.dossier_code is 'MaHoSo of the portal dossier';
comment on column sync.outbound_entries.revision is 'The dossier''s revision after the change (unique with the code: a redelivered event adds nothing)';
comment on column sync.outbound_entries.event is 'dossier.status-changed or dossier.extended (new due date, form 04)';
comment on column sync.outbound_entries.action is 'The workflow action (submit, receive, request-supplement, supplement, withdraw, approve, …)';
comment on column sync.outbound_entries.status is 'TrangThaiHoSo after the change (1–10)';
comment on column sync.outbound_entries.competent_agency_code is 'The agency that decides the dossier';
comment on column sync.outbound_entries.lineage is 'The competent agency and those above it when the entry was made: who may read it';
comment on column sync.outbound_entries.record is 'The dossier in the DongBoHoSoMC shape at this change';
comment on column sync.outbound_entries.occurred_at is 'When the change happened on the portal';
comment on column sync.outbound_entries.created_at is 'When the entry was written';

create table sync.inbox_positions (
  client_id text not null,
  acked_seq bigint not null,
  acked_at timestamptz not null default now(),
  constraint inbox_positions_pk primary key (client_id),
  constraint inbox_positions_seq_ck check (acked_seq >= 0)
);
comment on table sync.inbox_positions is 'How far each machine client has acknowledged the feed (only ever moves forward)';
comment on column sync.inbox_positions.client_id is 'The machine client (identity module)';
comment on column sync.inbox_positions.acked_seq is 'The highest acknowledged cursor';
comment on column sync.inbox_positions.acked_at is 'When the position last moved';

create table sync.webhook_subscriptions (
  id uuid not null default gen_random_uuid(),
  client_id text not null,
  url text not null,
  agency_codes text[] not null,
  secret_sealed text not null,
  active boolean not null default true,
  created_by text not null,
  created_at timestamptz not null default now(),
  constraint webhook_subscriptions_pk primary key (id),
  constraint webhook_subscriptions_url_uq unique (client_id, url),
  constraint webhook_subscriptions_url_ck check (url ~ '^https?://' and length(url) <= 2000),
  constraint webhook_subscriptions_agencies_ck check (cardinality(agency_codes) >= 1)
);
create index webhook_subscriptions_agencies_ix on sync.webhook_subscriptions using gin (agency_codes) where active;
comment on table sync.webhook_subscriptions is 'Endpoints of agency systems that receive every feed entry of their agencies as a signed POST';
comment on column sync.webhook_subscriptions.id is 'Subscription id';
comment on column sync.webhook_subscriptions.client_id is 'The machine client the endpoint belongs to';
comment on column sync.webhook_subscriptions.url is 'The endpoint (http or https; redirects are not followed)';
comment on column sync.webhook_subscriptions.agency_codes is 'Entries whose competent agency is one of these or below one of them are sent';
comment on column sync.webhook_subscriptions.secret_sealed is 'The signing secret (whsec_…), sealed with AES-256-GCM under the platform secret webhook-secrets';
comment on column sync.webhook_subscriptions.active is 'False: no new deliveries are made for it';
comment on column sync.webhook_subscriptions.created_by is 'client:{id} or officer:{account id}';
comment on column sync.webhook_subscriptions.created_at is 'When it was registered';

create table sync.webhook_deliveries (
  id bigint generated always as identity,
  subscription_id uuid not null,
  entry_seq bigint not null,
  status text not null default 'pending',
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  leased_until timestamptz,
  last_status_code integer,
  last_error text,
  delivered_at timestamptz,
  dead_at timestamptz,
  created_at timestamptz not null default now(),
  constraint webhook_deliveries_pk primary key (id),
  constraint webhook_deliveries_uq unique (subscription_id, entry_seq),
  constraint webhook_deliveries_subscription_fk foreign key (subscription_id)
    references sync.webhook_subscriptions (id) on delete cascade,
  constraint webhook_deliveries_entry_fk foreign key (entry_seq) references sync.outbound_entries (seq),
  constraint webhook_deliveries_status_ck check (status in ('pending', 'delivered', 'dead'))
);
create index webhook_deliveries_recent_ix on sync.webhook_deliveries (subscription_id, id desc);
create index webhook_deliveries_dead_ix on sync.webhook_deliveries (dead_at desc) where status = 'dead';
create index webhook_deliveries_due_ix on sync.webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_entry_ix on sync.webhook_deliveries (entry_seq);
comment on table sync.webhook_deliveries is 'One feed entry to one endpoint: pending (with its next try), delivered, or dead (the dead letter)';
comment on column sync.webhook_deliveries.id is 'Delivery id';
comment on column sync.webhook_deliveries.subscription_id is 'The endpoint';
comment on column sync.webhook_deliveries.entry_seq is 'The feed entry (its cursor; also the webhook-id)';
comment on column sync.webhook_deliveries.status is 'pending, delivered (a 2xx answer) or dead (no 2xx after the last try)';
comment on column sync.webhook_deliveries.attempts is 'Tries so far (reset by a redelivery)';
comment on column sync.webhook_deliveries.next_attempt_at is 'When the next try is due';
comment on column sync.webhook_deliveries.leased_until is 'A worker is trying it until then';
comment on column sync.webhook_deliveries.last_status_code is 'HTTP status of the last try (null: no answer)';
comment on column sync.webhook_deliveries.last_error is 'What went wrong on the last try';
comment on column sync.webhook_deliveries.delivered_at is 'When a try got a 2xx';
comment on column sync.webhook_deliveries.dead_at is 'When it was given up';
comment on column sync.webhook_deliveries.created_at is 'When the delivery was made';

create table sync.webhook_attempts (
  id bigint generated always as identity,
  delivery_id bigint not null,
  attempt integer not null,
  started_at timestamptz not null,
  latency_ms integer not null,
  status_code integer,
  error text,
  constraint webhook_attempts_pk primary key (id),
  constraint webhook_attempts_delivery_fk foreign key (delivery_id)
    references sync.webhook_deliveries (id) on delete cascade
);
create index webhook_attempts_delivery_ix on sync.webhook_attempts (delivery_id, id);
comment on table sync.webhook_attempts is 'Every try of a webhook delivery';
comment on column sync.webhook_attempts.id is 'Attempt id';
comment on column sync.webhook_attempts.delivery_id is 'The delivery';
comment on column sync.webhook_attempts.attempt is 'Its number within the delivery (from 1; counts again after a redelivery)';
comment on column sync.webhook_attempts.started_at is 'When the request started';
comment on column sync.webhook_attempts.latency_ms is 'Until the answer, the error or the timeout';
comment on column sync.webhook_attempts.status_code is 'HTTP status (null: no answer)';
comment on column sync.webhook_attempts.error is 'Timeout, refused connection, redirect not followed, non-2xx answer…';
