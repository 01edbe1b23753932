/**
 * What the browser journeys do as people do: sign in from the home page, take a dossier's action from
 * its page, fill an e-form from the procedure's published schema.
 */
import * as OTPAuth from 'otpauth';
import type { Locator, Page } from 'playwright-core';
import { DEMO_TOTP_SECRET } from '../src/modules/identity/demo.ts';

/** The last authenticator step each account signed in with, in this file's run. */
const stepUsed = new Map<string, number>();

/** From the home page: "Đăng nhập", the credentials, and for officers the authenticator's code. */
export async function signInFromHome(
  page: Page,
  base: string,
  identifier: string,
  password: string,
  totp = false,
) {
  await page.goto(base);
  await page.getByRole('link', { name: 'Đăng nhập' }).first().click();
  await page.getByLabel(/Số định danh cá nhân, mã số thuế/).fill(identifier);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  if (totp) {
    await page.waitForURL(/\/dang-nhap\/xac-thuc/);
    const code = new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET),
      digits: 6,
      period: 30,
    });
    // The portal refuses a code of a 30-second step the account used already (replay): signing the same
    // officer in twice within one step waits for the next step, as a person would wait for a new code.
    const last = stepUsed.get(identifier);
    if (last !== undefined && Math.floor(Date.now() / 30_000) <= last)
      await page.waitForTimeout((last + 1) * 30_000 - Date.now() + 250);
    stepUsed.set(identifier, Math.floor(Date.now() / 30_000));
    await page.getByLabel('Mã xác thực').fill(code.generate());
    await page.getByRole('button', { name: 'Xác nhận' }).click();
  }
  await page.waitForURL((u) => !u.pathname.startsWith('/dang-nhap'));
}

/**
 * Clicks (or taps) and waits for the page the click leads to. Waiting for the URL alone is not enough
 * when the page before already matches it (two actions in a row both end on `?da-xu-ly=1`): the wait
 * would end at once and the old page be read. This waits for the new document's own response.
 */
export async function clickThenLoad(
  page: Page,
  target: Locator,
  url: RegExp,
  how: 'click' | 'tap' = 'click',
) {
  const arrived = page.waitForResponse(
    (r) => r.request().isNavigationRequest() && r.request().method() === 'GET' && url.test(r.url()),
  );
  await (how === 'tap' ? target.tap() : target.click());
  await arrived;
  await page.waitForLoadState('load');
}

/** Takes a workflow action from the dossier page: the action's own form, its button. */
export async function act(page: Page, label: string, fill?: (form: Locator) => Promise<void>) {
  const heading = new RegExp(`^${label}( \\(Mẫu \\d+\\))?$`);
  const form = page.locator('form', { has: page.getByRole('heading', { name: heading }) });
  if (fill) await fill(form);
  await clickThenLoad(page, form.getByRole('button', { name: label, exact: true }), /da-xu-ly=1/);
  const error = page.locator('.notice--error');
  if ((await error.count()) > 0) throw new Error(`${label}: ${await error.first().innerText()}`);
}

/** The e-form's fields as the catalogue publishes them (GET /api/v1/procedures/{code}). */
export interface Field {
  type: 'text' | 'number' | 'date' | 'choice' | 'id-number' | 'address' | 'group' | 'file';
  key: string;
  label: { vi: string };
  required: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  multiple?: boolean;
  repeatable?: boolean;
  level?: 'province' | 'commune';
  options?: Array<{ value: string; label: { vi: string } }>;
  fields?: Field[];
}

/** A plausible answer for a text field, by what its key says it holds. */
function textFor(f: Field): string {
  const k = f.key.toLowerCase();
  const v = k.includes('dienthoai')
    ? '0911000001'
    : k.includes('email')
      ? 'minh.nguyen@example.vn'
      : k.includes('masothue')
        ? '0106789017'
        : k.includes('bienso')
          ? '29A-123.45'
          : `${f.label.vi} (thử)`;
  return v.slice(0, f.maxLength ?? 200).trim();
}

/**
 * Fills every field of the e-form on the page as a person would: types text, picks options, chooses the
 * province then the commune of an address (the list follows the province). Returns the answers typed,
 * by field path, to check them on the "check your answers" step.
 */
