/**
 * Payments (issue 17) in Chromium on the real process, with the demo's sim/bank, sim/police and
 * sim/social-insurance as `npm start` runs them:
 * - the demo citizen, from the home page, files the certified copy from the original (2.000815) at a
 *   commune of Hà Nội, whose fee is paid before and collected online: the filing ends in the hosted
 *   checkout; they choose the bank, click "Thanh toán" on the bank's own page, come back to the portal's
 *   result page ("Đã thanh toán", the e-receipts as PDF), and the dossier has moved on (received:
 *   "Chờ tiếp nhận"); their payment history lists it;
 * - anyone, from the home page's fines card, looks up the demo decision 1234/QĐ-XPHC with the violator's
 *   ID number, pays it by VietQR: the QR's text copied from the page into the payer's banking app
 *   (sim/bank's `/chuyen-khoan`), confirmed there; the portal's result page (refreshing itself while
 *   pending) turns to "Đã thanh toán" and the decision shows as paid;
 * - voluntary social insurance looked up from its home-page card; the Hà Nội cashier's
 *   `/quan-tri/thanh-toan` from the officers' desk lists both payments.
 * Every page: axe finds nothing serious, no sideways scrolling at 375 px, screenshots at 1280 and 375 px
 * (test-results/screenshots/payments-<name>-<width>.png).
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
import { clickThenLoad, dossierAfterPayment, reloadUntil, signInFromHome } from './journeys.ts';

let portal: RunningPortal;
let browser: Browser;
let drop: () => Promise<void>;
const WIDE = { width: 1280, height: 900 };
const shot = (name: string, width: number) =>
  path.join(SCREENSHOTS, `payments-${name}-${width}${process.env.DATABASE_URL ? '-pg' : ''}.png`);

/** What the references paid in this file are (the cashier's list shows them). */
const paid: string[] = [];

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

const inspect = (page: Page, name: string) => inspectPage(page, name, (width) => shot(name, width));

/** The bank simulator's address, as `npm start` prints it for the person running the demo. */
function bankUrl(): string {
  const m = /bank simulator: (http:\/\/\S+)/.exec(portal.output());
  if (!m) throw new Error(`the portal printed no bank simulator:\n${portal.output()}`);
  return m[1]!;
}

