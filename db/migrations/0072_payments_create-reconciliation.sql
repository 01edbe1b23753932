-- Payments: reconciliation against the intermediaries' daily settlement files, and what refunds need
-- beyond 0070 (which money is refunded, through whom, what the bank said). A settlement file is kept
-- as received (sha256, one row per version of a day); its lines are stored; every mismatch found is an
-- item an officer (cashier or accountant) resolves with an audited action. The sum of a payment's
-- refunds that have not failed never exceeds its amount: the database checks it with the payment row
-- locked, so concurrent requests cannot over-refund.

create table payments.settlement_files (
  id bigint generated always as identity,
  intermediary text not null,
  day date not null,
  version integer not null,
  sha256 text not null,
  content text not null,
  line_count integer not null,
  imported_at timestamptz not null default now(),
  imported_by text not null,
  constraint settlement_files_pk primary key (id),
  constraint settlement_files_intermediary_fk foreign key (intermediary) references payments.intermediaries (code),
  constraint settlement_files_version_uq unique (intermediary, day, version),
  constraint settlement_files_content_uq unique (intermediary, day, sha256),
  constraint settlement_files_version_ck check (version >= 1),
  constraint settlement_files_sha_ck check (sha256 ~ '^[0-9a-f]{64}$'),
  constraint settlement_files_lines_ck check (line_count >= 0)
);
comment on table payments.settlement_files is 'Daily settlement files (CSV) of the intermediaries, as received: a second import of the same content changes nothing, other content is a new version';
comment on column payments.settlement_files.intermediary is 'The intermediary whose file it is';
comment on column payments.settlement_files.day is 'The Vietnam day the file settles (NgayDoiSoat)';
comment on column payments.settlement_files.version is '1 for the first content received for the day; the next different content is 2, and so on (the latest is reconciled)';
comment on column payments.settlement_files.sha256 is 'Lowercase hex SHA-256 of the content: the same content is never stored twice for a day';
comment on column payments.settlement_files.content is 'The CSV exactly as received (UTF-8)';
comment on column payments.settlement_files.line_count is 'Data rows (the header not counted)';
comment on column payments.settlement_files.imported_at is 'When it was received';
comment on column payments.settlement_files.imported_by is 'Who imported it: system:payments.settlement (the nightly job) or officer:<account id>';

create table payments.settlement_lines (
  id bigint generated always as identity,
  file_id bigint not null,
  line_no integer not null,
  txn text not null,
  reference text,
  type text not null,
  amount bigint not null,
  status text not null,
  at timestamptz,
  constraint settlement_lines_pk primary key (id),
  constraint settlement_lines_file_fk foreign key (file_id) references payments.settlement_files (id),
  constraint settlement_lines_no_uq unique (file_id, line_no),
  constraint settlement_lines_type_ck check (type in ('PAY', 'TRANSFER', 'REFUND')),
  constraint settlement_lines_status_ck check (status in ('THANHCONG', 'THATBAI')),
  constraint settlement_lines_amount_ck check (amount > 0 and amount <= 1000000000000)
);
create index settlement_lines_file_ix on payments.settlement_lines (file_id, line_no);
comment on table payments.settlement_lines is 'The rows of a settlement file';
comment on column payments.settlement_lines.file_id is 'The file (version) the row belongs to';
comment on column payments.settlement_lines.line_no is 'Its place in the file, 1 for the first data row';
comment on column payments.settlement_lines.txn is 'MaGiaoDich: the intermediary''s transaction code (for REFUND rows, the portal''s refund id)';
comment on column payments.settlement_lines.reference is 'MaThamChieu: the portal''s payment reference, when the row has one';
comment on column payments.settlement_lines.type is 'Loai: PAY (payment page), TRANSFER (VietQR), REFUND';
comment on column payments.settlement_lines.amount is 'SoTien in integer đồng';
comment on column payments.settlement_lines.status is 'TrangThai: THANHCONG (succeeded) or THATBAI (failed)';
comment on column payments.settlement_lines.at is 'ThoiGianGD: when the intermediary recorded the outcome';

create table payments.reconciliations (
  intermediary text not null,
  day date not null,
  file_id bigint not null,
  matched integer not null,
  mismatched integer not null,
  settled bigint not null default 0,
  reconciled_at timestamptz not null,
  constraint reconciliations_pk primary key (intermediary, day),
  constraint reconciliations_file_fk foreign key (file_id) references payments.settlement_files (id),
  constraint reconciliations_counts_ck check (matched >= 0 and mismatched >= 0)
);
comment on table payments.reconciliations is 'The last reconciliation of an intermediary''s day: which file version, how many rows matched and differed';
comment on column payments.reconciliations.file_id is 'The file version compared';
comment on column payments.reconciliations.matched is 'Rows where the portal and the file agree (reference, amount and outcome)';
comment on column payments.reconciliations.mismatched is 'Mismatches found (each an item below)';
comment on column payments.reconciliations.settled is 'Integer đồng posted to the treasury from this file (settlement sets)';
comment on column payments.reconciliations.reconciled_at is 'When it was last run';

