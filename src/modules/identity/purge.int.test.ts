/** The identity module's recurring job deletes expired sign-in state, and nothing live. */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';

let portal: Portal;
beforeAll(async () => {
  portal = await testPortal();
});
afterAll(() => portal.close());

it('purges sessions expired or revoked over a month ago, old one-time codes and expired provider state', async () => {
  const db = portal.database.db;
  const live = await accountWithSession(portal, 'citizen');
  const old = await accountWithSession(portal, 'citizen');
  await sql`update identity.sessions set expires_at = now() - interval '40 days' where account_id = ${old.id}`.execute(
    db,
  );
  await sql`insert into identity.otp_challenges (purpose, channel, destination, code_hash, payload, expires_at)
            values ('register', 'sms', '+84900000001', 'x', '{}', now() - interval '2 days'),
                   ('register', 'sms', '+84900000002', 'x', '{}', now() + interval '5 minutes')`.execute(db);
  await sql`insert into identity.oidc_payloads (model, id, payload, expires_at)
            values ('Session', 'old-session', '{}', now() - interval '1 day'),
                   ('Session', 'live-session', '{}', now() + interval '1 day')`.execute(db);
  expect(await portal.scheduler.runDue()).toContain('identity.purge-expired');
  const sessions = await sql<{ account_id: string }>`select account_id from identity.sessions`.execute(db);
  expect(sessions.rows.map((r) => r.account_id)).toEqual([live.id]);
  const codes = await sql<{ destination: string }>`select destination from identity.otp_challenges`.execute(
    db,
  );
  expect(codes.rows.map((r) => r.destination)).toEqual(['+84900000002']);
  const payloads = await sql<{
    id: string;
  }>`select id from identity.oidc_payloads where model = 'Session'`.execute(db);
  expect(payloads.rows.map((r) => r.id)).toEqual(['live-session']);
  // Not due again for an hour.
  expect(await portal.scheduler.runDue()).not.toContain('identity.purge-expired');
});
