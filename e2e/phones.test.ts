/**
 * On a phone (375 × 812, touch), the pages people use most, each reached by tapping from the home page
 * (a typed URL only to start): no horizontal scrolling, no serious or critical accessibility problem
 * (axe-core), and the menus open with a tap. Signed out, as the demo citizen, and as the Hà Nội
 * one-stop officer.
 *
 * PAGES is a list: a page joins it with who looks at it and how they get there from where the previous
 * page of the same person left them (e.g. the filing page after a procedure page, "Hồ sơ của tôi", a
 * dossier, the officers' inbox). Screenshots: test-results/screenshots/phone-<name>.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OFFICER_PASSWORD, DEMO_TOTP_SECRET } from '../src/modules/identity/demo.ts';
import {
  axeViolations,
  launchChromium,
  portalEnv,
  type RunningPortal,
  SCREENSHOTS,
  seedDemoAccounts,
  startPortalProcess,
} from './helpers.ts';
import { dossierAfterPayment, payAtBank } from './journeys.ts';

type Who = 'anyone' | 'citizen' | 'officer';

interface PhonePage {
  name: string;
  who: Who;
  /** From where this person's previous page left them (or the home page, for their first). */
  reach(page: Page): Promise<void>;
  /** What shows that the right page is open. */
  check(page: Page): Promise<void>;
}

/**
 * Only the embedded demo (`npm start`) has the bank simulator and agencies that collect online; on
 * PostgreSQL the portal starts without the demo, so a filing with a fee is received at once and paid later
 * at the counter (the payment flows on PostgreSQL are covered by the integration and crash tests).
 */
const COLLECTS_ONLINE = !process.env.DATABASE_URL;
const ONLINE_ONLY = ['checkout', 'payment-result'];

const PHONE = { viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true, deviceScaleFactor: 1 };

let portal: RunningPortal;
let browser: Browser;
let drop: () => Promise<void>;

const shot = (name: string) =>
  path.join(SCREENSHOTS, `phone-${name}${process.env.DATABASE_URL ? '-pg' : ''}.png`);

/** Taps the header's "Menu" and then one of its links. */
async function viaMenu(page: Page, link: string) {
  await page.locator('.nav-menu > summary').tap();
  await page.locator('.nav-menu__links').getByRole('link', { name: link }).tap();
}

async function signIn(page: Page, identifier: string, password: string, totp: boolean) {
  await page.getByRole('link', { name: 'Đăng nhập' }).tap();
  await page.waitForURL(/\/dang-nhap$/);
  await page.getByLabel(/Số định danh cá nhân, mã số thuế/).fill(identifier);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).tap();
  if (totp) {
    await page.waitForURL(/\/dang-nhap\/xac-thuc/);
    const code = new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET),
      digits: 6,
      period: 30,
    });
    await page.getByLabel('Mã xác thực').fill(code.generate());
    await page.getByRole('button', { name: 'Xác nhận' }).tap();
  }
}

/** The code of the dossier the citizen files on the phone (its receipt's address). */
let filedCode = '';

