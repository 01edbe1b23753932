import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../platform/errors/index.ts';
import { asciiText, buildVietQr, crc16ccittFalse, parseVietQr, type VietQrInput } from './vietqr.ts';

// payments.md, byte for byte.
const DYNAMIC_TO_ACCOUNT =
  '00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E';
const STATIC_TO_ACCOUNT =
  '00020101021138540010A00000072701240006970436011001234567890208QRIBFTTA53037045802VN63046A15';

const problemsOf = (payload: string) => {
  const r = parseVietQr(payload);
  if (r.ok) throw new Error(`expected problems, parsed ${JSON.stringify(r.qr)}`);
  return r.problems;
};

describe('CRC-16/CCITT-FALSE', () => {
  it('is 29B1 for "123456789" (the check value of the algorithm)', () => {
    expect(crc16ccittFalse('123456789')).toBe('29B1');
  });
  it('is FFFF for nothing and pads to 4 uppercase digits', () => {
    expect(crc16ccittFalse('')).toBe('FFFF');
    expect(crc16ccittFalse('A')).toBe('B915');
  });
  it('closes the test vectors of payments.md', () => {
    expect(crc16ccittFalse(DYNAMIC_TO_ACCOUNT.slice(0, -4))).toBe('2E2E');
    expect(crc16ccittFalse(STATIC_TO_ACCOUNT.slice(0, -4))).toBe('6A15');
  });
});

describe('the test vectors of payments.md', () => {
  const dynamic: VietQrInput = {
    dynamic: true,
    to: 'account',
    bin: '970403',
    account: '0011012345678',
    amount: 180_000,
    bill: 'NPS6869',
    purpose: 'thanh toan don hang',
  };
  const stat: VietQrInput = { dynamic: false, to: 'account', bin: '970436', account: '0123456789' };

  it('dynamic, to account, 180,000 đ, bill NPS6869, purpose "thanh toan don hang" → …2E2E', () => {
    expect(buildVietQr(dynamic)).toBe(DYNAMIC_TO_ACCOUNT);
    expect(parseVietQr(DYNAMIC_TO_ACCOUNT)).toEqual({ ok: true, qr: { ...dynamic, crc: '2E2E' } });
  });

  it('static, to account, BIN 970436, no amount → …6A15', () => {
    expect(buildVietQr(stat)).toBe(STATIC_TO_ACCOUNT);
    expect(parseVietQr(STATIC_TO_ACCOUNT)).toEqual({ ok: true, qr: { ...stat, crc: '6A15' } });
  });

  it('to card: service code QRIBFTTC', () => {
    const payload = buildVietQr({ ...stat, to: 'card', account: '9704031101234567' });
    expect(payload).toContain('0208QRIBFTTC');
    const r = parseVietQr(payload);
    expect(r.ok && r.qr.to).toBe('card');
  });

  it('name 59 and city 60 in tag order, before 62', () => {
    const payload = buildVietQr({ ...dynamic, name: 'Kho bạc Nhà nước', city: 'Hà Nội' });
    expect(payload).toContain('5802VN5916Kho bac Nha nuoc6006Ha Noi6234');
    const r = parseVietQr(payload);
    expect(r.ok && [r.qr.name, r.qr.city]).toEqual(['Kho bac Nha nuoc', 'Ha Noi']);
  });
});

