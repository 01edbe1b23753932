-- Notifications: the portal inbox ("Thông báo") and each account's choice of channels.
--
-- Every message sent to a known account is also an inbox entry, one per event whatever the channels
-- (an SMS and an e-mail about the same status change are one entry), and it is the only channel left
-- when the person turned SMS and e-mail off for that topic. One-time codes are never inbox entries:
-- a code proves that its reader holds the phone or the mailbox, which a signed-in session does not.
--
-- Preferences hold only what differs from the default (every channel on): a row per (account, channel,
-- topic) that was turned off or back on. Codes and account/security notices are not optional.

create table notifications.inbox (
  id bigint generated always as identity,
  account_id uuid not null,
  event_key text not null,
  template text not null,
  topic text not null,
  subject text not null,
  body text not null,
  link text,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  constraint inbox_pk primary key (id),
  constraint inbox_event_uq unique (account_id, event_key),
  constraint inbox_event_key_ck check (length(event_key) between 1 and 300),
  constraint inbox_subject_ck check (length(subject) between 1 and 500),
  constraint inbox_body_ck check (length(body) <= 20000),
  constraint inbox_link_ck check (length(link) <= 2000)
);
create index inbox_account_ix on notifications.inbox (account_id, id desc);
create index inbox_unread_ix on notifications.inbox (account_id) where read_at is null;

comment on table notifications.inbox is 'The portal inbox: one entry per event told to an account, whatever the channels';
comment on column notifications.inbox.account_id is 'The account told (identity.accounts.id; no foreign key across modules)';
comment on column notifications.inbox.event_key is 'What the entry is about (the dedupe key of the notification): one entry per (account, event)';
comment on column notifications.inbox.template is 'Template name, e.g. dossier.status-changed';
comment on column notifications.inbox.topic is 'The preference topic of the template: dossier-status, deadlines, account';
comment on column notifications.inbox.subject is 'Title shown in the list (the e-mail subject)';
comment on column notifications.inbox.body is 'Text shown when opened (the e-mail text)';
comment on column notifications.inbox.link is 'The page the entry is about, when it has one (a dossier)';
comment on column notifications.inbox.created_at is 'When the business transaction told it';
comment on column notifications.inbox.read_at is 'When the owner first opened it; null while unread';

create table notifications.preferences (
  account_id uuid not null,
  channel text not null,
  topic text not null,
  enabled boolean not null,
  updated_at timestamptz not null default now(),
  constraint preferences_pk primary key (account_id, channel, topic),
  constraint preferences_channel_ck check (channel in ('sms', 'email')),
  constraint preferences_topic_ck check (length(topic) between 1 and 40)
);

comment on table notifications.preferences is 'Channels an account turned off (or back on) per topic; no row: on';
comment on column notifications.preferences.account_id is 'The account (identity.accounts.id)';
comment on column notifications.preferences.channel is 'sms or email';
comment on column notifications.preferences.topic is 'An optional topic: dossier-status, deadlines';
comment on column notifications.preferences.enabled is 'Whether messages of this topic go out on this channel';
comment on column notifications.preferences.updated_at is 'When the owner last changed it';
