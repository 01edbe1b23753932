-- Agencies that handle feedback in their own software answer through the API (client credentials, scope
-- feedback; docs/feedback.md, "Agency systems"): an answer is then the agency system's, not an officer's,
-- and a retry with the same Idempotency-Key must not make a second answer.

alter table feedback.answers alter column answered_by drop not null;
alter table feedback.answers add column answered_by_client text;
alter table feedback.answers add column idempotency_key text;
alter table feedback.answers add constraint answers_by_ck check ((answered_by is null) <> (answered_by_client is null));
alter table feedback.answers add constraint answers_idempotency_ck check (
  idempotency_key is null or (answered_by_client is not null and length(idempotency_key) between 1 and 200));
alter table feedback.answers add constraint answers_idempotency_uq unique (answered_by_client, idempotency_key);
comment on column feedback.answers.answered_by is 'The officer''s account that answered; null when an agency system answered';
comment on column feedback.answers.answered_by_client is 'The machine client (identity module) of the agency system that answered through the API';
comment on column feedback.answers.idempotency_key is 'The agency system''s Idempotency-Key: one answer per (client, key)';
