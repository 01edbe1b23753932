import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnName, excelSerial, writeXlsx, type XlsxSheet } from './index.ts';
import { unzip } from './xlsx.test-support.ts';

const sheets: XlsxSheet[] = [
  {
    name: 'Giao dịch',
    columns: [
      { header: 'Mã tham chiếu', key: 'ref', width: 20, type: 'text' },
      { header: 'Số tiền', key: 'amount', type: 'integer' },
      { header: 'Thời điểm', key: 'at', width: 17, type: 'datetime' },
      { header: 'Ghi chú', key: 'note', type: 'text' },
    ],
    rows: [
      { ref: 'DVC7K3M9Q2X4PZ', amount: 180_000, at: new Date('2026-12-07T02:30:00Z'), note: 'Lệ phí' },
      { ref: 'DVC00000000001', amount: null, at: null, note: '<a & "b"> \u0001x' },
    ],
  },
  { name: 'Tổng hợp', columns: [{ header: 'Chỉ tiêu', key: 'item', type: 'text' }], rows: [] },
];

const hasPython = (() => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('writeXlsx', () => {
  it('writes the parts of a workbook, each entry intact (CRC and sizes), one worksheet per sheet', async () => {
    const parts = unzip(await writeXlsx(sheets));
    expect([...parts.keys()].sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
      'xl/worksheets/sheet2.xml',
    ]);
    const workbook = parts.get('xl/workbook.xml')!;
    expect(workbook).toContain('<sheet name="Giao dịch" sheetId="1" r:id="rId1"/>');
    expect(workbook).toContain('<sheet name="Tổng hợp" sheetId="2" r:id="rId2"/>');
    const rels = parts.get('xl/_rels/workbook.xml.rels')!;
    expect(rels).toContain(
      'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"',
    );
    expect(parts.get('[Content_Types].xml')).toContain('PartName="/xl/worksheets/sheet2.xml"');
  });

  it('writes a bold header, widths, text, integers and Vietnam-time dates; leaves empty cells out; escapes XML', async () => {
    const parts = unzip(await writeXlsx(sheets));
    const sheet = parts.get('xl/worksheets/sheet1.xml')!;
    expect(sheet).toContain(
      '<c r="A1" t="inlineStr" s="1"><is><t xml:space="preserve">Mã tham chiếu</t></is></c>',
    );
    expect(sheet).toContain('<col min="1" max="1" width="20" customWidth="1"/>');
    expect(sheet).toContain('<col min="2" max="2" width="12" customWidth="1"/>');
    expect(sheet).toContain(
      '<c r="A2" t="inlineStr"><is><t xml:space="preserve">DVC7K3M9Q2X4PZ</t></is></c>',
    );
    expect(sheet).toContain('<c r="B2" s="3"><v>180000</v></c>');
    const serial = Number(/<c r="C2" s="2"><v>([^<]+)<\/v><\/c>/.exec(sheet)?.[1]);
    expect(serial).toBeCloseTo(46_363 + 9.5 / 24, 8); // 07/12/2026 09:30 in Vietnam
    expect(sheet).toContain('<t xml:space="preserve">&lt;a &amp; &quot;b&quot;&gt; x</t>');
    expect(sheet).not.toMatch(/r="B3"|r="C3"/);
    expect(sheet).toContain('<autoFilter ref="A1:D3"/>');
    expect(sheet).toContain('state="frozen"');
    const styles = parts.get('xl/styles.xml')!;
    // cellXfs 1 uses font 1, which is bold; 2 is the date format 164; 3 is #,##0.
    expect(styles).toMatch(/<fonts count="2"><font>.*?<\/font><font><b\/>/);
    expect(styles).toContain('<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>');
    expect(styles).toContain('<numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/>');
    expect(styles).toMatch(/<xf numFmtId="164"[^>]*\/><xf numFmtId="3"/);
  });

  it('gives the same bytes for the same sheets', async () => {
    expect(
      Buffer.from(await writeXlsx(sheets)).equals(Buffer.from(await writeXlsx(structuredClone(sheets)))),
    ).toBe(true);
  });

  it('refuses a value of the wrong type, a bad or repeated sheet name, no sheets, no columns', async () => {
    const one = (rows: XlsxSheet['rows'], type: 'text' | 'integer' | 'datetime') =>
      writeXlsx([{ name: 'S', columns: [{ header: 'h', key: 'v', type }], rows }]);
    await expect(one([{ v: 'x' }], 'integer')).rejects.toThrow(TypeError);
    await expect(one([{ v: 1.5 }], 'integer')).rejects.toThrow(TypeError);
    await expect(one([{ v: '2026-12-07' }], 'datetime')).rejects.toThrow(TypeError);
    await expect(one([{ v: new Date(Number.NaN) }], 'datetime')).rejects.toThrow(TypeError);
    await expect(one([{ v: new Date(0) }], 'text')).rejects.toThrow(TypeError);
    const named = (...names: string[]) =>
      writeXlsx(
        names.map((name) => ({
          name,
          columns: [{ header: 'h', key: 'v', type: 'text' as const }],
          rows: [],
        })),
      );
    for (const bad of ['', 'a'.repeat(32), 'a/b', 'a[1]', 'a?', 'a:b'])
      await expect(named(bad)).rejects.toThrow(RangeError);
    await expect(named('Giao dịch', 'GIAO DỊCH')).rejects.toThrow(RangeError);
    await expect(writeXlsx([])).rejects.toThrow(RangeError);
    await expect(writeXlsx([{ name: 'S', columns: [], rows: [] }])).rejects.toThrow(RangeError);
  });

  it('names columns as Excel does and counts days from 1899-12-30 in Vietnam time', () => {
    expect([0, 25, 26, 51, 701, 702, 16_383].map(columnName)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'ZZ',
      'AAA',
      'XFD',
    ]);
    expect(excelSerial(new Date('2024-12-31T17:00:00Z'))).toBe(45_658); // 01/01/2025 00:00 in Vietnam
    expect(excelSerial(new Date('1900-02-28T17:00:00Z'))).toBe(61); // 01/03/1900, past Excel's 29/02/1900
  });

  it.skipIf(!hasPython)("is a zip Python's zipfile accepts, every XML part well-formed", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-'));
    try {
      const file = path.join(dir, 'r.xlsx');
      fs.writeFileSync(file, await writeXlsx(sheets));
      const script = [
        'import sys, zipfile, xml.etree.ElementTree as ET',
        'z = zipfile.ZipFile(sys.argv[1])',
        'assert z.testzip() is None',
        'for n in z.namelist(): ET.fromstring(z.read(n))',
        'print(len(z.namelist()))',
      ].join('\n');
      expect(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }).trim()).toBe('7');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
