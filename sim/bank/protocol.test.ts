import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildVietQr, checksum, crc16, dong, isVietnamTime, parseVietQr, vietnamTime } from './protocol.ts';

describe('the checksum', () => {
  it('is the lowercase hex SHA-256 of the fields and the secret joined with |', () => {
    const want = createHash('sha256')
      .update('QUERY|1.0.6|CONGDVC|DVC0000000001|20260310100000|s3cret')
      .digest('hex');
    expect(checksum(['QUERY', '1.0.6', 'CONGDVC', 'DVC0000000001', '20260310100000'], 's3cret')).toBe(want);
    expect(checksum(['a', 180000], 'k')).toBe(createHash('sha256').update('a|180000|k').digest('hex'));
  });
});

describe('times and amounts', () => {
  it('writes Vietnam time (UTC+7) and đồng', () => {
    expect(vietnamTime(new Date('2026-03-10T17:30:05Z'))).toBe('20260311003005');
    expect(isVietnamTime('20260229000000')).toBe(false);
    expect(isVietnamTime('20280229235959')).toBe(true);
    expect(isVietnamTime('20260310', true)).toBe(true);
    expect(dong(180000)).toBe('180.000 đ');
    expect(dong(1234567)).toBe('1.234.567 đ');
    expect(dong(500)).toBe('500 đ');
  });
});

describe('VietQR', () => {
  const dynamic =
    '00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E';
  const fixed = '00020101021138540010A00000072701240006970436011001234567890208QRIBFTTA53037045802VN63046A15';

  it('computes CRC-16/CCITT-FALSE as the reference vectors say', () => {
    expect(crc16('123456789')).toBe('29B1');
    expect(crc16(dynamic.slice(0, -4))).toBe('2E2E');
    expect(crc16(fixed.slice(0, -4))).toBe('6A15');
  });

  it('parses the reference vectors, nested 38 and 62 included', () => {
    expect(parseVietQr(dynamic)).toMatchObject({
      dynamic: true,
      bin: '970403',
      account: '0011012345678',
      service: 'QRIBFTTA',
      amount: 180000,
      purpose: 'thanh toan don hang',
    });
    const s = parseVietQr(fixed);
    expect(s).toMatchObject({ dynamic: false, bin: '970436', account: '0123456789' });
    expect(s.amount).toBeUndefined();
  });

  it('builds what it parses, byte for byte for the static vector', () => {
    expect(buildVietQr({ bin: '970436', account: '0123456789' })).toBe(fixed);
    const built = buildVietQr({
      bin: '970436',
      account: '0011001234567',
      amount: 180000,
      purpose: 'DVC7K3M9Q2X4P',
    });
    expect(parseVietQr(built)).toMatchObject({ amount: 180000, purpose: 'DVC7K3M9Q2X4P', dynamic: true });
  });

  it('names what is wrong', () => {
    expect(() => parseVietQr(`${dynamic.slice(0, -4)}2E2F`)).toThrow(/CRC/);
    expect(() => parseVietQr('hello')).toThrow(/6304/);
    // A malformed inner length with a correct CRC.
    const bad = '00020101021238580010A00000072701270006970403011300110123456780208QRIBFTTA5303704';
    const s = `${bad}6304`;
    expect(() => parseVietQr(s + crc16(s))).toThrow(/tag/);
    const noAmount =
      '000201010212' + '38540010A00000072701240006970436011001234567890208QRIBFTTA' + '53037045802VN6304';
    expect(() => parseVietQr(noAmount + crc16(noAmount))).toThrow(/amount/);
  });
});
