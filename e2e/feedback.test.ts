/**
 * Feedback (phản ánh, kiến nghị, issue 19) in Chromium on the real process, by clicking from the home
 * page: an anonymous citizen sends feedback with a one-time code read from the demo's message inbox
 * (/dev/tin-nhan, where the mail sink's messages show) → the Government Office's supervisor forwards it
 * from the desk to Hà Nội's people's committee (where the one-stop officer holds their roles) → the
 * officer answers from the desk → the Government Office publishes → anyone finds it on the public page,
 * searched without diacritics, with the answer and the time taken against the limit, and without the
 * sender's name or e-mail → the citizen follows it (code and contact, a new one-time code) and rates it
 * satisfied; the rating shows. A later visitor writing the same thing is shown the published answer
 * before sending. axe and screenshots at 1280 and 375 px of each page of the journey.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OFFICER_PASSWORD } from '../src/modules/identity/demo.ts';
import {
  inspectPage,
  launchChromium,
  portalEnv,
  type RunningPortal,
  SCREENSHOTS,
  seedDemoAccounts,
  startPortalProcess,
} from './helpers.ts';
import { clickThenLoad, signInFromHome } from './journeys.ts';

let portal: RunningPortal;
let browser: Browser;
let drop: () => Promise<void>;
const WIDE = { width: 1280, height: 900 };
const shot = (name: string, width: number) =>
  path.join(SCREENSHOTS, `feedback-${name}-${width}${process.env.DATABASE_URL ? '-pg' : ''}.png`);
const inspect = (page: Page, name: string) => inspectPage(page, name, (width) => shot(name, width));

beforeAll(async () => {
  const e = await portalEnv();
  drop = e.drop;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cong-dvc-e2e-'));
  await seedDemoAccounts(e.env.DATABASE_URL ? { databaseUrl: e.env.DATABASE_URL } : { dataDir });
  portal = await startPortalProcess(e.env, { dataDir });
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await portal?.stop();
  await drop?.();
});

const SENDER = { name: 'Trần Thị Hoà', email: 'tran.thi.hoa@example.vn' };
const TITLE = 'Chậm trả phiếu lý lịch tư pháp tại Hà Nội';
const CONTENT =
  'Tôi nộp hồ sơ cấp phiếu lý lịch tư pháp trực tuyến đã quá hạn hẹn trả kết quả nhưng chưa được trả lời. ' +
  'Đề nghị Sở Tư pháp cho biết lý do và thời gian trả kết quả.';
const ANSWER =
  'Sở Tư pháp Hà Nội đã kiểm tra: hồ sơ chờ kết quả xác minh của cơ quan công an. Phiếu lý lịch tư pháp ' +
  'được trả trong tuần này; Sở xin lỗi công dân vì sự chậm trễ.';

/**
 * The one-time code as the person reads it: the demo's message inbox (/dev/tin-nhan lists what the mail
 * sink received, newest first). Waits for more than `seen` messages to the address, so an older code is
 * never read for a new one.
 */
async function codeFromInbox(context: BrowserContext, to: string, seen: number) {
  const inbox = await context.newPage();
  try {
    for (let i = 0; i < 60; i++) {
      await inbox.goto(`${portal.url}/dev/tin-nhan`);
      const rows = inbox.locator('tr', { hasText: 'Hộp thư thử (SMTP)' }).filter({ hasText: to });
      const count = await rows.count();
      if (count > seen) {
        const m = /phản ánh, kiến nghị của bạn là: (\d{6})/.exec(await rows.first().innerText());
        if (m) return { code: m[1]!, count };
      }
      await inbox.waitForTimeout(250);
    }
    throw new Error(`no new code for ${to} in /dev/tin-nhan`);
  } finally {
    await inbox.close();
  }
}

/** What the journey carries from one person to the next. */
const state = { code: '', codesSeen: 0 };

async function officer(email: string) {
  const context = await browser.newContext({ viewport: WIDE });
  const page = await context.newPage();
  await signInFromHome(page, portal.url, email, DEMO_OFFICER_PASSWORD, true);
  return { context, page };
}

/** From the desk (where an officer lands): the feedback card's link, then the item in the queue. */
async function itemFromDesk(page: Page) {
  await page.waitForURL(/\/quan-tri$/);
  await page.getByRole('link', { name: /Phản ánh chờ xử lý/ }).click();
  await page.waitForURL(/\/quan-tri\/phan-anh-kien-nghi$/);
  await page.getByRole('link', { name: state.code }).click();
  await page.waitForURL(new RegExp(`/quan-tri/phan-anh-kien-nghi/${state.code}`));
}

/** Takes an action from the item's page: the form whose button it is; back on the item, no error. */
async function act(page: Page, label: string, fill?: (form: ReturnType<Page['locator']>) => Promise<void>) {
  const button = page.getByRole('button', { name: label, exact: true });
  const form = page.locator('form', { has: button });
  if (fill) await fill(form);
  await clickThenLoad(page, button, new RegExp(`/quan-tri/phan-anh-kien-nghi/${state.code}`));
  const error = page.locator('.error-summary, .notice--error');
  if ((await error.count()) > 0) throw new Error(`${label}: ${await error.first().innerText()}`);
}

