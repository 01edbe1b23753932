-- Level of assurance of a session: 1 after a password, 2 after a second factor (an authenticator code
-- for officers, a one-time code sent to a verified phone or e-mail for citizens and businesses).
alter table identity.sessions add column assurance smallint not null default 1;
alter table identity.sessions add constraint sessions_assurance_ck check (assurance in (1, 2));
comment on column identity.sessions.assurance is 'LoA of the sign-in: 1 password, 2 password and a second factor';
