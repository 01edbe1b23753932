-- Payments: traffic fines registered by the police's system (PUT /api/v1/fines/{number}, client
-- credentials, scope fines) for anyone to look up and pay, and voluntary social-insurance contributions
-- paid on the portal and recorded at Vietnam Social Security (VSS). What a payment was is in
-- payments.payments; these tables keep what the agency systems sent and what they answered.

create table payments.fines (
  decision_number text not null,
  number_key text not null,
  decided_on text not null,
  violator_name text not null,
  violator_id_number text not null,
  plate text not null,
  plate_key text not null,
  violation text not null,
  place text not null,
  violated_at timestamptz not null,
  amount bigint not null,
  agency_code text not null,
  agency_name text not null,
  treasury jsonb not null,
  content_hash text not null,
  registered_by text not null,
  registered_at timestamptz not null default now(),
  paid_payment_id uuid,
  police_told_at timestamptz,
  police_answer jsonb,
  constraint fines_pk primary key (decision_number),
  constraint fines_number_key_uq unique (number_key),
  constraint fines_paid_payment_fk foreign key (paid_payment_id) references payments.payments (id),
  constraint fines_number_ck check (length(decision_number) between 3 and 60),
  constraint fines_decided_on_ck check (decided_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  constraint fines_id_number_ck check (violator_id_number ~ '^[0-9]{9,12}$'),
  constraint fines_plate_key_ck check (plate_key ~ '^[0-9A-Z]{4,15}$'),
  constraint fines_amount_ck check (amount > 0 and amount <= 1000000000000),
  constraint fines_hash_ck check (content_hash ~ '^[0-9a-f]{64}$'),
  constraint fines_treasury_ck check (jsonb_typeof(treasury) = 'object')
);
create index fines_id_number_ix on payments.fines (number_key, violator_id_number);
create index fines_plate_ix on payments.fines (number_key, plate_key);
comment on table payments.fines is 'Penalty decisions (quyết định xử phạt) registered by the traffic police''s system, to be looked up and paid';
comment on column payments.fines.decision_number is 'The decision number as registered (NFC), e.g. 1234/QĐ-XPHC';
comment on column payments.fines.number_key is 'The number upper-cased (NFC) with no spaces: how a person''s typing is matched';
comment on column payments.fines.decided_on is 'Date of the decision (Vietnam), YYYY-MM-DD; the deadline is 10 days later, then 0.05 % a day';
comment on column payments.fines.violator_name is 'The violator''s name; shown masked';
comment on column payments.fines.violator_id_number is 'The violator''s ID number: one of the two keys of a lookup, never shown';
comment on column payments.fines.plate is 'The vehicle plate as registered, e.g. 30A-123.45';
comment on column payments.fines.plate_key is 'The plate upper-cased, letters and digits only: the other key of a lookup';
comment on column payments.fines.violation is 'What the violation was';
comment on column payments.fines.place is 'Where it happened';
comment on column payments.fines.violated_at is 'When it happened';
comment on column payments.fines.amount is 'The fine, integer đồng (without surcharge)';
comment on column payments.fines.agency_code is 'The issuing agency: the payee (an onboarded payee or one below it)';
comment on column payments.fines.agency_name is 'The issuing agency''s name as the police system sent it';
comment on column payments.fines.treasury is 'The State Treasury collection account in the decision: {account, bankBin, name}';
comment on column payments.fines.content_hash is 'SHA-256 of the registered body (canonical JSON): the same PUT again is 200, another is 409';
comment on column payments.fines.registered_by is 'The client_id of the agency system that registered it';
comment on column payments.fines.registered_at is 'When it was registered';
comment on column payments.fines.paid_payment_id is 'The payment that paid it (set when the police system is told)';
comment on column payments.fines.police_told_at is 'When the police system acknowledged the paid notice (2xx), or refused it for good (4xx)';
comment on column payments.fines.police_answer is 'The police system''s answer to the paid notice: {status, body}';

create table payments.contributions (
  payment_id uuid not null,
  code text not null,
  period_from text not null,
  period_to text not null,
  months integer not null,
  income bigint not null,
  gross bigint not null,
  support bigint not null,
  supported_months integer not null,
  amount bigint not null,
  created_at timestamptz not null default now(),
  vss_record_id text,
  vss_acknowledged_at timestamptz,
  vss_answer jsonb,
  constraint contributions_pk primary key (payment_id),
  constraint contributions_payment_fk foreign key (payment_id) references payments.payments (id),
  constraint contributions_code_ck check (code ~ '^[0-9]{10}$'),
  constraint contributions_period_ck check (period_from ~ '^[0-9]{4}-[0-9]{2}$' and period_to ~ '^[0-9]{4}-[0-9]{2}$' and period_from <= period_to),
  constraint contributions_months_ck check (months between 1 and 60 and supported_months between 0 and months),
  constraint contributions_amounts_ck check (gross > 0 and support >= 0 and amount = gross - support)
);
create index contributions_code_ix on payments.contributions (code, period_from);
comment on table payments.contributions is 'Voluntary social-insurance contributions paid on the portal and their recording at VSS';
comment on column payments.contributions.payment_id is 'The payment (kind social-insurance) that paid it; its reference is VSS''s idempotency key';
comment on column payments.contributions.code is 'The participant''s social-insurance code (mã số BHXH), 10 digits';
comment on column payments.contributions.period_from is 'First month paid, YYYY-MM';
comment on column payments.contributions.period_to is 'Last month paid, YYYY-MM';
comment on column payments.contributions.months is 'Months paid (modes 1, 3, 6, 12 or up to 60 in advance)';
comment on column payments.contributions.income is 'The chosen monthly income, integer đồng';
comment on column payments.contributions.gross is '22 % of the income × the months';
comment on column payments.contributions.support is 'The State''s support for the supported months';
comment on column payments.contributions.supported_months is 'Months of this payment the State supports (at most 120 in a lifetime)';
comment on column payments.contributions.amount is 'What the participant paid: gross − support';
comment on column payments.contributions.created_at is 'When the paid contribution was recorded here';
comment on column payments.contributions.vss_record_id is 'VSS''s record id (e.g. BHXH-TN-00000001) once acknowledged';
comment on column payments.contributions.vss_acknowledged_at is 'When VSS acknowledged the contribution (201/200), or refused it for good (4xx)';
comment on column payments.contributions.vss_answer is 'VSS''s answer: {status, body}';