// The demo's bank, police and social-security simulators and its agencies that collect online exist only
// in the embedded demo (`npm start`); on PostgreSQL the portal starts without a demo. Payments on
// PostgreSQL are covered by the integration tests and test/payments-crash.test.ts.
describe.skipIf(!!process.env.DATABASE_URL)('paying on the portal, in the browser', () => {
  it('the citizen files the certified copy at a Hà Nội commune, pays its fee first on the bank’s page, gets the receipts, and the dossier is received', async () => {
    const context = await browser.newContext({ viewport: WIDE });
    const citizen = await context.newPage();
    await signInFromHome(citizen, portal.url, '001088012345', 'DemoCongDan@2026');

    // Find the procedure and file it, as the other journeys do.
    await citizen
      .getByRole('navigation', { name: 'Điều hướng chính' })
      .getByRole('link', { name: 'Thủ tục hành chính' })
      .click();
    await citizen.getByLabel('Tìm thủ tục hành chính').fill('chung thuc ban sao');
    await citizen.getByLabel('Tìm thủ tục hành chính').press('Enter');
    await citizen.locator('main a[href="/thu-tuc/2.000815"]').first().click();
    await citizen.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
    await citizen.waitForURL(/\/noi-giai-quyet$/);
    await citizen.getByLabel('Tỉnh, thành phố', { exact: true }).selectOption({ label: 'Thành phố Hà Nội' });
    await citizen.locator('#chon-tinh button[type="submit"]').click();
    await citizen.waitForURL(/\?(.*&)?tinh=01/);
    await citizen.getByLabel('Tìm xã, phường, đặc khu').fill('hoan kiem');
    await citizen.getByLabel('Phường Hoàn Kiếm', { exact: true }).check();
    await citizen.getByRole('button', { name: 'Tiếp tục' }).click();
    await citizen.waitForURL(/\/ho-so\/nhap\/[0-9a-f-]+$/);
    await citizen.locator('[id="f.noiCuTru.province"]').selectOption('01');
    await citizen.locator('[id="f.noiCuTru.commune"] option[value="00070"]').waitFor({ state: 'attached' });
    await citizen.locator('[id="f.noiCuTru.commune"]').selectOption('00070');
    await citizen.locator('[id="f.soDienThoai"]').fill('0911000001');
    await citizen.locator('[id="f.soTrang"]').fill('2');
    await citizen.locator('[id="f.soBan"]').fill('1');
    await citizen
      .locator('input[type="file"]')
      .first()
      .setInputFiles({
        name: 'ban-chinh.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
      });
    await citizen.getByRole('button', { name: 'Tiếp tục' }).click();
    await citizen.waitForURL(/\/kiem-tra$/);
    await citizen.getByRole('button', { name: 'Nộp hồ sơ' }).click();

    // The fee is paid before: the hosted checkout, with the commune's fee.
    await citizen.waitForURL(/\/thanh-toan\/[0-9a-f-]{36}$/);
    const checkout = await citizen.locator('main').innerText();
    expect(checkout).toContain('Thanh toán trực tuyến');
    expect(checkout).toMatch(/Chứng thực bản sao từ bản chính/);
    expect(checkout).toMatch(/Số tiền\s+[\d.]+ đồng/);
    await inspect(citizen, 'checkout');

    // The bank: its own page, "Thanh toán"; then back on the portal.
    await citizen.getByLabel('Ngân hàng mô phỏng', { exact: false }).check();
    await citizen.getByRole('button', { name: 'Tiếp tục đến trang thanh toán' }).click();
    await citizen.waitForURL((u) => u.origin === new URL(bankUrl()).origin);
    await citizen.getByRole('button', { name: 'Thanh toán / Pay' }).click();
    await citizen.waitForURL(/\/thanh-toan\/[0-9a-f-]{36}\/ket-qua/);
    await citizen.getByRole('heading', { level: 1, name: 'Đã thanh toán' }).waitFor();
    const result = await citizen.locator('main').innerText();
    expect(result).toContain('Biên lai điện tử');
    paid.push(/DVC[0-9A-HJKMNP-TV-Z]{10}/.exec(result)![0]);
    await inspect(citizen, 'result');

    // A receipt: a PDF.
    const receipt = citizen.getByRole('link', { name: /^Biên lai .* PDF\)$/ }).first();
    const pdf = await citizen.request.get(new URL((await receipt.getAttribute('href'))!, citizen.url()).href);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toMatch(/^application\/pdf/);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // The dossier has moved on: received, its history saying how the fee was paid.
    const code = await dossierAfterPayment(citizen);
    expect(code).toMatch(/^[0-9A-Z.]+\.H26-\d{6}-\d{4}$/);
    const dossier = await citizen.locator('main').innerText();
    expect(dossier).toContain('Đã nộp phí, lệ phí trực tuyến');
    expect(dossier).toContain(paid[0]!);

    // The payment history, from the account menu.
    await citizen.locator('.account-menu > summary').click();
    await citizen.locator('.account-menu').getByRole('link', { name: 'Lịch sử thanh toán' }).click();
    await citizen.waitForURL(/\/tai-khoan\/thanh-toan$/);
    await expect(citizen.locator('main').innerText()).resolves.toContain(paid[0]!);
    await inspect(citizen, 'history');
    await context.close();
  });

  it('anyone pays a traffic fine by VietQR from the home page: the QR’s text into the banking app, and the portal sees it paid', async () => {
    const context = await browser.newContext({ viewport: WIDE });
    const page = await context.newPage();
    await page.goto(portal.url);
    await page.getByRole('link', { name: 'Nộp phạt vi phạm giao thông' }).click();
    await page.waitForURL(/\/nop-phat$/);
    await page.getByLabel('Số quyết định').fill('1234/QĐ-XPHC');
    await page.getByLabel('Số định danh cá nhân (CCCD) của người vi phạm').fill('001088012345');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.waitForURL(/\/nop-phat\?/);
    // sim/police registers its decisions once the portal listens: a person would look again.
    await reloadUntil(page, async () => (await page.locator('#quyet-dinh').count()) > 0);
    const decision = await page.locator('main').innerText();
    expect(decision).toContain('Không chấp hành hiệu lệnh của đèn tín hiệu giao thông');
    expect(decision).toContain('4.000.000 đồng');
    await inspect(page, 'fine');

    await page.getByRole('button', { name: /^Thanh toán [\d.]+ đồng$/ }).click();
    await page.waitForURL(/\/thanh-toan\/[0-9a-f-]{36}$/);
    await page.getByRole('link', { name: /^Chuyển khoản vào tài khoản tại / }).click();
    await page.waitForURL(/\/vietqr\?/);
    const reference = (await page.locator('main').innerText()).match(/DVC[0-9A-HJKMNP-TV-Z]{10}/)![0];
    // "Chuỗi mã VietQR": the QR's text, to copy into a banking app that cannot scan this screen.
    await page.getByText('Chuỗi mã VietQR', { exact: true }).click();
    await inspect(page, 'vietqr');
    const payload = await page.locator('textarea[data-vietqr]').inputValue();
    expect(payload).toMatch(/^000201/);

    // The payer's banking app: sim/bank's transfer page. No page of the portal links to it (it is the
    // payer's own bank, not the portal's), so it is opened at the address the demo prints at start.
    const bankApp = await context.newPage();
    await bankApp.goto(`${bankUrl()}/chuyen-khoan`);
    await bankApp.getByLabel("Nội dung mã QR / The QR code's text").fill(payload);
    await bankApp.getByRole('button', { name: 'Tiếp tục / Continue' }).click();
    await expect(bankApp.locator('body').innerText()).resolves.toContain(reference);
    await bankApp.getByRole('button', { name: 'Chuyển tiền / Transfer' }).click();
    await bankApp.getByRole('heading', { name: /^Chuyển khoản thành công/ }).waitFor();
    await bankApp.close();

    // Back on the portal: the result page refreshes itself until the transfer is recorded.
    await clickThenLoad(
      page,
      page.getByRole('link', { name: 'Tôi đã chuyển khoản — xem kết quả' }),
      /\/ket-qua$/,
    );
    await page.getByRole('heading', { level: 1, name: 'Đã thanh toán' }).waitFor({ timeout: 60_000 });
    await expect(page.locator('main').innerText()).resolves.toContain(reference);
    paid.push(reference);

    // The decision, looked up again from the home page, is paid.
    await page.locator('a.brand').click();
    await page.getByRole('link', { name: 'Nộp phạt vi phạm giao thông' }).click();
    await page.getByLabel('Số quyết định').fill('1234/QĐ-XPHC');
    await page.getByLabel('Số định danh cá nhân (CCCD) của người vi phạm').fill('001088012345');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.waitForURL(/\/nop-phat\?/);
    await expect(page.locator('main').innerText()).resolves.toContain('Quyết định này đã được nộp phạt');
    await context.close();
  });

  it('voluntary social insurance: looked up from its home-page card, the amount worked out', async () => {
    const context = await browser.newContext({ viewport: WIDE });
    const page = await context.newPage();
    await page.goto(portal.url);
    await page.getByRole('link', { name: 'Đóng BHXH tự nguyện' }).click();
    await page.waitForURL(/\/bhxh-tu-nguyen$/);
    await page.getByLabel('Mã số BHXH').fill('0123456789');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.waitForURL(/\/bhxh-tu-nguyen\?/);
    await expect(page.locator('main').innerText()).resolves.toContain('Người tham gia');
    // The registered plan (3 months of 2,000,000 from 10/2026, 20 % support): the amount, and "Thanh toán".
    await page.getByRole('button', { name: 'Tính số tiền' }).click();
    await page.waitForURL(/thang=/);
    await page.getByRole('button', { name: 'Thanh toán 1.122.000 đồng' }).waitFor();
    await inspect(page, 'social-insurance');
    await context.close();
  });

  it('the Hà Nội cashier sees the payments of their agencies from the desk', async () => {
    expect(paid).toHaveLength(2);
    const context = await browser.newContext({ viewport: WIDE });
    const officer = await context.newPage();
    await signInFromHome(officer, portal.url, 'motcua.hanoi.demo@example.vn', DEMO_OFFICER_PASSWORD, true);
    await officer.getByRole('link', { name: 'Các khoản thu' }).click();
    await officer.waitForURL(/\/quan-tri\/thanh-toan$/);
    const list = await officer.locator('main').innerText();
    // The agencies by name (not the hundreds of codes under the city); the commune's fee is Hà Nội's,
    // the fine the police's (another payee, not listed).
    expect(list).toContain('Ủy ban nhân dân thành phố Hà Nội và các đơn vị trực thuộc.');
    expect(list).not.toContain('UBND-00004');
    expect(list).toContain(paid[0]!);
    expect(list).not.toContain(paid[1]!);
    await inspect(officer, 'cashier');
    await context.close();
  });
});
