/**
 * In Chromium, the dossier journey on the real process: the demo citizen files a judicial-record
 * request online, choosing the case (the documents shown switch with it), with its attachments, and pays
 * its fee first through the bank's page (Hà Nội collects it online) → the Hà Nội one-stop officer
 * receives it, forwards it and asks for a supplement → the citizen uploads the supplement → the officer
 * approves and returns the result with a file → the citizen rates it. The demo accounts are the identity demo's as they are (the Hà Nội
 * one-stop officer receives, processes and approves for the city).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
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
import { act, clickThenLoad, dossierAfterPayment, payAtBank, signInFromHome } from './journeys.ts';

let portal: RunningPortal;
let browser: Browser;
let drop: () => Promise<void>;
const files = fs.mkdtempSync(path.join(os.tmpdir(), 'cong-dvc-files-'));
const pdf = (name: string) => {
  const p = path.join(files, name);
  fs.writeFileSync(p, `%PDF-1.4\n% ${name}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`);
  return p;
};
const shot = (name: string) =>
  path.join(SCREENSHOTS, `dossiers-${name}${process.env.DATABASE_URL ? '-pg' : ''}.png`);

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

describe('a dossier from filing to rating, in the browser', () => {
  it('citizen files with attachments → officer receives, asks for a supplement → citizen supplements → officer approves and returns the result → citizen rates', async () => {
    const citizenContext = await browser.newContext();
    const citizen = await citizenContext.newPage();
    await signInFromHome(citizen, portal.url, '001088012345', 'DemoCongDan@2026');

    // Filing: the e-form of the judicial-record procedure, in the case with two documents.
    await citizen.goto(`${portal.url}/ho-so/nop/2.000505`);
    // The place: a province-level procedure (the Department of Justice of the province).
    await citizen.waitForURL(/\/noi-giai-quyet$/);
    await citizen.getByLabel('Tỉnh, thành phố', { exact: true }).selectOption({ label: 'Thành phố Hà Nội' });
    await citizen.getByRole('button', { name: 'Chọn tỉnh, thành phố' }).click();
    await citizen.getByRole('button', { name: 'Tiếp tục' }).click();
    await citizen.waitForURL(/\/ho-so\/nhap\/[0-9a-f-]+$/);
    await citizen.locator('[name="f.hoTen"]').fill('Nguyễn Văn Minh');
    await citizen.locator('[name="f.soDinhDanh"]').fill('001088012345');
    await citizen.locator('[name="f.ngaySinh"]').fill('1988-05-12');
    await citizen.locator('[name="f.noiCuTru.province"]').selectOption('01');
    // The commune list follows the province (loaded by the page's script).
    await citizen.locator('[name="f.noiCuTru.commune"] option[value="00070"]').waitFor({ state: 'attached' });
    await citizen.locator('[name="f.noiCuTru.commune"]').selectOption('00070');
    await citizen.locator('[name="f.soDienThoai"]').fill('0911000001');
    await citizen.locator('[name="f.loaiPhieu"]').selectOption('1');
    await citizen.locator('[name="f.soBan"]').fill('1');
    // The case (trường hợp) decides the documents: choosing one shows its documents at once.
    const proxyDocument = citizen.locator('[name="tep.tep_uq"]');
    await expect(proxyDocument.isVisible()).resolves.toBe(true);
    await citizen.getByLabel('Người yêu cầu tự nộp').check();
    await expect(proxyDocument.isVisible()).resolves.toBe(false);
    await citizen.getByLabel('Ủy quyền cho người khác làm thủ tục').check();
    await expect(proxyDocument.isVisible()).resolves.toBe(true);
    await expect(citizen.locator('label[for="tep.tep_uq"]').innerText()).resolves.toBe(
      'Văn bản ủy quyền có chứng thực',
    );
    await citizen.locator('[name="tep.tep_tk_lltp"]').setInputFiles(pdf('to-khai.pdf'));
    await proxyDocument.setInputFiles(pdf('uy-quyen.pdf'));
    await citizen.screenshot({ path: shot('filing'), fullPage: true });
    await citizen.getByRole('button', { name: 'Tiếp tục' }).click();
    await citizen.waitForURL(/\/kiem-tra$/);
    await expect(citizen.locator('main').innerText()).resolves.toContain('Sở Tư pháp thành phố Hà Nội');
    await citizen.screenshot({ path: shot('review'), fullPage: true });
    await citizen.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    // Hà Nội collects the judicial record's fee online, paid before (one-stop-prepaid): the filing ends
    // in the hosted checkout, paid through the bank's page; the dossier is received once it is paid.
    // (Only the embedded demo collects online: on PostgreSQL the filing is received at once.)
    await citizen.waitForURL(/\/bien-nhan$|\/thanh-toan\/[0-9a-f-]{36}$/);
    let code: string;
    if (citizen.url().includes('/thanh-toan/')) {
      await payAtBank(citizen);
      code = await dossierAfterPayment(citizen);
    } else code = decodeURIComponent(new URL(citizen.url()).pathname.split('/')[2]!);
    expect(code).toMatch(/^000\.00\.00\.H26-\d{6}-\d{4}$/);
    await citizen.screenshot({ path: shot('receipt'), fullPage: true });

    // The officer: receive, forward, ask for a supplement.
    const officerContext = await browser.newContext();
    const officer = await officerContext.newPage();
    await signInFromHome(officer, portal.url, 'motcua.hanoi.demo@example.vn', DEMO_OFFICER_PASSWORD, true);
    await officer.goto(`${portal.url}/quan-tri/ho-so?tab=new`);
    await officer.getByRole('link', { name: code }).click();
    await act(officer, 'Tiếp nhận');
    await act(officer, 'Chuyển xử lý');
    await act(officer, 'Yêu cầu bổ sung', async (form) => {
      await form.getByLabel('Giấy tờ cần bổ sung và lý do').fill('Bổ sung bản sao căn cước còn hiệu lực');
    });
    await officer.screenshot({ path: shot('officer-supplement'), fullPage: true });

    // The citizen sees the request and uploads the supplement.
    await citizen.goto(`${portal.url}/ho-so/${code}`);
    await expect(
      citizen.getByText('Bổ sung bản sao căn cước còn hiệu lực').first().isVisible(),
    ).resolves.toBe(true);
    await citizen.locator('input[name="tep"]').setInputFiles(pdf('can-cuoc.pdf'));
    await clickThenLoad(citizen, citizen.getByRole('button', { name: 'Gửi bổ sung' }), /da-xu-ly=1/);

    // The officer approves and returns the result with a file.
    await officer.goto(`${portal.url}/ho-so/${code}`);
    await act(officer, 'Phê duyệt');
    await act(officer, 'Trả kết quả', async (form) => {
      await form.locator('input[name="tep"]').setInputFiles(pdf('phieu-ly-lich-tu-phap.pdf'));
    });
    await expect(officer.locator('dl.facts').innerText()).resolves.toContain('Đã trả kết quả');

    // The citizen rates it.
    await citizen.goto(`${portal.url}/ho-so/${code}`);
    await expect(citizen.getByRole('link', { name: 'phieu-ly-lich-tu-phap.pdf' }).isVisible()).resolves.toBe(
      true,
    );
    await citizen.getByLabel('Hài lòng', { exact: true }).check();
    await citizen.getByLabel('Ý kiến (không bắt buộc)').fill('Nhanh, đúng hẹn.');
    await clickThenLoad(citizen, citizen.getByRole('button', { name: 'Gửi đánh giá' }), /da-xu-ly=1/);
    await expect(citizen.locator('main').innerText()).resolves.toContain('Bạn đã đánh giá: Hài lòng');
    const timeline = await citizen.locator('table').last().innerText();
    for (const step of [
      'Nộp hồ sơ trực tuyến',
      'Tiếp nhận hồ sơ',
      'Yêu cầu bổ sung',
      'Tiếp nhận hồ sơ bổ sung',
    ])
      expect(timeline).toContain(step);
    await citizen.screenshot({ path: shot('rated'), fullPage: true });

    // "My dossiers" (with its section of dossiers synced from agencies' systems) and the officer's sync
    // monitoring, where the dossier just received counts in indicator 1.4's denominator.
    await citizen.goto(`${portal.url}/ho-so/cua-toi`);
    await expect(citizen.locator('main').innerText()).resolves.toContain('Hồ sơ nộp tại cơ quan');
    expect(await axeViolations(citizen)).toEqual([]);
    await officer.goto(`${portal.url}/quan-tri/dong-bo`);
    expect(await axeViolations(officer)).toEqual([]);
    await officer.goto(`${portal.url}/quan-tri/dong-bo/UBND-01`);
    const received = await officer.locator('[data-field="received"]').innerText();
    expect(Number(received.replace(/\D/g, ''))).toBeGreaterThanOrEqual(1);
    expect(await axeViolations(officer)).toEqual([]);
    await officer.screenshot({ path: shot('sync-monitoring'), fullPage: true });
    await citizenContext.close();
    await officerContext.close();
  });
});
