/**
 * In Chromium with JavaScript off, on a 375 px phone: a citizen starts from the home page, registers
 * as a person of the population register, and reads the code where a person would — on the SMS
 * gateway simulator's page of received messages (sim/sms-gateway as a real HTTP server, the portal
 * process pointed at it as at a real gateway, its delivery reports coming back to the portal). The
 * code page says where the code went (masked); once in, the citizen finds "Thông báo" and turns SMS
 * off for dossier status changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMS_REPORTS_PATH } from '../src/modules/notifications/index.ts';
import { startTestNotifiers } from '../test/helpers/notifiers.ts';
import { startTestRegisters } from '../test/helpers/portal.ts';
import {
  axeViolations,
  freePort,
  launchChromium,
  portalEnv,
  type RunningPortal,
  SCREENSHOTS,
  startPortalProcess,
} from './helpers.ts';

let portal: RunningPortal;
let browser: Browser;
let registers: Awaited<ReturnType<typeof startTestRegisters>>;
let notifiers: Awaited<ReturnType<typeof startTestNotifiers>>;
let drop: () => Promise<void>;

beforeAll(async () => {
  registers = await startTestRegisters();
  notifiers = await startTestNotifiers();
  const e = await portalEnv();
  drop = e.drop;
  const port = await freePort();
  notifiers.gateway.setReportUrl(`http://127.0.0.1:${port}${SMS_REPORTS_PATH}`);
  portal = await startPortalProcess({ ...e.env, ...registers.env, ...notifiers.env, PORT: String(port) });
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await portal?.stop();
  await notifiers?.close();
  await registers?.close();
  await drop?.();
});

const shot = (name: string) =>
  path.join(SCREENSHOTS, `notify-${name}${process.env.DATABASE_URL ? '-pg' : ''}.png`);

/** The code as the person reads it: the last message to their phone on the gateway's page. */
async function codeOnGatewayPage(page: Page, phone: string): Promise<string> {
  const number = `84${phone.slice(1)}`;
  for (let i = 0; i < 40; i++) {
    await page.goto(notifiers.gateway.url);
    const row = page.locator('tr', { hasText: number }).last();
    if ((await row.count()) > 0) {
      const m = /la (\d{6})/.exec(await row.innerText());
      if (m) return m[1]!;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no code sent to ${number}`);
}

describe('registering with the code from the SMS gateway, without JavaScript, at 375 px', () => {
  it('goes from the home page to an account, then to the inbox and the choice of channels', async () => {
    const c = registers.population.population.search((p) => p.status === 'alive' && p.phone !== null, 5151);
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 375, height: 800 },
    });
    const page = await context.newPage();
    await page.goto(portal.url);
    await page
      .getByRole('link', { name: /Đăng ký tài khoản/ })
      .first()
      .click();
    await page.waitForURL(/\/dang-ky$/);
    await page.getByLabel(/^Họ và tên/).fill(c.fullName);
    await page.getByLabel('Số định danh cá nhân (công dân)').fill(c.personalId);
    await page.getByLabel('Ngày sinh (công dân)').fill(c.birthDate);
    await page.getByLabel('Mật khẩu', { exact: true }).fill('hoa-phuong-do-2026');
    await page.getByLabel('Nhập lại mật khẩu').fill('hoa-phuong-do-2026');
    await page.getByRole('button', { name: 'Gửi mã xác minh' }).click();
    await page.waitForURL(/\/dang-ky\/xac-minh\?/);
    const masked = `${c.phone!.slice(0, 3)}****${c.phone!.slice(-3)}`;
    await expect(page.locator('main').innerText()).resolves.toContain(`đến số điện thoại ${masked}`);
    await page.screenshot({ path: shot('code'), fullPage: true });

    const phone = await context.newPage();
    const code = await codeOnGatewayPage(phone, c.phone!);
    await phone.close();
    await page.getByLabel('Mã xác minh').fill(code);
    await page.getByRole('button', { name: 'Xác nhận' }).click();
    await page.waitForURL(/\/tai-khoan\?moi=1/);
    await expect(page.locator('h1').innerText()).resolves.toBe(c.fullName);

    // The inbox: the header's "Thông báo" (in the menu at this width), nothing yet — the code was not put there.
    await page.goto(`${portal.url}/thong-bao`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Thông báo');
    await expect(page.locator('main').innerText()).resolves.toContain('Chưa có thông báo nào.');
    expect(await page.locator('a[href="/thong-bao"]').count()).toBeGreaterThan(0);

    // The choice of channels: SMS off for status changes; a plain form, saved without JavaScript.
    await page.getByRole('link', { name: 'Chọn cách nhận thông báo' }).click();
    await page.waitForURL(/\/tai-khoan\/thong-bao$/);
    const sms = page.locator('input[name="sms.dossier-status"]');
    expect(await sms.isChecked()).toBe(true);
    await sms.uncheck();
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/tai-khoan\/thong-bao\?da-luu=1$/);
    await expect(page.locator('main').innerText()).resolves.toContain('Đã lưu lựa chọn của bạn');
    expect(await page.locator('input[name="sms.dossier-status"]').isChecked()).toBe(false);
    expect(await page.locator('input[name="email.dossier-status"]').isChecked()).toBe(true);
    await page.screenshot({ path: shot('preferences'), fullPage: true });

    // Accessibility, with JavaScript on (axe needs it), on the same pages.
    const withJs = await browser.newContext({ viewport: { width: 375, height: 800 } });
    await withJs.addCookies(await context.cookies());
    const check = await withJs.newPage();
    for (const url of ['/thong-bao', '/tai-khoan/thong-bao']) {
      await check.goto(`${portal.url}${url}`);
      expect(await axeViolations(check)).toEqual([]);
      // Nothing wider than the phone: the tables are cards.
      expect(await check.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    }
    await withJs.close();
    await context.close();
  });
});
