/**
 * Every published procedure of the seed that offers online filing, filed in Chromium by the demo
 * citizen — from the home page, by clicking: the catalogue, the procedure, "Nộp hồ sơ trực tuyến", the
 * place (Hà Nội, and Phường Hoàn Kiếm found by typing its name without diacritics where the commune
 * decides), the e-form pre-filled from the account, the documents, "Kiểm tra lại thông tin", the receipt —
 * and, where the fee is paid before and Hà Nội collects it online, paid through the bank's page — and
 * then handled to its result by the competent officer (Hà Nội's one-stop officer, whose roles cover the
 * city's departments and communes): received, forwarded, paid at the counter where a fee is still due
 * (the citizen sees the amount), approved, the result returned with its file. Not a sample: all of them. At
 * the end the citizen finds every dossier returned in "Hồ sơ của tôi", and anyone finds one through the
 * public lookup with the last 4 digits of the ID number.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OFFICER_PASSWORD } from '../src/modules/identity/demo.ts';
import {
  axeViolations,
  launchChromium,
  portalEnv,
  type RunningPortal,
  SCREENSHOTS,
  seedDemoAccounts,
  startPortalProcess,
} from './helpers.ts';
import { act, dossierAfterPayment, type Field, fillForm, payAtBank, signInFromHome } from './journeys.ts';

let portal: RunningPortal;
let browser: Browser;
let drop: () => Promise<void>;
const files = fs.mkdtempSync(path.join(os.tmpdir(), 'cong-dvc-every-'));
const pdf = (name: string) => {
  const p = path.join(files, name);
  fs.writeFileSync(p, `%PDF-1.4\n% ${name}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`);
  return p;
};
const pg = process.env.DATABASE_URL ? '-pg' : '';
const shot = (name: string) => path.join(SCREENSHOTS, `every-${name}${pg}.png`);

interface Procedure {
  code: string;
  name: string;
  levels: string[];
  form: { fields: Field[] };
  cases: Array<{ name: string }>;
  channels: Array<{ channel: string; times: Array<{ fees: Array<{ formula: { type: string } }> }> }>;
}

/** The published procedures with online filing, as the catalogue's API lists them (all pages). */
async function onlineProcedures(base: string): Promise<Procedure[]> {
  const codes: string[] = [];
  let cursor: string | undefined;
  do {
    const r = await fetch(`${base}/api/v1/procedures?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    const body = (await r.json()) as {
      items: Array<{ code: string; onlineLevel: string }>;
      nextCursor?: string;
    };
    codes.push(
      ...body.items.filter((i) => i.onlineLevel === 'full' || i.onlineLevel === 'partial').map((i) => i.code),
    );
    cursor = body.nextCursor ?? undefined;
  } while (cursor);
  const out: Procedure[] = [];
  for (const code of codes) {
    const p = (await (await fetch(`${base}/api/v1/procedures/${encodeURIComponent(code)}`)).json()) as {
      content: Omit<Procedure, 'code'>;
    };
    out.push({ code, ...p.content });
  }
  return out;
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
  await browser?.close();
  await portal?.stop();
  await drop?.();
  fs.rmSync(files, { recursive: true, force: true });
});

/** The citizen files one procedure from the home page; answers the dossier code. */
async function file(
  page: Page,
  p: Procedure,
  index: number,
): Promise<{ code: string; competent: string; prepaid: boolean }> {
  // From wherever the last filing left the citizen (the home page, the first time): the header's link.
  await page
    .getByRole('navigation', { name: 'Điều hướng chính' })
    .getByRole('link', { name: 'Thủ tục hành chính' })
    .click();
  await page.getByLabel('Tìm thủ tục hành chính').fill(p.code);
  await page.getByLabel('Tìm thủ tục hành chính').press('Enter');
  await page.locator('ol.results').getByRole('link', { name: p.name, exact: true }).first().click();
  await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();

  // Step 1: the place. Commune level where the procedure allows it (every other one at the province for
  // procedures handled at both, so both routes are walked).
  await page.waitForURL(/\/noi-giai-quyet|\/ho-so\/nhap\/[0-9a-f-]+$/);
  if (page.url().includes('/noi-giai-quyet')) {
    const both = p.levels.includes('commune') && p.levels.includes('province');
    const level = p.levels.includes('commune') && !(both && index % 2 === 1) ? 'commune' : 'province';
    if ((await page.locator('input[name="cap"][type="radio"]').count()) > 0)
      await page.locator(`input[name="cap"][type="radio"][value="${level}"]`).check();
    await page.getByLabel('Tỉnh, thành phố', { exact: true }).selectOption({ label: 'Thành phố Hà Nội' });
    await page.locator('#chon-tinh button[type="submit"]').click();
    await page.waitForURL(/\?(.*&)?tinh=01/);
    if (level === 'commune') {
      await page.getByLabel('Tìm xã, phường, đặc khu').fill('hoan kiem');
      await page.getByLabel('Phường Hoàn Kiếm', { exact: true }).check();
    }
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
  }

  // Step 2: the e-form, pre-filled from the account: every answer typed again, every document attached.
  await page.waitForURL(/\/ho-so\/nhap\/[0-9a-f-]+$/);
  await expect(page.locator('[id="f.hoTen"]').inputValue()).resolves.toBe('Nguyễn Văn Minh');
  const typed = await fillForm(page, p.form.fields);
  if (p.cases.length > 1) await page.getByLabel(p.cases[0]!.name, { exact: true }).check();
  for (const slot of await page.locator('[data-giay-to]:not([hidden]) input[type="file"]').all())
    await slot.setInputFiles(pdf(`${p.code}-${(await slot.getAttribute('name'))!.slice(4)}.pdf`));
  await page.getByRole('button', { name: 'Tiếp tục' }).click();

  // Step 3: check the answers: each one shown, the agency named, then submit.
  await page.waitForURL(/\/kiem-tra$/);
  const review = await page.locator('main').innerText();
  for (const v of typed.values()) expect(review, `${p.code}: answer ${v}`).toContain(v);
  const competent = (
    await page
      .locator('.summary-list__row', { hasText: 'Cơ quan giải quyết' })
      .locator('dd')
      .first()
      .innerText()
  ).trim();
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  // A fee paid before, where Hà Nội collects it online: the filing ends in the hosted checkout, paid
  // through the bank's page; the dossier is received once the bank confirms.
  await page.waitForURL(/\/bien-nhan$|\/thanh-toan\/[0-9a-f-]{36}$/);
  if (page.url().includes('/thanh-toan/')) {
    await payAtBank(page);
    return { code: await dossierAfterPayment(page), competent, prepaid: true };
  }
  const code = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
  return { code, competent, prepaid: false };
}

const hasFee = (p: Procedure) =>
  (p.channels.find((c) => c.channel === 'online')?.times[0]?.fees ?? []).some(
    (f) => f.formula.type !== 'free',
  );

describe('every procedure with online filing, filed and handled in the browser', () => {
  it(
    'the demo citizen files each one from the home page; the competent officer handles each to its result',
    async () => {
      const procedures = await onlineProcedures(portal.url);
      expect(procedures.length).toBeGreaterThanOrEqual(30);

      const citizen = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signInFromHome(citizen, portal.url, '001088012345', 'DemoCongDan@2026');
      const filed: Array<{ p: Procedure; code: string; competent: string; prepaid: boolean }> = [];
      for (const [i, p] of procedures.entries()) {
        const r = await file(citizen, p, i);
        filed.push({ p, ...r });
      }
      await citizen.screenshot({ path: shot('receipt'), fullPage: true });
      // Commune-level matters at the commune's People's Committee; the judicial record at the department.
      expect(filed.find((f) => f.p.code === '2.000815')?.competent).toMatch(
        /^Ủy ban nhân dân phường Hoàn Kiếm/,
      );
      expect(filed.find((f) => f.p.code === '1.001193')?.competent).toMatch(
        /^Ủy ban nhân dân phường Hoàn Kiếm/,
      );
      expect(filed.find((f) => f.p.code === '2.000505')?.competent).toMatch(/^Sở Tư pháp thành phố Hà Nội/);

      const officer = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signInFromHome(officer, portal.url, 'motcua.hanoi.demo@example.vn', DEMO_OFFICER_PASSWORD, true);
      await officer
        .getByRole('link', { name: /Hồ sơ cần xử lý|Mới nộp/ })
        .first()
        .click();
      await officer.waitForURL(/\/quan-tri\/ho-so/);
      expect(await axeViolations(officer)).toEqual([]);
      for (const { p, code, prepaid } of filed) {
        await officer.getByLabel('Tìm hồ sơ').fill(code);
        await officer.getByRole('button', { name: 'Tìm', exact: true }).click();
        await officer.getByRole('link', { name: code, exact: true }).click();
        await act(officer, 'Tiếp nhận');
        await act(officer, 'Chuyển xử lý');
        // A fee paid before filing is not asked for again.
        if (hasFee(p) && !prepaid) {
          await act(officer, 'Yêu cầu nộp phí, lệ phí', async (form) => {
            // Where the fee lines cannot be counted from the e-form, the officer enters the amount.
            const amount = form.getByLabel('Số tiền phải nộp (đồng)');
            if ((await amount.inputValue()) === '') await amount.fill('50000');
          });
          await citizen.getByRole('link', { name: 'Hồ sơ của tôi' }).first().click();
          await citizen.getByRole('link', { name: code, exact: true }).first().click();
          await expect(citizen.locator('main').innerText()).resolves.toMatch(/Số tiền phải nộp: [\d.]+ đồng/);
          await act(officer, 'Ghi nhận đã nộp');
        }
        await act(officer, 'Phê duyệt');
        await act(officer, 'Trả kết quả', async (form) => {
          await form.locator('input[name="tep"]').setInputFiles(pdf(`ket-qua-${p.code}.pdf`));
        });
        await expect(officer.locator('dl.facts').innerText()).resolves.toContain('Đã trả kết quả');
        await officer.getByRole('link', { name: 'Hồ sơ cần xử lý' }).first().click();
      }
      await officer.screenshot({ path: shot('officer-inbox'), fullPage: true });

      // The citizen: every dossier returned, in "Hồ sơ của tôi", each with its answers and its result.
      await citizen.getByRole('link', { name: 'Hồ sơ của tôi' }).first().click();
      const mine = await citizen.locator('main').innerText();
      for (const { code } of filed) expect(mine).toContain(code);
      await citizen.getByRole('link', { name: filed[0]!.code, exact: true }).first().click();
      const page = await citizen.locator('main').innerText();
      expect(page).toContain('Thông tin đã khai');
      expect(page).toContain('Đã trả kết quả');
      expect(await axeViolations(citizen)).toEqual([]);
      await citizen.screenshot({ path: shot('dossier'), fullPage: true });

      // Anyone: the public lookup from the home page, with the code and the last 4 digits of the ID number.
      const visitor = await (await browser.newContext()).newPage();
      await visitor.goto(portal.url);
      await visitor.getByRole('link', { name: 'Tra cứu hồ sơ' }).first().click();
      await visitor.getByLabel('Mã hồ sơ').fill(filed[0]!.code);
      await visitor.getByLabel(/4 ký tự cuối/).fill('2345');
      await visitor.getByRole('button', { name: 'Tra cứu' }).click();
      await expect(visitor.locator('main').innerText()).resolves.toContain('Đã trả kết quả');
    },
    20 * 60_000,
  );
});
