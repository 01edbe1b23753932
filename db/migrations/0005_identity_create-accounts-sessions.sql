-- Identity: one account for citizens, businesses and organisations (and officers), verified contacts,
-- one-time codes, and sessions stored in the database so any process can serve any user.

create schema identity;

create table identity.accounts (
  id uuid not null default gen_random_uuid(),
  kind text not null,
  status text not null default 'active',
  display_name text not null,
  personal_id text,
  tax_code text,
  birth_date date,
  sex text,
  email text,
  email_verified_at timestamptz,
  phone text,
  phone_verified_at timestamptz,
  password_hash text,
  password_changed_at timestamptz,
  failed_logins integer not null default 0,
  locked_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint accounts_pk primary key (id),
  constraint accounts_kind_ck check (kind in ('citizen', 'business', 'organisation', 'officer')),
  constraint accounts_status_ck check (status in ('active', 'disabled')),
  constraint accounts_sex_ck check (sex is null or sex in ('male', 'female')),
  constraint accounts_personal_id_ck check (personal_id is null or personal_id ~ '^[0-9]{12}$'),
  constraint accounts_tax_code_ck check (tax_code is null or tax_code ~ '^[0-9]{10}(-[0-9]{3})?$|^[0-9]{12}$'),
  constraint accounts_phone_ck check (phone is null or phone ~ '^\+[0-9]{8,15}$'),
  constraint accounts_email_ck check (email is null or (email = lower(email) and length(email) <= 254)),
  constraint accounts_identity_ck check (
    (kind = 'citizen' and personal_id is not null) or
    (kind = 'business' and tax_code is not null) or
    kind in ('organisation', 'officer')),
  constraint accounts_contact_ck check (email is not null or phone is not null),
  constraint accounts_display_name_ck check (length(display_name) between 1 and 200)
);
create unique index accounts_personal_id_uq on identity.accounts (personal_id) where personal_id is not null and kind = 'citizen';
create unique index accounts_tax_code_uq on identity.accounts (tax_code) where tax_code is not null and kind = 'business';
create unique index accounts_email_uq on identity.accounts (email) where email is not null;
create unique index accounts_phone_uq on identity.accounts (phone) where phone is not null;
comment on table identity.accounts is 'People and organisations that sign in: citizens, businesses, organisations, officers';
comment on column identity.accounts.kind is 'citizen, business, organisation or officer';
comment on column identity.accounts.status is 'active or disabled (by an administrator)';
comment on column identity.accounts.display_name is 'Full name of a person, or registered name of a business or organisation';
comment on column identity.accounts.personal_id is 'Twelve-digit personal identification number (số định danh cá nhân) of a citizen';
comment on column identity.accounts.tax_code is 'Tax code (mã số thuế) of a business: 10 digits, 10-3 for a branch, or 12 for a household business';
comment on column identity.accounts.birth_date is 'Date of birth of a person';
comment on column identity.accounts.sex is 'male or female, as on the identification record';
comment on column identity.accounts.email is 'E-mail address, lower case; unique among accounts';
comment on column identity.accounts.email_verified_at is 'When a one-time code sent to the e-mail address was confirmed';
comment on column identity.accounts.phone is 'Mobile number in E.164 (+84…); unique among accounts';
comment on column identity.accounts.phone_verified_at is 'When a one-time code sent by SMS was confirmed';
comment on column identity.accounts.password_hash is 'argon2id hash (PHC string)';
comment on column identity.accounts.password_changed_at is 'When the password was last set';
comment on column identity.accounts.failed_logins is 'Consecutive failed sign-ins since the last success';
comment on column identity.accounts.locked_until is 'Sign-in refused until then after repeated failures';

create table identity.otp_challenges (
  id uuid not null default gen_random_uuid(),
  account_id uuid,
  purpose text not null,
  channel text not null,
  destination text not null,
  code_hash text not null,
  attempts integer not null default 0,
  payload jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  consumed_at timestamptz,
  constraint otp_challenges_pk primary key (id),
  constraint otp_challenges_account_fk foreign key (account_id) references identity.accounts (id) on delete cascade,
  constraint otp_challenges_purpose_ck check (purpose in ('register', 'reset-password', 'change-contact')),
  constraint otp_challenges_channel_ck check (channel in ('sms', 'email')),
  constraint otp_challenges_attempts_ck check (attempts between 0 and 10)
);
create index otp_challenges_account_ix on identity.otp_challenges (account_id, purpose) where consumed_at is null;
comment on table identity.otp_challenges is 'One-time codes sent to a phone or e-mail address, stored hashed';
comment on column identity.otp_challenges.purpose is 'register, reset-password or change-contact';
comment on column identity.otp_challenges.channel is 'sms or email';
comment on column identity.otp_challenges.destination is 'Where the code was sent (E.164 number or e-mail address)';
comment on column identity.otp_challenges.code_hash is 'HMAC-SHA256 of the code with the instance pepper';
comment on column identity.otp_challenges.attempts is 'Wrong codes entered; the challenge dies at 5';
comment on column identity.otp_challenges.payload is 'What the code confirms (e.g. the new contact value)';
comment on column identity.otp_challenges.expires_at is 'The code is refused after this';
comment on column identity.otp_challenges.consumed_at is 'When the code was used (once)';

create table identity.sessions (
  token_hash text not null,
  account_id uuid not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  idle_timeout_seconds integer not null,
  ip text,
  user_agent text,
  revoked_at timestamptz,
  constraint sessions_pk primary key (token_hash),
  constraint sessions_account_fk foreign key (account_id) references identity.accounts (id) on delete cascade,
  constraint sessions_token_hash_ck check (token_hash ~ '^[0-9a-f]{64}$'),
  constraint sessions_idle_ck check (idle_timeout_seconds > 0)
);
create index sessions_account_ix on identity.sessions (account_id) where revoked_at is null;
comment on table identity.sessions is 'Signed-in browser sessions; the cookie holds a random token, the database its SHA-256';
comment on column identity.sessions.token_hash is 'SHA-256 (hex) of the session cookie value';
comment on column identity.sessions.last_seen_at is 'Last request (updated at most once a minute)';
comment on column identity.sessions.expires_at is 'Absolute end of the session';
comment on column identity.sessions.idle_timeout_seconds is 'The session ends after this much inactivity (shorter for officers)';
comment on column identity.sessions.ip is 'Client address at sign-in';
comment on column identity.sessions.user_agent is 'Browser at sign-in (first 300 characters)';
comment on column identity.sessions.revoked_at is 'Signed out, or ended by a password change';