describe('parse refuses what is wrong', () => {
  it('a bad CRC', () => {
    const payload = `${STATIC_TO_ACCOUNT.slice(0, -4)}6A16`;
    expect(problemsOf(payload)).toEqual([expect.objectContaining({ code: 'crc', tag: '63' })]);
    // One changed character before the CRC.
    expect(problemsOf(STATIC_TO_ACCOUNT.replace('970436', '970437'))[0]!.code).toBe('crc');
  });

  it('a right CRC over a wrong inner length (the "widely copied string ending …6304F4E5")', () => {
    // Vector 2 with 38/01/01 claiming 9 characters for the 10-digit account: 38 and 38/01 still say 54 and
    // 24, and the CRC was computed over the whole malformed string, so only the TLV walk can catch it.
    const ours =
      '00020101021138540010A00000072701240006970436010901234567890208QRIBFTTA53037045802VN63043996';
    expect(crc16ccittFalse(ours.slice(0, -4))).toBe('3996');
    expect(problemsOf(ours)).toEqual([expect.objectContaining({ code: 'length', tag: '38/01' })]);
    // The copied sample itself: 38/01/01 says 12 for the 13-digit account 0011012345678.
    const copied =
      '00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304F4E5';
    expect(crc16ccittFalse(copied.slice(0, -4))).toBe('F4E5');
    expect(problemsOf(copied)).toEqual([expect.objectContaining({ code: 'length', tag: '38/01' })]);
  });

  it('a length running past the end', () => {
    const body = '000201010211385400';
    expect(problemsOf(`${body}6304${crc16ccittFalse(`${body}6304`)}`)[0]).toMatchObject({
      code: 'length',
      tag: '38',
    });
  });

  const withCrc = (body: string) => `${body}6304${crc16ccittFalse(`${body}6304`)}`;

  it('missing tags, each named', () => {
    const body = STATIC_TO_ACCOUNT.slice(0, -8);
    const codes = (p: string) => problemsOf(p).map((x) => `${x.code} ${x.tag}`);
    expect(codes(withCrc(body.replace('5802VN', '')))).toEqual(['missing 58']);
    expect(codes(withCrc(body.replace('5303704', '')))).toEqual(['missing 53']);
    expect(codes(withCrc(body.replace('000201', '')))).toEqual(['missing 00']);
    expect(codes(withCrc(body.replace('010211', '')))).toEqual(['missing 01']);
    expect(codes(withCrc('0002010102115303704' + '5802VN'))).toEqual(['missing 38']);
    expect(codes(withCrc(body.replace('38540010A000000727', '3840')))).toEqual(['missing 38/00']);
    expect(codes(withCrc('00020101021138260010A0000007270208QRIBFTTA53037045802VN'))).toEqual([
      'missing 38/01',
    ]);
    expect(codes(withCrc(body.replace('3854', '3842').replace('0208QRIBFTTA', '')))).toEqual([
      'missing 38/02',
    ]);
    expect(
      codes(
        withCrc(body.replace('3854', '3844').replace('01240006970436011001234567890', '0114011001234567890')),
      ),
    ).toEqual(['missing 38/01/00']);
    expect(codes('0002010102115802VN')).toEqual(['missing 63']);
  });

  it('wrong values', () => {
    const body = STATIC_TO_ACCOUNT.slice(0, -8);
    const codes = (p: string) => problemsOf(p).map((x) => `${x.code} ${x.tag}`);
    expect(codes(withCrc(body.replace('010211', '010213')))).toEqual(['value 01']);
    expect(codes(withCrc(body.replace('5303704', '5303840')))).toEqual(['value 53']);
    expect(codes(withCrc(body.replace('QRIBFTTA', 'QRIBFTTX')))).toEqual(['value 38/02']);
    expect(codes(withCrc(body.replace('A000000727', 'A000000728')))).toEqual(['value 38/00']);
    expect(codes(withCrc(body.replace('970436', '97043X')))).toEqual(['value 38/01/00']);
    // A second 63 before the real one.
    expect(codes(withCrc(body.replace('5802VN', '6302AB5802VN')))).toEqual(['duplicate 63']);
  });

  it('an amount that is not digits', () => {
    const body = STATIC_TO_ACCOUNT.slice(0, -8);
    const at = (amount: string) =>
      problemsOf(
        withCrc(body.replace('5802VN', `54${String(amount.length).padStart(2, '0')}${amount}5802VN`)),
      );
    for (const amount of ['180000.00', '18,000', '-5', '0', '0100', '1e5', ' 100'])
      expect(at(amount), amount).toEqual([expect.objectContaining({ code: 'amount', tag: '54' })]);
  });

  it('duplicate tags and non-ASCII characters', () => {
    const body = STATIC_TO_ACCOUNT.slice(0, -8);
    expect(problemsOf(withCrc(`${body}5802VN`))[0]).toMatchObject({ code: 'duplicate', tag: '58' });
    expect(problemsOf(withCrc(`${body}6204080${'đ'}`))[0]).toMatchObject({ code: 'charset' });
  });
});

