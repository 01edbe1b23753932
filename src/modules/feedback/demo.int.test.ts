/**
 * The demo's feedback, seeded through the service's own steps on the whole portal: published items the
 * public finds without diacritics (no contact data), one waiting for Hà Nội, one for the Government
 * Office; written once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFeedbackDemo } from './demo.ts';
import { type FeedbackHarness, feedbackHarness, signedIn, vn } from './feedback.test-support.ts';

let h: FeedbackHarness;
beforeAll(async () => {
  h = await feedbackHarness(vn('2026-12-07 09:00'));
});
afterAll(async () => {
  await h?.close();
});

describe('the demo feedback', () => {
  it('publishes three answered items, leaves one with Hà Nội and one for triage, and is written once', async () => {
    const citizen = await signedIn(h.database, 'citizen');
    const business = await signedIn(h.database, 'citizen');
    const office = await signedIn(h.database, 'officer', [['CP', 'vpcp-supervisor']]);
    const hanoi = await signedIn(h.database, 'officer', [['UBND-01', 'processor']]);
    const people = { citizen: citizen.id, business: business.id, office: office.id, hanoi: hanoi.id };
    expect(await seedFeedbackDemo(h.database.db, h.service, people)).toBe(5);

    const found = await h.app.inject('/api/v1/feedback?q=ly%20lich%20tu%20phap');
    expect(found.json().items.map((i: { title: string }) => i.title)).toEqual([
      'Chậm trả Phiếu lý lịch tư pháp số 1',
    ]);
    const all = await h.app.inject('/api/v1/feedback');
    expect(all.json().items).toHaveLength(3);
    expect(all.body).not.toContain('pakn.');

    const inbox = async (cookie: string) =>
      (await h.app.inject({ url: '/api/v1/feedback/inbox', headers: { cookie } })).json().items as Array<{
        title: string;
        status: string;
      }>;
    expect((await inbox(hanoi.cookie)).map((i) => i.title)).toEqual([
      'Hẹn trả kết quả đăng ký khai sinh nhiều lần',
    ]);
    expect((await inbox(office.cookie)).map((i) => i.status)).toEqual(['submitted']);

    expect(await seedFeedbackDemo(h.database.db, h.service, people)).toBe(0);
    expect((await h.app.inject('/api/v1/feedback')).json().items).toHaveLength(3);
  });

  it('writes nothing without its people', async () => {
    expect(await seedFeedbackDemo(h.database.db, h.service, { citizen: 'x' })).toBe(0);
  });
});
