-- Recurring jobs (purges, deadline warnings, partitions ahead of time) run by whichever portal process
-- claims them first: one row per job holds its next run and a lease, so any number of processes can
-- run the scheduler and each run happens once.

create table platform.scheduled_jobs (
  name text not null,
  every_seconds integer not null,
  next_run_at timestamptz not null,
  locked_until timestamptz,
  locked_by text,
  last_started_at timestamptz,
  last_finished_at timestamptz,
  last_error text,
  runs bigint not null default 0,
  failures bigint not null default 0,
  constraint scheduled_jobs_pk primary key (name),
  constraint scheduled_jobs_name_ck check (name ~ '^[a-z0-9][a-z0-9.-]{1,79}$'),
  constraint scheduled_jobs_every_ck check (every_seconds between 1 and 2678400),
  constraint scheduled_jobs_error_ck check (last_error is null or length(last_error) <= 2000)
);
comment on table platform.scheduled_jobs is 'Recurring jobs: next run and the lease of the process running it';
comment on column platform.scheduled_jobs.name is 'Job name, e.g. identity.purge-expired';
comment on column platform.scheduled_jobs.every_seconds is 'Interval between the starts of two runs';
comment on column platform.scheduled_jobs.next_run_at is 'When the job is next due';
comment on column platform.scheduled_jobs.locked_until is 'Lease of the running process; a crashed run is retried after it';
comment on column platform.scheduled_jobs.locked_by is 'Which process holds the lease (host:pid:random)';
comment on column platform.scheduled_jobs.last_started_at is 'Start of the last run';
comment on column platform.scheduled_jobs.last_finished_at is 'End of the last run';
comment on column platform.scheduled_jobs.last_error is 'Error message of the last run, null when it succeeded';
comment on column platform.scheduled_jobs.runs is 'Runs so far';
comment on column platform.scheduled_jobs.failures is 'Failed runs so far';
