-- One-time enrolment links: an officer account made without a password (the first system administrator,
-- created from the command line) is handed a link where its holder sets a password and an authenticator.
-- The link's token is stored hashed (SHA-256), expires, and works once.

create table identity.enrolments (
  token_hash text not null,
  account_id uuid not null,
  totp_secret text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  attempts integer not null default 0,
  created_by text not null,
  constraint enrolments_pk primary key (token_hash),
  constraint enrolments_account_fk foreign key (account_id) references identity.accounts (id) on delete cascade,
  constraint enrolments_token_hash_ck check (token_hash ~ '^[0-9a-f]{64}$'),
  constraint enrolments_totp_secret_ck check (totp_secret ~ '^[A-Z2-7]{16,64}$'),
  constraint enrolments_expiry_ck check (expires_at > created_at),
  constraint enrolments_attempts_ck check (attempts >= 0),
  constraint enrolments_created_by_ck check (length(created_by) <= 100)
);
create index enrolments_account_ix on identity.enrolments (account_id);
comment on table identity.enrolments is 'One-time links where an officer made without a password sets it and enrols an authenticator';
comment on column identity.enrolments.token_hash is 'SHA-256 (hex) of the link''s token; the token itself is shown once';
comment on column identity.enrolments.account_id is 'The officer account the link enrols';
comment on column identity.enrolments.totp_secret is 'The authenticator key offered on the page (base32), copied to the officer when confirmed';
comment on column identity.enrolments.created_at is 'When the link was made';
comment on column identity.enrolments.expires_at is 'After this the link no longer works';
comment on column identity.enrolments.used_at is 'When the link was used (it works once)';
comment on column identity.enrolments.attempts is 'Wrong submissions (code or password); 5 end the link';
comment on column identity.enrolments.created_by is 'Who made it, e.g. cli:create-system-admin';
