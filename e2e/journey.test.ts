import fs from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, portalEnv, type RunningPortal, SCREENSHOTS, startPortalProcess } from './helpers.ts';

let portal: RunningPortal;
let browser: Browser;
let drop: () => Promise<void>;

beforeAll(async () => {
  const e = await portalEnv();
  drop = e.drop;
  portal = await startPortalProcess(e.env);
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await portal?.stop();
  await drop?.();
});

async function axeViolations(page: Page) {
  // Injected through the DevTools protocol: the page's own CSP (rightly) forbids inline scripts.
  await page.evaluate(axe.source);
  const result = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v: { id: string; impact: string; nodes: unknown[]; help: string }) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
    }));
  });
  return (result as Array<{ id: string; impact: string; help: string; nodes: number }>).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
}

const shot = (name: string) => path.join(SCREENSHOTS, `${name}${process.env.DATABASE_URL ? '-pg' : ''}.png`);

describe('a citizen browses the portal', () => {
  it('opens the home page, searches without diacritics, opens an agency and a province', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(portal.url);
    await expect(page.title()).resolves.toContain('Cổng Dịch vụ công');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await page.screenshot({ path: shot('home'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // The font is self-hosted and covers Vietnamese.
    const fontOk = await page.evaluate(async () => {
      await document.fonts.ready;
      return document.fonts.check('16px "Be Vietnam Pro"', 'Cổng Dịch vụ công Quốc gia ỗ ữ đ');
    });
    expect(fontOk).toBe(true);

    await page.getByRole('searchbox').first().fill('tai chinh');
    await page.keyboard.press('Enter');
    await page.waitForURL(/tim-kiem/);
    await page.getByRole('link', { name: 'Bộ Tài chính' }).first().click();
    await page.waitForURL(/co-quan\/BTC/);
    await expect(page.locator('h1').innerText()).resolves.toBe('Bộ Tài chính');
    await page.screenshot({ path: shot('agency-btc'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${portal.url}/don-vi-hanh-chinh/02`);
    await expect(page.locator('main').innerText()).resolves.toContain('Tuyên Quang');
    await page.screenshot({ path: shot('province-ha-giang'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${portal.url}/don-vi-hanh-chinh`);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${portal.url}/co-quan`);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('switches to English and stays there, on a phone-sized screen', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${portal.url}/co-quan/BTC`);
    // On a phone the language switch is in the header's menu.
    await page.locator('.nav-menu > summary').click();
    await page.locator('.lang-switch--menu').getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.goto(`${portal.url}/don-vi-hanh-chinh`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: shot('provinces-en-phone'), fullPage: false });
    await context.close();
  });

  it('works without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${portal.url}/co-quan?q=ha%20noi`);
    await expect(page.locator('main').innerText()).resolves.toContain('Hà Nội');
    await context.close();
  });
});