export async function fillForm(
  page: Page,
  fields: readonly Field[],
  prefix = 'f',
): Promise<Map<string, string>> {
  const typed = new Map<string, string>();
  for (const f of fields) {
    const id = `${prefix}.${f.key}`;
    const input = page.locator(`[id="${id}"]`);
    switch (f.type) {
      case 'text': {
        const v = textFor(f);
        await input.fill(v);
        typed.set(id, v);
        break;
      }
      case 'id-number':
        await input.fill('001088012345');
        typed.set(id, '001088012345');
        break;
      case 'number': {
        const n = Math.max(f.min ?? 1, 1);
        await input.fill(String(n));
        // Shown back as Vietnamese write numbers: 1.500.000
        typed.set(id, new Intl.NumberFormat('vi-VN').format(n));
        break;
      }
      case 'date':
        await input.fill('2020-01-15');
        typed.set(id, '15/01/2020');
        break;
      case 'choice': {
        const first = f.options![0]!;
        if (f.multiple) await page.locator(`input[name="${id}"][value="${first.value}"]`).check();
        else await input.selectOption(first.value);
        typed.set(id, first.label.vi);
        break;
      }
      case 'address': {
        await page.locator(`[id="${id}.province"]`).selectOption('01');
        if (f.level === 'commune') {
          const commune = page.locator(`[id="${id}.commune"]`);
          await commune.locator('option[value="00070"]').waitFor({ state: 'attached' });
          await commune.selectOption('00070');
        }
        await page.locator(`[id="${id}.street"]`).fill('Số 1 phố Tràng Tiền');
        typed.set(id, 'Số 1 phố Tràng Tiền, Phường Hoàn Kiếm, Thành phố Hà Nội');
        break;
      }
      case 'group':
        for (const [k, v] of await fillForm(page, f.fields ?? [], f.repeatable ? `${id}.0` : id))
          typed.set(k, v);
        break;
      case 'file':
        break;
    }
  }
  return typed;
}

/**
 * On the portal's hosted checkout (`/thanh-toan/{id}`): the first bank or e-wallet (the demo's
 * sim/bank), its own payment page, "Thanh toán / Pay" there, and back on the portal's result page until
 * the bank's confirmation is recorded ("Đã thanh toán"; the page refreshes itself while pending).
 */
export async function payAtBank(page: Page, how: 'click' | 'tap' = 'click') {
  await page.waitForURL(/\/thanh-toan\/[0-9a-f-]{36}$/);
  const press = (l: Locator) => (how === 'tap' ? l.tap() : l.click());
  await press(page.getByRole('button', { name: 'Tiếp tục đến trang thanh toán' }));
  // sim/bank's page: another site.
  await press(page.getByRole('button', { name: 'Thanh toán / Pay' }));
  await page.waitForURL(/\/thanh-toan\/[0-9a-f-]{36}\/ket-qua/);
  await page.getByRole('heading', { level: 1, name: 'Đã thanh toán' }).waitFor();
}

/**
 * Reloads the page until `done` holds: what a person does while something told in the background (the
 * payments module's effect on a dossier, through the outbox) has not yet landed. Throws after `tries`.
 */
export async function reloadUntil(page: Page, done: () => Promise<boolean>, tries = 40) {
  for (let i = 0; i < tries; i++) {
    if (await done()) return;
    await page.waitForTimeout(500);
    await page.reload();
  }
  throw new Error(`still not so after ${tries} reloads: ${page.url()}`);
}

/** From a paid dossier fee's result page: "Xem hồ sơ …", until the dossier has been received. */
export async function dossierAfterPayment(page: Page, how: 'click' | 'tap' = 'click'): Promise<string> {
  const link = page.getByRole('link', { name: /^Xem hồ sơ / });
  await (how === 'tap' ? link.tap() : link.click());
  await page.waitForURL((u) => /^\/ho-so\/[^/]+$/.test(u.pathname));
  const code = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
  await reloadUntil(page, async () => (await page.locator('dl.facts').innerText()).includes('Chờ tiếp nhận'));
  return code;
}
