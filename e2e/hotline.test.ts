/**
 * The hotline desk (tổng đài hỗ trợ 18001096) in Chromium on the real process, by clicking from the home
 * page: the demo operator signs in → the desk → the hotline card → looks the demo citizen up by phone →
 * sees his account and dossiers → logs the call (dossier look-up, his dossier, answered) → logs a second
 * call that needs a callback → the callback queue → claims it → logs the call back → it is done → the
 * day's figures show 3 calls → a call turned into a feedback item (first sent without its title: the
 * error by the field) → the Government Office finds the item in its feedback queue → the citizen sees the
 * hotline's look-up in "who accessed my information". axe and screenshots at 1280 and 375 px of each
 * hotline page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
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
  path.join(SCREENSHOTS, `hotline-${name}-${width}${process.env.DATABASE_URL ? '-pg' : ''}.png`);
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

const MINH = { name: 'Nguyễn Văn Minh', phone: '0911000001' };
const REASON = 'Người gọi hỏi tiến độ hồ sơ đã nộp trên Cổng';
const ANSWER =
  'Hồ sơ của ông đang được xử lý, hạn trả kết quả như trên Cổng; ông theo dõi ở mục Hồ sơ của tôi.';
const CALLER2 = { name: 'Lê Thị Thu', phone: '0987654321' };
const FEEDBACK = {
  title: 'Bộ phận một cửa phường không hướng dẫn đầy đủ giấy tờ',
  content:
    'Người gọi phản ánh đã đến bộ phận một cửa ba lần nhưng mỗi lần được yêu cầu bổ sung một giấy tờ khác. ' +
    'Đề nghị hướng dẫn đầy đủ một lần theo quy định.',
};

/** Submits a form whose answer is a page of its own (no redirect): waits for the new document. */
async function submit(page: Page, button: ReturnType<Page['locator']>) {
  const arrived = page.waitForResponse((r) => r.request().isNavigationRequest());
  await button.click();
  await arrived;
  await page.waitForLoadState('load');
}

/** What the journey carries from one step to the next. */
const state = { dossier: '', firstCall: '', callbackCall: '', feedbackCode: '' };

/** A clean page: no error summary, no error notice. */
async function noError(page: Page, what: string) {
  const error = page.locator('.error-summary, .notice--error');
  if ((await error.count()) > 0) throw new Error(`${what}: ${await error.first().innerText()}`);
}

/** The operator, signed in from the home page, on the hotline desk through the desk's hotline card. */
async function operatorOnDesk() {
  const context = await browser.newContext({ viewport: WIDE });
  const page = await context.newPage();
  await signInFromHome(page, portal.url, 'tongdai.demo@example.vn', DEMO_OFFICER_PASSWORD, true);
  await page.waitForURL(/\/quan-tri$/);
  await page.getByRole('link', { name: /Cuộc gọi hôm nay/ }).click();
  await page.waitForURL(/\/quan-tri\/tong-dai$/);
  return { context, page };
}

/** The desk's call form: its fields by their labels. */
const callForm = (page: Page) =>
  page.locator('section', { has: page.getByRole('heading', { name: 'Ghi cuộc gọi mới' }) }).locator('form');

