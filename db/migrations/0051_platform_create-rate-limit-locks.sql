-- Limits per subject that lock: an officer's account after too many wrong authenticator codes, a dossier
-- code after too many wrong guesses of the applicant's last 4 characters. Failures are counted in
-- platform.rate_limits (windows summed over a period); when they reach the limit the subject is locked
-- here until the lock ends or an administrator releases it. One row per subject and limit, whatever
-- process or address the failures came from.

create table platform.rate_limit_locks (
  key text not null,
  limit_name text not null,
  locked_at timestamptz not null,
  locked_until timestamptz not null,
  constraint rate_limit_locks_pk primary key (key),
  constraint rate_limit_locks_key_ck check (length(key) <= 300),
  constraint rate_limit_locks_limit_name_ck check (length(limit_name) <= 60),
  constraint rate_limit_locks_period_ck check (locked_until > locked_at)
);
create index rate_limit_locks_until_ix on platform.rate_limit_locks (locked_until);
comment on table platform.rate_limit_locks is 'Subjects locked by a limit on failures (officer second factor per account, public lookup per dossier code)';
comment on column platform.rate_limit_locks.key is 'The locked subject: <limit name>:<subject hash>, as in platform.rate_limits';
comment on column platform.rate_limit_locks.limit_name is 'The limit that locked it, e.g. second-factor-account';
comment on column platform.rate_limit_locks.locked_at is 'When the failures reached the limit';
comment on column platform.rate_limit_locks.locked_until is 'When the lock ends by itself (a release deletes the row earlier)';
