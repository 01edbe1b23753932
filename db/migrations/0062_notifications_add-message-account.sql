-- Notifications: the account a message was sent to, where the sender knew it (notifyAccount), so that
-- an e-mail can carry a one-click unsubscribe link (RFC 8058) for that account and topic. Messages to an
-- address with no account yet (registration codes) and rows from before keep null.

alter table notifications.messages add column account_id uuid;

comment on column notifications.messages.account_id is 'The account told (identity.accounts.id), when known; null for an address alone';
