-- The outbound feed and webhooks carry feedback items too (docs/feedback.md, "Agency systems"): when the
-- Government Office forwards an item (phản ánh, kiến nghị) to an agency, or an agency passes it on, the
-- agency's own software gets a `feedback.routed` entry through the same feed, cursor and signed webhooks
-- as dossiers. An entry is of one kind; a client reads the kinds its scopes allow (sync: dossiers,
-- feedback: feedback items), and an endpoint receives the kinds its client's scopes allowed when it was
-- registered. Dossier entries are unchanged.

alter table sync.outbound_entries add column kind text not null default 'dossier';
alter table sync.outbound_entries add constraint outbound_entries_kind_ck check (kind in ('dossier', 'feedback'));
comment on column sync.outbound_entries.kind is 'dossier (a portal dossier changed) or feedback (a feedback item routed to an agency)';

alter table sync.outbound_entries drop constraint outbound_entries_event_ck;
alter table sync.outbound_entries add constraint outbound_entries_event_ck check (
  (kind = 'dossier' and event in ('dossier.status-changed', 'dossier.extended'))
  or (kind = 'feedback' and event = 'feedback.routed'));
comment on column sync.outbound_entries.event is 'dossier.status-changed, dossier.extended (new due date, form 04) or feedback.routed';

-- A feedback entry has no TrangThaiHoSo.
alter table sync.outbound_entries alter column status drop not null;
alter table sync.outbound_entries add constraint outbound_entries_status_kind_ck check ((kind = 'dossier') = (status is not null));
comment on column sync.outbound_entries.status is 'TrangThaiHoSo after the change (1–10); null for feedback entries';

-- A dossier has one entry per revision; a feedback item forwarded to several agencies at once has one
-- entry per agency at that revision.
alter table sync.outbound_entries drop constraint outbound_entries_revision_uq;
create unique index outbound_entries_dossier_revision_uq on sync.outbound_entries (dossier_code, revision)
  where kind = 'dossier';
create unique index outbound_entries_feedback_route_uq on sync.outbound_entries (dossier_code, revision, competent_agency_code)
  where kind = 'feedback';
comment on column sync.outbound_entries.dossier_code is 'MaHoSo of the portal dossier, or the feedback item''s code (PAKN-YYYY-NNNNNNN)';
comment on column sync.outbound_entries.revision is 'The dossier''s or item''s revision after the change (unique with the code, and the agency for feedback: a redelivered event adds nothing)';
comment on column sync.outbound_entries.competent_agency_code is 'The agency that decides the dossier, or the agency the feedback item is routed to';
comment on column sync.outbound_entries.record is 'The dossier in the DongBoHoSoMC shape at this change, or the feedback item as routed';

alter table sync.webhook_subscriptions add column kinds text[] not null default '{dossier}';
alter table sync.webhook_subscriptions add constraint webhook_subscriptions_kinds_ck check (
  cardinality(kinds) >= 1 and kinds <@ array['dossier', 'feedback']::text[]);
comment on column sync.webhook_subscriptions.kinds is 'The kinds of entries sent to it: dossier (client scope sync), feedback (client scope feedback), as the client''s scopes were when it was registered';
