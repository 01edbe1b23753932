import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeFee } from '../domain/fees.ts';
import { fromLayThuTuc, toLayThuTuc } from '../domain/lay-thu-tuc.ts';
import { contentProblems, feeLines } from '../domain/procedure.ts';
import { foldText } from '../domain/search-text.ts';
import { crc32, xlsx } from '../export/xlsx.ts';
import { SEED_BUNDLES } from './bundles.ts';
import { SEED_PROCEDURES } from './procedures.ts';
import { seedProblems } from './reference.ts';

describe('seed catalogue', () => {
  it('is valid: every procedure passes the checks officers pass, every bundle member exists', () => {
    expect(seedProblems()).toEqual([]);
    expect(SEED_PROCEDURES.length).toBeGreaterThanOrEqual(25);
  });

  it('names the procedures of the 2020 story and the life-event bundle of a newborn', () => {
    const names = SEED_PROCEDURES.map((p) => foldText(p.content.name));
    for (const words of [
      'chung thuc ban sao tu ban chinh',
      'dang ky khai sinh',
      'dang ky thuong tru',
      'doi giay phep lai xe',
      'nop tien phat vi pham hanh chinh trong linh vuc giao thong',
      'bao hiem xa hoi tu nguyen',
      'dang ky thanh lap cong ty',
    ])
      expect(names.some((n) => n.includes(words))).toBe(true);
    expect(SEED_BUNDLES.find((b) => b.code === 'LT-KHAISINH')?.members).toEqual([
      '1.001193',
      '1.004222',
      '1.011904',
    ]);
  });

  it('is written in NFC with Vietnamese diacritics', () => {
    const text = JSON.stringify(SEED_PROCEDURES);
    expect(text.normalize('NFC')).toBe(text);
    expect(text).toContain('Chứng thực bản sao từ bản chính');
  });

  it('charges the certified copy by the page formula with its cap', () => {
    const copy = SEED_PROCEDURES.find((p) => p.code === '2.000815')!;
    const line = feeLines(copy.content)[0]!;
    expect(computeFee(line.formula, { units: 3, quantity: 2 })).toBe(10_000);
    expect(computeFee(line.formula, { units: 400, quantity: 1 })).toBe(200_000);
  });
});

describe('content checks speak Vietnamese', () => {
  it('says what is wrong with the shape, with the path', () => {
    const c = structuredClone(SEED_PROCEDURES.find((p) => p.code === '2.000815')!.content) as Record<
      string,
      unknown
    >;
    c.levels = [];
    c.name = '';
    c.extra = 1;
    delete c.payment;
    const problems = contentProblems(c);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '/levels', message: 'Cần ít nhất 1 mục' },
        { path: '/name', message: 'Không được để trống' },
        expect.objectContaining({ message: 'Có trường không thuộc cấu trúc: extra' }),
        expect.objectContaining({ message: 'Thiếu trường bắt buộc: payment' }),
      ]),
    );
  });
});

describe('LayThuTuc', () => {
  it('a seed procedure survives the round trip through the national shape (what the shape carries)', () => {
    const p = SEED_PROCEDURES.find((x) => x.code === '1.004222')!;
    const names = new Map([['CA-CUTRU', 'Đăng ký, quản lý cư trú']]);
    const shape = toLayThuTuc(p.code, p.content, (s) => names.get(s) ?? s);
    const back = fromLayThuTuc(JSON.parse(JSON.stringify(shape)), { level: 'commune' });
    expect(back.code).toBe('1.004222');
    expect(back.content.name).toBe(p.content.name);
    expect(back.content.channels.map((c) => c.channel)).toEqual(['in-person', 'online']);
    expect(back.content.channels[0]!.times[0]).toMatchObject({ amount: 7, unit: 'working-day' });
    expect(feeLines(back.content).map((f) => f.formula)).toEqual([
      { type: 'fixed', amount: 20_000 },
      { type: 'fixed', amount: 10_000 },
    ]);
    expect(back.content.cases[0]!.documents.map((d) => d.code)).toEqual(['CT01', 'CHOOHOPPHAP']);
    expect(back.sectors).toEqual([{ code: 'CA-CUTRU', name: 'Đăng ký, quản lý cư trú' }]);
    expect(contentProblems(back.content)).toEqual([]);
  });

  it('reads lower-case field names, channel names in words, per-unit fees, and says what it guessed', () => {
    const r = fromLayThuTuc(
      {
        maTTHC: '2.000815',
        tenTTHC: 'Chứng thực bản sao',
        CACHTHUCTHUCHIEN: [
          {
            KENH: 'Trực tiếp',
            THOIGIAN: [
              {
                THOIGIANGIAIQUYET: '1',
                DONVITINH: 'Ngày làm việc',
                PHILEPHI: [{ SOTIEN: '2.000', DONVI: 'Đồng/trang', MOTA: 'Lệ phí chứng thực' }],
              },
            ],
          },
          { KENH: 'fax', THOIGIAN: [] },
        ],
      },
      { level: 'commune' },
    );
    expect(r.code).toBe('2.000815');
    expect(r.content.channels[0]!.times[0]!.fees[0]).toEqual({
      kind: 'le-phi',
      name: 'Lệ phí chứng thực',
      formula: { type: 'per-unit', amount: 2000, unit: 'trang' },
    });
    expect(r.notes.join(' ')).toContain('Bỏ qua cách thức thực hiện không rõ kênh: "fax"');
    expect(() => fromLayThuTuc([1], { level: 'commune' })).toThrow('đối tượng JSON');
  });
});

describe('XLSX writer', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789')).toString(16)).toBe('cbf43926');
  });

  it('writes a ZIP that unzip accepts, with the sheet inside', () => {
    const file = path.join(os.tmpdir(), `catalogue-${process.pid}.xlsx`);
    fs.writeFileSync(
      file,
      xlsx('Thủ tục', [
        ['Mã', 'Tên'],
        ['2.000815', 'Chứng thực bản sao & <bản chính>'],
        ['x', 5],
      ]),
    );
    try {
      const list = execFileSync('unzip', ['-l', file], { encoding: 'utf8' });
      expect(list).toContain('xl/worksheets/sheet1.xml');
      execFileSync('unzip', ['-tq', file]);
      const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
      expect(sheet).toContain('Chứng thực bản sao &amp; &lt;bản chính&gt;');
      expect(sheet).toContain('<c r="B3"><v>5</v></c>');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
