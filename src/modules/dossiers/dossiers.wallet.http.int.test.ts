/**
 * Reuse from the wallet through HTTP, on a small app of the dossiers' wallet routes and pages with a fake
 * `WalletPort` (app.ts wires the documents module's wallet; the whole portal is tested with it there):
 * the JSON way (list, take by `walletItemId`, another owner's item 404), the no-JS page of a draft's file
 * slot (radio buttons, the slot filled, the draft kept), and 404 without a wallet. The caller is signed in
 * by a test cookie (sessions and route access are identity's, tested in identity/access.int.test.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../test/helpers/browser.ts';
import { testConfig } from '../../../test/helpers/portal.ts';
import { scoped } from '../../platform/db/index.ts';
import { localBlobStore } from '../../platform/files/index.ts';
import { type AppInstance, createServer } from '../../platform/http/index.ts';
import { createSecrets, csrfPlugin } from '../../platform/security/index.ts';
import { createNavigationRegistry, webPlugin } from '../../platform/web/index.ts';
import { createDesk, type Desk } from './dossiers.desk.ts';
import type { ProcedureForFiling, WalletItemForDossier, WalletPort } from './dossiers.ports.ts';
import type { DossiersTables } from './dossiers.tables.ts';
import { dossiersHarness, type Harness, PROCEDURES, vn } from './dossiers.test-support.ts';
import type { UnitDirectory } from './dossiers.units.ts';
import { dossiersWalletRoutes } from './dossiers.wallet.routes.ts';
import { filingPages } from './pages/filing.pages.tsx';

const SIGNED = Buffer.from('%PDF-1.7\n% a certified copy, signed\n1 0 obj << >> endobj\n%%EOF\n');

const PROCEDURE: ProcedureForFiling = {
  ...PROCEDURES[0]!,
  form: {
    fields: [
      {
        type: 'file',
        key: 'tep_cccd',
        label: { vi: 'Bản sao Căn cước công dân' },
        required: true,
        documentCode: 'CCCD',
        accept: ['application/pdf'],
      },
    ],
  },
  documents: [{ code: 'CCCD', name: 'Bản sao Căn cước công dân', required: true }],
};

let h: Harness;
let citizen: ReturnType<Harness['account']>;
let stranger: ReturnType<Harness['account']>;
const apps: AppInstance[] = [];
let withWallet: { app: AppInstance; desk: Desk };
let withoutWallet: { app: AppInstance; desk: Desk };
const items = new Map<string, { owner: string; item: WalletItemForDossier }>();

const wallet: WalletPort = {
  async listForOwner(ownerId) {
    return [...items.values()].filter((x) => x.owner === ownerId).map((x) => x.item);
  },
  async takeForDossier(ownerId, itemId) {
    const x = items.get(itemId);
    return x && x.owner === ownerId ? { item: x.item, bytes: SIGNED } : undefined;
  },
  async deliverResult() {
    return { itemId: randomUUID() };
  },
};

function add(owner: string, title: string) {
  const item: WalletItemForDossier = {
    id: randomUUID(),
    kind: 'certified-copy',
    documentType: 'CCCD',
    title,
    issuer: 'UBND phường Ba Đình',
    number: '7/2026-SCT/BS',
    issuedOn: '2026-11-02',
    expiresOn: null,
    fileName: 'ban-sao.pdf',
    contentType: 'application/pdf',
    sizeBytes: SIGNED.length,
    sha256: createHash('sha256').update(SIGNED).digest('hex'),
    verification: {
      verified: true,
      checkedAt: vn('2026-11-24 09:05'),
      summary: { vi: 'Chữ ký số hợp lệ', en: 'Valid signature' },
      signer: 'UBND phường Ba Đình',
    },
  };
  items.set(item.id, { owner, item });
  return item;
}

async function appWith(port: WalletPort | undefined) {
  const db = scoped<DossiersTables>(h.database.db);
  const desk = createDesk({
    db,
    clock: h.clock,
    service: h.service,
    procedures: { find: async (code) => (code === PROCEDURE.code ? PROCEDURE : undefined) },
    people: { can: async () => false, mayActFor: async () => true, profileOf: async () => undefined },
    blobs: localBlobStore(`${process.env.TMPDIR ?? '/tmp'}/cong-dvc-wallet-http-${randomUUID()}`),
    subtreeOf: async () => [],
    isAdminUnit: () => true,
    wallet: port,
  });
  const config = testConfig();
  const app = await createServer(config);
  await app.register(webPlugin, { config, navigation: createNavigationRegistry() });
  app.decorateRequest('account', undefined);
  // The test's sign-in: the cookie names the account (identity's sessions do this in the portal).
  app.addHook('onRequest', async (request) => {
    const id = request.cookies.as;
    if (!id) return;
    const name = id === citizen.id ? citizen.name : stranger.name;
    request.account = {
      id,
      kind: 'citizen',
      displayName: name,
      sessionHash: id,
      assurance: 2,
      authenticatedAt: new Date(),
    } as NonNullable<typeof request.account>;
    request.csrfBinding = `session:${id}`;
  });
  await app.register(csrfPlugin, { secrets: createSecrets(h.database.db), secureCookies: false });
  await app.register(dossiersWalletRoutes, { desk });
  // The filing pages (the e-form, and the wallet's page of a slot), over no administrative units.
  await app.register(filingPages, {
    service: h.service,
    desk,
    people: { can: async () => false, mayActFor: async () => true, profileOf: async () => undefined },
    units: {
      provinces: async () => [],
      communesOf: async () => [],
      find: async () => undefined,
      names: async () => new Map(),
    } as unknown as UnitDirectory,
    agencyName: async () => undefined,
    now: () => h.clock.now(),
  });
  await app.ready();
  apps.push(app);
  return { app, desk };
}

const api = (app: AppInstance, who: string, method: 'GET' | 'POST', url: string, body?: unknown) =>
  app.inject({
    method,
    url,
    headers: {
      cookie: `as=${who}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });

beforeAll(async () => {
  h = await dossiersHarness(vn('2026-11-24 09:00'));
  citizen = h.account('Nguyễn Văn Minh');
  stranger = h.account('Trần Thị Khác');
  withWallet = await appWith(wallet);
  withoutWallet = await appWith(undefined);
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await h?.close();
});

describe('the JSON API', () => {
  it("lists the caller's wallet documents and takes one as an upload; another owner's item is a 404", async () => {
    const mine = add(citizen.id, 'Bản sao Căn cước công dân');
    const theirs = add(stranger.id, 'Bản sao của người khác');
    const list = await api(withWallet.app, citizen.id, 'GET', '/api/v1/dossiers/wallet-items');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([mine.id]);

    const taken = await api(withWallet.app, citizen.id, 'POST', '/api/v1/dossiers/uploads/from-wallet', {
      walletItemId: mine.id,
      documentCode: 'CCCD',
    });
    expect(taken.statusCode, taken.body).toBe(201);
    expect(taken.json()).toMatchObject({
      fileName: 'ban-sao.pdf',
      mediaType: 'application/pdf',
      sha256: mine.sha256,
      reuse: { walletItemId: mine.id, verification: { verified: true, signer: 'UBND phường Ba Đình' } },
    });

    const refused = await api(withWallet.app, citizen.id, 'POST', '/api/v1/dossiers/uploads/from-wallet', {
      walletItemId: theirs.id,
    });
    expect(refused.statusCode).toBe(404);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const notJson = await withWallet.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers/uploads/from-wallet',
      headers: { cookie: `as=${citizen.id}`, 'content-type': 'text/plain' },
      payload: JSON.stringify({ walletItemId: mine.id }),
    });
    expect(notJson.statusCode).toBe(415);
  });

  it('answers 404, saying why, when no wallet is wired', async () => {
    const list = await api(withoutWallet.app, citizen.id, 'GET', '/api/v1/dossiers/wallet-items');
    expect(list.statusCode).toBe(404);
    expect(list.json().detail).toMatch(/Kho dữ liệu điện tử chưa được kết nối/);
    const take = await api(withoutWallet.app, citizen.id, 'POST', '/api/v1/dossiers/uploads/from-wallet', {
      walletItemId: randomUUID(),
    });
    expect(take.statusCode).toBe(404);
  });
});

describe('the page of a file slot (without JavaScript)', () => {
  it('lists the documents with radio buttons and fills the slot with the one chosen', async () => {
    const mine = add(citizen.id, 'Bản sao Căn cước (trang)');
    add(stranger.id, 'Giấy tờ của người khác (trang)');
    const draft = await withWallet.desk.openDraft(citizen.id, PROCEDURE.code);
    await withWallet.desk.saveDraftPlace(citizen.id, draft.id, { level: 'province', provinceCode: '01' });
    const browser = new FormClient(withWallet.app);
    browser.cookies.set('as', citizen.id);
    // The e-form: beside the slot, a button that saves the draft and leads to the wallet.
    const form = await browser.get(`/ho-so/nhap/${draft.id}`);
    expect(form.statusCode, form.body).toBe(200);
    expect(form.body).toMatch(/name="hanhDong" value="kho:tep_cccd"[^>]*>Lấy từ kho dữ liệu/);
    const toWallet = await browser.post(`/ho-so/nhap/${draft.id}`, { hanhDong: 'kho:tep_cccd' });
    expect(toWallet.statusCode, toWallet.body).toBe(303);
    expect(toWallet.headers.location).toBe(`/ho-so/nhap/${draft.id}/kho-du-lieu?muc=tep_cccd`);
    const page = await browser.get(`/ho-so/nhap/${draft.id}/kho-du-lieu?muc=tep_cccd`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('Lấy từ kho dữ liệu: Bản sao Căn cước công dân');
    expect(page.body).toContain(`type="radio" name="giayTo" value="${mine.id}"`);
    expect(page.body).not.toContain('Giấy tờ của người khác (trang)');

    const chosen = await browser.post(`/ho-so/nhap/${draft.id}/kho-du-lieu`, {
      muc: 'tep_cccd',
      giayTo: mine.id,
    });
    expect(chosen.statusCode, chosen.body).toBe(303);
    expect(chosen.headers.location).toBe(`/ho-so/nhap/${draft.id}`);
    const saved = await withWallet.desk.draft(citizen.id, draft.id);
    const [up] = await withWallet.desk.uploads(citizen.id, [saved.form_data.tep_cccd as string]);
    expect(up).toMatchObject({ wallet_item_id: mine.id, document_code: 'CCCD', file_name: 'ban-sao.pdf' });
    const back = await browser.get(`/ho-so/nhap/${draft.id}`);
    expect(back.body).toContain('Đã đính kèm: ban-sao.pdf');
    expect(back.body).toContain('Đã lấy từ kho dữ liệu — đã xác thực chữ ký số.');

    // Someone else's document, posted by hand: refused on the page, the slot unchanged.
    const theirs = add(stranger.id, 'Khác nữa');
    await browser.get(`/ho-so/nhap/${draft.id}/kho-du-lieu?muc=tep_cccd`);
    const refused = await browser.post(`/ho-so/nhap/${draft.id}/kho-du-lieu`, {
      muc: 'tep_cccd',
      giayTo: theirs.id,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Không tìm thấy giấy tờ này trong kho dữ liệu của bạn.');
    expect((await withWallet.desk.draft(citizen.id, draft.id)).form_data.tep_cccd).toBe(up!.id);
  });

  it('is not there without a wallet', async () => {
    const draft = await withoutWallet.desk.openDraft(stranger.id, PROCEDURE.code);
    await withoutWallet.desk.saveDraftPlace(stranger.id, draft.id, { level: 'province', provinceCode: '01' });
    const browser = new FormClient(withoutWallet.app);
    browser.cookies.set('as', stranger.id);
    const form = await browser.get(`/ho-so/nhap/${draft.id}`);
    expect(form.statusCode, form.body).toBe(200);
    expect(form.body).not.toContain('Lấy từ kho dữ liệu');
    const page = await browser.get(`/ho-so/nhap/${draft.id}/kho-du-lieu?muc=tep_cccd`);
    expect(page.statusCode).toBe(404);
  });
});
