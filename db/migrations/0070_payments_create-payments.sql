-- Payments: the portal's payment platform. A payment is one bill to pay (a dossier's fee, a traffic
-- fine, a voluntary social-insurance contribution, or an agency system's request under protocol 1.0.6)
-- and what became of it; every change of state is one transaction with its ledger postings, its
-- outbox messages and its audit row. The ledger is double entry in integer đồng and append-only: the
-- database refuses to change or delete a posting and to commit a set that does not balance.

create schema payments;

create table payments.intermediaries (
  code text not null,
  name text not null,
  kind text not null,
  base_url text not null,
  secret text not null,
  partner_code text not null default 'CONGDVC',
  qr_bin text,
  qr_account text,
  qr_account_name text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  constraint intermediaries_pk primary key (code),
  constraint intermediaries_code_ck check (code ~ '^[A-Z0-9]{2,20}$'),
  constraint intermediaries_kind_ck check (kind in ('bank', 'e-wallet')),
  constraint intermediaries_name_ck check (length(name) between 1 and 200),
  constraint intermediaries_url_ck check (base_url ~ '^https?://'),
  constraint intermediaries_secret_ck check (length(secret) between 16 and 200),
  constraint intermediaries_qr_ck check (
    (qr_bin is null and qr_account is null) or (qr_bin ~ '^[0-9]{6}$' and qr_account ~ '^[0-9A-Z]{1,19}$'))
);
comment on table payments.intermediaries is 'Banks and e-wallets the portal takes payments through (protocol 1.0.6 shape, one shared secret each)';
comment on column payments.intermediaries.secret is 'The shared secret of MaXacThuc checksums both ways';
comment on column payments.intermediaries.partner_code is 'The portal''s partner code (MaDoiTac) at this intermediary';
comment on column payments.intermediaries.qr_bin is 'VietQR: the bank BIN of the portal''s collection account there (null: no bank transfer)';
comment on column payments.intermediaries.qr_account is 'VietQR: the collection account number';

create table payments.partners (
  code text not null,
  name text not null,
  agency_code text not null,
  secret text not null,
  confirm_url text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  constraint partners_pk primary key (code),
  constraint partners_code_ck check (code ~ '^[A-Z0-9-]{2,30}$'),
  constraint partners_secret_ck check (length(secret) between 16 and 200),
  constraint partners_url_ck check (confirm_url ~ '^https?://')
);
comment on table payments.partners is 'Agency one-stop systems that create payments through protocol 1.0.6 (INIT, QUERY, RECEIPT) and receive CONFIRM';
comment on column payments.partners.confirm_url is 'Where CONFIRM is sent (retried through the outbox until the partner answers MaLoi 00)';

create table payments.payees (
  agency_code text not null,
  name text not null,
  budget_chapter text not null,
  treasury_account text not null,
  treasury_name text not null,
  receipt_series text not null,
  tax_code text,
  created_at timestamptz not null default now(),
  constraint payees_pk primary key (agency_code),
  constraint payees_chapter_ck check (budget_chapter ~ '^[0-9]{3}$'),
  constraint payees_series_ck check (receipt_series ~ '^[0-9A-Z/-]{1,20}$')
);
comment on table payments.payees is 'Agencies onboarded to collect online: their budget chapter (chương NSNN), State Treasury account and receipt series';