describe('build refuses and normalises', () => {
  const base: VietQrInput = {
    dynamic: true,
    to: 'account',
    bin: '970403',
    account: '0011012345678',
    amount: 1,
  };

  it('strips Vietnamese diacritics from the purpose (đ → d) and keeps it ASCII', () => {
    expect(asciiText('  Thanh toán   hồ sơ Đăng ký đất đai ')).toBe('Thanh toan ho so Dang ky dat dai');
    const r = parseVietQr(buildVietQr({ ...base, purpose: 'Nộp phạt DVC7K3M9Q2X4PZ' }));
    expect(r.ok && r.qr.purpose).toBe('Nop phat DVC7K3M9Q2X4PZ');
  });

  it('refuses what stays non-ASCII, or is longer than 25, naming the field', () => {
    const fail = (input: Partial<VietQrInput>) => {
      try {
        buildVietQr({ ...base, ...input });
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return (e as ValidationError).extras.errors?.map((x) => x.path);
      }
      throw new Error('built');
    };
    expect(fail({ purpose: 'thanh toán 😀' })).toEqual(['purpose']);
    expect(fail({ purpose: 'x'.repeat(26) })).toEqual(['purpose']);
    expect(buildVietQr({ ...base, purpose: 'x'.repeat(25) })).toContain(`0825${'x'.repeat(25)}`);
    expect(fail({ city: 'Thành phố Hồ Chí Minh' })).toEqual(['city']);
    expect(fail({ bin: '97040' })).toEqual(['bin']);
    expect(fail({ account: '' })).toEqual(['account']);
    expect(fail({ amount: 0 })).toEqual(['amount']);
    expect(fail({ amount: 1.5 })).toEqual(['amount']);
    expect(fail({ amount: 10_000_000_000_000 })).toEqual(['amount']);
    expect(fail({ amount: undefined })).toEqual(['amount']);
    expect(fail({ bin: 'x', amount: -1, purpose: '😀' })).toEqual(['bin', 'amount', 'purpose']);
  });

  it('leaves out an empty purpose', () => {
    expect(buildVietQr({ ...base, purpose: '  ' })).not.toContain('62');
  });
});

describe('build → parse round trip', () => {
  const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });
  const text = (max: number) =>
    fc.option(
      ascii.map((s) => s.replace(/\s+/g, ' ').trim().slice(0, max)).filter((s) => s !== ''),
      { nil: undefined },
    );
  const input: fc.Arbitrary<VietQrInput> = fc
    .record({
      dynamic: fc.boolean(),
      to: fc.constantFrom('account' as const, 'card' as const),
      bin: fc.stringMatching(/^\d{6}$/),
      account: fc.stringMatching(/^[0-9A-Za-z]{1,19}$/),
      amount: fc.option(fc.integer({ min: 1, max: 9_999_999_999_999 }), { nil: undefined }),
      purpose: text(25),
      bill: text(25),
      name: text(25),
      city: text(15),
    })
    .map((i) => (i.dynamic && i.amount === undefined ? { ...i, amount: 1 } : i));

  it('parses back what was built, with its CRC', () => {
    fc.assert(
      fc.property(input, (i) => {
        const payload = buildVietQr(i);
        const r = parseVietQr(payload);
        if (!r.ok) throw new Error(JSON.stringify(r.problems));
        const expected = Object.fromEntries(Object.entries(i).filter(([, v]) => v !== undefined));
        expect(r.qr).toEqual({ ...expected, crc: payload.slice(-4) });
      }),
      { seed: 17 },
    );
  });

  it('any single changed character is refused', () => {
    fc.assert(
      fc.property(input, fc.nat(), fc.integer({ min: 0x21, max: 0x7e }), (i, at, code) => {
        const payload = buildVietQr(i);
        const pos = at % payload.length;
        const c = String.fromCharCode(code);
        fc.pre(payload[pos] !== c && payload[pos]?.toUpperCase() !== c.toUpperCase());
        expect(parseVietQr(payload.slice(0, pos) + c + payload.slice(pos + 1)).ok).toBe(false);
      }),
      { seed: 17 },
    );
  });
});
