-- The OpenID Connect provider's state: every model oidc-provider persists (sessions, grants,
-- authorization codes, tokens, interactions, registered clients) as JSON documents with an expiry,
-- and the signing keys, which rotate: new tokens are signed with the newest key while the previous
-- ones stay published until the tokens they signed have expired.

create table identity.oidc_payloads (
  model text not null,
  id text not null,
  payload jsonb not null,
  grant_id text,
  user_code text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  constraint oidc_payloads_pk primary key (model, id),
  constraint oidc_payloads_model_ck check (model ~ '^[A-Za-z]{2,40}$')
);
create index oidc_payloads_grant_ix on identity.oidc_payloads (grant_id) where grant_id is not null;
create index oidc_payloads_uid_ix on identity.oidc_payloads (uid) where uid is not null;
create index oidc_payloads_user_code_ix on identity.oidc_payloads (user_code) where user_code is not null;
create index oidc_payloads_expires_ix on identity.oidc_payloads (expires_at) where expires_at is not null;
comment on table identity.oidc_payloads is 'State of the OpenID Connect provider (oidc-provider adapter): sessions, grants, codes, tokens, clients';
comment on column identity.oidc_payloads.model is 'oidc-provider model name: Session, Grant, AuthorizationCode, AccessToken, RefreshToken, ClientCredentials, Interaction, Client, …';
comment on column identity.oidc_payloads.id is 'The model instance id (token value id, client_id, …)';
comment on column identity.oidc_payloads.payload is 'The document as oidc-provider stores it';
comment on column identity.oidc_payloads.grant_id is 'Grant the token belongs to (revocation revokes them all)';
comment on column identity.oidc_payloads.user_code is 'Device-flow user code';
comment on column identity.oidc_payloads.uid is 'Session uid';
comment on column identity.oidc_payloads.expires_at is 'Not found after this instant (null: does not expire, e.g. clients)';
comment on column identity.oidc_payloads.consumed_at is 'When a one-time artefact (authorization code) was used';

create table identity.oidc_keys (
  kid text not null,
  private_jwk jsonb not null,
  created_at timestamptz not null default now(),
  retired_at timestamptz,
  constraint oidc_keys_pk primary key (kid)
);
comment on table identity.oidc_keys is 'Signing keys of the OpenID Connect provider; the newest unretired key signs';
comment on column identity.oidc_keys.kid is 'Key id, as published in the JWKS';
comment on column identity.oidc_keys.private_jwk is 'The private key as a JWK (RS256)';
comment on column identity.oidc_keys.retired_at is 'No longer published after this (kept for the record)';
