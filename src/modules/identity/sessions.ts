/**
 * Sessions stored in the database: the `sid` cookie (HttpOnly, SameSite=Lax, Secure in production)
 * holds 32 random bytes; the table holds their SHA-256, so a copy of the database cannot be replayed
 * as cookies. A new token at every sign-in (no fixation); idle and absolute expiry; `last_seen_at`
 * written at most once a minute.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { AccountKind, IdentityTables } from './identity.tables.ts';

export const SESSION_COOKIE = 'sid';
const ABSOLUTE_LIFETIME_S = 12 * 3600;
export const IDLE_TIMEOUT_S: Record<AccountKind, number> = {
  citizen: 2 * 3600,
  business: 2 * 3600,
  organisation: 2 * 3600,
  officer: 15 * 60,
};

export interface CurrentAccount {
  id: string;
  kind: AccountKind;
  displayName: string;
  sessionHash: string;
  /** Level of assurance of this sign-in: 1 password, 2 with a second factor. */
  assurance: 1 | 2;
  /** When the holder last entered their password (and second factor, for officers) for this session. */
  authenticatedAt: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    account?: CurrentAccount;
  }
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface SessionStore {
  create(
    trx: Kysely<IdentityTables>,
    accountId: string,
    kind: AccountKind,
    meta: { ip?: string; userAgent?: string },
    assurance?: 1 | 2,
    /** When the holder proved who they are (default now; a step-up keeps the replaced session's). */
    authenticatedAt?: Date,
  ): Promise<string>;
  revoke(hash: string): Promise<void>;
  revokeAllOf(trx: Kysely<IdentityTables>, accountId: string, except?: string): Promise<void>;
}

export function createSessionStore(db: Kysely<IdentityTables>, clock: Clock): SessionStore {
  return {
    async create(trx, accountId, kind, meta, assurance: 1 | 2 = 1, authenticatedAt?: Date) {
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      await trx
        .insertInto('identity.sessions')
        .values({
          token_hash: hashToken(token),
          account_id: accountId,
          created_at: now,
          last_seen_at: now,
          expires_at: new Date(now.getTime() + ABSOLUTE_LIFETIME_S * 1000),
          idle_timeout_seconds: IDLE_TIMEOUT_S[kind],
          ip: meta.ip ?? null,
          user_agent: meta.userAgent?.slice(0, 300) ?? null,
          revoked_at: null,
          assurance,
          authenticated_at: authenticatedAt ?? now,
        })
        .execute();
      return token;
    },
    async revoke(hash) {
      await db
        .updateTable('identity.sessions')
        .set({ revoked_at: clock.now() })
        .where('token_hash', '=', hash)
        .where('revoked_at', 'is', null)
        .execute();
    },
    async revokeAllOf(trx, accountId, except) {
      let q = trx
        .updateTable('identity.sessions')
        .set({ revoked_at: clock.now() })
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null);
      if (except) q = q.where('token_hash', '<>', except);
      await q.execute();
    },
  };
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: ABSOLUTE_LIFETIME_S,
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

interface SessionState {
  revoked_at: Date | null;
  status: 'active' | 'disabled';
  expires_at: Date;
  last_seen_at: Date;
  idle_timeout_seconds: number;
}

function isAlive(row: SessionState, now: Date): boolean {
  return (
    row.revoked_at === null &&
    row.status === 'active' &&
    row.expires_at > now &&
    now.getTime() - row.last_seen_at.getTime() < row.idle_timeout_seconds * 1000
  );
}

/** The account signed in by a session cookie value, if that session is alive. */
export async function accountOfSessionToken(
  db: Kysely<IdentityTables>,
  now: Date,
  token: string | undefined,
): Promise<string | undefined> {
  if (!token || !/^[A-Za-z0-9_-]{40,50}$/.test(token)) return undefined;
  const row = await db
    .selectFrom('identity.sessions as s')
    .innerJoin('identity.accounts as a', 'a.id', 's.account_id')
    .select(['s.revoked_at', 's.expires_at', 's.last_seen_at', 's.idle_timeout_seconds', 'a.status', 'a.id'])
    .where('s.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  return row && isAlive(row, now) ? row.id : undefined;
}

/** Reads the session cookie on every request and sets `request.account` and the CSRF binding. */
export const sessionPlugin = fp(
  async (
    app: FastifyInstance,
    { db, clock, secure }: { db: Kysely<IdentityTables>; clock: Clock; secure: boolean },
  ) => {
    app.decorateRequest('account', undefined);
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (!token || !/^[A-Za-z0-9_-]{40,50}$/.test(token)) return;
      const hash = hashToken(token);
      const row = await db
        .selectFrom('identity.sessions as s')
        .innerJoin('identity.accounts as a', 'a.id', 's.account_id')
        .select([
          's.token_hash',
          's.last_seen_at',
          's.expires_at',
          's.idle_timeout_seconds',
          's.revoked_at',
          's.assurance',
          's.authenticated_at',
          'a.id',
          'a.kind',
          'a.display_name',
          'a.status',
        ])
        .where('s.token_hash', '=', hash)
        .executeTakeFirst();
      const now = clock.now();
      if (!row || !isAlive(row, now)) {
        if (row && row.revoked_at === null) {
          await db
            .updateTable('identity.sessions')
            .set({ revoked_at: now })
            .where('token_hash', '=', hash)
            .execute();
        }
        clearSessionCookie(reply, secure);
        return;
      }
      if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
        await db
          .updateTable('identity.sessions')
          .set({ last_seen_at: now })
          .where('token_hash', '=', hash)
          .execute();
      }
      request.account = {
        id: row.id,
        kind: row.kind,
        displayName: row.display_name,
        sessionHash: hash,
        assurance: row.assurance,
        authenticatedAt: row.authenticated_at,
      };
      request.viewer = {
        accountId: row.id,
        kind: row.kind,
        name: row.display_name,
        accountHref: '/tai-khoan',
        signOutAction: '/dang-xuat',
      };
      request.csrfBinding = `session:${hash}`;
    });
  },
  { name: 'cong-dvc-sessions', dependencies: ['@fastify/cookie'] },
);
