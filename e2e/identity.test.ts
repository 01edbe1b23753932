/**
 * In Chromium: a citizen signs in to a province portal through the national portal (OpenID Connect),
 * consents, and comes back with a code; then looks at their account. Accessibility checked on the way.
 */

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import * as OTPAuth from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OFFICER_PASSWORD, DEMO_TOTP_SECRET, seedIdentityDemo } from '../src/modules/identity/demo.ts';
import { DEMO_CLIENT } from '../src/modules/identity/index.ts';
import { openDatabase, scoped } from '../src/platform/db/index.ts';
import {
  launchChromium,
  portalEnv,
  ROOT,
  type RunningPortal,
  SCREENSHOTS,
  startPortalProcess,
} from './helpers.ts';

let portal: RunningPortal;
let browser: Browser;
let drop: () => Promise<void>;

beforeAll(async () => {
  const e = await portalEnv();
  drop = e.drop;
  portal = await startPortalProcess(e.env);
  if (e.env.DATABASE_URL) {
    // The embedded portal seeds its demo itself; on PostgreSQL the test seeds the same data.
    const db = await openDatabase({ databaseUrl: e.env.DATABASE_URL });
    await seedIdentityDemo(scoped(db.db));
    await db.close();
  }
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await portal?.stop();
  await drop?.();
});

const shot = (name: string) => path.join(SCREENSHOTS, `${name}${process.env.DATABASE_URL ? '-pg' : ''}.png`);

async function serious(page: Page) {
  await page.evaluate(axe.source);
  const r = (await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page
    const out = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return out.violations.map((v: { id: string; impact: string }) => ({ id: v.id, impact: v.impact }));
  })) as Array<{ id: string; impact: string }>;
  return r.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

describe('single sign-on in the browser', () => {
  it('signs a citizen in to a province portal and returns an authorization code', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    let callback: URL | undefined;
    await page.route(`${DEMO_CLIENT.redirectUri}**`, async (route) => {
      callback = new URL(route.request().url());
      await route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<!doctype html><title>RP</title><p>ok</p>',
      });
    });
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const auth = new URL(`${portal.url}/oidc/auth`);
    for (const [k, v] of Object.entries({
      client_id: DEMO_CLIENT.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: DEMO_CLIENT.redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'st-123',
      acr_values: 'LoA1',
    })) {
      auth.searchParams.set(k, v);
    }
    await page.goto(auth.toString());
    await page.waitForURL(/\/dang-nhap/);
    expect(await serious(page)).toEqual([]);
    await page.screenshot({ path: shot('sign-in'), fullPage: true });
    await page.getByLabel(/Số định danh cá nhân, mã số thuế/).fill('001088012345');
    await page.getByLabel('Mật khẩu', { exact: true }).fill('DemoCongDan@2026');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/uy-quyen\//);
    await expect(page.locator('main').innerText()).resolves.toContain('Số định danh cá nhân');
    expect(await serious(page)).toEqual([]);
    await page.screenshot({ path: shot('consent'), fullPage: true });
    await page.getByRole('button', { name: 'Đồng ý' }).click();
    await page.waitForURL(/localhost:4000\/callback/);
    expect(callback?.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(callback!.searchParams.get('state')).toBe('st-123');

    // The portal session is there too: the account page.
    await page.goto(`${portal.url}/tai-khoan`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Nguyễn Văn Minh');
    expect(await serious(page)).toEqual([]);
    await page.screenshot({ path: shot('account'), fullPage: true });
    await context.close();
  });

  it('signs a demo officer in with the authenticator code', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${portal.url}/dang-nhap`);
    await page.getByLabel(/Số định danh cá nhân, mã số thuế/).fill('motcua.hanoi.demo@example.vn');
    await page.getByLabel('Mật khẩu', { exact: true }).fill(DEMO_OFFICER_PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/dang-nhap\/xac-thuc/);
    expect(await serious(page)).toEqual([]);
    await page.screenshot({ path: shot('officer-second-factor'), fullPage: true });
    const totp = new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET),
      digits: 6,
      period: 30,
    });
    await page.getByLabel('Mã xác thực').fill(totp.generate());
    await page.getByRole('button', { name: 'Xác nhận' }).click();
    // Officers land on their desk; the header's account menu carries their name.
    await page.waitForURL(/\/quan-tri$/);
    await expect(page.locator('h1').innerText()).resolves.toBe('Bàn làm việc');
    await expect(page.locator('.account-menu__name').innerText()).resolves.toBe(
      'Cán bộ một cửa Hà Nội (demo)',
    );
    await context.close();
  });

  it('signs in to a separate relying-party process (openid-client) and logs out from it', async () => {
    const rp = spawn(process.execPath, ['--import', 'tsx', 'sim/relying-party/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ISSUER: portal.url,
        PORT: '4000',
        CLIENT_ID: DEMO_CLIENT.clientId,
        CLIENT_SECRET: DEMO_CLIENT.clientSecret,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    rp.stdout.on('data', (d) => {
      out += d;
    });
    rp.stderr.on('data', (d) => {
      out += d;
    });
    try {
      for (let i = 0; i < 200 && !out.includes('relying party at'); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(out, 'relying party did not start (port 4000 busy?)').toContain('relying party at');
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto('http://localhost:4000/');
      await page.getByRole('link', { name: /Đăng nhập bằng tài khoản Cổng Dịch vụ công/ }).click();
      await page.waitForURL(/\/dang-nhap/);
      await page.getByLabel(/Số định danh cá nhân, mã số thuế/).fill('001088012345');
      await page.getByLabel('Mật khẩu', { exact: true }).fill('DemoCongDan@2026');
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.waitForURL(/\/uy-quyen\//);
      await page.getByRole('button', { name: 'Đồng ý' }).click();
      await page.waitForURL('http://localhost:4000/');
      await expect(page.locator('#xin-chao').innerText()).resolves.toBe('Xin chào Nguyễn Văn Minh');
      await expect(page.locator('#claim-SoDinhDanh').innerText()).resolves.toBe('001088012345');
      await expect(page.locator('#acr').innerText()).resolves.toBe('LoA1');
      await page.screenshot({ path: shot('relying-party-signed-in') });
      // RP-initiated logout: confirm at the portal, back at the portal's post-logout address.
      await page.getByRole('link', { name: 'Đăng xuất' }).click();
      await page.waitForURL(/\/oidc\/session\/end/);
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.waitForURL('http://localhost:4000/');
      await page.goto(`${portal.url}/tai-khoan`);
      await page.waitForURL(/\/dang-nhap/);
      await context.close();
    } finally {
      rp.kill('SIGTERM');
    }
  });
});
