/**
 * Feedback taken down by a hotline operator for a caller (channel hotline): no account, the caller's name
 * and contact as the submitter's, no one-time code; only hotline operators of the Government Office may,
 * a retry by the same operator answers the same item, and the caller follows it with their phone.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedbackHarness, feedbackHarness, signedIn, vn } from './feedback.test-support.ts';

let h: FeedbackHarness;
beforeAll(async () => {
  h = await feedbackHarness(vn('2026-12-07 09:00'));
});
afterAll(async () => {
  await h?.close();
});

const INPUT = {
  title: 'Chậm trả kết quả cấp phiếu lý lịch tư pháp',
  content: 'Người gọi phản ánh hồ sơ quá hạn 5 ngày chưa có kết quả.',
  category: 'dossier-handling',
  name: 'Nguyễn Thị Hoa',
  contact: '0912 000 111',
};

describe('feedback from the hotline', () => {
  it('is taken for the caller without a code, and the caller follows it with their phone', async () => {
    const op = await signedIn(h.database, 'officer', [['CP', 'hotline-operator']]);
    const hotline = { accountId: op.id, channel: 'hotline' as const, ip: 'hotline' };
    const { item, created } = await h.service.submit(INPUT, hotline, 'call-key-1');
    expect(created).toBe(true);
    expect(item).toMatchObject({
      channel: 'hotline',
      submitter_account_id: null,
      submitter_name: 'Nguyễn Thị Hoa',
      submitter_phone: '0912000111',
      submitter_key: 'contact:0912000111',
    });
    const again = await h.service.submit(INPUT, hotline, 'call-key-1');
    expect(again).toMatchObject({ created: false, item: { code: item.code } });
    // The submit event names the operator; the audit row too.
    const ev = await sql<{ actor: string; data: { operator?: string } }>`
      select actor, data from feedback.events where item_id = ${item.id}`.execute(h.database.db);
    expect(ev.rows).toEqual([{ actor: `user:${op.id}`, data: { channel: 'hotline', operator: op.id } }]);
    // Another operator, or an anonymous sender with a challenge, cannot take the item by its key.
    const op2 = await signedIn(h.database, 'officer', [['CP', 'hotline-operator']]);
    await expect(
      h.service.submit(INPUT, { ...hotline, accountId: op2.id }, 'call-key-1'),
    ).rejects.toMatchObject({
      status: 409,
    });
    // The caller follows with the phone given on the call and a code sent there.
    const c = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback/codes',
      headers: { 'content-type': 'application/json' },
      payload: { contact: '0912000111' },
    });
    const follow = await h.app.inject({
      method: 'POST',
      url: `/api/v1/feedback/${item.code}/follow`,
      headers: { 'content-type': 'application/json' },
      payload: {
        contact: '0912000111',
        challengeId: c.json().challengeId,
        code: await h.codeSentTo('0912000111'),
      },
    });
    expect(follow.statusCode).toBe(200);
  });

  it('needs the caller’s name and contact', async () => {
    const op = await signedIn(h.database, 'officer', [['CP', 'hotline-operator']]);
    await expect(
      h.service.submit(
        { ...INPUT, name: '', contact: 'abc' },
        { accountId: op.id, channel: 'hotline', ip: 'x' },
        'k2',
      ),
    ).rejects.toMatchObject({
      status: 400,
      extras: {
        errors: [expect.objectContaining({ path: 'name' }), expect.objectContaining({ path: 'contact' })],
      },
    });
  });

  it('is refused to anyone but a hotline operator of the Government Office', async () => {
    const citizen = await signedIn(h.database, 'citizen');
    const provincial = await signedIn(h.database, 'officer', [['UBND-79', 'hotline-operator']]);
    for (const accountId of [null, citizen.id, provincial.id])
      await expect(
        h.service.submit(INPUT, { accountId, channel: 'hotline', ip: 'x' }, 'k3'),
      ).rejects.toMatchObject({
        status: 403,
      });
  });
});
