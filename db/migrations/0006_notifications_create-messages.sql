-- Notifications: every message the portal sends (SMS, e-mail), written when the outbox delivers it.
-- Delivery is idempotent on the outbox message id.

create schema notifications;

create table notifications.messages (
  id bigint generated always as identity,
  outbox_id bigint not null,
  channel text not null,
  recipient text not null,
  template text not null,
  subject text,
  body text not null,
  transport text not null,
  sent_at timestamptz not null default now(),
  constraint messages_pk primary key (id),
  constraint messages_outbox_uq unique (outbox_id),
  constraint messages_channel_ck check (channel in ('sms', 'email')),
  constraint messages_body_ck check (length(body) <= 20000)
);
create index messages_recipient_ix on notifications.messages (recipient, sent_at desc);
comment on table notifications.messages is 'Messages sent to citizens and officers, one row per delivery';
comment on column notifications.messages.outbox_id is 'The outbox message delivered (makes delivery idempotent)';
comment on column notifications.messages.channel is 'sms or email';
comment on column notifications.messages.recipient is 'E.164 phone number or e-mail address';
comment on column notifications.messages.template is 'Template name, e.g. otp.register';
comment on column notifications.messages.subject is 'E-mail subject';
comment on column notifications.messages.body is 'Text as sent';
comment on column notifications.messages.transport is 'How it left: log (recorded only, development), smtp, sms-gateway';
comment on column notifications.messages.sent_at is 'When the transport accepted it';