create table payments.payments (
  id uuid not null default gen_random_uuid(),
  reference text not null,
  kind text not null,
  subject text not null,
  bill_key text not null,
  amount bigint not null,
  lines jsonb not null,
  description text not null,
  payee_agency text not null,
  payer_account uuid,
  payer_name text,
  payer_id_number text,
  status text not null default 'created',
  late boolean not null default false,
  duplicate boolean not null default false,
  method text,
  intermediary text,
  intermediary_txn text,
  partner_code text,
  partner_ref text,
  return_url text,
  details jsonb not null default '{}',
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  succeeded_at timestamptz,
  constraint payments_pk primary key (id),
  constraint payments_reference_uq unique (reference),
  constraint payments_partner_uq unique (partner_code, partner_ref),
  constraint payments_txn_uq unique (intermediary, intermediary_txn),
  constraint payments_intermediary_fk foreign key (intermediary) references payments.intermediaries (code),
  constraint payments_partner_fk foreign key (partner_code) references payments.partners (code),
  constraint payments_payee_fk foreign key (payee_agency) references payments.payees (agency_code),
  constraint payments_reference_ck check (reference ~ '^DVC[0-9A-HJKMNP-TV-Z]{10}$'),
  constraint payments_kind_ck check (kind in ('dossier-fee', 'fine', 'social-insurance', 'partner')),
  constraint payments_amount_ck check (amount > 0 and amount <= 1000000000000),
  constraint payments_lines_ck check (jsonb_typeof(lines) = 'array' and jsonb_array_length(lines) between 1 and 50),
  constraint payments_status_ck check (status in ('created', 'pending', 'succeeded', 'failed', 'expired', 'cancelled')),
  constraint payments_method_ck check (method in ('online', 'vietqr', 'cash')),
  constraint payments_succeeded_ck check ((status = 'succeeded') = (succeeded_at is not null))
);
-- One open payment per bill: a second request for the same bill answers the open one.
create unique index payments_open_bill_uq on payments.payments (bill_key) where status in ('created', 'pending');
create index payments_subject_ix on payments.payments (kind, subject);
create index payments_payer_ix on payments.payments (payer_account, created_at desc) where payer_account is not null;
create index payments_payee_ix on payments.payments (payee_agency, created_at desc);
create index payments_open_ix on payments.payments (expires_at) where status in ('created', 'pending');
create index payments_bill_ix on payments.payments (bill_key);
comment on table payments.payments is 'One bill to pay and what became of it: created → pending → succeeded | failed | expired | cancelled';
comment on column payments.payments.reference is 'DVC + 10 Crockford base32 characters: MaThamChieu at the intermediary and the VietQR transfer content';
comment on column payments.payments.bill_key is 'What is being paid (dossier-fee:<code>:<n>, fine:<decision>, si:<code>:<from>, partner:<code>:<ref>): one open payment per bill';
comment on column payments.payments.lines is 'What the amount is made of: [{kind: phi | le-phi | fine | surcharge | social-insurance, code, name, amount}]';
comment on column payments.payments.late is 'Succeeded after it had expired, been cancelled or failed: the money arrived, so it is kept';
comment on column payments.payments.duplicate is 'Succeeded although its bill had already been paid: the money waits in payer clearing for a refund';
comment on column payments.payments.intermediary_txn is 'The intermediary''s transaction code (MaGiaoDich)';

create table payments.request_keys (
  caller text not null,
  key text not null,
  request_hash text not null,
  payment_id uuid not null,
  created_at timestamptz not null default now(),
  constraint request_keys_pk primary key (caller, key),
  constraint request_keys_payment_fk foreign key (payment_id) references payments.payments (id),
  constraint request_keys_key_ck check (key ~ '^[!-~]{1,255}$'),
  constraint request_keys_hash_ck check (request_hash ~ '^[0-9a-f]{64}$')
);
comment on table payments.request_keys is 'Idempotency keys of POST /api/v1/payments: a repeated key of the same caller answers the payment it made';

create table payments.events (
  id bigint generated always as identity,
  payment_id uuid not null,
  at timestamptz not null default now(),
  from_status text,
  to_status text not null,
  source text not null,
  details jsonb not null default '{}',
  constraint events_pk primary key (id),
  constraint events_payment_fk foreign key (payment_id) references payments.payments (id),
  constraint events_source_ck check (source in ('payer', 'callback', 'transfer', 'query', 'settlement', 'expiry', 'officer', 'partner', 'system'))
);
create index events_payment_ix on payments.events (payment_id, id);
comment on table payments.events is 'Every change of a payment''s state, with where the news came from';

