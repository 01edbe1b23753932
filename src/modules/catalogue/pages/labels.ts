/** Words of the catalogue's pages, Vietnamese first. */
import type { Locale } from '../../../platform/i18n/index.ts';

type Pair = { vi: string; en: string };
const pick = (p: Pair | undefined, locale: Locale, fallback: string) => (p ? p[locale] : fallback);

export const LEVEL: Record<string, Pair> = {
  central: { vi: 'Cấp trung ương', en: 'Central' },
  province: { vi: 'Cấp tỉnh', en: 'Province' },
  commune: { vi: 'Cấp xã', en: 'Commune' },
};
export const AUDIENCE: Record<string, Pair> = {
  citizen: { vi: 'Công dân', en: 'Citizens' },
  business: { vi: 'Doanh nghiệp', en: 'Businesses' },
  organisation: { vi: 'Tổ chức', en: 'Organisations' },
  'state-agency': { vi: 'Cơ quan nhà nước', en: 'State agencies' },
};
export const ONLINE: Record<string, Pair> = {
  full: { vi: 'Trực tuyến toàn trình', en: 'Fully online' },
  partial: { vi: 'Trực tuyến một phần', en: 'Partly online' },
  none: { vi: 'Không trực tuyến', en: 'Not online' },
};
export const CHANNEL: Record<string, Pair> = {
  'in-person': { vi: 'Trực tiếp', en: 'In person' },
  online: { vi: 'Trực tuyến', en: 'Online' },
  postal: { vi: 'Qua bưu chính công ích', en: 'By post' },
};
export const UNIT: Record<string, Pair> = {
  'working-day': { vi: 'ngày làm việc', en: 'working days' },
  day: { vi: 'ngày', en: 'days' },
  'working-hour': { vi: 'giờ làm việc', en: 'working hours' },
  hour: { vi: 'giờ', en: 'hours' },
  month: { vi: 'tháng', en: 'months' },
};
export const PAYMENT: Record<string, Pair> = {
  before: { vi: 'Nộp phí trước khi giải quyết', en: 'Paid before processing' },
  after: { vi: 'Nộp phí khi nhận kết quả', en: 'Paid when the result is issued' },
  none: { vi: 'Không phải nộp phí, lệ phí', en: 'Nothing to pay' },
};

export const levelLabel = (v: string, l: Locale) => pick(LEVEL[v], l, v);
export const audienceLabel = (v: string, l: Locale) => pick(AUDIENCE[v], l, v);
export const onlineLabel = (v: string, l: Locale) => pick(ONLINE[v], l, v);
export const channelLabel = (v: string, l: Locale) => pick(CHANNEL[v], l, v);
export const unitLabel = (v: string, l: Locale) => pick(UNIT[v], l, v);
export const paymentLabel = (v: string, l: Locale) => pick(PAYMENT[v], l, v);

export const FACET_TITLES: Record<string, Pair> = {
  sector: { vi: 'Lĩnh vực', en: 'Sector' },
  agency: { vi: 'Cơ quan', en: 'Agency' },
  province: { vi: 'Tỉnh, thành phố', en: 'Province' },
  level: { vi: 'Cấp thực hiện', en: 'Level' },
  audience: { vi: 'Đối tượng', en: 'Audience' },
  online: { vi: 'Mức độ trực tuyến', en: 'Online service' },
};

export function facetLabel(facet: string, value: string, label: string, locale: Locale): string {
  if (facet === 'level') return levelLabel(value, locale);
  if (facet === 'audience') return audienceLabel(value, locale);
  if (facet === 'online') return onlineLabel(value, locale);
  return label;
}