create table payments.reconciliation_items (
  id uuid not null default gen_random_uuid(),
  intermediary text not null,
  day date not null,
  key text not null,
  kind text not null,
  file_id bigint,
  payment_id uuid,
  refund_id uuid,
  txn text,
  reference text,
  type text,
  portal_amount bigint,
  intermediary_amount bigint,
  portal_status text,
  intermediary_status text,
  at timestamptz,
  note text not null default '',
  state text not null default 'open',
  resolution_kind text,
  resolution text,
  resolved_by text,
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  constraint reconciliation_items_pk primary key (id),
  constraint reconciliation_items_key_uq unique (intermediary, day, key),
  constraint reconciliation_items_intermediary_fk foreign key (intermediary) references payments.intermediaries (code),
  constraint reconciliation_items_file_fk foreign key (file_id) references payments.settlement_files (id),
  constraint reconciliation_items_payment_fk foreign key (payment_id) references payments.payments (id),
  constraint reconciliation_items_refund_fk foreign key (refund_id) references payments.refunds (id),
  constraint reconciliation_items_kind_ck check (kind in ('missing-at-intermediary', 'missing-at-portal',
    'amount-differs', 'status-differs', 'duplicate')),
  constraint reconciliation_items_state_ck check (state in ('open', 'resolved')),
  constraint reconciliation_items_resolution_kind_ck check (resolution_kind in ('refund', 'accept', 'requery', 'write-off', 'applied')),
  constraint reconciliation_items_resolved_ck check (
    (state = 'open' and resolved_at is null and resolution_kind is null)
    or (state = 'resolved' and resolved_at is not null and resolved_by is not null
        and resolution_kind is not null and length(resolution) between 1 and 1000))
);
create index reconciliation_items_open_ix on payments.reconciliation_items (intermediary, day) where state = 'open';
create index reconciliation_items_day_ix on payments.reconciliation_items (day desc, intermediary);
comment on table payments.reconciliation_items is 'A difference between the portal and a settlement file, and how an officer resolved it';
comment on column payments.reconciliation_items.key is 'What the item is about, once per day: line:<txn>, portal:<payment id>, refund:<refund id>';
comment on column payments.reconciliation_items.kind is 'missing-at-intermediary (the portal has a success the file lacks), missing-at-portal (the file has a success the portal does not know or had not recorded), amount-differs, status-differs, duplicate (a bill paid twice: the money is in payer clearing)';
comment on column payments.reconciliation_items.file_id is 'The file version it was found in';
comment on column payments.reconciliation_items.payment_id is 'The payment concerned, when the portal knows it';
comment on column payments.reconciliation_items.refund_id is 'The refund concerned (REFUND rows)';
comment on column payments.reconciliation_items.txn is 'MaGiaoDich on either side';
comment on column payments.reconciliation_items.reference is 'MaThamChieu on either side';
comment on column payments.reconciliation_items.type is 'PAY, TRANSFER or REFUND';
comment on column payments.reconciliation_items.portal_amount is 'What the portal recorded (integer đồng; null: nothing)';
comment on column payments.reconciliation_items.intermediary_amount is 'What the file says (integer đồng; null: nothing)';
comment on column payments.reconciliation_items.portal_status is 'The portal''s state of the payment or refund';
comment on column payments.reconciliation_items.intermediary_status is 'The file''s TrangThai';
comment on column payments.reconciliation_items.at is 'When it happened, by either side';
comment on column payments.reconciliation_items.note is 'What the reconciliation did or found, in words (Vietnamese / English)';
comment on column payments.reconciliation_items.state is 'open until an officer resolves it (or the portal applied it itself)';
comment on column payments.reconciliation_items.resolution_kind is 'refund, accept, requery, write-off (a correction set), or applied (a late success the portal took from the file itself)';
comment on column payments.reconciliation_items.resolution is 'The officer''s text';
comment on column payments.reconciliation_items.resolved_by is 'officer:<account id>, or system:payments.reconciliation';
comment on column payments.reconciliation_items.resolved_at is 'When it was resolved';

-- Refunds: which money is refunded and how the bank answered.
alter table payments.refunds add column txn text;
alter table payments.refunds add column intermediary text;
alter table payments.refunds add column method text;
alter table payments.refunds add column from_clearing boolean not null default false;
alter table payments.refunds add column bank_message text;
alter table payments.refunds add constraint refunds_intermediary_fk foreign key (intermediary) references payments.intermediaries (code);
alter table payments.refunds add constraint refunds_method_ck check (method in ('online', 'vietqr', 'cash'));
alter table payments.refunds add constraint refunds_finished_ck check ((status = 'requested') = (finished_at is null));
comment on column payments.refunds.txn is 'The intermediary transaction refunded (MaGiaoDich); null for cash';
comment on column payments.refunds.intermediary is 'Who pays the money back (null: cash at the counter)';
comment on column payments.refunds.method is 'How the refunded money came in';
comment on column payments.refunds.from_clearing is 'The money refunded is in payer clearing (a bill paid twice), not the agency''s revenue';
comment on column payments.refunds.bank_message is 'What the intermediary answered to REFUND (MoTaLoi)';
create index refunds_open_ix on payments.refunds (requested_at) where status = 'requested';

-- Never more refunded than paid: each refund of a payment's money (per transaction: a second payment
-- of a bill is its own money) that has not failed counts; the payment row is locked first, so two
-- concurrent requests are checked one after the other.
create function payments.check_refund_total() returns trigger
language plpgsql as $$
declare
  paid bigint;
  held bigint;
begin
  select amount into paid from payments.payments where id = new.payment_id for update;
  select coalesce(sum(amount), 0) into held
    from payments.refunds
   where payment_id = new.payment_id and status <> 'failed'
     and coalesce(txn, '') = coalesce(new.txn, '');
  if held > paid then
    raise exception 'refunds of payment % (%) exceed its amount %', new.payment_id, held, paid
      using errcode = 'check_violation';
  end if;
  return null;
end;
$$;
create constraint trigger refunds_total after insert or update on payments.refunds
  for each row execute function payments.check_refund_total();
