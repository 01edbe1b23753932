-- The hotline desk (tổng đài hỗ trợ 18001096): every call an operator takes or makes, the callbacks
-- owed to callers, and (through the audit log and identity's data-access log) every look-up of a
-- caller's account. docs/hotline.md.

create schema if not exists hotline;

create sequence hotline.call_number_seq;
comment on sequence hotline.call_number_seq is 'Numbers of call codes (TD-YYYYMMDD-NNNNNN)';

create table hotline.calls (
  id uuid not null default gen_random_uuid(),
  code text not null,
  operator_account_id uuid not null,
  idempotency_key text not null,
  request_hash text not null,
  direction text not null,
  callback_of uuid,
  caller_name text,
  caller_phone text,
  caller_email text,
  topic text not null,
  procedure_code text,
  dossier_code text,
  feedback_code text,
  outcome text not null,
  started_at timestamptz not null,
  ended_at timestamptz not null,
  notes text,
  answer text,
  answer_sent_by text,
  recorded_at timestamptz not null,
  constraint calls_pk primary key (id),
  constraint calls_code_uq unique (code),
  constraint calls_idempotency_uq unique (operator_account_id, idempotency_key),
  constraint calls_callback_of_fk foreign key (callback_of) references hotline.calls (id),
  constraint calls_code_ck check (code ~ '^TD-[0-9]{8}-[0-9]{6,}$'),
  constraint calls_idempotency_ck check (length(idempotency_key) between 1 and 200),
  constraint calls_direction_ck check (direction in ('inbound', 'outbound')),
  constraint calls_callback_direction_ck check (callback_of is null or direction = 'outbound'),
  constraint calls_topic_ck check (topic in ('dossier', 'procedure', 'account', 'payment', 'feedback', 'other')),
  constraint calls_outcome_ck check (outcome in ('answered', 'feedback', 'callback', 'transferred', 'dropped')),
  constraint calls_times_ck check (ended_at >= started_at and ended_at - started_at <= interval '4 hours'),
  constraint calls_phone_ck check (caller_phone is null or caller_phone ~ '^0[0-9]{9,10}$'),
  constraint calls_name_ck check (caller_name is null or length(caller_name) between 1 and 200),
  constraint calls_notes_ck check (notes is null or length(notes) <= 4000),
  constraint calls_answer_ck check ((outcome = 'answered') = (answer is not null)),
  constraint calls_answer_length_ck check (answer is null or length(answer) between 1 and 2000),
  constraint calls_feedback_ck check (outcome <> 'feedback' or feedback_code is not null),
  constraint calls_sent_by_ck check (answer_sent_by is null or (answer_sent_by in ('sms', 'email') and answer is not null)),
  constraint calls_callback_contact_ck check (outcome <> 'callback' or caller_phone is not null)
);
create index calls_started_ix on hotline.calls (started_at desc);
create index calls_phone_ix on hotline.calls (caller_phone, started_at desc) where caller_phone is not null;
create index calls_callback_of_ix on hotline.calls (callback_of) where callback_of is not null;
comment on table hotline.calls is 'Calls to and from the hotline, one row per call, written once';
comment on column hotline.calls.id is 'Technical identifier';
comment on column hotline.calls.code is 'The call''s reference read to the caller: TD-<Vietnam date of recording>-<number>';
comment on column hotline.calls.operator_account_id is 'The operator who took or made the call (identity account)';
comment on column hotline.calls.idempotency_key is 'The Idempotency-Key of the request (or the form''s token): one row per operator and key';
comment on column hotline.calls.request_hash is 'SHA-256 of the normalised request: a key reused with another body is refused';
comment on column hotline.calls.direction is 'inbound (the caller rang) or outbound (the operator rang back)';
comment on column hotline.calls.callback_of is 'For a callback: the call that asked for it';
comment on column hotline.calls.caller_name is 'The caller''s name as given';
comment on column hotline.calls.caller_phone is 'The caller''s phone, normalised to 0xxxxxxxxx';
comment on column hotline.calls.caller_email is 'An e-mail the caller gave for the answer (lower case)';
comment on column hotline.calls.topic is 'dossier, procedure, account, payment, feedback, other (names in the module''s domain/vocabulary.ts)';
comment on column hotline.calls.procedure_code is 'The procedure the call was about (checked against the catalogue)';
comment on column hotline.calls.dossier_code is 'The dossier the call was about (checked against dossiers)';
comment on column hotline.calls.feedback_code is 'The feedback item the call was about, or that it was turned into (outcome feedback)';
comment on column hotline.calls.outcome is 'answered (support answer), feedback (turned into an item), callback (one is owed), transferred, dropped';
comment on column hotline.calls.started_at is 'When the call began';
comment on column hotline.calls.ended_at is 'When it ended (duration = ended_at - started_at)';
comment on column hotline.calls.notes is 'The operator''s notes; never shown to the public';
comment on column hotline.calls.answer is 'The support answer given (outcome answered)';
comment on column hotline.calls.answer_sent_by is 'sms or email when the answer was also sent to the caller (notifications, template hotline.answer)';
comment on column hotline.calls.recorded_at is 'When the row was written';

create table hotline.callbacks (
  call_id uuid not null,
  due_at timestamptz not null,
  state text not null default 'open',
  claimed_by uuid,
  claimed_at timestamptz,
  attempts integer not null default 0,
  done_at timestamptz,
  done_call_id uuid,
  constraint callbacks_pk primary key (call_id),
  constraint callbacks_call_fk foreign key (call_id) references hotline.calls (id),
  constraint callbacks_done_call_fk foreign key (done_call_id) references hotline.calls (id),
  constraint callbacks_state_ck check (state in ('open', 'claimed', 'done')),
  constraint callbacks_claim_ck check ((state = 'claimed') = (claimed_by is not null and claimed_at is not null)),
  constraint callbacks_done_ck check ((state = 'done') = (done_at is not null and done_call_id is not null)),
  constraint callbacks_attempts_ck check (attempts >= 0)
);
create index callbacks_open_ix on hotline.callbacks (due_at) where state <> 'done';
comment on table hotline.callbacks is 'Callbacks owed to callers: open, claimed by one operator at a time (a conditional update), done';
comment on column hotline.callbacks.call_id is 'The call that asked for the callback (outcome callback)';
comment on column hotline.callbacks.due_at is 'When the caller should be rung back by';
comment on column hotline.callbacks.state is 'open (anyone may claim), claimed (one operator rings), done';
comment on column hotline.callbacks.claimed_by is 'The operator who claimed it (while claimed)';
comment on column hotline.callbacks.claimed_at is 'When it was claimed (while claimed)';
comment on column hotline.callbacks.attempts is 'Calls back that did not reach the caller (it goes back to open after each)';
comment on column hotline.callbacks.done_at is 'When a call back reached the caller';
comment on column hotline.callbacks.done_call_id is 'The outbound call that completed it';
