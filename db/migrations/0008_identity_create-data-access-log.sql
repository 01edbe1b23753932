-- Who read a person's personal data: every release of claims to a relying party or agency system
-- (and, with the officer tools to come, every officer's read). The person sees it on the account page.

create table identity.data_access_log (
  id bigint generated always as identity,
  account_id uuid not null,
  at timestamptz not null default now(),
  accessor_kind text not null,
  accessor_id text not null,
  accessor_name text not null,
  purpose text not null,
  fields text[] not null,
  constraint data_access_log_pk primary key (id),
  constraint data_access_log_account_fk foreign key (account_id) references identity.accounts (id) on delete cascade,
  constraint data_access_log_kind_ck check (accessor_kind in ('client', 'officer')),
  constraint data_access_log_purpose_ck check (length(purpose) between 1 and 200)
);
create index data_access_log_account_ix on identity.data_access_log (account_id, at desc);
comment on table identity.data_access_log is 'Reads of a person''s personal data by relying parties, agency systems and officers';
comment on column identity.data_access_log.account_id is 'Whose data was read';
comment on column identity.data_access_log.at is 'When';
comment on column identity.data_access_log.accessor_kind is 'client (a portal or system through OpenID Connect) or officer';
comment on column identity.data_access_log.accessor_id is 'client_id, or the officer''s account id';
comment on column identity.data_access_log.accessor_name is 'Name shown to the person (client name, officer name and agency)';
comment on column identity.data_access_log.purpose is 'Why: e.g. sign-in (id_token), userinfo';
comment on column identity.data_access_log.fields is 'Which claims or fields were released';
