-- When the person behind a session last proved who they are (typed their password, and their second
-- factor for an officer). A session replaced by a step-up keeps the time the password was typed. This is
-- the `auth_time` the OpenID Connect provider puts in id_tokens, and what `max_age` and `prompt=login`
-- are checked against: a relying party that asks for a fresh sign-in gets one, not a renamed old one.

alter table identity.sessions add column authenticated_at timestamptz;
update identity.sessions set authenticated_at = created_at;
alter table identity.sessions alter column authenticated_at set not null;
alter table identity.sessions alter column authenticated_at set default now();

comment on column identity.sessions.authenticated_at is 'When the holder last entered their password (and second factor for officers) for this session; the id_token auth_time';
