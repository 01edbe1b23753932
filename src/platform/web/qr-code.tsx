/**
 * A QR code drawn as inline SVG on the server: no script, no image request, crisp at any zoom, printable.
 * For what a phone must read from the screen (an authenticator's otpauth:// link, a verification URL).
 * The matrix comes from `qrcode` (error correction M); each dark module becomes part of one path.
 */
import QRCode from 'qrcode';

export function QrCode({ value, label, size = 192 }: { value: string; label: string; size?: number }) {
  const { modules } = QRCode.create(value, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const quiet = 4; // the quiet zone the standard asks for, in modules
  let d = '';
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) if (modules.get(y, x)) d += `M${x + quiet} ${y + quiet}h1v1h-1z`;
  }
  const box = n + 2 * quiet;
  return (
    <svg
      class="qr-code"
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${box} ${box}`}
      width={size}
      height={size}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
    >
      <rect width={box} height={box} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
