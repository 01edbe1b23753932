-- Rate-limit counters shared by every process (fixed windows), and instance secrets generated on the
-- first start (keys for CSRF tokens and one-time-code hashing) so that any number of processes agree
-- on them without configuration.

create table platform.rate_limits (
  key text not null,
  window_start timestamptz not null,
  hits integer not null default 0,
  constraint rate_limits_pk primary key (key, window_start),
  constraint rate_limits_key_ck check (length(key) <= 300)
);
create index rate_limits_window_ix on platform.rate_limits (window_start);
comment on table platform.rate_limits is 'Fixed-window request counters: login, one-time codes, public lookup';
comment on column platform.rate_limits.key is 'What is limited: <limit name>:<subject>, e.g. login-ip:203.0.113.7 (identifiers hashed)';
comment on column platform.rate_limits.window_start is 'Start of the counting window';
comment on column platform.rate_limits.hits is 'Attempts counted in the window';

create table platform.instance_secrets (
  name text not null,
  secret bytea not null,
  created_at timestamptz not null default now(),
  constraint instance_secrets_pk primary key (name),
  constraint instance_secrets_length_ck check (length(secret) >= 32)
);
comment on table platform.instance_secrets is 'Random keys generated once per installation (never logged or exported)';
comment on column platform.instance_secrets.name is 'What the key is for, e.g. csrf, otp-pepper';
comment on column platform.instance_secrets.secret is 'At least 32 random bytes';