const PAGES: PhonePage[] = [
  {
    name: 'home',
    who: 'anyone',
    reach: async () => undefined,
    check: async (page) => {
      await expect(page.locator('h1').innerText()).resolves.toBe('Bạn cần làm thủ tục gì?');
    },
  },
  {
    name: 'procedure-search',
    who: 'anyone',
    reach: async (page) => {
      await viaMenu(page, 'Thủ tục hành chính');
      await page.waitForURL(/\/thu-tuc$/);
      await page.getByLabel('Tìm thủ tục hành chính').fill('chung thuc ban sao');
      // Enter sends the form (no suggestion is chosen): the full results page, as without JavaScript.
      await page.getByLabel('Tìm thủ tục hành chính').press('Enter');
      await page.waitForURL(/\/thu-tuc\?.*q=chung\+thuc\+ban\+sao/);
    },
    check: async (page) => {
      await expect(page.locator('main a[href="/thu-tuc/2.000815"]').first().isVisible()).resolves.toBe(true);
    },
  },
  {
    name: 'procedure',
    who: 'anyone',
    reach: async (page) => {
      await page.locator('main a[href="/thu-tuc/2.000815"]').first().tap();
      await page.waitForURL(/\/thu-tuc\/2\.000815$/);
    },
    check: async (page) => {
      await expect(page.locator('h1').innerText()).resolves.toContain('Chứng thực bản sao từ bản chính');
      // The channels table is a stack of label–value cards: each value carries its column's name.
      await expect(
        page.locator('main td[data-label="Thời hạn giải quyết"]').count(),
      ).resolves.toBeGreaterThan(0);
    },
  },
  {
    name: 'dossier-lookup',
    who: 'anyone',
    reach: async (page) => {
      await viaMenu(page, 'Tra cứu hồ sơ');
      await page.waitForURL(/\/tra-cuu-ho-so$/);
    },
    check: async (page) => {
      await expect(page.locator('h1').innerText()).resolves.toContain('Tra cứu hồ sơ');
    },
  },
  {
    name: 'account',
    who: 'citizen',
    reach: async (page) => {
      await signIn(page, '001088012345', 'DemoCongDan@2026', false);
      await page.waitForURL(/\/tai-khoan$/);
    },
    check: async (page) => {
      await expect(page.locator('h1').innerText()).resolves.toBe('Nguyễn Văn Minh');
    },
  },
  {
    name: 'filing-place',
    who: 'citizen',
    reach: async (page) => {
      await viaMenu(page, 'Thủ tục hành chính');
      await page.getByLabel('Tìm thủ tục hành chính').fill('chung thuc ban sao');
      await page.getByLabel('Tìm thủ tục hành chính').press('Enter');
      await page.locator('main a[href="/thu-tuc/2.000815"]').first().tap();
      await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).tap();
      await page.waitForURL(/\/noi-giai-quyet$/);
      await page.getByLabel('Tỉnh, thành phố', { exact: true }).selectOption({ label: 'Thành phố Hà Nội' });
      // "Hiện danh sách xã, phường" (or "Tìm xã, phường" when the province was known already).
      await page.locator('#chon-tinh button[type="submit"]').tap();
      await page.waitForURL(/\?(.*&)?tinh=01/);
      await page.getByLabel('Tìm xã, phường, đặc khu').fill('hoan kiem');
    },
    check: async (page) => {
      await expect(page.locator('main h2').first().innerText()).resolves.toBe('Nơi giải quyết hồ sơ');
      await expect(page.getByLabel('Phường Hoàn Kiếm', { exact: true }).isVisible()).resolves.toBe(true);
      // The list is filtered as the name is typed: Hà Nội's other 120-odd communes are hidden.
      await expect(page.locator('#danh-sach-xa label:visible').count()).resolves.toBeLessThan(5);
    },
  },
  {
    name: 'filing-form',
    who: 'citizen',
    reach: async (page) => {
      await page.getByLabel('Phường Hoàn Kiếm', { exact: true }).tap();
      await page.getByRole('button', { name: 'Tiếp tục' }).tap();
      await page.waitForURL(/\/ho-so\/nhap\/[0-9a-f-]+$/);
    },
    check: async (page) => {
      await expect(page.locator('main').innerText()).resolves.toContain('Ủy ban nhân dân phường Hoàn Kiếm');
      await expect(page.locator('[id="f.hoTen"]').inputValue()).resolves.toBe('Nguyễn Văn Minh');
    },
  },
  {
    name: 'filing-review',
    who: 'citizen',
    reach: async (page) => {
      await page.locator('[id="f.noiCuTru.province"]').selectOption('01');
      await page.locator('[id="f.noiCuTru.commune"] option[value="00070"]').waitFor({ state: 'attached' });
      await page.locator('[id="f.noiCuTru.commune"]').selectOption('00070');
      await page.locator('[id="f.soDienThoai"]').fill('0911000001');
      await page.locator('[id="f.soTrang"]').fill('2');
      await page.locator('[id="f.soBan"]').fill('1');
      await page
        .locator('input[type="file"]')
        .first()
        .setInputFiles({
          name: 'ban-chinh.pdf',
          mimeType: 'application/pdf',
          buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
        });
      await page.getByRole('button', { name: 'Tiếp tục' }).tap();
      await page.waitForURL(/\/kiem-tra$/);
    },
    check: async (page) => {
      await expect(page.locator('h1').innerText()).resolves.toBe('Kiểm tra lại thông tin');
      await expect(page.locator('.summary-list').first().innerText()).resolves.toContain('Phường Hoàn Kiếm');
    },
  },
  {
    // The certified copy's fee is paid before, and Hà Nội collects online: the filing ends in checkout.
    name: 'checkout',
    who: 'citizen',
    reach: async (page) => {
      await page.getByRole('button', { name: 'Nộp hồ sơ' }).tap();
      await page.waitForURL(/\/thanh-toan\/[0-9a-f-]{36}$/);
    },
    check: async (page) => {
      await expect(page.locator('h1').innerText()).resolves.toBe('Thanh toán trực tuyến');
      await expect(page.locator('main').innerText()).resolves.toMatch(/Số tiền\s+[\d.]+ đồng/);
    },
  },
  {
    name: 'payment-result',
    who: 'citizen',
    reach: async (page) => {
      await payAtBank(page, 'tap');
    },
    check: async (page) => {
      await expect(page.locator('main').innerText()).resolves.toContain('Biên lai điện tử');
    },
  },
  {
    name: 'receipt',
    who: 'citizen',
    reach: async (page) => {
      if (COLLECTS_ONLINE) {
        filedCode = await dossierAfterPayment(page, 'tap');
        return;
      }
      await page.getByRole('button', { name: 'Nộp hồ sơ' }).tap();
      await page.waitForURL(/\/bien-nhan$/);
      filedCode = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    },
    check: async (page) => {
      if (COLLECTS_ONLINE)
        await expect(page.locator('dl.facts').innerText()).resolves.toContain('Chờ tiếp nhận');
      else await expect(page.locator('main').innerText()).resolves.toContain('Đã nộp hồ sơ');
    },
  },
  {
    name: 'my-dossiers',
    who: 'citizen',
    reach: async (page) => {
      await viaMenu(page, 'Hồ sơ của tôi');
      await page.waitForURL(/\/ho-so\/cua-toi$/);
    },
    check: async (page) => {
      await expect(page.locator('h1').innerText()).resolves.toBe('Hồ sơ của tôi');
      // Each dossier is a card of label–value pairs.
      await expect(page.locator('main td[data-label="Hẹn trả"]').count()).resolves.toBeGreaterThan(0);
    },
  },
  {
    name: 'dossier',
    who: 'citizen',
    reach: async (page) => {
      // The dossier just filed (the demo's own dossiers may be listed too).
      await page
        .locator('main td[data-label="Mã hồ sơ"]')
        .getByRole('link', { name: filedCode, exact: true })
        .tap();
      // Not a pattern that "Hồ sơ của tôi" (/ho-so/cua-toi) matches too: the wait would end at once and
      // the page be measured mid-navigation, before its stylesheet applies.
      await page.waitForURL((u) => /^\/ho-so\/[^/]+$/.test(u.pathname) && u.pathname !== '/ho-so/cua-toi');
    },
    check: async (page) => {
      await expect(page.locator('main').innerText()).resolves.toContain('Thông tin đã khai');
    },
  },
  {
    name: 'desk',
    who: 'officer',
    reach: async (page) => {
      await signIn(page, 'motcua.hanoi.demo@example.vn', DEMO_OFFICER_PASSWORD, true);
      // Officers land on their desk.
      await page.waitForURL(/\/quan-tri$/);
    },
    check: async (page) => {
      await expect(page.locator('h1').innerText()).resolves.toBe('Bàn làm việc');
      await expect(page.getByRole('link', { name: 'Tra cứu tài khoản' }).isVisible()).resolves.toBe(true);
    },
  },
  {
    name: 'inbox',
    who: 'officer',
    reach: async (page) => {
      await page.getByRole('link', { name: /Mới nộp, chờ tiếp nhận/ }).tap();
      await page.waitForURL(/\/quan-tri\/ho-so\?tab=new$/);
    },
    check: async (page) => {
      await expect(page.locator('h1').innerText()).resolves.toBe('Hồ sơ cần xử lý');
      // The citizen's dossier filed above waits here, as a card.
      await expect(page.locator('main td[data-label="Mã hồ sơ"]').count()).resolves.toBeGreaterThan(0);
    },
  },
];

