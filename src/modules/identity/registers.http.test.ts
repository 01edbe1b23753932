/**
 * The HTTP adapters of the national registers against the simulators (real HTTP on a free port): the
 * answers mapped, the record believed only when well-formed, every failure RegisterUnavailableError.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBusinessRegister } from '../../../sim/business-register/server.ts';
import { startPopulationRegister } from '../../../sim/population-register/server.ts';
import { httpBusinessRegister, httpPopulationRegister } from './registers.http.ts';
import { RegisterUnavailableError, unconfiguredRegisters } from './registers.ts';

const KEY = 'adapter-test-key';
let population: Awaited<ReturnType<typeof startPopulationRegister>>;
let business: Awaited<ReturnType<typeof startBusinessRegister>>;
beforeAll(async () => {
  population = await startPopulationRegister({ apiKey: KEY, seed: 'adapter', port: 0 });
  business = await startBusinessRegister({ apiKey: KEY, seed: 'adapter', port: 0, size: 1000 });
});
afterAll(async () => {
  await population.close();
  await business.close();
});

const minh = { personalId: '001088012345', fullName: 'Nguyễn Văn Minh', birthDate: '1988-05-12' };
const citizens = () => httpPopulationRegister({ url: population.url, apiKey: KEY, timeoutMs: 300 });

async function reason(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(RegisterUnavailableError);
  return (e as RegisterUnavailableError).reason;
}

describe('httpPopulationRegister', () => {
  it('maps the answers: a match with the record in portal terms (E.164 phone), the rest without it', async () => {
    const r = await citizens().checkCitizen(minh);
    expect(r).toMatchObject({
      result: 'match',
      citizen: { fullName: 'Nguyễn Văn Minh', sex: 'male', phone: '+84911000001', birthDate: '1988-05-12' },
    });
    expect(r.reference).toMatch(/^[0-9a-f-]{36}$/);
    expect(await citizens().checkCitizen({ ...minh, fullName: 'Nguyen Van Minh' })).toMatchObject({
      result: 'mismatch',
      fields: ['fullName'],
    });
    expect((await citizens().checkCitizen({ ...minh, personalId: '001088999999' })).result).toBe('not-found');
    expect(
      (
        await citizens().checkCitizen({
          personalId: '001052012001',
          fullName: 'Trần Văn Tâm',
          birthDate: '1952-02-14',
        })
      ).result,
    ).toBe('deceased');
    expect(
      (
        await citizens().checkCitizen({
          personalId: '079190012002',
          fullName: 'Lê Thị Hoa',
          birthDate: '1990-09-02',
        })
      ).result,
    ).toBe('revoked');
    const noPhone = await citizens().checkCitizen({
      personalId: '001195012003',
      fullName: 'Phạm Thị Lan',
      birthDate: '1995-07-07',
    });
    expect(noPhone.result === 'match' && noPhone.citizen.phone).toBeNull();
  });

  it('turns every failure into RegisterUnavailableError, with its reason', async () => {
    try {
      population.configure({ fault: 'timeout' });
      expect(await reason(citizens().checkCitizen(minh))).toBe('timeout');
      population.configure({ fault: '5xx' });
      expect(await reason(citizens().checkCitizen(minh))).toBe('http-status');
      population.configure({ fault: 'malformed' });
      for (let i = 0; i < 4; i++) expect(await reason(citizens().checkCitizen(minh))).toBe('malformed');
      population.configure({ fault: 'none', latencyMs: 600 });
      expect(await reason(citizens().checkCitizen(minh))).toBe('timeout');
    } finally {
      population.configure({ fault: 'none', latencyMs: 0 });
    }
    const wrongKey = httpPopulationRegister({ url: population.url, apiKey: 'not-the-key', timeoutMs: 300 });
    expect(await reason(wrongKey.checkCitizen(minh))).toBe('http-status');
    const nobody = httpPopulationRegister({ url: 'http://127.0.0.1:9', apiKey: KEY, timeoutMs: 300 });
    expect(await reason(nobody.checkCitizen(minh))).toBe('unreachable');
    expect(await reason(unconfiguredRegisters().population.checkCitizen(minh))).toBe('not-configured');
    const e = await unconfiguredRegisters()
      .business.checkBusiness({ taxCode: '0106789017', name: 'x', representativeId: '001088012345' })
      .catch((x: unknown) => x);
    expect((e as RegisterUnavailableError).status).toBe(503);
    expect((e as RegisterUnavailableError).message).toContain('Chưa có thông tin nào được lưu');
  });
});

describe('httpBusinessRegister', () => {
  it('maps the answers of the business register', async () => {
    const b = httpBusinessRegister({ url: business.url, apiKey: KEY, timeoutMs: 300 });
    const q = {
      taxCode: '0106789017',
      name: 'Công ty TNHH Ánh Dương (dữ liệu thử)',
      representativeId: '001088012345',
    };
    expect(await b.checkBusiness(q)).toMatchObject({
      result: 'match',
      business: { phone: '+84911000002', representative: { personalId: '001088012345' } },
    });
    expect(await b.checkBusiness({ ...q, representativeId: '001090012004' })).toMatchObject({
      result: 'mismatch',
      fields: ['representative'],
    });
    expect((await b.checkBusiness({ ...q, taxCode: '0105550025' })).result).toBe('mismatch');
    expect(
      (
        await b.checkBusiness({
          taxCode: '0105550018',
          name: 'Công ty TNHH Sao Băng (dữ liệu thử)',
          representativeId: '001090012004',
        })
      ).result,
    ).toBe('dissolved');
    try {
      business.configure({ fault: 'malformed' });
      expect(await reason(b.checkBusiness(q))).toBe('malformed');
    } finally {
      business.configure({ fault: 'none' });
    }
  });
});
