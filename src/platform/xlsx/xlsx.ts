/**
 * A minimal XLSX (Office Open XML SpreadsheetML) writer for reports: one or more sheets, each a header row
 * in bold (frozen, with an auto-filter) and rows of text, integer and date-time cells, column widths.
 * Strings are inline (no shared-string table), dates are Excel serial numbers in Vietnam time with a
 * "dd/mm/yyyy hh:mm" format, integers carry a "#,##0" format. Nothing else (no formulas, merged cells or
 * colours): a report needs none, and a library (exceljs) would bring a dependency tree for them.
 * The same sheets give the same bytes (no timestamps in the parts or the zip).
 */
import { VIETNAM_OFFSET_MINUTES } from '../clock/index.ts';
import { zip } from './zip.ts';

export type XlsxCellType = 'text' | 'integer' | 'datetime';
export type XlsxValue = string | number | Date | null | undefined;

export interface XlsxColumn {
  /** The header row's text. */
  header: string;
  /** The key of the value in each row. */
  key: string;
  /** In characters, as Excel counts them; 12 by default. */
  width?: number;
  type: XlsxCellType;
}

export interface XlsxSheet {
  /** 1–31 characters, none of : \ / ? * [ ], unique in the workbook (case-insensitive). */
  name: string;
  columns: ReadonlyArray<XlsxColumn>;
  rows: ReadonlyArray<Readonly<Record<string, XlsxValue>>>;
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT = 'http://schemas.openxmlformats.org/package/2006/content-types';
const SHEET_CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';

/** Style indexes into cellXfs below. */
const STYLE = { header: 1, datetime: 2, integer: 3 } as const;

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/** "A", "Z", "AA", … for a 0-based column index. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Excel's serial day number of an instant, read in Vietnam time (1 = 1900-01-01; days since 1899-12-30). */
export function excelSerial(instant: Date): number {
  const local = instant.getTime() + VIETNAM_OFFSET_MINUTES * 60_000;
  return local / 86_400_000 + 25_569;
}

/** Drops what XML 1.0 cannot hold: controls other than tab, line feed and carriage return; lone surrogates. */
function xmlChars(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const control = c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd;
    if (control || c === 0xfffe || c === 0xffff || (c >= 0xd800 && c <= 0xdfff)) continue;
    out += ch;
  }
  return out;
}

function escapeXml(text: string): string {
  return xmlChars(text.normalize('NFC'))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function inlineString(ref: string, text: string, style?: number): string {
  if (text.length > 32_767) throw new RangeError(`xlsx: the text of ${ref} is longer than a cell holds`);
  const s = style === undefined ? '' : ` s="${style}"`;
  return `<c r="${ref}" t="inlineStr"${s}><is><t xml:space="preserve">${escapeXml(text)}</t></is></c>`;
}

function cell(ref: string, column: XlsxColumn, value: XlsxValue, sheet: string): string {
  if (value === null || value === undefined || value === '') return '';
  const where = `xlsx: ${sheet}!${ref} (${column.key})`;
  switch (column.type) {
    case 'text':
      if (typeof value === 'string') return inlineString(ref, value);
      if (typeof value === 'number' && Number.isFinite(value)) return inlineString(ref, String(value));
      throw new TypeError(`${where}: text expected, got ${String(value)}`);
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        throw new TypeError(`${where}: an integer expected, got ${String(value)}`);
      return `<c r="${ref}" s="${STYLE.integer}"><v>${value}</v></c>`;
    case 'datetime':
      if (!(value instanceof Date) || Number.isNaN(value.getTime()))
        throw new TypeError(`${where}: a date expected, got ${String(value)}`);
      return `<c r="${ref}" s="${STYLE.datetime}"><v>${excelSerial(value)}</v></c>`;
  }
}

function worksheet(sheet: XlsxSheet): string {
  const cols = sheet.columns
    .map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width ?? 12}" customWidth="1"/>`)
    .join('');
  const header = sheet.columns
    .map((c, i) => inlineString(`${columnName(i)}1`, c.header, STYLE.header))
    .join('');
  const rows = sheet.rows.map((row, r) => {
    const n = r + 2;
    const cells = sheet.columns
      .map((c, i) => cell(`${columnName(i)}${n}`, c, row[c.key], sheet.name))
      .join('');
    return `<row r="${n}">${cells}</row>`;
  });
  const last = `${columnName(Math.max(sheet.columns.length - 1, 0))}${sheet.rows.length + 1}`;
  const pane =
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>';
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="${MAIN}" xmlns:r="${REL}">${pane}<cols>${cols}</cols><sheetData><row r="1">${header}</row>${rows.join('')}</sheetData><autoFilter ref="A1:${last}"/></worksheet>`;
}

function checkSheets(sheets: ReadonlyArray<XlsxSheet>): void {
  if (sheets.length === 0) throw new RangeError('xlsx: at least one sheet');
  const seen = new Set<string>();
  for (const s of sheets) {
    if (s.name.length < 1 || s.name.length > 31 || /[:\\/?*[\]]/.test(s.name) || /^'|'$/.test(s.name))
      throw new RangeError(`xlsx: "${s.name}" cannot name a sheet (1–31 characters, none of : \\ / ? * [ ])`);
    const key = s.name.normalize('NFC').toLocaleLowerCase('vi');
    if (seen.has(key)) throw new RangeError(`xlsx: two sheets named "${s.name}"`);
    seen.add(key);
    if (s.columns.length === 0) throw new RangeError(`xlsx: sheet "${s.name}" has no columns`);
    if (s.columns.length > 16_384 || s.rows.length > 1_048_575)
      throw new RangeError(`xlsx: sheet "${s.name}" is larger than a worksheet`);
  }
}

/** The workbook as the bytes of an .xlsx file. */
export async function writeXlsx(sheets: ReadonlyArray<XlsxSheet>): Promise<Uint8Array> {
  checkSheets(sheets);
  const xml = (text: string) => new TextEncoder().encode(text);
  const overrides = sheets
    .map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${SHEET_CT}"/>`)
    .join('');
  const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="${CT}"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${overrides}</Types>`;
  const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  const workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${sheets
    .map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('')}</sheets><definedNames>${sheets
    .map(
      (s, i) =>
        `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">'${escapeXml(s.name).replace(/'/g, "''")}'!$A$1:$${columnName(s.columns.length - 1)}$${s.rows.length + 1}</definedName>`,
    )
    .join('')}</definedNames></workbook>`;
  const workbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${PKG_REL}">${sheets
    .map(
      (_, i) =>
        `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
    )
    .join(
      '',
    )}<Relationship Id="rId${sheets.length + 1}" Type="${REL}/styles" Target="styles.xml"/></Relationships>`;
  return zip([
    { name: '[Content_Types].xml', data: xml(contentTypes) },
    { name: '_rels/.rels', data: xml(rootRels) },
    { name: 'xl/workbook.xml', data: xml(workbook) },
    { name: 'xl/_rels/workbook.xml.rels', data: xml(workbookRels) },
    { name: 'xl/styles.xml', data: xml(STYLES) },
    ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: xml(worksheet(s)) })),
  ]);
}
