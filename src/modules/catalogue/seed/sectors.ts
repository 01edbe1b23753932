/**
 * Sectors (lĩnh vực) of the seed catalogue. The codes are the portal's own short codes: the national
 * database's MaLinhVuc values (of the form G03-GD10) could not be checked for every sector, so none is
 * claimed. An operator importing LayThuTuc data brings the national codes with it.
 */
export interface SeedSector {
  code: string;
  name: string;
  nameEn: string;
  /** The ministry that governs it (after the restructuring of 1 March 2025). */
  agency: string;
}

export const SEED_SECTORS: readonly SeedSector[] = [
  { code: 'TP-CHUNGTHUC', name: 'Chứng thực', nameEn: 'Certification', agency: 'BTP' },
  { code: 'TP-HOTICH', name: 'Hộ tịch', nameEn: 'Civil status', agency: 'BTP' },
  { code: 'TP-LLTP', name: 'Lý lịch tư pháp', nameEn: 'Judicial records', agency: 'BTP' },
  { code: 'CA-CUTRU', name: 'Đăng ký, quản lý cư trú', nameEn: 'Residence registration', agency: 'BCA' },
  { code: 'CA-CANCUOC', name: 'Căn cước', nameEn: 'Identity cards', agency: 'BCA' },
  { code: 'CA-XNC', name: 'Quản lý xuất nhập cảnh', nameEn: 'Immigration and passports', agency: 'BCA' },
  { code: 'CA-GPLX', name: 'Giấy phép lái xe', nameEn: 'Driving licences', agency: 'BCA' },
  {
    code: 'CA-DKX',
    name: 'Đăng ký, quản lý phương tiện giao thông',
    nameEn: 'Vehicle registration',
    agency: 'BCA',
  },
  { code: 'CA-XLVP', name: 'Xử lý vi phạm hành chính', nameEn: 'Administrative fines', agency: 'BCA' },
  {
    code: 'BHXH-THU',
    name: 'Thu bảo hiểm xã hội, bảo hiểm y tế',
    nameEn: 'Social and health insurance contributions',
    agency: 'BHXH',
  },
  {
    code: 'BHXH-CHEDO',
    name: 'Thực hiện chế độ bảo hiểm xã hội',
    nameEn: 'Social insurance benefits',
    agency: 'BHXH',
  },
  { code: 'BHXH-BHYT', name: 'Cấp sổ, thẻ bảo hiểm', nameEn: 'Insurance books and cards', agency: 'BHXH' },
  {
    code: 'TC-DKKD',
    name: 'Thành lập và hoạt động của doanh nghiệp',
    nameEn: 'Business registration',
    agency: 'BTC',
  },
  {
    code: 'TC-HKD',
    name: 'Thành lập và hoạt động của hộ kinh doanh',
    nameEn: 'Household businesses',
    agency: 'BTC',
  },
  { code: 'TC-THUE', name: 'Thuế', nameEn: 'Taxation', agency: 'BTC' },
  { code: 'NNMT-DATDAI', name: 'Đất đai', nameEn: 'Land', agency: 'BNNMT' },
  { code: 'XD-HDXD', name: 'Hoạt động xây dựng', nameEn: 'Construction permits', agency: 'BXD' },
  { code: 'NV-VIECLAM', name: 'Việc làm', nameEn: 'Employment', agency: 'BNV' },
  { code: 'YT-BTXH', name: 'Bảo trợ xã hội', nameEn: 'Social protection', agency: 'BYT' },
  { code: 'GD-DAOTAO', name: 'Giáo dục và đào tạo', nameEn: 'Education', agency: 'BGDDT' },
  { code: 'KHAC', name: 'Lĩnh vực khác', nameEn: 'Other', agency: 'VPCP' },
];
