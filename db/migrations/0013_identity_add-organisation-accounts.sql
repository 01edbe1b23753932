-- Organisation accounts (state agencies acting as applicants, associations, schools, public service
-- units...): identified, like businesses, by their tax code; a tax code belongs to one business or
-- organisation account. The type maps to LoaiDoiTuong 3 (state agency) or 4 (other organisation).

alter table identity.accounts add column organisation_type text;
alter table identity.accounts add constraint accounts_organisation_type_ck
  check (organisation_type is null or organisation_type in ('state-agency', 'other'));
alter table identity.accounts drop constraint accounts_identity_ck;
alter table identity.accounts add constraint accounts_identity_ck check (
  (kind = 'citizen' and personal_id is not null) or
  (kind = 'business' and tax_code is not null) or
  (kind = 'organisation' and tax_code is not null and organisation_type is not null) or
  kind = 'officer');

drop index identity.accounts_tax_code_uq;
create unique index accounts_tax_code_uq on identity.accounts (tax_code)
  where tax_code is not null and kind in ('business', 'organisation');

comment on column identity.accounts.organisation_type is 'Organisations: state-agency (LoaiDoiTuong 3) or other (4)';
