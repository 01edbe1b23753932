-- Identity proofing: an account records when and how its holder was proven to be who the account says —
-- a citizen's personal identification number, name and date of birth matched in the national population
-- database and a one-time code received on the phone that database holds; a business's tax code, name
-- and legal representative matched in the national business registration database. Accounts made before
-- are unproven until their holder proves them.
--
-- When the real holder of a number proves it, an unproven account that declared the same number loses it:
-- the number is cleared and the time recorded (the account stays, without the number).

alter table identity.accounts
  add column proofed_at timestamptz,
  add column proofing_method text,
  add column proofing_level smallint,
  add column proofing_reference text,
  add column identifier_revoked_at timestamptz;

alter table identity.accounts add constraint accounts_proofing_method_ck
  check (proofing_method is null or proofing_method in ('population-register', 'business-register'));
alter table identity.accounts add constraint accounts_proofing_level_ck
  check (proofing_level is null or proofing_level in (1, 2));
alter table identity.accounts add constraint accounts_proofing_reference_ck
  check (proofing_reference is null or length(proofing_reference) <= 100);
alter table identity.accounts add constraint accounts_proofing_complete_ck check (
  (proofed_at is null and proofing_method is null and proofing_level is null and proofing_reference is null) or
  (proofed_at is not null and proofing_method is not null and proofing_level is not null));
-- A proven account holds the identifier it was proven with.
alter table identity.accounts add constraint accounts_proofing_identifier_ck check (
  proofed_at is null or
  (kind = 'citizen' and personal_id is not null and proofing_method = 'population-register') or
  (kind = 'business' and tax_code is not null and proofing_method = 'business-register'));

-- A citizen, business or organisation account whose number was taken back keeps existing without it.
alter table identity.accounts drop constraint accounts_identity_ck;
alter table identity.accounts add constraint accounts_identity_ck check (
  (kind = 'citizen' and (personal_id is not null or identifier_revoked_at is not null)) or
  (kind = 'business' and (tax_code is not null or identifier_revoked_at is not null)) or
  (kind = 'organisation' and (tax_code is not null or identifier_revoked_at is not null)
     and organisation_type is not null) or
  kind = 'officer');

comment on column identity.accounts.proofed_at is
  'When the holder''s identity was proven against a national register (null: declared, not proven)';
comment on column identity.accounts.proofing_method is
  'population-register (citizens: number, name, date of birth, and a code to the phone the register holds) or business-register (tax code, name, legal representative who is a proven citizen, and a code to the business''s registered phone)';
comment on column identity.accounts.proofing_level is
  'Level of the proofing, as the e-identification levels of Decree 69/2024/NĐ-CP: 1 checked remotely against the register; 2 in person or with the chip of the identity card (not offered yet)';
comment on column identity.accounts.proofing_reference is
  'The register''s reference of the check (its request id), or demo for the embedded demo''s accounts';
comment on column identity.accounts.identifier_revoked_at is
  'When the personal ID number or tax code the account declared was taken back, because its real holder proved it';
