-- Notifications: each message is one row from the moment it is queued (in the business transaction)
-- to what became of it: queued → sent (the SMTP server or SMS gateway took it) → delivered, failed or
-- expired (the gateway's delivery report; a one-time code not sent before it lapsed is expired too).
-- Idempotent per (event, channel, recipient). Rows written before this migration were recorded when
-- delivered: they keep their outbox id and become 'sent'.

alter table notifications.messages
  add column event_key text,
  add column state text not null default 'queued',
  add column attempts integer not null default 0,
  add column last_error text,
  add column provider_id text,
  add column generation integer not null default 0,
  add column queued_at timestamptz not null default now(),
  add column expires_at timestamptz,
  add column reported_at timestamptz,
  add column finished_at timestamptz;

update notifications.messages
   set event_key = 'outbox:' || outbox_id, state = 'sent', queued_at = sent_at;

alter table notifications.messages
  alter column event_key set not null,
  alter column outbox_id drop not null,
  alter column transport drop not null,
  alter column sent_at drop not null,
  alter column sent_at drop default,
  add constraint messages_event_uq unique (event_key, channel, recipient),
  add constraint messages_state_ck check (state in ('queued', 'sent', 'delivered', 'failed', 'expired')),
  add constraint messages_attempts_ck check (attempts >= 0),
  add constraint messages_event_key_ck check (length(event_key) between 1 and 300),
  add constraint messages_last_error_ck check (length(last_error) <= 2000),
  add constraint messages_provider_id_ck check (length(provider_id) <= 200);

create index messages_provider_ix on notifications.messages (channel, provider_id) where provider_id is not null;
create index messages_unsettled_ix on notifications.messages (state, sent_at) where state in ('queued', 'sent');
create index messages_failed_ix on notifications.messages (finished_at desc) where state in ('failed', 'expired');

comment on column notifications.messages.outbox_id is 'The outbox message that delivered a row recorded before delivery tracking (0060); null since';
comment on column notifications.messages.event_key is 'What the message is about (the caller''s dedupe key, or one of its own): one message per (event, channel, recipient)';
comment on column notifications.messages.state is 'queued, sent (the transport took it), delivered, failed or expired';
comment on column notifications.messages.attempts is 'Tries to hand the message to its transport, in this generation';
comment on column notifications.messages.last_error is 'Why the last try failed, or the failure the delivery report gave';
comment on column notifications.messages.provider_id is 'The SMS gateway''s message id or the e-mail''s Message-ID';
comment on column notifications.messages.generation is 'Sends of this row: 0, then one more per resend by an administrator (part of the request id the gateway deduplicates on)';
comment on column notifications.messages.queued_at is 'When the business transaction queued it';
comment on column notifications.messages.expires_at is 'A one-time code''s end of validity: not sent after it (state expired)';
comment on column notifications.messages.reported_at is 'When the last delivery report (or status query) changed the state';
comment on column notifications.messages.finished_at is 'When it reached delivered, failed or expired';
comment on column notifications.messages.transport is 'How it left: log (recorded only, outside production), smtp, sms-gateway, off (channel switched off)';
comment on column notifications.messages.sent_at is 'When the transport accepted it (null while queued)';
