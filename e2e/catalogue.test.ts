/**
 * A citizen finds a procedure by typing without diacritics (with and without JavaScript), reads it, and
 * reaches the online-filing entry; the pages pass axe (no serious or critical violation).
 */
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
  await page.evaluate(axe.source);
  const result = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v: { id: string; impact: string; nodes: unknown[]; help: string }) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
    }));
  });
  return (result as Array<{ id: string; impact: string; help: string }>).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
}

const shot = (name: string) => path.join(SCREENSHOTS, `${name}${process.env.DATABASE_URL ? '-pg' : ''}.png`);

describe('a citizen finds a procedure', () => {
  it('types “chung thuc ban sao” without diacritics, picks a live suggestion, reads the procedure', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // The embedded portal fills its demo (dossiers) right after it starts listening: the first page may wait.
    await page.goto(`${portal.url}/thu-tuc`, { timeout: 100_000 });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Tìm thủ tục hành chính').pressSequentially('chung thuc ban s', { delay: 20 });
    const suggestion = page.getByRole('option', { name: /Chứng thực bản sao từ bản chính/ });
    await suggestion.waitFor();
    await page.screenshot({ path: shot('catalogue-suggestions') });
    await suggestion.click();
    await page.waitForURL(/\/thu-tuc\/2\.000815$/);
    await expect(page.locator('h1').innerText()).resolves.toContain('Chứng thực bản sao từ bản chính');
    await expect(page.locator('main').innerText()).resolves.toContain('tối đa 200.000 đồng/bản');

    // The fee calculator is a plain form.
    await page.getByLabel('Số trang bản chính').fill('3');
    await page.getByLabel('Số bản sao').fill('2');
    await page.getByRole('button', { name: 'Tính lệ phí' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('10.000 đồng');
    await page.screenshot({ path: shot('catalogue-procedure'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
    // Filing needs an account: the sign-in page, which comes back to filing afterwards.
    await page.waitForURL(/\/dang-nhap\?tiep=%2Fho-so%2Fnop%2F2\.000815$/);
    await expect(page.locator('h1').innerText()).resolves.toContain('Đăng nhập');
    await page.close();
  });

  it('without JavaScript: the search form returns full results with facets; a typo is corrected', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    await page.goto(`${portal.url}/thu-tuc`);
    await page.getByLabel('Tìm thủ tục hành chính').fill('dang ky khai sihn');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await page.waitForURL(/q=dang\+ky\+khai\+sihn/);
    const main = await page.locator('main').innerText();
    expect(main).toContain('Kết quả cho “dang ky khai sinh”');
    expect(main).toContain('Lọc kết quả');
    await page.screenshot({ path: shot('catalogue-search-mobile'), fullPage: true });
    await page.getByRole('link', { name: 'Đăng ký khai sinh', exact: true }).click();
    await page.waitForURL(/\/thu-tuc\/1\.001193$/);
    await expect(page.locator('main').innerText()).resolves.toContain('Giấy chứng sinh');
    await context.close();
  });

  it('the sector listing and the life-event bundle', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${portal.url}/thu-tuc/linh-vuc/TP-HOTICH`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Lĩnh vực: Hộ tịch');
    await page.screenshot({ path: shot('catalogue-sector'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${portal.url}/thu-tuc/lien-thong/LT-KHAISINH`);
    await expect(page.locator('main').innerText()).resolves.toContain(
      'Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
