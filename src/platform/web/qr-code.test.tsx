import { renderToString } from 'preact-render-to-string';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { QrCode } from './qr-code.tsx';

describe('QrCode', () => {
  it('draws every dark module of the symbol where it is, inside a quiet zone of 4', () => {
    const value =
      'otpauth://totp/C%E1%BB%95ng%20DVC:c***@example.vn?secret=JBSWY3DPEHPK3PXP&issuer=C%E1%BB%95ng%20DVC';
    const html = renderToString(<QrCode value={value} label="Mã QR" />);
    const { modules } = QRCode.create(value, { errorCorrectionLevel: 'M' });
    const n = modules.size;
    expect(html).toContain(`viewBox="0 0 ${n + 8} ${n + 8}"`);
    expect(html).toContain('aria-label="Mã QR"');
    const drawn = new Set(
      [...html.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => `${Number(m[1]) - 4},${Number(m[2]) - 4}`),
    );
    const dark = new Set<string>();
    for (let row = 0; row < n; row++)
      for (let col = 0; col < n; col++) if (modules.data[row * n + col]) dark.add(`${col},${row}`);
    expect(drawn).toEqual(dark);
    // The finder pattern's corner: dark at (0,0), light just inside the ring at (1,1).
    expect(drawn.has('0,0')).toBe(true);
    expect(drawn.has('1,1')).toBe(false);
  });
});
