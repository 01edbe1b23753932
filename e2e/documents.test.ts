/**
 * Certified copies and the wallet (issue 18) in Chromium on the real process, from the home page:
 * the demo citizen books an appointment at the Hoàn Kiếm ward office → the ward's certifier opens it from
 * the day's list, uploads the scan, takes the fee in cash → the citizen finds the signed copy in their
 * wallet → uses it in a dossier (the judicial record, "Văn bản ủy quyền có chứng thực") → Hà Nội's
 * one-stop officer sees it taken from the wallet, signature verified → anyone verifies the copy from its
 * QR's link and by uploading the file. Screenshots at 1280 and 375 px, axe on the new pages.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
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
import { dossierAfterPayment, payAtBank, signInFromHome } from './journeys.ts';

let portal: RunningPortal;
let browser: Browser;
let drop: () => Promise<void>;
const files = fs.mkdtempSync(path.join(os.tmpdir(), 'cong-dvc-documents-'));
const WIDE = { width: 1280, height: 900 };
const shot = (name: string, width: number) =>
  path.join(SCREENSHOTS, `documents-${name}-${width}${process.env.DATABASE_URL ? '-pg' : ''}.png`);

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

const inspect = (page: Page, name: string) => inspectPage(page, name, (width) => shot(name, width));

/** The paper original's scan: a one-page PDF. */
async function scan(): Promise<string> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText('GIAY UY QUYEN - ban chinh', { x: 60, y: 760, size: 16, font });
  const p = path.join(files, 'ban-chinh-uy-quyen.pdf');
  fs.writeFileSync(p, await doc.save());
  return p;
}