create table payments.inbound (
  id bigint generated always as identity,
  at timestamptz not null default now(),
  intermediary text not null,
  kind text not null,
  reference text,
  txn text,
  valid boolean not null,
  outcome text not null,
  payload jsonb not null,
  constraint inbound_pk primary key (id),
  constraint inbound_kind_ck check (kind in ('confirm', 'transfer'))
);
create index inbound_refused_ix on payments.inbound (at desc) where not valid;
comment on table payments.inbound is 'Every callback and transfer notice received, forged ones included (valid = false), and what the portal answered';

create table payments.transfers (
  intermediary text not null,
  txn text not null,
  account text not null,
  amount bigint not null,
  content text not null,
  received_at timestamptz not null default now(),
  payment_id uuid,
  outcome text not null,
  constraint transfers_pk primary key (intermediary, txn),
  constraint transfers_payment_fk foreign key (payment_id) references payments.payments (id),
  constraint transfers_amount_ck check (amount > 0),
  constraint transfers_outcome_ck check (outcome in ('matched', 'unmatched', 'amount-differs', 'already-paid'))
);
comment on table payments.transfers is 'Bank transfers to the collection accounts (VietQR), matched to a payment by the reference in their content';

create table payments.refunds (
  id uuid not null default gen_random_uuid(),
  payment_id uuid not null,
  amount bigint not null,
  status text not null default 'requested',
  reason text not null,
  requested_by uuid,
  requested_at timestamptz not null default now(),
  finished_at timestamptz,
  failure text,
  constraint refunds_pk primary key (id),
  constraint refunds_payment_fk foreign key (payment_id) references payments.payments (id),
  constraint refunds_amount_ck check (amount > 0),
  constraint refunds_status_ck check (status in ('requested', 'succeeded', 'failed')),
  constraint refunds_reason_ck check (length(reason) between 1 and 1000)
);
create index refunds_payment_ix on payments.refunds (payment_id);
comment on table payments.refunds is 'Refunds, whole or part, of a succeeded payment: requested → succeeded | failed';

-- The ledger.
create table payments.accounts (
  code text not null,
  name text not null,
  normal text not null,
  may_go_negative boolean not null default false,
  constraint accounts_pk primary key (code),
  constraint accounts_code_ck check (code ~ '^[a-z-]+(:[A-Za-z0-9._-]+){0,2}$'),
  constraint accounts_normal_ck check (normal in ('debit', 'credit'))
);
comment on table payments.accounts is 'Ledger accounts: receivable:<intermediary>, cash:<agency>, treasury, payer-clearing, fees:<agency>, budget:<agency>:<chapter>, payable:social-insurance, refunds:<agency>, refunds-payable';
comment on column payments.accounts.normal is 'The side the balance stays on; may_go_negative false: it never crosses to the other side';

create table payments.posting_sets (
  id bigint generated always as identity,
  kind text not null,
  key text not null,
  payment_id uuid,
  refund_id uuid,
  at timestamptz not null default now(),
  memo text not null default '',
  constraint posting_sets_pk primary key (id),
  constraint posting_sets_key_uq unique (key),
  constraint posting_sets_payment_fk foreign key (payment_id) references payments.payments (id),
  constraint posting_sets_refund_fk foreign key (refund_id) references payments.refunds (id),
  constraint posting_sets_kind_ck check (kind in ('payment-succeeded', 'unmatched-transfer', 'refund-requested',
    'refund-succeeded', 'refund-failed', 'settlement', 'correction'))
);
create index posting_sets_payment_ix on payments.posting_sets (payment_id);
comment on table payments.posting_sets is 'A balanced set of postings: one movement of money';
comment on column payments.posting_sets.key is 'What the set records, once: payment-succeeded:<payment id>, transfer:<intermediary>:<txn>… a second posting of the same movement is refused';

