import { describe, expect, it } from 'vitest';
import type { FormSchema } from '../catalogue/index.ts';
import { type FilingCase, formForCase, resolveCase, valuesForCase } from './dossiers.cases.ts';

const form: FormSchema = {
  fields: [
    { type: 'text', key: 'hoTen', label: { vi: 'Họ và tên' }, required: true, maxLength: 100 },
    { type: 'file', key: 'tepToKhai', label: { vi: 'Tờ khai' }, required: true, documentCode: 'TK' },
    {
      type: 'file',
      key: 'tepUyQuyen',
      label: { vi: 'Văn bản ủy quyền' },
      required: true,
      documentCode: 'UQ',
    },
    { type: 'file', key: 'tepAnh', label: { vi: 'Ảnh' }, required: false, documentCode: 'ANH' },
  ],
};
const self: FilingCase = {
  name: 'Người yêu cầu tự nộp',
  documents: [
    { code: 'TK', name: 'Tờ khai', required: true },
    { code: 'ANH', name: 'Ảnh', required: false },
  ],
};
const proxy: FilingCase = {
  name: 'Ủy quyền cho người khác',
  documents: [
    { code: 'TK', name: 'Tờ khai', required: true },
    { code: 'UQ', name: 'Văn bản ủy quyền', required: true },
  ],
};
const cases = [self, proxy];
const slots = (f: FormSchema) =>
  f.fields.flatMap((x) => (x.type === 'file' ? [`${x.key}${x.required ? '*' : ''}`] : []));

describe('required documents per case', () => {
  it("keeps the case's slots, required as the case says, and drops the others with their answers", () => {
    expect(slots(formForCase(form, self))).toEqual(['tepToKhai*', 'tepAnh']);
    expect(slots(formForCase(form, proxy))).toEqual(['tepToKhai*', 'tepUyQuyen*']);
    expect(formForCase(form, self).fields[0]).toBe(form.fields[0]);
    expect(valuesForCase(form, self, { hoTen: 'A', tepToKhai: 'x1', tepUyQuyen: 'x2' })).toEqual({
      hoTen: 'A',
      tepToKhai: 'x1',
    });
  });

  it('takes the chosen case by name; an unknown name or no choice among several is a problem at `case`', () => {
    expect(resolveCase(cases, form, proxy.name, {}, { infer: false }).case).toBe(proxy);
    expect(resolveCase(cases, form, 'Trường hợp khác', {}, { infer: true }).problem?.path).toBe('case');
    expect(
      resolveCase(cases, form, undefined, { tepToKhai: 'x' }, { infer: false }).problem?.message,
    ).toMatch(/Chọn trường hợp/);
    expect(resolveCase([self], form, undefined, {}, { infer: false }).case).toBe(self);
    expect(resolveCase([], form, 'bất kỳ', {}, { infer: false })).toEqual({});
  });

  it('infers for the API the case whose required documents are there and that uses the most files', () => {
    const infer = (values: Record<string, unknown>) =>
      resolveCase(cases, form, undefined, values, { infer: true }).case?.name;
    expect(infer({ tepToKhai: 'x' })).toBe(self.name);
    expect(infer({ tepToKhai: 'x', tepUyQuyen: 'y' })).toBe(proxy.name);
    expect(infer({ tepToKhai: 'x', tepAnh: 'z' })).toBe(self.name);
    expect(infer({ tepUyQuyen: 'y' })).toBeUndefined();
    expect(infer({ tepToKhai: '' })).toBeUndefined();
  });
});
