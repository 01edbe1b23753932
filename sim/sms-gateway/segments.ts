/**
 * GSM 7-bit or UCS-2, and how many segments (3GPP TS 23.038): 160/153 characters in GSM 7-bit, 70/67 in
 * UCS-2; the extension table's characters count twice. The gateway's own count (it does not share
 * code with the portal).
 */
const BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const EXTENSION = new Set('\f^{}\\[~]|€');

export function segmentsOf(text: string): { gsm7: boolean; segments: number } {
  let gsm7 = true;
  let septets = 0;
  for (const ch of text) {
    if (BASIC.has(ch)) septets += 1;
    else if (EXTENSION.has(ch)) septets += 2;
    else gsm7 = false;
  }
  const units = gsm7 ? septets : text.length;
  const [single, multi] = gsm7 ? [160, 153] : [70, 67];
  return { gsm7, segments: units <= single ? 1 : Math.ceil(units / multi) };
}
