-- An authorisation is an invitation until the person accepts it. The business names the person by
-- their personal identification number; it learns nothing (not even whether an account exists, nor
-- the name) until that person, signed in, accepts. Only accepted authorisations let anyone act.

alter table identity.delegations alter column delegate_account_id drop not null;
alter table identity.delegations add column delegate_personal_id text;
alter table identity.delegations add column accepted_at timestamptz;
alter table identity.delegations add column declined_at timestamptz;

update identity.delegations d
   set delegate_personal_id = a.personal_id, accepted_at = d.created_at
  from identity.accounts a
 where a.id = d.delegate_account_id;

alter table identity.delegations alter column delegate_personal_id set not null;
alter table identity.delegations add constraint delegations_personal_id_ck
  check (delegate_personal_id ~ '^[0-9]{12}$');
alter table identity.delegations add constraint delegations_accepted_ck
  check ((accepted_at is null) = (delegate_account_id is null));
alter table identity.delegations add constraint delegations_answered_ck
  check (accepted_at is null or declined_at is null);

drop index identity.delegations_active_uq;
create unique index delegations_open_uq on identity.delegations (business_account_id, delegate_personal_id)
  where revoked_at is null and declined_at is null;
create index delegations_invited_ix on identity.delegations (delegate_personal_id)
  where accepted_at is null and revoked_at is null and declined_at is null;

comment on column identity.delegations.business_account_id is 'The business or organisation giving the authorisation';
comment on column identity.delegations.delegate_account_id is 'The account that accepted (null while the invitation is open)';
comment on column identity.delegations.delegate_personal_id is 'Personal identification number the business gave for the person';
comment on column identity.delegations.accepted_at is 'When the person accepted; only then may they act for the business';
comment on column identity.delegations.declined_at is 'When the person declined';