const contexts = new Map<Who, { context: BrowserContext; page: Page }>();

/** This person's phone, opened on the home page the first time. */
async function phoneOf(who: Who): Promise<Page> {
  const existing = contexts.get(who);
  if (existing) return existing.page;
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  // The embedded portal fills its demo right after it starts listening: the first page may wait.
  await page.goto(portal.url, { timeout: 100_000 });
  contexts.set(who, { context, page });
  return page;
}

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
  for (const { context } of contexts.values()) await context.close();
  await browser?.close();
  await portal?.stop();
  await drop?.();
});

describe('on a phone, 375 px wide', () => {
  for (const p of PAGES.filter((x) => COLLECTS_ONLINE || !ONLINE_ONLY.includes(x.name))) {
    it(`${p.name} (${p.who}): reached by tapping, fits the width, no serious accessibility problem`, async () => {
      const page = await phoneOf(p.who);
      await p.reach(page);
      await page.waitForLoadState('load');
      await p.check(page);
      const width = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      expect(width.client).toBe(375);
      // What sticks out, named in the message when something does.
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('main *')]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
          .filter((e) => e.checkVisibility())
          .map((e) => `${e.tagName.toLowerCase()}.${e.className} “${(e.textContent ?? '').slice(0, 30)}”`)
          .slice(0, 5),
      );
      expect(width.scroll, `${p.name} scrolls sideways: ${wide.join('; ')}`).toBeLessThanOrEqual(
        width.client,
      );
      await page.screenshot({ path: shot(p.name), fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
    });
  }

  it('the header takes one row: brand, menu and account', async () => {
    const page = await phoneOf('citizen');
    const header = await page.locator('.site-header').boundingBox();
    expect(header!.height).toBeLessThan(90);
    const tops = await Promise.all(
      ['.brand', '.nav-menu > summary', '.account-menu > summary'].map(
        async (s) => (await page.locator(s).boundingBox())!.y,
      ),
    );
    expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(20);
    // The wide navigation bar and language switch are not shown on a phone.
    await expect(page.locator('.main-nav').isVisible()).resolves.toBe(false);
    await expect(page.locator('.lang-switch--wide').isVisible()).resolves.toBe(false);
  });

  it('the menu and the account menu open with a tap, and close with another', async () => {
    const page = await phoneOf('citizen');
    // <summary> elements: Chromium exposes them as disclosure buttons (no ARIA role for Playwright).
    const menu = page.locator('.nav-menu > summary');
    // "Menu", and what the menu holds that waits for the citizen ("Hồ sơ của tôi: 2 cần chú ý").
    await expect(menu.innerText()).resolves.toMatch(/^Menu\b/);
    const procedures = page.locator('.nav-menu__links').getByRole('link', { name: 'Thủ tục hành chính' });
    await expect(procedures.isVisible()).resolves.toBe(false);
    await menu.tap();
    await expect(procedures.isVisible()).resolves.toBe(true);
    await expect(
      page.locator('.lang-switch--menu').getByRole('link', { name: 'English' }).isVisible(),
    ).resolves.toBe(true);
    await page.screenshot({ path: shot('menu-open') });
    expect(await axeViolations(page)).toEqual([]);
    await menu.tap();
    await expect(procedures.isVisible()).resolves.toBe(false);

    const account = page.locator('.account-menu > summary');
    await expect(account.textContent()).resolves.toBe('Tài khoản: Nguyễn Văn Minh');
    await account.tap();
    const signOut = page.locator('.account-menu').getByRole('button', { name: 'Đăng xuất' });
    await expect(signOut.isVisible()).resolves.toBe(true);
    await expect(
      page.locator('.account-menu').getByRole('link', { name: 'Tài khoản' }).isVisible(),
    ).resolves.toBe(true);
    await page.screenshot({ path: shot('account-menu-open') });
    expect(await axeViolations(page)).toEqual([]);
    // Signing out from the menu works.
    await signOut.tap();
    await page.waitForURL(`${portal.url}/`);
    await expect(page.getByRole('link', { name: 'Đăng nhập' }).isVisible()).resolves.toBe(true);
  });

  it('the menus work without JavaScript', async () => {
    const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(portal.url);
    await page.locator('.nav-menu > summary').tap();
    await page.locator('.nav-menu__links').getByRole('link', { name: 'Tra cứu hồ sơ' }).tap();
    await page.waitForURL(/\/tra-cuu-ho-so$/);
    await context.close();
  });
});
