-- Officers (accounts of kind 'officer' with their agency and second factor) and role grants, which
-- apply to the agency they name and to every agency below it in the tree.

create table identity.officers (
  account_id uuid not null,
  agency_code text not null,
  title text,
  department text,
  totp_secret text,
  totp_enrolled_at timestamptz,
  totp_last_step bigint,
  created_by uuid,
  created_at timestamptz not null default now(),
  constraint officers_pk primary key (account_id),
  constraint officers_account_fk foreign key (account_id) references identity.accounts (id) on delete cascade,
  constraint officers_totp_ck check ((totp_secret is null) = (totp_enrolled_at is null))
);
create index officers_agency_ix on identity.officers (agency_code);
comment on table identity.officers is 'Officers of agencies: their agency, title and TOTP second factor';
comment on column identity.officers.agency_code is 'The agency the officer works for (agencies.agencies.code)';
comment on column identity.officers.title is 'Title (chức danh), e.g. Chuyên viên';
comment on column identity.officers.department is 'Department (phòng ban)';
comment on column identity.officers.totp_secret is 'Base32 TOTP secret (RFC 6238), set when the officer enrols';
comment on column identity.officers.totp_enrolled_at is 'When the second factor was confirmed';
comment on column identity.officers.totp_last_step is 'Last accepted TOTP time step (a code is never accepted twice)';
comment on column identity.officers.created_by is 'The agency administrator who created the officer';

create table identity.role_grants (
  id bigint generated always as identity,
  account_id uuid not null,
  agency_code text not null,
  role text not null,
  granted_by uuid,
  granted_at timestamptz not null default now(),
  revoked_at timestamptz,
  revoked_by uuid,
  constraint role_grants_pk primary key (id),
  constraint role_grants_account_fk foreign key (account_id) references identity.accounts (id) on delete cascade,
  constraint role_grants_role_ck check (role in ('receiver', 'processor', 'approver', 'certifier', 'cashier',
    'agency-admin', 'vpcp-supervisor', 'hotline-operator', 'system-admin'))
);
create unique index role_grants_active_uq on identity.role_grants (account_id, agency_code, role) where revoked_at is null;
create index role_grants_agency_ix on identity.role_grants (agency_code) where revoked_at is null;
comment on table identity.role_grants is 'Roles granted to officers per agency, inherited down the agency tree';
comment on column identity.role_grants.agency_code is 'The agency the role is granted at; it also covers the agencies below';
comment on column identity.role_grants.role is 'receiver, processor, approver, certifier, cashier, agency-admin, vpcp-supervisor, hotline-operator, system-admin';
comment on column identity.role_grants.granted_by is 'Who granted it (null: installation seed)';
comment on column identity.role_grants.revoked_at is 'When it was revoked (the row is kept)';

alter table identity.otp_challenges drop constraint otp_challenges_purpose_ck;
alter table identity.otp_challenges add constraint otp_challenges_purpose_ck
  check (purpose in ('register', 'reset-password', 'change-contact', 'second-factor'));
alter table identity.otp_challenges drop constraint otp_challenges_channel_ck;
alter table identity.otp_challenges add constraint otp_challenges_channel_ck check (channel in ('sms', 'email', 'totp'));
comment on column identity.otp_challenges.channel is 'sms, email, or totp (a sign-in waiting for the officer''s authenticator code)';
