import { describe, expect, it } from 'vitest';
import type { FormField } from '../catalogue/index.ts';
import { addressText, answerRows, localPhone, prefill, vnDate } from './dossiers.answers.ts';
import type { ApplicantProfile } from './dossiers.ports.ts';

const units = {
  unit: (code: string) => ({ '01': 'Thành phố Hà Nội', '00070': 'Phường Hoàn Kiếm' })[code],
};

const FIELDS: FormField[] = [
  { type: 'text', key: 'hoTen', label: { vi: 'Họ, chữ đệm và tên' }, required: true, maxLength: 100 },
  { type: 'date', key: 'ngaySinh', label: { vi: 'Ngày sinh' }, required: true },
  { type: 'address', key: 'noiCuTru', label: { vi: 'Nơi cư trú' }, required: true, level: 'commune' },
  {
    type: 'choice',
    key: 'loai',
    label: { vi: 'Loại phiếu' },
    required: true,
    options: [
      { value: '1', label: { vi: 'Phiếu số 1' } },
      { value: '2', label: { vi: 'Phiếu số 2' } },
    ],
  },
  { type: 'number', key: 'soBan', label: { vi: 'Số bản' }, required: true, integer: true },
  { type: 'text', key: 'ghiChu', label: { vi: 'Ghi chú' }, required: false, maxLength: 100 },
  {
    type: 'group',
    key: 'chaMe',
    label: { vi: 'Cha, mẹ' },
    required: true,
    repeatable: true,
    fields: [{ type: 'text', key: 'hoTen', label: { vi: 'Họ tên' }, required: true, maxLength: 100 }],
  },
  { type: 'file', key: 'tep', label: { vi: 'Tờ khai' }, required: true, documentCode: 'TK' },
];

describe('answerRows', () => {
  it('labels every answer as the form does, in words: dates, options, addresses, groups; files left out', () => {
    const rows = answerRows(
      FIELDS,
      {
        hoTen: 'Nguyễn Văn Minh',
        ngaySinh: '1988-05-12',
        noiCuTru: { province: '01', commune: '00070', street: 'Số 1 Tràng Tiền' },
        loai: '2',
        soBan: 12000,
        chaMe: [{ hoTen: 'Nguyễn Văn A' }, { hoTen: 'Trần Thị B' }],
        tep: 'upload-id',
      },
      units,
    );
    expect(rows).toEqual([
      { path: '/hoTen', label: 'Họ, chữ đệm và tên', value: 'Nguyễn Văn Minh' },
      { path: '/ngaySinh', label: 'Ngày sinh', value: '12/05/1988' },
      {
        path: '/noiCuTru',
        label: 'Nơi cư trú',
        value: 'Số 1 Tràng Tiền, Phường Hoàn Kiếm, Thành phố Hà Nội',
      },
      { path: '/loai', label: 'Loại phiếu', value: 'Phiếu số 2' },
      { path: '/soBan', label: 'Số bản', value: '12.000' },
      { path: '/chaMe/0/hoTen', label: 'Cha, mẹ 1 › Họ tên', value: 'Nguyễn Văn A' },
      { path: '/chaMe/1/hoTen', label: 'Cha, mẹ 2 › Họ tên', value: 'Trần Thị B' },
    ]);
  });

  it('shows an unanswered required field as a dash and leaves an unanswered optional one out', () => {
    const rows = answerRows(FIELDS.slice(0, 6), { hoTen: 'A' }, units);
    expect(rows.find((r) => r.path === '/ngaySinh')?.value).toBe('—');
    expect(rows.some((r) => r.path === '/ghiChu')).toBe(false);
  });

  it('writes an unknown unit code as it is, and dates only when they are dates', () => {
    expect(addressText({ province: '99', commune: 'Xã Cũ' }, units)).toBe('Xã Cũ, 99');
    expect(vnDate('2026-12-06')).toBe('06/12/2026');
    expect(vnDate('06/12/2026')).toBe('06/12/2026');
  });
});

describe('prefill', () => {
  const citizen: ApplicantProfile = {
    kind: 'citizen',
    name: 'Nguyễn Văn Minh',
    personalId: '001088012345',
    taxCode: null,
    birthDate: '1988-05-12',
    phone: '+84911000001',
    email: 'minh@example.vn',
  };
  const fields: FormField[] = [
    ...FIELDS.slice(0, 3),
    { type: 'id-number', key: 'soDinhDanh', label: { vi: 'Số định danh' }, required: true },
    { type: 'text', key: 'soDienThoai', label: { vi: 'Điện thoại' }, required: true, maxLength: 15 },
    { type: 'text', key: 'email', label: { vi: 'Thư điện tử' }, required: false, maxLength: 5 },
    { type: 'text', key: 'maSoThue', label: { vi: 'Mã số thuế' }, required: false, maxLength: 14 },
  ];

  it("fills a citizen's own fields from the account, only where the form has them with a fitting type", () => {
    const address = { province: '01', commune: '00070' };
    expect(prefill(fields, citizen, address)).toEqual({
      hoTen: 'Nguyễn Văn Minh',
      ngaySinh: '1988-05-12',
      noiCuTru: address,
      soDinhDanh: '001088012345',
      soDienThoai: '0911000001',
      // the e-mail is longer than this form's field allows: left for the applicant
    });
  });

  it("fills a business's name and tax code, not a person's", () => {
    const business: ApplicantProfile = {
      ...citizen,
      kind: 'business',
      name: 'Công ty A',
      personalId: null,
      taxCode: '0106789017',
    };
    const withName: FormField[] = [
      ...fields,
      {
        type: 'text',
        key: 'tenDoanhNghiep',
        label: { vi: 'Tên doanh nghiệp' },
        required: true,
        maxLength: 200,
      },
    ];
    expect(prefill(withName, business)).toEqual({
      soDienThoai: '0911000001',
      maSoThue: '0106789017',
      tenDoanhNghiep: 'Công ty A',
    });
    expect(prefill(withName, undefined)).toEqual({});
    expect(localPhone('+84911000001')).toBe('0911000001');
  });
});
