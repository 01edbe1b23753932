// The fault modes: set over HTTP and from the options, and what each does to the CONFIRMs and the
// settlement file (faults.ts, callbacks.ts, paygate.ts).
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  admin,
  BIN,
  bank,
  CONFIRM,
  created,
  initMessage,
  newRef,
  portal,
  post,
  query,
  SECRET,
  setClock,
  settlementRows,
  signOf,
  useBank,
} from './server.test-support.ts';
import { startBank } from './server.ts';

useBank();

// -------------------------------------------------------------------------------------- fault modes

describe('fault modes', () => {
  const setFaults = (body: unknown) => post('/_sim/faults', body, admin);

  it('are set over HTTP with the key, for a count of payments, and cleared', async () => {
    expect(await setFaults({ modes: ['dropped'] }).then((r) => r.status)).toBe(200);
    expect((await post('/_sim/faults', { modes: ['dropped'] })).status).toBe(401);
    expect((await setFaults({ modes: ['nonsense'] })).status).toBe(400);
    expect((await setFaults({ modes: ['dropped'], count: 0 })).status).toBe(400);
    const del = await fetch(`${bank.url}/_sim/faults`, { method: 'DELETE', headers: admin });
    expect(await del.json()).toEqual({ faults: null });
    expect(await (await setFaults({ modes: ['dropped'], count: 1 })).json()).toEqual({
      faults: { modes: ['dropped'], remaining: 1 },
    });
    const a = await created();
    const b = await created();
    bank.pay({ MaGiaoDich: a.MaGiaoDich }, 'success');
    bank.pay({ MaGiaoDich: b.MaGiaoDich }, 'success');
    await bank.idle();
    expect(portal.confirms().map((c) => c.body.MaThamChieu)).toEqual([b.ref]);
    expect(bank.faults()).toBeNull();
  });

  it('duplicate: the CONFIRM twice', async () => {
    bank.setFaults(['duplicate']);
    const p = await created();
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await bank.idle();
    const got = portal.confirms();
    expect(got).toHaveLength(2);
    expect(got[1]!.body).toEqual(got[0]!.body);
    expect(got.every((g) => g.answered === '00')).toBe(true);
  });

  it('delayed: the CONFIRM after the delay', async () => {
    bank.setFaults(['delayed']);
    const p = await created();
    const started = Date.now();
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await new Promise((r) => setTimeout(r, 100));
    expect(portal.confirms()).toHaveLength(0);
    await bank.idle();
    expect(portal.confirms()).toHaveLength(1);
    expect(portal.confirms()[0]!.at - started).toBeGreaterThanOrEqual(290);
  });

  it('dropped: no CONFIRM, but QUERY and settlement tell the truth', async () => {
    bank.setFaults(['dropped']);
    const p = await created();
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await bank.idle();
    expect(portal.confirms()).toHaveLength(0);
    expect(await query(p.ref)).toMatchObject({ TrangThaiGD: '00', SoTien: 180000, MaGiaoDich: p.MaGiaoDich });
    const rows = await settlementRows('20260310');
    expect(rows.find((r) => r[0] === p.MaGiaoDich)).toEqual([
      p.MaGiaoDich,
      p.ref,
      'PAY',
      '180000',
      'THANHCONG',
      '20260310100000',
    ]);
  });

  it('out-of-order: a CONFIRM held until the next payment’s has been sent', async () => {
    bank.setFaults(['out-of-order'], 1);
    const a = await created();
    const b = await created();
    bank.pay({ MaGiaoDich: a.MaGiaoDich }, 'success');
    await bank.idle();
    await new Promise((r) => setTimeout(r, 50));
    expect(portal.confirms()).toHaveLength(0);
    bank.pay({ MaGiaoDich: b.MaGiaoDich }, 'cancel');
    await bank.idle();
    expect(portal.confirms().map((c) => [c.body.MaThamChieu, c.body.MaLoi])).toEqual([
      [b.ref, '24'],
      [a.ref, '00'],
    ]);
  });

  it('forged: a CONFIRM with a wrong MaXacThuc and no genuine one; QUERY finds it', async () => {
    bank.setFaults(['forged']);
    const p = await created();
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await bank.idle();
    const got = portal.confirms();
    expect(got).toHaveLength(1);
    expect(got[0]!.body.MaXacThuc).not.toBe(signOf(got[0]!.body, CONFIRM));
    expect(got[0]!.answered).toBe('01');
    expect(await query(p.ref)).toMatchObject({ TrangThaiGD: '00' });
  });

  it('amount: a well-signed CONFIRM for 1000 đồng more and no genuine one', async () => {
    bank.setFaults(['amount']);
    const p = await created();
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await bank.idle();
    const got = portal.confirms();
    expect(got).toHaveLength(1);
    expect(got[0]!.body.SoTien).toBe(181000);
    expect(got[0]!.body.MaXacThuc).toBe(signOf(got[0]!.body, CONFIRM));
    expect(got[0]!.answered).toBe('03');
  });

  it('unknown: also a well-signed CONFIRM for a reference never created', async () => {
    bank.setFaults(['unknown']);
    const p = await created();
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await bank.idle();
    const got = portal.confirms();
    expect(got).toHaveLength(2);
    expect(got[0]!.body.MaThamChieu).toBe(p.ref);
    expect(got[0]!.answered).toBe('00');
    const other = got[1]!.body;
    expect(other.MaThamChieu).toMatch(/^DVC[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(other.MaThamChieu).not.toBe(p.ref);
    expect(other.MaGiaoDich).not.toBe(p.MaGiaoDich);
    expect(other.MaXacThuc).toBe(signOf(other, CONFIRM));
    expect(got[1]!.answered).toBe('02');
  });

  it('settlement-missing and settlement-amount: the file is wrong about the payment', async () => {
    setClock(new Date('2026-03-11T03:00:00Z'));
    try {
      const ok = await created();
      bank.pay({ MaGiaoDich: ok.MaGiaoDich }, 'success');
      bank.setFaults(['settlement-missing'], 1);
      const missing = await created();
      bank.pay({ MaGiaoDich: missing.MaGiaoDich }, 'success');
      bank.setFaults(['settlement-amount'], 1);
      const wrong = await created();
      bank.pay({ MaGiaoDich: wrong.MaGiaoDich }, 'success');
      await bank.idle();
      expect(portal.confirms()).toHaveLength(3); // the CONFIRMs are right
      const rows = await settlementRows('20260311');
      expect(rows.map((r) => [r[1], r[3]])).toEqual([
        [ok.ref, '180000'],
        [wrong.ref, '181000'],
      ]);
    } finally {
      setClock();
    }
  });

  it('start with faults from the options (BANK_FAULTS)', async () => {
    const other = await startBank({
      code: 'VCBSIM',
      secret: SECRET,
      bin: BIN,
      collectionAccount: ACCOUNT,
      callbackUrl: `${portal.url}/paygate/v1/callback/VCBSIM`,
      faults: ['dropped'],
      retryBaseMs: 10,
    });
    try {
      const ref = newRef();
      const r = await fetch(`${other.url}/paygate/v1/init`, {
        method: 'POST',
        body: JSON.stringify(initMessage(ref, 1000)),
      });
      expect((await r.json()).error_code).toBe('0');
      other.pay({ MaThamChieu: ref }, 'success');
      await other.idle();
      expect(portal.confirms()).toHaveLength(0);
      expect(other.faults()).toEqual({ modes: ['dropped'], remaining: null });
    } finally {
      await other.close();
    }
  });
});
