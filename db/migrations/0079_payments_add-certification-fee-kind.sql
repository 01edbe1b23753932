-- Payments: the fee of a certified copy from an original (documents module, issue 18) is its own kind of
-- bill: `certification-fee:<certification id>`, paid online or in cash at the certifying office's counter.
alter table payments.payments drop constraint payments_kind_ck;
alter table payments.payments add constraint payments_kind_ck
  check (kind in ('dossier-fee', 'fine', 'social-insurance', 'partner', 'certification-fee'));
comment on column payments.payments.kind is 'dossier-fee, fine, social-insurance, partner (an agency system''s bill under protocol 1.0.6), certification-fee (a certified copy''s fee at the counter)';
