/**
 * One-click unsubscribe (RFC 8058): an e-mail about an optional topic carries
 * `List-Unsubscribe: <PUBLIC_URL/api/v1/notifications/unsubscribe?t=…>` and
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. The mail client POSTs to that address without
 * cookies; the token — the account, the topic and an HMAC under an installation secret — is the only
 * authentication, and it can do one thing: turn e-mail off for that topic for that account (the inbox
 * keeps every message). A GET (someone opening the link) changes nothing and leads to the preferences
 * page, where it can be turned back on.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Type } from 'typebox';
import type { AnyDb } from '../../platform/db/index.ts';
import { NotFoundError } from '../../platform/errors/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import { access } from '../../platform/http/index.ts';
import { setChannel } from './inbox.repository.ts';
import { PREFERENCES_PAGE } from './pages/inbox.pages.tsx';
import { isOptionalTopic } from './templates.ts';

export const UNSUBSCRIBE_PATH = '/api/v1/notifications/unsubscribe';

const mac = (key: Buffer, accountId: string, topic: string) =>
  createHmac('sha256', key).update(`unsubscribe:${accountId}:email:${topic}`).digest('base64url');

/** The token of an e-mail's one-click link: `{account}.{topic}.{mac}`. */
export function unsubscribeToken(key: Buffer, accountId: string, topic: string): string {
  return `${accountId}.${topic}.${mac(key, accountId, topic)}`;
}

/** The account and topic a token names, when its MAC is right. */
export function readUnsubscribeToken(
  key: Buffer,
  token: string,
): { accountId: string; topic: string } | undefined {
  const m = /^([0-9a-f-]{36})\.([a-z-]{1,40})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m || !isOptionalTopic(m[2]!)) return undefined;
  const given = Buffer.from(m[3]!);
  const expected = Buffer.from(mac(key, m[1]!, m[2]!));
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { accountId: m[1]!, topic: m[2]! }
    : undefined;
}

const Query = Type.Object({ t: Type.String({ minLength: 1, maxLength: 200 }) });
const Problem = Type.Object({}, { additionalProperties: true });

export async function unsubscribeRoutes(app: AppInstance, deps: { db: AnyDb; key: () => Promise<Buffer> }) {
  app.post(
    UNSUBSCRIBE_PATH,
    {
      config: { access: access.public },
      schema: {
        summary: 'One-click unsubscribe from an e-mail topic (RFC 8058)',
        tags: ['notifications'],
        querystring: Query,
        response: {
          200: Type.Object({ channel: Type.Literal('email'), topic: Type.String(), enabled: Type.Boolean() }),
          404: Problem,
        },
      },
    },
    async (request) => {
      const who = readUnsubscribeToken(await deps.key(), request.query.t);
      if (!who) throw new NotFoundError('Liên kết hủy nhận thư không hợp lệ.');
      await setChannel(deps.db, who.accountId, 'email', who.topic, false);
      request.log.info({ topic: who.topic }, 'one-click unsubscribe');
      return { channel: 'email' as const, topic: who.topic, enabled: false };
    },
  );

  app.get(
    UNSUBSCRIBE_PATH,
    { config: { access: access.public }, schema: { hide: true, querystring: Query } },
    async (_request, reply) => reply.code(303).redirect(PREFERENCES_PAGE),
  );
}