create table payments.postings (
  id bigint generated always as identity,
  set_id bigint not null,
  account text not null,
  debit bigint not null default 0,
  credit bigint not null default 0,
  constraint postings_pk primary key (id),
  constraint postings_set_fk foreign key (set_id) references payments.posting_sets (id),
  constraint postings_account_fk foreign key (account) references payments.accounts (code),
  constraint postings_side_ck check ((debit > 0 and credit = 0) or (credit > 0 and debit = 0)),
  constraint postings_amount_ck check (debit <= 1000000000000 and credit <= 1000000000000)
);
create index postings_set_ix on payments.postings (set_id);
create index postings_account_ix on payments.postings (account);
comment on table payments.postings is 'Append-only double-entry postings in integer đồng; corrections are new sets';

create function payments.refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception 'payments ledger is append-only: % on % refused', tg_op, tg_table_name
    using errcode = 'insufficient_privilege';
end;
$$;
create trigger postings_no_update_delete before update or delete on payments.postings
  for each row execute function payments.refuse_change();
create trigger postings_no_truncate before truncate on payments.postings
  for each statement execute function payments.refuse_change();
create trigger posting_sets_no_update_delete before update or delete on payments.posting_sets
  for each row execute function payments.refuse_change();
create trigger posting_sets_no_truncate before truncate on payments.posting_sets
  for each statement execute function payments.refuse_change();

-- A set must balance when the transaction commits (checked once per set at commit).
create function payments.check_set_balances() returns trigger
language plpgsql as $$
declare
  d bigint;
  c bigint;
  n integer;
begin
  select coalesce(sum(debit), 0), coalesce(sum(credit), 0), count(*) into d, c, n
    from payments.postings where set_id = new.set_id;
  if n < 2 or d <> c then
    raise exception 'posting set % does not balance (debit %, credit %, % postings)', new.set_id, d, c, n
      using errcode = 'check_violation';
  end if;
  return null;
end;
$$;
create constraint trigger postings_balance after insert on payments.postings
  deferrable initially deferred for each row execute function payments.check_set_balances();

-- Receipts: a gapless number per agency, year and series (the counter row is taken in the transaction
-- that issues the receipt, so a rollback gives the number back).
create table payments.receipt_counters (
  agency_code text not null,
  year integer not null,
  series text not null,
  last_number integer not null default 0,
  constraint receipt_counters_pk primary key (agency_code, year, series),
  constraint receipt_counters_number_ck check (last_number between 0 and 9999999)
);
comment on table payments.receipt_counters is 'The last receipt number issued per agency, year and series: numbers run 1, 2, 3… without gaps';

create table payments.receipts (
  id uuid not null default gen_random_uuid(),
  payment_id uuid not null,
  kind text not null,
  agency_code text not null,
  year integer not null,
  series text not null,
  number integer not null,
  amount bigint not null,
  issued_at timestamptz not null,
  constraint receipts_pk primary key (id),
  constraint receipts_number_uq unique (agency_code, year, series, number),
  constraint receipts_payment_uq unique (payment_id, kind),
  constraint receipts_payment_fk foreign key (payment_id) references payments.payments (id),
  constraint receipts_kind_ck check (kind in ('phi', 'le-phi', 'fine', 'social-insurance')),
  constraint receipts_amount_ck check (amount > 0),
  constraint receipts_number_ck check (number >= 1)
);
create index receipts_payment_ix on payments.receipts (payment_id);
comment on table payments.receipts is 'Electronic receipts (biên lai điện tử): phí and lệ phí on separate receipts; the PDF is rendered from this row and its payment';
comment on column payments.receipts.series is 'Ký hiệu: the agency''s series followed by the kind (P phí, L lệ phí, X phạt, B bảo hiểm) and the year';