// The demo (its offices, keys, bank and accounts) exists only in the embedded `npm start`.
describe.skipIf(!!process.env.DATABASE_URL)('certified copies, from the appointment to reuse', () => {
  it('book → certify and take the fee → the wallet → reuse in a dossier → the officer sees it verified → anyone verifies it', async () => {
    // 1. The citizen books from the home page.
    const citizenContext = await browser.newContext({ viewport: WIDE });
    const citizen = await citizenContext.newPage();
    await signInFromHome(citizen, portal.url, '001088012345', 'DemoCongDan@2026');
    await citizen.goto(portal.url);
    await citizen.getByRole('link', { name: 'Đặt lịch chứng thực bản sao' }).first().click();
    await citizen.waitForURL(/\/chung-thuc-ban-sao$/);
    await inspect(citizen, 'offices');
    await citizen.getByRole('link', { name: 'Ủy ban nhân dân phường Hoàn Kiếm' }).click();
    await citizen.waitForURL(/\/chung-thuc-ban-sao\/UBND-00070/);
    // The first week may have no slot left today: the first free slot of this or the next week.
    let hold = citizen.getByRole('button', { name: /giữ chỗ/ }).first();
    if ((await hold.count()) === 0) {
      await citizen.getByRole('link', { name: 'Tuần sau →' }).click();
      hold = citizen.getByRole('button', { name: /giữ chỗ/ }).first();
    }
    await inspect(citizen, 'slots');
    await hold.click();
    await citizen.getByLabel('Giấy tờ cần chứng thực').fill('Giấy ủy quyền (bản chính)');
    await citizen.getByLabel(/Số bản sao dự kiến/).fill('1');
    await citizen.getByRole('button', { name: 'Xác nhận', exact: true }).click();
    await expect(citizen.locator('main').innerText()).resolves.toMatch(/Số thứ tự|số thứ tự/);
    await inspect(citizen, 'appointment');
    const when = await citizen.locator('main').innerText();
    const day = /(\d{2})\/(\d{2})\/(\d{4})/.exec(when);
    expect(day, when).not.toBeNull();
    const isoDay = `${day![3]}-${day![2]}-${day![1]}`;

    // 2. The certifier: the day's appointments, "Chứng thực", the scan, the fee in cash.
    const certifierContext = await browser.newContext({ viewport: WIDE });
    const certifier = await certifierContext.newPage();
    await signInFromHome(
      certifier,
      portal.url,
      'chungthuc.hoankiem.demo@example.vn',
      DEMO_OFFICER_PASSWORD,
      true,
    );
    await certifier.goto(`${portal.url}/quan-tri`);
    await certifier.getByRole('link', { name: 'Người hẹn đến hôm nay' }).click();
    await certifier.getByLabel('Ngày', { exact: true }).fill(isoDay);
    await certifier.getByRole('button', { name: 'Xem' }).click();
    await certifier.getByRole('link', { name: 'Chứng thực', exact: true }).first().click();
    await certifier.waitForURL(/\/quan-tri\/chung-thuc\/moi\?lich-hen=/);
    await expect(certifier.getByLabel('Họ và tên').inputValue()).resolves.toBe('Nguyễn Văn Minh');
    await certifier.getByLabel('Loại giấy tờ').selectOption({ label: 'Văn bản ủy quyền, giấy ủy quyền' });
    await certifier.getByLabel('Tên giấy tờ').fill('Giấy ủy quyền làm thủ tục lý lịch tư pháp');
    await certifier.getByLabel('Số trang của bản chính').fill('1');
    await certifier.getByLabel('Số bản sao', { exact: true }).fill('1');
    await certifier.getByLabel('Bản quét của bản chính').setInputFiles(await scan());
    await inspect(certifier, 'counter-new');
    await certifier.getByRole('button', { name: 'Tính lệ phí và lưu' }).click();
    await expect(certifier.locator('main').innerText()).resolves.toContain('2.000');
    await certifier.getByRole('button', { name: /Đã thu tiền mặt/ }).click();
    await expect(certifier.locator('main').innerText()).resolves.toContain('Đã cấp bản sao');
    await inspect(certifier, 'counter-issued');
    const codeText = await certifier.locator('main').innerText();
    const copyCode = /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(codeText)?.[0];
    expect(copyCode, codeText).toBeTruthy();
    const download = certifier.waitForEvent('download');
    await certifier.getByRole('link', { name: /Tải bản sao/ }).click();
    const copyFile = path.join(files, 'ban-sao.pdf');
    await (await download).saveAs(copyFile);

    // 3. The citizen's wallet has it.
    await citizen.goto(portal.url);
    await citizen.getByRole('link', { name: 'Kho dữ liệu điện tử' }).first().click();
    await citizen.waitForURL(/\/kho-du-lieu/);
    await expect(citizen.locator('main').innerText()).resolves.toContain(
      'Giấy ủy quyền làm thủ tục lý lịch tư pháp',
    );
    await inspect(citizen, 'wallet');

    // 4. … and uses it in a dossier: the judicial record, filed by a proxy's authorisation.
    await citizen.goto(`${portal.url}/thu-tuc/2.000505`);
    await citizen.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
    await citizen.waitForURL(/\/noi-giai-quyet$/);
    await citizen.getByLabel('Tỉnh, thành phố', { exact: true }).selectOption({ label: 'Thành phố Hà Nội' });
    await citizen.getByRole('button', { name: 'Chọn tỉnh, thành phố' }).click();
    await citizen.getByRole('button', { name: 'Tiếp tục' }).click();
    await citizen.waitForURL(/\/ho-so\/nhap\/[0-9a-f-]+$/);
    await citizen.locator('[name="f.hoTen"]').fill('Nguyễn Văn Minh');
    await citizen.locator('[name="f.soDinhDanh"]').fill('001088012345');
    await citizen.locator('[name="f.ngaySinh"]').fill('1988-05-12');
    await citizen.locator('[name="f.noiCuTru.province"]').selectOption('01');
    await citizen.locator('[name="f.noiCuTru.commune"] option[value="00070"]').waitFor({ state: 'attached' });
    await citizen.locator('[name="f.noiCuTru.commune"]').selectOption('00070');
    await citizen.locator('[name="f.soDienThoai"]').fill('0911000001');
    await citizen.locator('[name="f.loaiPhieu"]').selectOption('1');
    await citizen.locator('[name="f.soBan"]').fill('1');
    await citizen.getByLabel('Ủy quyền cho người khác làm thủ tục').check();
    await citizen.locator('[name="tep.tep_tk_lltp"]').setInputFiles(await scan());
    await citizen.getByRole('button', { name: /Lấy từ kho dữ liệu\s*: Văn bản ủy quyền/ }).click();
    await citizen.waitForURL(/\/kho-du-lieu\?muc=/);
    await inspect(citizen, 'reuse-pick');
    await citizen.getByLabel(/Giấy ủy quyền làm thủ tục lý lịch tư pháp/).check();
    await citizen.getByRole('button', { name: 'Dùng giấy tờ này' }).click();
    await citizen.waitForURL(/\/ho-so\/nhap\/[0-9a-f-]+/);
    await expect(citizen.locator('main').innerText()).resolves.toContain(
      'Đã lấy từ kho dữ liệu — đã xác thực chữ ký số',
    );
    await citizen.getByLabel('Ủy quyền cho người khác làm thủ tục').check();
    await citizen.locator('[name="tep.tep_tk_lltp"]').setInputFiles(await scan());
    await citizen.getByRole('button', { name: 'Tiếp tục' }).click();
    await citizen.waitForURL(/\/kiem-tra$/);
    await citizen.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    await citizen.waitForURL(/\/bien-nhan$|\/thanh-toan\/[0-9a-f-]{36}$/);
    let dossier: string;
    if (citizen.url().includes('/thanh-toan/')) {
      await payAtBank(citizen);
      dossier = await dossierAfterPayment(citizen);
    } else dossier = decodeURIComponent(new URL(citizen.url()).pathname.split('/')[2]!);

    // 5. Hà Nội's one-stop officer sees the document taken from the wallet, its signature verified.
    const officerContext = await browser.newContext({ viewport: WIDE });
    const officer = await officerContext.newPage();
    await signInFromHome(officer, portal.url, 'motcua.hanoi.demo@example.vn', DEMO_OFFICER_PASSWORD, true);
    await officer.goto(`${portal.url}/quan-tri/ho-so?tab=new`);
    await officer.getByRole('link', { name: dossier }).click();
    await expect(officer.locator('main').innerText()).resolves.toMatch(
      /Lấy từ kho dữ liệu — đã xác thực chữ ký số \(Ủy ban nhân dân phường Hoàn Kiếm/,
    );
    await officer.screenshot({ path: shot('officer-dossier', WIDE.width), fullPage: true });

    // 6. Anyone: the QR's link, and the file uploaded on the verification page from the home page.
    const anyoneContext = await browser.newContext({ viewport: WIDE });
    const anyone = await anyoneContext.newPage();
    await anyone.goto(`${portal.url}/xac-thuc/${copyCode}`);
    await expect(anyone.locator('main').innerText()).resolves.toContain('Ủy ban nhân dân phường Hoàn Kiếm');
    await inspect(anyone, 'verify-code');
    await anyone.goto(portal.url);
    await anyone.getByRole('link', { name: 'Xác thực bản sao điện tử' }).first().click();
    await anyone.locator('input[type="file"]').setInputFiles(copyFile);
    await Promise.all([
      anyone.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/xac-thuc-ban-sao')),
      anyone.getByRole('button', { name: 'Kiểm tra', exact: true }).click(),
    ]);
    await anyone.waitForLoadState('load');
    await expect(anyone.locator('main').innerText()).resolves.toContain('Tài liệu hợp lệ');
    await expect(anyone.locator('main').innerText()).resolves.not.toContain('001088012345');
    await inspect(anyone, 'verify-result');
  });
});
