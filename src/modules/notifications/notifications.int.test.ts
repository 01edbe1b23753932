/** Notifications go out once, even when the code that queues them runs twice. */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testPortal } from '../../../test/helpers/portal.ts';
import type { Portal } from '../../bootstrap.ts';
import { queueNotification } from './notifications.service.ts';

let portal: Portal;
beforeAll(async () => {
  portal = await testPortal();
});
afterAll(() => portal.close());

it('sends one message per dedupe key, and one per call without a key', async () => {
  const db = portal.database.db;
  const n = {
    channel: 'email' as const,
    to: 'an.nguyen@example.vn',
    template: 'account.password-changed',
    params: {},
  };
  for (let i = 0; i < 2; i++)
    await db.transaction().execute((trx) => queueNotification(trx, { ...n, dedupeKey: 'doi-mat-khau:42' }));
  await db.transaction().execute((trx) => queueNotification(trx, n));
  await db.transaction().execute((trx) => queueNotification(trx, n));
  await portal.dispatcher.runOnce();
  const sent = await sql<{ n: number }>`
    select count(*)::int as n from notifications.messages where recipient = 'an.nguyen@example.vn'`.execute(
    db,
  );
  expect(sent.rows[0]!.n).toBe(3);
});
