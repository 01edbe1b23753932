import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBusinessRegister } from '../business-register/server.ts';
import { CHECK_PATH, startPopulationRegister } from './server.ts';

const KEY = 'unit-test-key-123';
let register: Awaited<ReturnType<typeof startPopulationRegister>>;
beforeAll(async () => {
  register = await startPopulationRegister({ apiKey: KEY, seed: 'unit', port: 0 });
});
afterAll(async () => {
  await register.close();
});

const ask = (body: unknown, key: string | null = KEY, timeoutMs = 5000) =>
  fetch(`${register.url}${CHECK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });

const minh = { SoDinhDanh: '001088012345', HoVaTen: 'Nguyễn Văn Minh', NgaySinh: '1988-05-12' };

describe('the population register over HTTP', () => {
  it('answers a match with the record, a mismatch without it', async () => {
    const r = await ask(minh);
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      KetQua: 'KHOP',
      CongDan: { SoDinhDanh: '001088012345', GioiTinh: 'Nam', SoDienThoai: '0911000001' },
    });
    expect(body.MaYeuCau).toMatch(/^[0-9a-f-]{36}$/);
    const wrong = (await (await ask({ ...minh, NgaySinh: '1988-05-13' })).json()) as Record<string, unknown>;
    expect(wrong).toMatchObject({ KetQua: 'KHONG_KHOP', TruongKhongKhop: ['NgaySinh'] });
    expect(wrong.CongDan).toBeUndefined();
    const none = await (await ask({ ...minh, SoDinhDanh: '001099999999' })).json();
    expect(none).toMatchObject({ KetQua: 'KHONG_TIM_THAY' });
  });

  it('wants its API key and a well-formed request', async () => {
    expect((await ask(minh, null)).status).toBe(401);
    expect((await ask(minh, 'wrong-key-123')).status).toBe(401);
    expect((await ask('{not json')).status).toBe(400);
    expect((await ask({ ...minh, SoDinhDanh: '123' })).status).toBe(400);
    expect((await ask({ ...minh, NgaySinh: '12/05/1988' })).status).toBe(400);
    const health = await fetch(`${register.url}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', seed: 'unit', size: 100_000 });
  });

  it('misbehaves on purpose: no answer, 5xx, malformed answers, latency', async () => {
    register.configure({ fault: 'timeout' });
    await expect(ask(minh, KEY, 300)).rejects.toThrow();
    register.configure({ fault: '5xx' });
    expect((await ask(minh)).status).toBe(503);
    register.configure({ fault: 'malformed' });
    const shapes = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const text = await (await ask(minh)).text();
      let parsed: { CongDan?: unknown } | undefined;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      // Never a well-formed match.
      expect(parsed && typeof parsed.CongDan === 'object').toBeFalsy();
      shapes.add(text.replace(/[0-9a-f-]{36}/, 'id'));
    }
    expect(shapes.size).toBe(4);
    register.configure({ fault: 'none', latencyMs: 150 });
    const started = Date.now();
    expect((await ask(minh)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    // Over HTTP too, with the key (a simulator running as its own process).
    const set = await fetch(`${register.url}/_sim/faults`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 0, fault: '5xx', faultRate: 1 }),
    });
    expect(set.status).toBe(200);
    expect((await ask(minh)).status).toBe(503);
    register.configure({ fault: 'none' });
    expect((await ask(minh)).status).toBe(200);
  });
});

describe('the business register over HTTP', () => {
  it('checks a business and its legal representative', async () => {
    const biz = await startBusinessRegister({ apiKey: KEY, seed: 'unit', port: 0 });
    try {
      const r = await fetch(`${biz.url}/api/v1/doanh-nghiep/xac-thuc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': KEY },
        body: JSON.stringify({
          MaSoDoanhNghiep: '0106789017',
          TenDoanhNghiep: 'Công ty TNHH Ánh Dương (dữ liệu thử)',
          SoDinhDanhNguoiDaiDien: '001088012345',
        }),
      });
      expect(await r.json()).toMatchObject({
        KetQua: 'KHOP',
        DoanhNghiep: { NguoiDaiDien: { SoDinhDanh: '001088012345' }, SoDienThoai: '0911000002' },
      });
    } finally {
      await biz.close();
    }
  });
});
