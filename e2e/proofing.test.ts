/**
 * In Chromium with JavaScript off (axe runs in a second context with it on, as it needs it): a citizen registers as a person of the population register (the
 * simulator as a real HTTP server, as the portal would reach the real one), reads the code on the phone
 * the register holds, and lands on an account that says it is proven; with the register down, the same
 * form answers 503 with a clear message and keeps what was typed. Accessibility checked on the way.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Citizen } from '../sim/population-register/population.ts';
import { startTestRegisters } from '../test/helpers/portal.ts';
import {
  axeViolations,
  launchChromium,
  portalEnv,
  type RunningPortal,
  SCREENSHOTS,
  startPortalProcess,
} from './helpers.ts';

let portal: RunningPortal;
let browser: Browser;
let registers: Awaited<ReturnType<typeof startTestRegisters>>;
let drop: () => Promise<void>;

beforeAll(async () => {
  registers = await startTestRegisters();
  const e = await portalEnv();
  drop = e.drop;
  portal = await startPortalProcess({ ...e.env, ...registers.env });
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await portal?.stop();
  await registers?.close();
  await drop?.();
});

const shot = (name: string) =>
  path.join(SCREENSHOTS, `proofing-${name}${process.env.DATABASE_URL ? '-pg' : ''}.png`);

/** axe on the same page as the person sees it, in a context with JavaScript (and their cookies). */
async function axeOf(from: Page): Promise<unknown[]> {
  const context = await browser.newContext();
  await context.addCookies(await from.context().cookies());
  const page = await context.newPage();
  await page.goto(from.url());
  const found = await axeViolations(page);
  await context.close();
  return found;
}

async function fillRegistration(page: Page, c: Citizen) {
  await page.getByLabel(/^Họ và tên/).fill(c.fullName);
  await page.getByLabel('Số định danh cá nhân (công dân)').fill(c.personalId);
  await page.getByLabel('Ngày sinh (công dân)').fill(c.birthDate);
  await page.getByLabel('Mật khẩu', { exact: true }).fill('cay-bang-tren-pho-2026');
  await page.getByLabel('Nhập lại mật khẩu').fill('cay-bang-tren-pho-2026');
}

/** The code as the person reads it on their phone (the portal's outbox page outside production). */
async function codeSentTo(page: Page, phone: string): Promise<string> {
  const to = `+84${phone.slice(1)}`;
  for (let i = 0; i < 30; i++) {
    await page.goto(`${portal.url}/dev/tin-nhan`);
    const row = page.locator('tr', { hasText: to }).first();
    if ((await row.count()) > 0) {
      const m = /la (\d{6})/.exec(await row.innerText());
      if (m) return m[1]!;
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`no code sent to ${to}`);
}

describe('identity proofing in the browser, without JavaScript', () => {
  it('registers a citizen with the code sent to the phone the register holds', async () => {
    const c = registers.population.population.search((p) => p.status === 'alive' && p.phone !== null, 4242);
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${portal.url}/dang-ky`);
    expect(await axeOf(page)).toEqual([]);
    await fillRegistration(page, c);
    await page.getByRole('button', { name: 'Gửi mã xác minh' }).click();
    await page.waitForURL(/\/dang-ky\/xac-minh\?/);
    const masked = `${c.phone!.slice(0, 3)}****${c.phone!.slice(-3)}`;
    await expect(page.locator('main').innerText()).resolves.toContain(
      `${masked} — số điện thoại bạn đã đăng ký trong Cơ sở dữ liệu quốc gia về dân cư`,
    );
    expect(await axeOf(page)).toEqual([]);
    await page.screenshot({ path: shot('code'), fullPage: true });
    const codePage = page.url();
    const phone = await context.newPage();
    const code = await codeSentTo(phone, c.phone!);
    await phone.close();
    await page.goto(codePage);
    await page.getByLabel('Mã xác minh').fill(code);
    await page.getByRole('button', { name: 'Xác nhận' }).click();
    await page.waitForURL(/\/tai-khoan\?moi=1/);
    await expect(page.locator('#xac-thuc').innerText()).resolves.toMatch(
      /^Đã xác thực với Cơ sở dữ liệu quốc gia về dân cư lúc/,
    );
    await expect(page.locator('h1').innerText()).resolves.toBe(c.fullName);
    expect(await axeOf(page)).toEqual([]);
    await page.screenshot({ path: shot('account'), fullPage: true });
    await context.close();
  });

  it('says clearly when the register is down, keeps the form and writes nothing', async () => {
    const c = registers.population.population.search((p) => p.status === 'alive' && p.phone !== null, 777);
    // With JavaScript this time (nothing on the page needs it; axe does).
    const context = await browser.newContext();
    const page = await context.newPage();
    registers.population.configure({ fault: '5xx' });
    try {
      await page.goto(`${portal.url}/dang-ky`);
      await fillRegistration(page, c);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/dang-ky') && r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Gửi mã xác minh' }).click(),
      ]);
      expect(response.status()).toBe(503);
      await expect(page.getByRole('alert').innerText()).resolves.toContain(
        'Cơ sở dữ liệu quốc gia về dân cư đang không phản hồi',
      );
      await expect(page.getByLabel('Số định danh cá nhân (công dân)').inputValue()).resolves.toBe(
        c.personalId,
      );
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: shot('register-down'), fullPage: true });
    } finally {
      registers.population.configure({ fault: 'none' });
      await context.close();
    }
  });
});