// The demo's officers (seeded above on either database) and the mail sink's inbox exist only in the
// embedded `npm start`; on PostgreSQL the portal sends through no demo mail sink.
// Each step signs in with TOTP and runs axe at two widths: slow on a shared machine.
describe.skipIf(!!process.env.DATABASE_URL)(
  'feedback, from the home page to the rating',
  { timeout: 300_000 },
  () => {
    it('an anonymous citizen sends feedback with a one-time code and is given its code', async () => {
      const context = await browser.newContext({ viewport: WIDE });
      const page = await context.newPage();
      await page.goto(portal.url);
      await page
        .getByRole('link', { name: /Gửi phản ánh, kiến nghị/ })
        .first()
        .click();
      await page.waitForURL(/\/phan-anh-kien-nghi\/gui$/);
      await inspect(page, 'submit-form');
      await page.getByLabel('Tiêu đề').fill(TITLE);
      await page.getByLabel('Nội dung').fill(CONTENT);
      await page.getByLabel('Giải quyết hồ sơ, thủ tục').check();
      await page.getByLabel('Họ và tên').fill(SENDER.name);
      await page.getByLabel('Số điện thoại hoặc thư điện tử').fill(SENDER.email);
      await page.getByRole('button', { name: 'Nhận mã xác minh' }).click();
      await expect(page.locator('main').innerText()).resolves.toContain(
        `Đã gửi mã xác minh tới ${SENDER.email}`,
      );
      // The demo's published answer about the same procedure is suggested before sending; this item is not
      // published yet, so it is not among them.
      const similarNow = page.locator('section', {
        has: page.getByRole('heading', { name: 'Phản ánh tương tự đã được trả lời' }),
      });
      await similarNow.getByRole('link', { name: 'Chậm trả Phiếu lý lịch tư pháp số 1' }).waitFor();
      expect(await similarNow.getByRole('link', { name: TITLE }).count()).toBe(0);
      await inspect(page, 'submit-code');
      const sent = await codeFromInbox(context, SENDER.email, state.codesSeen);
      state.codesSeen = sent.count;
      await page.getByLabel('Mã xác minh (6 chữ số)').fill(sent.code);
      await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
      await page.waitForURL(/\/phan-anh-kien-nghi\/gui\/da-gui\/PAKN-\d{4}-\d{7}$/);
      const main = await page.locator('main').innerText();
      state.code = /PAKN-\d{4}-\d{7}/.exec(main)![0];
      expect(page.url()).toContain(state.code);
      expect(main).toContain('Văn phòng Chính phủ đã nhận phản ánh của bạn');
      // The way back to it later, without an account.
      expect(await page.getByRole('link', { name: 'Theo dõi phản ánh, kiến nghị' }).count()).toBe(1);
      await inspect(page, 'sent');
      await context.close();
    });

    it('the Government Office forwards it from the desk to Hà Nội', async () => {
      const { context, page } = await officer('giamsat.demo@example.vn');
      await itemFromDesk(page);
      const main = await page.locator('main').innerText();
      expect(main).toContain('Mới tiếp nhận VPCP');
      // The office sees who sent it (it is never published).
      expect(main).toContain(SENDER.name);
      expect(main).toContain(SENDER.email);
      await inspect(page, 'handling-office');
      await act(page, 'Chuyển cơ quan xử lý', (form) =>
        form.getByLabel('Mã cơ quan (cách nhau bởi dấu phẩy)').fill('UBND-01'),
      );
      const after = await page.locator('main').innerText();
      expect(after).toContain('Tiếp nhận ở địa phương');
      expect(after).toMatch(/UBND-01: [^\n]*chờ tiếp nhận/);
      await context.close();
    });

    it('Hà Nội’s officer answers it from the desk', async () => {
      const { context, page } = await officer('motcua.hanoi.demo@example.vn');
      await itemFromDesk(page);
      expect(page.url()).toContain('coquan=UBND-01');
      await expect(page.locator('main').innerText()).resolves.toContain(CONTENT.slice(0, 60));
      await inspect(page, 'handling-agency');
      await act(page, 'Trả lời', (form) => form.getByLabel('Nội dung').fill(ANSWER));
      const after = await page.locator('main').innerText();
      expect(after).toContain('PAKN chờ công khai');
      expect(after).toContain(ANSWER);
      await context.close();
    });

    it('the Government Office publishes the answer', async () => {
      const { context, page } = await officer('giamsat.demo@example.vn');
      await itemFromDesk(page);
      await expect(page.locator('main').innerText()).resolves.toContain('PAKN chờ công khai');
      await act(page, 'Công khai');
      await expect(page.locator('main').innerText()).resolves.toContain('PAKN đã công khai');
      await context.close();
    });

    it('anyone finds it, searched without diacritics: the answer, the time taken, no name nor e-mail', async () => {
      const context = await browser.newContext({ viewport: WIDE });
      const page = await context.newPage();
      await page.goto(portal.url);
      await page.getByRole('link', { name: 'Phản ánh, kiến nghị', exact: true }).first().click();
      await page.waitForURL(/\/phan-anh-kien-nghi$/);
      await page.getByLabel('Tìm trong phản ánh và câu trả lời').fill('cham tra phieu ly lich tu');
      await page.getByRole('button', { name: 'Tìm kiếm' }).click();
      await page.waitForURL(/\/phan-anh-kien-nghi\?q=/);
      await inspect(page, 'public-list');
      await page.getByRole('link', { name: TITLE }).click();
      await page.waitForURL(new RegExp(`/phan-anh-kien-nghi/${state.code}$`));
      const main = await page.locator('main').innerText();
      expect(main).toContain(ANSWER);
      expect(main).toMatch(/đúng hạn \(xử lý trong [\d,]+ ngày làm việc, thời hạn 15 ngày làm việc\)/);
      const html = await page.content();
      expect(html).not.toContain(SENDER.name);
      expect(html).not.toContain(SENDER.email);
      await inspect(page, 'public-item');
      // Nor anywhere in the list.
      await page.goBack();
      expect(await page.content()).not.toContain(SENDER.email);
      await context.close();
    });

    it('the citizen follows it with its code and their e-mail, rates it satisfied, and sees the rating', async () => {
      const context = await browser.newContext({ viewport: WIDE });
      const page = await context.newPage();
      await page.goto(portal.url);
      await page.getByRole('link', { name: 'Phản ánh, kiến nghị', exact: true }).first().click();
      await page.getByRole('link', { name: 'Theo dõi phản ánh, kiến nghị' }).click();
      await page.waitForURL(/\/phan-anh-kien-nghi\/theo-doi$/);
      await inspect(page, 'follow');
      await page.getByLabel('Mã phản ánh').fill(state.code);
      await page.getByLabel('Số điện thoại hoặc thư điện tử đã dùng khi gửi').fill(SENDER.email);
      await page.getByRole('button', { name: 'Nhận mã xác minh' }).click();
      const sent = await codeFromInbox(context, SENDER.email, state.codesSeen);
      state.codesSeen = sent.count;
      await page.getByLabel('Mã xác minh (6 chữ số)').fill(sent.code);
      await page.getByRole('button', { name: 'Xem tiến độ' }).click();
      const progress = await page.locator('main').innerText();
      expect(progress).toContain(`${state.code}: PAKN đã công khai`);
      expect(progress).toContain(ANSWER);
      await inspect(page, 'follow-progress');
      // Sent without a choice: asked for by the field, nothing rated, the form still there.
      await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
      await page.locator('#satisfied .field-error').waitFor();
      await expect(page.locator('#satisfied .field-error').innerText()).resolves.toBe(
        'Chọn Hài lòng hoặc Không hài lòng.',
      );
      expect(await page.locator('main').innerText()).not.toContain('Bạn đã đánh giá');
      await page.getByLabel('Hài lòng', { exact: true }).check();
      await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
      await page.getByRole('heading', { name: new RegExp(state.code) }).waitFor();
      const rated = await page.locator('main').innerText();
      expect(rated).toContain('Bạn đã đánh giá: Hài lòng');
      expect(await page.getByRole('button', { name: 'Gửi đánh giá' }).count()).toBe(0);
      await inspect(page, 'follow-rated');
      await context.close();
    });

    it('someone writing the same thing later is shown the published answer before sending', async () => {
      const context = await browser.newContext({ viewport: WIDE });
      const page = await context.newPage();
      await page.goto(portal.url);
      await page
        .getByRole('link', { name: /Gửi phản ánh, kiến nghị/ })
        .first()
        .click();
      await page.getByLabel('Tiêu đề').fill('Phiếu lý lịch tư pháp trả chậm');
      await page
        .getByLabel('Nội dung')
        .fill('Hồ sơ lý lịch tư pháp của tôi ở Hà Nội quá hạn chưa có kết quả.');
      await page.getByLabel('Giải quyết hồ sơ, thủ tục').check();
      await page.getByLabel('Họ và tên').fill('Phạm Văn Bình');
      await page.getByLabel('Số điện thoại hoặc thư điện tử').fill('pham.binh@example.vn');
      await page.getByRole('button', { name: 'Nhận mã xác minh' }).click();
      const similar = page.locator('section', {
        has: page.getByRole('heading', { name: 'Phản ánh tương tự đã được trả lời' }),
      });
      await similar.getByRole('link', { name: TITLE }).waitFor();
      await inspect(page, 'submit-similar');
      await similar.getByRole('link', { name: TITLE }).click();
      await page.waitForURL(new RegExp(`/phan-anh-kien-nghi/${state.code}$`));
      await expect(page.locator('main').innerText()).resolves.toContain(ANSWER);
      await context.close();
    });
  },
);