// The demo's accounts, officers and dossiers exist only in the embedded `npm start`.
describe.skipIf(!!process.env.DATABASE_URL)(
  'the hotline desk, from the home page to the citizen’s access log',
  { timeout: 300_000 },
  () => {
    let page: Page;
    let close: () => Promise<void>;

    it('the operator reaches the desk from the home page and looks the caller up by phone', async () => {
      const o = await operatorOnDesk();
      page = o.page;
      close = () => o.context.close();
      await expect(
        page.getByRole('heading', { name: 'Tổng đài hỗ trợ 18001096', level: 1 }).count(),
      ).resolves.toBe(1);
      await inspect(page, 'desk');
      // The demo's dossiers are made in the background once the portal listens: look up until they show.
      for (let i = 0; ; i++) {
        await page.getByLabel('Tra cứu theo').selectOption('phone');
        await page.getByLabel('Số cần tra cứu').fill(MINH.phone);
        await page.getByLabel('Lý do tra cứu').fill(REASON);
        await submit(page, page.getByRole('button', { name: 'Tra cứu', exact: true }));
        await noError(page, 'look-up');
        const rows = page.locator('table', { hasText: 'Hồ sơ của người gọi' }).locator('tbody tr');
        if ((await rows.count()) > 0 && !(await rows.first().innerText()).includes('Chưa có hồ sơ')) break;
        if (i > 20) throw new Error('the demo citizen’s dossiers never showed in the look-up');
        await page.waitForTimeout(500);
      }
      await page.getByRole('heading', { name: MINH.name, level: 3 }).waitFor();
      const main = await page.locator('main').innerText();
      expect(main).toContain('001088012345');
      // The note names the citizen's section as the account page names it (checked at the end).
      expect(main).toContain('“Ai đã xem thông tin của tôi” ở trang tài khoản của họ');
      expect(main).toContain(`Đã ghi cho người này: “Tổng đài hỗ trợ 18001096: ${REASON}”`);
      const table = page.locator('table', { hasText: 'Hồ sơ của người gọi' });
      state.dossier = (await table.locator('tbody tr').first().locator('td, th').first().innerText()).trim();
      expect(state.dossier).not.toBe('');
      // The call form is filled in with the caller found.
      const form = callForm(page);
      await expect(form.getByLabel('Họ và tên').inputValue()).resolves.toBe(MINH.name);
      await expect(form.getByLabel('Số điện thoại').inputValue()).resolves.toBe(MINH.phone);
      await inspect(page, 'lookup');
    });

    it('logs the call: a dossier look-up, his dossier, answered', async () => {
      const form = callForm(page);
      await form.getByLabel('Nội dung', { exact: true }).selectOption({ label: 'Tra cứu hồ sơ' });
      await form.getByLabel('Mã hồ sơ liên quan').fill(state.dossier);
      await form.getByLabel('Kết quả').selectOption({ label: 'Đã trả lời, hướng dẫn' });
      await form.getByLabel('Nội dung đã trả lời').fill(ANSWER);
      await clickThenLoad(page, form.getByRole('button', { name: 'Ghi cuộc gọi' }), /da-ghi=1/);
      await noError(page, 'the first call');
      state.firstCall = /TD-\d{8}-\d{6,12}/.exec(page.url())![0];
      const main = await page.locator('main').innerText();
      expect(main).toContain('Đã ghi cuộc gọi.');
      expect(main).toContain('Đã trả lời, hướng dẫn');
      expect(main).toContain(state.dossier);
      expect(main).toContain(ANSWER);
      await inspect(page, 'call');
    });

    it('logs a second call that needs a callback', async () => {
      await page.getByRole('link', { name: 'Về bàn tổng đài' }).click();
      await page.waitForURL(/\/quan-tri\/tong-dai$/);
      const form = callForm(page);
      await form.getByLabel('Họ và tên').fill(CALLER2.name);
      await form.getByLabel('Số điện thoại').fill(CALLER2.phone);
      await form
        .getByLabel('Nội dung', { exact: true })
        .selectOption({ label: 'Hướng dẫn thủ tục hành chính' });
      await form.getByLabel('Ghi chú').fill('Cần hỏi lại bộ phận chuyên môn rồi gọi lại cho người dân.');
      await form.getByLabel('Kết quả').selectOption({ label: 'Cần gọi lại' });
      await clickThenLoad(page, form.getByRole('button', { name: 'Ghi cuộc gọi' }), /da-ghi=1/);
      await noError(page, 'the second call');
      state.callbackCall = /TD-\d{8}-\d{6,12}/.exec(page.url())![0];
      expect(state.callbackCall).not.toBe(state.firstCall);
      const callback = page.locator('section', {
        has: page.getByRole('heading', { name: 'Gọi lại', level: 2 }),
      });
      await expect(callback.innerText()).resolves.toContain('Chờ gọi lại');
    });

    it('the callback queue: claims it, logs the call back, and it is done', async () => {
      await page.getByRole('link', { name: 'Hàng chờ gọi lại' }).click();
      await page.waitForURL(/\/quan-tri\/tong-dai\/goi-lai$/);
      const row = page.locator('tr', { hasText: state.callbackCall });
      await expect(row.innerText()).resolves.toContain(CALLER2.name);
      await inspect(page, 'queue');
      await clickThenLoad(
        page,
        row.getByRole('button', { name: 'Nhận gọi lại' }),
        new RegExp(`/cuoc-goi/${state.callbackCall}$`),
      );
      await noError(page, 'claim');
      await expect(page.locator('main').innerText()).resolves.toContain('Đang gọi lại');
      await page.getByRole('heading', { name: 'Ghi cuộc gọi lại' }).waitFor();
      await inspect(page, 'callback-claimed');
      const form = page.locator('form', { has: page.getByRole('button', { name: 'Ghi cuộc gọi' }) });
      // Filled in from the first call.
      await expect(form.getByLabel('Số điện thoại').inputValue()).resolves.toBe(CALLER2.phone);
      await form.getByLabel('Kết quả').selectOption({ label: 'Đã trả lời, hướng dẫn' });
      await form
        .getByLabel('Nội dung đã trả lời')
        .fill('Đã hướng dẫn người dân chuẩn bị giấy tờ theo thủ tục đã công bố.');
      await clickThenLoad(page, form.getByRole('button', { name: 'Ghi cuộc gọi' }), /da-ghi=1/);
      await noError(page, 'the call back');
      const back = await page.locator('main').innerText();
      expect(back).toContain('Gọi lại cho người dân');
      expect(back).toContain(state.callbackCall);
      await inspect(page, 'call-back');
      await page.getByRole('link', { name: state.callbackCall }).click();
      await page.waitForURL(new RegExp(`/cuoc-goi/${state.callbackCall}$`));
      const callback = page.locator('section', {
        has: page.getByRole('heading', { name: 'Gọi lại', level: 2 }),
      });
      await expect(callback.innerText()).resolves.toContain('Đã gọi lại');
      await expect(callback.locator('table').innerText()).resolves.toContain('Đã trả lời, hướng dẫn');
      // No longer in the queue.
      await page.getByRole('link', { name: 'Hàng chờ gọi lại' }).click();
      await page.waitForURL(/\/goi-lai$/);
      expect(await page.locator('tr', { hasText: state.callbackCall }).count()).toBe(0);
    });

    it('the day’s figures show 3 calls', async () => {
      await page.getByRole('link', { name: 'Tổng đài hỗ trợ' }).first().click();
      await page.waitForURL(/\/quan-tri\/tong-dai$/);
      const figures = page.locator('section', {
        has: page.getByRole('heading', { name: /Số liệu hôm nay/ }),
      });
      const text = await figures.innerText();
      expect(text).toMatch(/Cuộc gọi\s+3 \(đến 2, gọi lại 1\)/);
      expect(text).toMatch(/đang chờ 0, quá hạn 0, đã gọi lại hôm nay 1/);
      expect(text).toMatch(/Đã trả lời, hướng dẫn\s+2/);
      // Each figure on one line with its label (a dl.facts pair in its div), not stacked one under another.
      const label = figures.locator('dt', { hasText: /^Cuộc gọi$/ });
      const [dt, dd] = [
        await label.boundingBox(),
        await label.locator('xpath=following-sibling::dd[1]').boundingBox(),
      ];
      expect(dd!.y).toBeLessThan(dt!.y + dt!.height);
      expect(dd!.x).toBeGreaterThan(dt!.x + dt!.width);
      const today = page.locator('table', { hasText: 'Cuộc gọi hôm nay' });
      for (const code of [state.firstCall, state.callbackCall])
        expect(await today.getByRole('link', { name: code }).count()).toBe(1);
    });

    it('logs a call turned into a feedback item; without its title, the error shows by the field', async () => {
      const form = callForm(page);
      await form.getByLabel('Họ và tên').fill(CALLER2.name);
      await form.getByLabel('Số điện thoại').fill(CALLER2.phone);
      await form.getByLabel('Nội dung', { exact: true }).selectOption({ label: 'Phản ánh, kiến nghị' });
      await form.getByLabel('Kết quả').selectOption({ label: 'Chuyển thành phản ánh, kiến nghị' });
      await form.getByLabel('Nội dung phản ánh').fill(FEEDBACK.content);
      await form.getByLabel('Loại phản ánh').selectOption({ label: 'Quy định hành chính' });
      await submit(page, form.getByRole('button', { name: 'Ghi cuộc gọi' }));
      const titleError = page.locator('#feedbackTitle-loi');
      await expect(titleError.innerText()).resolves.toContain('Cần tiêu đề phản ánh');
      await expect(page.locator('#feedbackTitle').getAttribute('aria-describedby')).resolves.toContain(
        'feedbackTitle-loi',
      );
      // What was typed is kept.
      await expect(callForm(page).getByLabel('Nội dung phản ánh').inputValue()).resolves.toBe(
        FEEDBACK.content,
      );
      await inspect(page, 'call-error');
      await callForm(page).getByLabel('Tiêu đề phản ánh').fill(FEEDBACK.title);
      await clickThenLoad(page, callForm(page).getByRole('button', { name: 'Ghi cuộc gọi' }), /da-ghi=1/);
      await noError(page, 'the feedback call');
      const main = await page.locator('main').innerText();
      expect(main).toContain('Chuyển thành phản ánh, kiến nghị');
      state.feedbackCode = /PAKN-\d{4}-\d{7}/.exec(main)![0];
      await inspect(page, 'call-feedback');
      await close();
    });

    it('the Government Office finds the item in its feedback queue', async () => {
      const context = await browser.newContext({ viewport: WIDE });
      const office = await context.newPage();
      await signInFromHome(office, portal.url, 'giamsat.demo@example.vn', DEMO_OFFICER_PASSWORD, true);
      await office.waitForURL(/\/quan-tri$/);
      await office.getByRole('link', { name: /Phản ánh chờ xử lý/ }).click();
      await office.waitForURL(/\/quan-tri\/phan-anh-kien-nghi$/);
      await office.getByRole('link', { name: state.feedbackCode }).click();
      await office.waitForURL(new RegExp(`/quan-tri/phan-anh-kien-nghi/${state.feedbackCode}`));
      const main = await office.locator('main').innerText();
      expect(main).toContain(FEEDBACK.title);
      expect(main).toContain(CALLER2.name);
      await context.close();
    });

    it('the citizen sees the hotline’s look-up in “who accessed my information”', async () => {
      const context = await browser.newContext({ viewport: WIDE });
      const citizen = await context.newPage();
      await signInFromHome(citizen, portal.url, '001088012345', 'DemoCongDan@2026');
      await citizen.goto(portal.url);
      await citizen.locator('summary.header-button--account').click();
      await citizen.getByRole('link', { name: 'Tài khoản', exact: true }).click();
      await citizen.waitForURL(/\/tai-khoan$/);
      await citizen.getByRole('heading', { name: 'Ai đã xem thông tin của tôi' }).waitFor();
      const log = citizen.locator('table', { hasText: 'Các lần cán bộ, cơ quan, hệ thống xem' });
      const row = log.locator('tr', { hasText: REASON });
      await expect(row.first().innerText()).resolves.toContain('Tổng đài hỗ trợ 18001096');
      await context.close();
    });
  },
);
