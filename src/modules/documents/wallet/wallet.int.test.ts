/**
 * The wallet on a fresh database: items added idempotently (a copy once per certification, a result
 * once per dossier and file), own uploads checked by content, size and metadata, editing and hiding;
 * sharing links through their life (live, expired → 410, revoked → 410, every access logged); agencies'
 * fetch (scope, consent, only the items asked, signed links that expire, every fetch logged and shown);
 * another owner's item answered 404 everywhere; and the port dossiers use, with a fake verification.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../../../../test/helpers/multipart.ts';
import { pdf, png, type WalletHarness, walletHarness } from './wallet.test-support.ts';

let h: WalletHarness;
beforeAll(async () => {
  h = await walletHarness();
});
afterAll(async () => {
  await h?.close();
});

const citizen = () => `${randomUUID()}:citizen`;
const idOf = (who: string) => who.split(':')[0]!;

const get = (url: string, who?: string) =>
  h.app.inject({ method: 'GET', url, headers: who ? { 'x-test-account': who, accept: 'text/html' } : {} });

async function csrf(who: string): Promise<string> {
  const r = await get('/kho-du-lieu', who);
  const m = /name="_csrf" value="([^"]+)"/.exec(r.body);
  if (!m) throw new Error(`no CSRF token (${r.statusCode})`);
  return m[1]!;
}

async function post(url: string, who: string, fields: Record<string, string>) {
  return h.app.inject({
    method: 'POST',
    url,
    headers: {
      'x-test-account': who,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
    },
    payload: new URLSearchParams({ _csrf: await csrf(who), ...fields }).toString(),
  });
}

async function upload(who: string, fields: Record<string, string>, file?: { name: string; content: Buffer }) {
  const m = multipart(
    { _csrf: await csrf(who), ...fields },
    file ? { file: { name: file.name, content: file.content, type: 'application/octet-stream' } } : {},
  );
  return h.app.inject({
    method: 'POST',
    url: '/kho-du-lieu/tai-len',
    headers: { 'x-test-account': who, 'content-type': m.type, accept: 'text/html' },
    payload: m.payload,
  });
}

const addUpload = (ownerId: string, over: Record<string, unknown> = {}) =>
  h.wallet.service.addItem({
    ownerId,
    kind: 'upload',
    documentType: 'giay-phep-lai-xe',
    title: 'Giấy phép lái xe hạng B',
    number: 'GPLX-001',
    bytes: png(),
    signed: false,
    ...over,
  });

describe('items', () => {
  it('adds a certified copy once per certification and a result once per dossier and file', async () => {
    const owner = randomUUID();
    const certificationId = await h.certification();
    const copy = {
      ownerId: owner,
      kind: 'certified-copy' as const,
      documentType: 'giay-khai-sinh',
      title: 'Giấy khai sinh',
      issuer: 'UBND phường Ba Đình',
      number: '12, quyển số 01/2026-SCT/BS',
      issuedOn: '2026-12-07',
      bytes: pdf('SIGNED-OK copy'),
      certificationId,
      signed: true,
    };
    const a = await h.wallet.service.addItem(copy);
    const b = await h.wallet.service.addItem(copy);
    expect(a.created).toBe(true);
    expect(b).toEqual({ itemId: a.itemId, created: false });
    const result = {
      ownerId: owner,
      kind: 'dossier-result' as const,
      documentType: 'ket-qua-thu-tuc',
      title: 'Giấy phép xây dựng',
      dossierCode: 'H01.01-261207-0001',
      bytes: pdf('SIGNED-OK result'),
      signed: true,
    };
    const [r1, r2] = await Promise.all([h.wallet.service.addItem(result), h.wallet.service.addItem(result)]);
    expect(r1.itemId).toBe(r2.itemId);
    // Inside the caller's transaction too.
    const r3 = await h.db.transaction().execute((trx) => h.wallet.service.addItem(result, trx));
    expect(r3.itemId).toBe(r1.itemId);
    const items = await h.wallet.service.list(owner);
    expect(items.map((i) => i.kind).sort()).toEqual(['certified-copy', 'dossier-result']);
  });

  it("keeps a copy on its certification's file when given the blob key, and never removes that file", async () => {
    const owner = randomUUID();
    const bytes = pdf('SIGNED-OK shared blob');
    const stored = await h.blobs.put(Readable.from([bytes]), { maxBytes: bytes.length, accept: () => true });
    const copy = {
      ownerId: owner,
      kind: 'certified-copy' as const,
      documentType: 'giay-khai-sinh',
      title: 'Giấy khai sinh',
      bytes,
      blobKey: stored.key,
      certificationId: await h.certification(),
      signed: true,
    };
    const { itemId } = await h.wallet.service.addItem(copy);
    expect((await h.wallet.service.addItem(copy)).itemId).toBe(itemId);
    const row = await sql<{
      blob_key: string;
    }>`select blob_key from documents.items where id = ${itemId}`.execute(h.db);
    expect(row.rows[0]?.blob_key).toBe(stored.key);
    await h.wallet.service.remove(owner, itemId);
    expect(await h.blobs.get(stored.key)).toBeDefined();
  });

  it('lists with filters and says whether each item is still valid', async () => {
    const owner = randomUUID();
    await addUpload(owner, { expiresOn: '2026-12-06', issuedOn: '2016-12-06' });
    h.clock.advance(1000);
    await addUpload(owner, {
      documentType: 'ho-chieu',
      title: 'Hộ chiếu phổ thông',
      number: 'C1234567',
      expiresOn: '2030-01-01',
    });
    const all = await h.wallet.service.list(owner);
    expect(all.map((i) => [i.title, i.expiry])).toEqual([
      ['Hộ chiếu phổ thông', 'valid'],
      ['Giấy phép lái xe hạng B', 'expired'],
    ]);
    expect((await h.wallet.service.list(owner, { documentType: 'ho-chieu' })).length).toBe(1);
    expect((await h.wallet.service.list(owner, { q: 'c1234' })).length).toBe(1);
    expect((await h.wallet.service.list(owner, { kind: 'certified-copy' })).length).toBe(0);
    const page = await get('/kho-du-lieu', `${owner}:citizen`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Hết hạn');
    expect(page.body).toContain('Còn hạn');
  });

  it('takes uploads by content (PDF, JPG, PNG), at most 10 MB, with their metadata checked by field', async () => {
    const who = citizen();
    const ok = await upload(
      who,
      { documentType: 'van-bang', title: 'Bằng tốt nghiệp đại học', issuedOn: '2020-06-30' },
      { name: 'bang.png', content: png() },
    );
    expect(ok.statusCode, ok.body).toBe(303);
    const [item] = await h.wallet.service.list(idOf(who));
    expect(item).toMatchObject({
      kind: 'upload',
      contentType: 'image/png',
      fileName: 'bang.png',
      signed: false,
    });

    const fake = await upload(
      who,
      { documentType: 'van-bang', title: 'Không phải PDF' },
      { name: 'virus.pdf', content: Buffer.from('MZ\x90\x00 this is an executable') },
    );
    expect(fake.statusCode).toBe(400);
    expect(fake.body).toContain('không phải PDF, JPG hoặc PNG');
    expect(fake.body).toContain('id="file-loi"');

    const big = await upload(
      who,
      { documentType: 'van-bang', title: 'Quá lớn' },
      { name: 'lon.pdf', content: Buffer.concat([pdf('x'), Buffer.alloc(10 * 1024 * 1024)]) },
    );
    expect(big.statusCode).toBe(400);
    expect(big.body).toContain('lớn hơn 10 MB');

    const badMeta = await upload(
      who,
      { documentType: 'khong-co', title: '', issuedOn: '2026-02-30' },
      { name: 'a.pdf', content: pdf('unsigned') },
    );
    expect(badMeta.statusCode).toBe(400);
    expect(badMeta.body).toContain('id="title-loi"');
    expect(badMeta.body).toContain('id="documentType-loi"');
    expect(badMeta.body).toContain('id="issuedOn-loi"');
    expect((await h.wallet.service.list(idOf(who))).length).toBe(1);
    // A text field in place of the file, and a urlencoded post: a problem by the field, never a 500.
    const textFile = await upload(who, { documentType: 'van-bang', title: 'Chữ', file: 'không phải tệp' });
    expect(textFile.statusCode).toBe(400);
    expect(textFile.body).toContain('Chọn tệp để tải lên.');
    expect(
      (await post('/kho-du-lieu/tai-len', who, { documentType: 'van-bang', title: 'x' })).statusCode,
    ).toBe(400);

    // A PDF whose signature the portal verifies is marked signed.
    await upload(
      who,
      { documentType: 'khac', title: 'Văn bản có ký số' },
      { name: 'ky.pdf', content: pdf('SIGNED-OK') },
    );
    const signed = (await h.wallet.service.list(idOf(who), { q: 'ký số' }))[0];
    expect(signed?.signed).toBe(true);
  });

  it('edits only uploads, hides any item, and keeps the certification', async () => {
    const owner = randomUUID();
    const who = `${owner}:citizen`;
    const { itemId } = await addUpload(owner);
    const edited = await post(`/kho-du-lieu/${itemId}/sua`, who, {
      documentType: 'giay-phep-lai-xe',
      title: 'GPLX hạng B2',
      expiresOn: '2036-01-01',
    });
    expect(edited.statusCode, edited.body).toBe(303);
    expect((await h.wallet.service.get(owner, itemId)).title).toBe('GPLX hạng B2');
    const badDates = await post(`/kho-du-lieu/${itemId}/sua`, who, {
      documentType: 'giay-phep-lai-xe',
      title: 'GPLX',
      issuedOn: '2020-01-01',
      expiresOn: '2019-01-01',
    });
    expect(badDates.statusCode).toBe(400);
    expect(badDates.body).toContain('Ngày hết hạn phải sau ngày cấp.');

    const certificationId = await h.certification();
    const copy = await h.wallet.service.addItem({
      ownerId: owner,
      kind: 'certified-copy',
      documentType: 'giay-khai-sinh',
      title: 'Giấy khai sinh',
      bytes: pdf('SIGNED-OK'),
      certificationId,
      signed: true,
    });
    const refused = await post(`/kho-du-lieu/${copy.itemId}/sua`, who, {
      documentType: 'khac',
      title: 'Đổi tên',
    });
    expect(refused.statusCode).toBe(409);

    expect((await post(`/kho-du-lieu/${copy.itemId}/xoa`, who, {})).statusCode).toBe(303);
    expect((await get(`/kho-du-lieu/${copy.itemId}`, who)).statusCode).toBe(404);
    expect((await h.wallet.service.list(owner)).map((i) => i.id)).toEqual([itemId]);
    const cert = await sql<{ n: number }>`select count(*)::int as n from documents.certifications
      where id = ${certificationId}`.execute(h.db);
    expect(cert.rows[0]?.n).toBe(1);
    // Added again by certification (a retry): the hidden item stays hidden, nothing new.
    const again = await h.wallet.service.addItem({
      ownerId: owner,
      kind: 'certified-copy',
      documentType: 'giay-khai-sinh',
      title: 'Giấy khai sinh',
      bytes: pdf('SIGNED-OK'),
      certificationId,
      signed: true,
    });
    expect(again).toEqual({ itemId: copy.itemId, created: false });
  });

  it("answers another owner's item 404 on every page and action, like one that does not exist", async () => {
    const { itemId } = await addUpload(randomUUID());
    const other = citizen();
    await expect(h.wallet.service.get(idOf(other), itemId)).rejects.toThrow(/Không tìm thấy/);
    expect((await get(`/kho-du-lieu/${itemId}`, other)).statusCode).toBe(404);
    expect((await get(`/kho-du-lieu/${itemId}/tai-ve`, other)).statusCode).toBe(404);
    expect((await get(`/kho-du-lieu/${randomUUID()}`, other)).statusCode).toBe(404);
    expect((await post(`/kho-du-lieu/${itemId}/chia-se`, other, { hours: '24' })).statusCode).toBe(404);
    expect((await post(`/kho-du-lieu/${itemId}/xoa`, other, {})).statusCode).toBe(404);
    expect(
      (await post(`/kho-du-lieu/${itemId}/sua`, other, { documentType: 'khac', title: 'x' })).statusCode,
    ).toBe(404);
    // Signed out: sent to sign in; an officer account: 404.
    expect((await get('/kho-du-lieu')).statusCode).toBe(303);
    expect((await get('/kho-du-lieu', `${randomUUID()}:officer`)).statusCode).toBe(404);
  });
});

describe('sharing links', () => {
  const tokenOf = (body: string) => /\/chia-se\/([A-Za-z0-9_-]{43})/.exec(body)?.[1];
  const accesses = async (token: string) =>
    (
      await sql<{ what: string; outcome: string }>`select a.what, a.outcome from documents.share_accesses a
        join documents.shares s on s.id = a.share_id
        where s.token_hash = encode(sha256(convert_to(${token}, 'UTF8')), 'hex') order by a.id`.execute(h.db)
    ).rows.map((r) => `${r.what}:${r.outcome}`);

  it('shows a live link with a verification summary, then 410 once expired; every access logged', async () => {
    const owner = randomUUID();
    const who = `${owner}:citizen`;
    const certificationId = await h.certification();
    const bytes = pdf('SIGNED-OK shared');
    const { itemId } = await h.wallet.service.addItem({
      ownerId: owner,
      kind: 'certified-copy',
      documentType: 'giay-khai-sinh',
      title: 'Giấy khai sinh của Minh',
      issuer: 'UBND phường Ba Đình',
      bytes,
      certificationId,
      signed: true,
    });
    const tooLong = await post(`/kho-du-lieu/${itemId}/chia-se`, who, { hours: String(31 * 24) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('id="hours-loi"');

    const made = await post(`/kho-du-lieu/${itemId}/chia-se`, who, { hours: '1' });
    expect(made.statusCode).toBe(200);
    const token = tokenOf(made.body)!;
    expect(token).toBeDefined();
    const stored = await sql<{ token_hash: string }>`select token_hash from documents.shares`.execute(h.db);
    expect(stored.rows.some((r) => r.token_hash === token)).toBe(false);

    const page = await get(`/chia-se/${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Giấy khai sinh của Minh');
    expect(page.body).toContain('Chữ ký số hợp lệ của UBND phường Ba Đình');
    const file = await get(`/chia-se/${token}/tai-ve`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(bytes)).toBe(true);

    h.clock.advance(61 * 60_000);
    const late = await get(`/chia-se/${token}`);
    expect(late.statusCode).toBe(410);
    expect(late.body).toContain('đã hết hạn');
    expect((await get(`/chia-se/${token}/tai-ve`)).statusCode).toBe(410);
    expect(await accesses(token)).toEqual([
      'view:served',
      'download:served',
      'view:expired',
      'download:expired',
    ]);
    const share = (await h.wallet.service.shares(owner, itemId))[0];
    expect(share).toMatchObject({ accessCount: 2, state: 'expired' });
  });

  it('stops a revoked link and a link of a removed item; an unknown token is 404', async () => {
    const owner = randomUUID();
    const who = `${owner}:citizen`;
    const { itemId } = await addUpload(owner);
    const token = tokenOf((await post(`/kho-du-lieu/${itemId}/chia-se`, who, { hours: '24' })).body)!;
    const page = await get(`/chia-se/${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('không có chữ ký số được Cổng xác thực');
    const [share] = await h.wallet.service.shares(owner, itemId);
    // Another owner cannot revoke it.
    expect((await post(`/kho-du-lieu/chia-se/${share!.id}/thu-hoi`, citizen(), {})).statusCode).toBe(404);
    expect((await post(`/kho-du-lieu/chia-se/${share!.id}/thu-hoi`, who, { item: itemId })).statusCode).toBe(
      303,
    );
    const revoked = await get(`/chia-se/${token}`);
    expect(revoked.statusCode).toBe(410);
    expect(revoked.body).toContain('thu hồi');
    expect(await accesses(token)).toEqual(['view:served', 'view:revoked']);

    const token2 = tokenOf((await post(`/kho-du-lieu/${itemId}/chia-se`, who, { hours: '24' })).body)!;
    await h.wallet.service.remove(owner, itemId);
    expect((await get(`/chia-se/${token2}`)).statusCode).toBe(410);
    expect((await get(`/chia-se/${'x'.repeat(43)}`)).statusCode).toBe(404);
  });
});

describe("agencies' fetch with consent", () => {
  const fetchBody = (id: string, over: Record<string, unknown> = {}) => ({
    SoDinhDanhChuSoHuu: id,
    HoTenNguoiYeuCau: 'Trần Văn Cán Bộ',
    KenhThucHien: 1,
    SoDinhDanhNguoiYeuCau: '001080000001',
    MaThuTuc: '1.001612',
    DanhSachDanhMucKetQua: [{ MaKetQua: 'giay-khai-sinh', SoKyHieu: 'KS-42' }],
    ...over,
  });
  const call = (token: string | undefined, body: unknown) =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/wallet/fetch',
      headers: token ? { authorization: `Bearer ${token}` } : {},
      payload: body as object,
    });

  let owner: string;
  let idNumber: string;
  let wanted: string;
  beforeAll(async () => {
    owner = randomUUID();
    idNumber = `0010${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    h.ids.set(idNumber, owner);
    h.machines.set('tok-hn', {
      clientId: 'mc-ha-noi',
      clientName: 'Một cửa Hà Nội',
      scopes: ['documents'],
      agencyCodes: ['UBND-HN'],
    });
    h.machines.set('tok-sync', {
      clientId: 'mc-sync',
      clientName: 'Đồng bộ',
      scopes: ['sync'],
      agencyCodes: ['UBND-HN'],
    });
    h.machines.set('tok-bca', {
      clientId: 'mc-bca',
      clientName: 'Bộ Công an',
      scopes: ['documents'],
      agencyCodes: ['BCA'],
    });
    wanted = (
      await addUpload(owner, {
        documentType: 'giay-khai-sinh',
        title: 'Giấy khai sinh',
        number: 'KS-42',
        issuer: 'UBND xã',
      })
    ).itemId;
    await addUpload(owner, { documentType: 'giay-khai-sinh', title: 'Giấy khai sinh khác', number: 'KS-43' });
    await addUpload(owner, { documentType: 'ho-chieu', title: 'Hộ chiếu', number: 'KS-42' });
  });

  it('needs a token with the scope documents', async () => {
    expect((await call(undefined, fetchBody(idNumber))).statusCode).toBe(401);
    expect((await call('tok-sync', fetchBody(idNumber))).statusCode).toBe(403);
    expect((await call('tok-hn', { ...fetchBody(idNumber), DanhSachDanhMucKetQua: [] })).statusCode).toBe(
      400,
    );
  });

  it('refuses without a live consent for the client’s agency (403 problem), an unknown owner alike', async () => {
    const r = await call('tok-hn', fetchBody(idNumber));
    expect(r.statusCode).toBe(403);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.json().detail).toMatch(/chưa đồng ý/);
    const unknown = await call('tok-hn', fetchBody('079099000001'));
    expect(unknown.statusCode).toBe(403);
    expect(unknown.json().detail).toBe(r.json().detail);
  });

  it('answers only the items asked, with signed links that expire, logged and shown to the owner', async () => {
    const who = `${owner}:citizen`;
    const bad = await post('/kho-du-lieu/dong-y', who, { agencyCode: 'KHONG-CO', validUntil: '2026-12-31' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="agencyCode-loi"');
    const given = await post('/kho-du-lieu/dong-y', who, {
      agencyCode: 'UBND-HN',
      procedureCode: '1.001612',
      validUntil: '2026-12-31',
    });
    expect(given.statusCode, given.body).toBe(303);

    const r = await call('tok-hn', fetchBody(idNumber));
    expect(r.statusCode, r.body).toBe(200);
    const list = r.json().DanhSachGiayToKetQua;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      MaKetQua: 'giay-khai-sinh',
      TenGiayTo: 'Giấy khai sinh',
      SoKyHieu: 'KS-42',
      CoQuanChuQuan: 'UBND xã',
    });
    const link = new URL(list[0].DanhSachTepDinhKem[0].DuongDan);
    expect(link.pathname).toBe(`/api/v1/wallet/files/${wanted}`);
    const file = await get(`${link.pathname}${link.search}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    const forged = `${link.pathname}${link.search.replace(/sig=./, 'sig=A')}`;
    expect((await get(forged)).statusCode).toBe(404);

    // Another agency, or another procedure than the consent names: refused.
    expect((await call('tok-bca', fetchBody(idNumber))).statusCode).toBe(403);
    expect((await call('tok-hn', fetchBody(idNumber, { MaThuTuc: '2.000001' }))).statusCode).toBe(403);

    const logged = await sql<{ client_id: string; item_ids: string[] }>`
      select client_id, item_ids::text[] as item_ids from documents.fetches where owner_id = ${owner}`.execute(
      h.db,
    );
    expect(logged.rows).toEqual([{ client_id: 'mc-ha-noi', item_ids: [wanted] }]);
    expect(h.accesses.filter((a) => a.accountId === owner)).toMatchObject([
      { accessorKind: 'client', accessorId: 'mc-ha-noi', accessorName: 'Một cửa Hà Nội' },
    ]);
    const page = await get('/kho-du-lieu', who);
    expect(page.body).toContain('Một cửa Hà Nội (UBND-HN)');
    expect(page.body).toContain('Trần Văn Cán Bộ');
    expect(page.body).toContain('Cơ quan UBND-HN (UBND-HN)');

    h.clock.advance(6 * 60_000);
    expect((await get(`${link.pathname}${link.search}`)).statusCode).toBe(404);

    // Withdrawn: refused again.
    const [consent] = await h.wallet.service.consents(owner);
    expect((await post(`/kho-du-lieu/dong-y/${consent!.id}/thu-hoi`, who, {})).statusCode).toBe(303);
    expect((await call('tok-hn', fetchBody(idNumber))).statusCode).toBe(403);
  });
});

describe('the port dossiers use', () => {
  it('lists usable items verified now, takes one with its bytes, and never another owner’s', async () => {
    const owner = randomUUID();
    const good = await h.wallet.service.addItem({
      ownerId: owner,
      kind: 'certified-copy',
      documentType: 'giay-khai-sinh',
      title: 'Bản sao còn hiệu lực',
      bytes: pdf('SIGNED-OK port'),
      certificationId: await h.certification(),
      signed: true,
    });
    h.clock.advance(1000);
    const revoked = await h.wallet.service.addItem({
      ownerId: owner,
      kind: 'certified-copy',
      documentType: 'giay-khai-sinh',
      title: 'Bản sao đã thu hồi',
      bytes: pdf('SIGNED-OK REVOKED'),
      certificationId: await h.certification(),
      signed: true,
    });
    await addUpload(owner, { title: 'Hết hạn', expiresOn: '2020-01-01' });
    const gone = await addUpload(owner, { title: 'Đã xóa' });
    await h.wallet.service.remove(owner, gone.itemId);
    h.clock.advance(1000);
    const own = await addUpload(owner, { title: 'Tự tải lên' });

    const list = await h.wallet.port.listForOwner(owner);
    expect(list.map((i) => i.title)).toEqual(['Tự tải lên', 'Bản sao đã thu hồi', 'Bản sao còn hiệu lực']);
    const byId = new Map(list.map((i) => [i.id, i]));
    expect(byId.get(good.itemId)?.verification).toMatchObject({
      verified: true,
      signer: 'UBND phường Ba Đình',
    });
    expect(byId.get(revoked.itemId)?.verification.verified).toBe(false);
    expect(byId.get(revoked.itemId)?.verification.summary.vi).toContain('thu hồi');
    expect(byId.get(own.itemId)?.verification.verified).toBe(false);

    const taken = await h.wallet.port.takeForDossier(owner, good.itemId);
    expect(taken?.bytes.equals(pdf('SIGNED-OK port'))).toBe(true);
    expect(taken?.item).toMatchObject({
      fileName: expect.stringMatching(/\.pdf$/),
      contentType: 'application/pdf',
    });
    expect(await h.wallet.port.takeForDossier(randomUUID(), good.itemId)).toBeUndefined();
    expect(await h.wallet.port.takeForDossier(owner, gone.itemId)).toBeUndefined();
    expect(await h.wallet.port.takeForDossier(owner, 'not-a-uuid')).toBeUndefined();
  });

  it('delivers a signed result once per dossier and file, and tells the owner', async () => {
    const owner = randomUUID();
    const input = {
      ownerId: owner,
      dossierCode: 'H01.01-261207-0009',
      title: 'Giấy chứng nhận đăng ký hộ kinh doanh',
      issuer: 'UBND phường Ba Đình',
      agencyCode: 'UBND-HN',
      pdf: pdf('result to sign'),
      fileName: 'ket-qua.pdf',
      issuedAt: h.clock.now(),
    };
    const before = h.signed.length;
    const a = await h.wallet.port.deliverResult(input);
    const b = await h.wallet.port.deliverResult(input);
    expect(b.itemId).toBe(a.itemId);
    expect(h.signed.length - before).toBe(1);
    const item = await h.wallet.service.get(owner, a.itemId);
    expect(item).toMatchObject({
      kind: 'dossier-result',
      signed: true,
      dossierCode: input.dossierCode,
      fileName: 'ket-qua.pdf',
    });
    const taken = await h.wallet.port.takeForDossier(owner, a.itemId);
    expect(taken?.item.verification.verified).toBe(true);
    const inbox = await sql<{ template: string; link: string }>`
      select template, link from notifications.inbox where account_id = ${owner}`.execute(h.db);
    expect(inbox.rows).toEqual([
      { template: 'wallet.result-delivered', link: `https://dichvucong.test/kho-du-lieu/${a.itemId}` },
    ]);
  });
});
