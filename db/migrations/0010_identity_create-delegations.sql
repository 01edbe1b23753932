-- A business's legal representative (the holder of the business account) authorises other accounts to
-- act for the business: for every procedure or for listed ones, until a date. What a delegate files
-- for the business belongs to the business.

create table identity.delegations (
  id bigint generated always as identity,
  business_account_id uuid not null,
  delegate_account_id uuid not null,
  all_procedures boolean not null,
  procedure_codes text[] not null default '{}',
  valid_until date not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  constraint delegations_pk primary key (id),
  constraint delegations_business_fk foreign key (business_account_id) references identity.accounts (id) on delete cascade,
  constraint delegations_delegate_fk foreign key (delegate_account_id) references identity.accounts (id) on delete cascade,
  constraint delegations_self_ck check (business_account_id <> delegate_account_id),
  constraint delegations_scope_ck check (all_procedures or cardinality(procedure_codes) > 0),
  constraint delegations_codes_ck check (cardinality(procedure_codes) <= 200)
);
create unique index delegations_active_uq on identity.delegations (business_account_id, delegate_account_id) where revoked_at is null;
create index delegations_delegate_ix on identity.delegations (delegate_account_id) where revoked_at is null;
comment on table identity.delegations is 'Authorisations given by a business to other accounts to act for it';
comment on column identity.delegations.business_account_id is 'The business (account of kind business)';
comment on column identity.delegations.delegate_account_id is 'Who may act for it';
comment on column identity.delegations.all_procedures is 'true: every procedure; false: only procedure_codes';
comment on column identity.delegations.procedure_codes is 'Procedure codes (e.g. 2.000815) when not all procedures';
comment on column identity.delegations.valid_until is 'Last day (Vietnam date) the authorisation is valid';
comment on column identity.delegations.revoked_at is 'When the business revoked it';
