-- Reuse from the wallet (kho dữ liệu điện tử) and results delivered to it.
--
-- A file of the wallet attached to a dossier instead of an upload: its bytes are copied into the dossier's
-- own blob store (the dossier stays self-contained), and the staged upload and then the attachment record
-- which wallet item it came from and the portal's verdict on its signature at the time it was attached.
-- The exchange records say so (TaiLieuNop.DuocTaiSuDung, DuocLayTuKhoDMQG = 1).
--
-- No foreign key to documents.items: the documents module owns that table, its owner may delete an item
-- (the dossier keeps its copy), and a dossier's record must not depend on the wallet's. The id is a
-- reference for the record and the exchange, not a link that must resolve.
--
-- A result PDF returned to the applicant is delivered to their wallet after commit (the outbox): the
-- attachment records the wallet item it became, so a second delivery of the same message delivers nothing.

alter table dossiers.uploads
  add column wallet_item_id uuid,
  add column verification jsonb,
  add constraint uploads_verification_ck check (verification is null or jsonb_typeof(verification) = 'object'),
  add constraint uploads_verification_wallet_ck check (verification is null or wallet_item_id is not null);
comment on column dossiers.uploads.wallet_item_id is 'The wallet item (documents.items, no foreign key) the file was copied from; null for a file uploaded from the device';
comment on column dossiers.uploads.verification is 'The portal''s verdict on the wallet item when it was taken: {verified, summary {vi, en}, signer, checkedAt}; null for a device upload';

alter table dossiers.attachments
  add column wallet_item_id uuid,
  add column reused boolean not null default false,
  add column verification jsonb,
  add column delivered_item_id uuid,
  add column delivered_at timestamptz,
  add constraint attachments_reused_ck check (wallet_item_id is null or reused),
  add constraint attachments_verification_ck check (verification is null or jsonb_typeof(verification) = 'object'),
  add constraint attachments_delivered_ck check ((delivered_item_id is null) = (delivered_at is null)),
  add constraint attachments_delivered_purpose_ck check (delivered_item_id is null or purpose = 'result');
comment on column dossiers.attachments.wallet_item_id is 'The wallet item (documents.items, no foreign key) the file was copied from; null for a file uploaded from the device';
comment on column dossiers.attachments.reused is 'DuocTaiSuDung / DuocLayTuKhoDMQG: the file was reused from the applicant''s e-document store rather than uploaded';
comment on column dossiers.attachments.verification is 'The portal''s verdict when the file was taken from the wallet (signature intact, chain trusted, not revoked): {verified, summary {vi, en}, signer, checkedAt}; what the officer is shown';
comment on column dossiers.attachments.delivered_item_id is 'For a result: the wallet item it was delivered to the applicant as; null until delivered (or when it is not a PDF)';
comment on column dossiers.attachments.delivered_at is 'For a result: when it was delivered to the applicant''s wallet';
