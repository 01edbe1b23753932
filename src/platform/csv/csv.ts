/**
 * RFC 4180 CSV: quoted fields with embedded commas, quotes ("") and line breaks; CRLF or LF. The first
 * row is the header; rows come back as records keyed by it. Text is NFC-normalised on the way in.
 */
export function parseCsv(text: string): Array<Record<string, string>> {
  const rows = parseRows(text.replace(/^\uFEFF/, '').normalize('NFC'));
  const header = rows.shift();
  if (!header) return [];
  return rows
    .filter((r) => r.length > 1 || (r[0] ?? '') !== '')
    .map((r, i) => {
      if (r.length !== header.length) {
        throw new Error(`CSV row ${i + 2} has ${r.length} fields, the header has ${header.length}`);
      }
      return Object.fromEntries(header.map((h, j) => [h.trim(), r[j] ?? '']));
    });
}

function parseRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Quotes a field when needed. */
export function csvField(value: string | number | null | undefined): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
