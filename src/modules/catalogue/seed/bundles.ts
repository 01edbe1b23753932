/** Life-event bundles (liên thông) of the seed catalogue. */
export interface SeedBundle {
  code: string;
  name: string;
  nameEn: string;
  description: string;
  descriptionEn: string;
  members: string[];
  legalBasis: string;
}

export const SEED_BUNDLES: readonly SeedBundle[] = [
  {
    code: 'LT-KHAISINH',
    name: 'Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
    nameEn:
      'Birth registration, permanent residence and health insurance card for a child under 6, in one application',
    description:
      'Cha, mẹ nộp một bộ hồ sơ: Ủy ban nhân dân cấp xã đăng ký khai sinh, Công an cấp xã đăng ký thường trú cho trẻ, cơ quan bảo hiểm xã hội cấp thẻ bảo hiểm y tế. Kết quả gồm Giấy khai sinh, thông báo đăng ký thường trú và thẻ bảo hiểm y tế.',
    descriptionEn:
      'Parents file one application: the commune registers the birth, the commune police register the child’s permanent residence, and social security issues the health insurance card.',
    members: ['1.001193', '1.004222', '1.011904'],
    legalBasis: 'Nghị định 63/2024/NĐ-CP về thực hiện liên thông điện tử hai nhóm thủ tục hành chính',
  },
];
