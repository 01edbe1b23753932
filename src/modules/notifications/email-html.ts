/**
 * The HTML part of an e-mail, made from the same text as its plain-text part: paragraphs at blank
 * lines, line breaks kept, web addresses as links, everything else escaped. A plain, narrow layout that
 * mail clients render alike (inline styles, no images, no scripts). Pure.
 */

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const URL_RE = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g;

function inline(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    out += escapeHtml(text.slice(last, m.index));
    const url = escapeHtml(m[0]);
    out += `<a href="${url}" style="color:#0b5cab">${url}</a>`;
    last = (m.index ?? 0) + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

export interface EmailHtmlOptions {
  subject: string;
  /** Shown under the message: why the person receives it, how to stop the non-transactional ones. */
  footer: string;
}

export function emailHtml(body: string, options: EmailHtmlOptions): string {
  const paragraphs = body
    .normalize('NFC')
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => `<p style="margin:0 0 16px">${p.split('\n').map(inline).join('<br>')}</p>`)
    .join('\n');
  return `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(options.subject.normalize('NFC'))}</title></head>
<body style="margin:0;padding:0;background:#f4f6f8">
<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1b1b1b">
<p style="margin:0 0 24px;font-weight:bold;color:#a61b1b">Cổng Dịch vụ công</p>
${paragraphs}
<hr style="border:0;border-top:1px solid #d0d5da;margin:24px 0">
<p style="margin:0;font-size:13px;color:#555555">${inline(options.footer.normalize('NFC'))}</p>
</div>
</body>
</html>
`;
}
