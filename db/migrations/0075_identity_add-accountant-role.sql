-- Identity: the accountant role (kế toán) for the payment platform — reconciliation against the
-- intermediaries' settlement files, refunds and the ledger of the officer's agencies (issue 17).
alter table identity.role_grants drop constraint role_grants_role_ck;
alter table identity.role_grants add constraint role_grants_role_ck check (role in ('receiver', 'processor',
  'approver', 'certifier', 'cashier', 'accountant', 'agency-admin', 'vpcp-supervisor', 'hotline-operator',
  'system-admin'));
comment on column identity.role_grants.role is 'receiver, processor, approver, certifier, cashier, accountant, agency-admin, vpcp-supervisor, hotline-operator, system-admin';
