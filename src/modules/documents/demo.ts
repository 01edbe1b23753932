/**
 * The embedded demo's certifying offices: three ward People's Committees (Hoàn Kiếm and Ba Đình in Hà
 * Nội, Bến Thành in Hồ Chí Minh City), agencies of the reference data (`UBND-<commune code>`).
 * Addresses are demo values.
 */
import type { AnyDb } from '../../platform/db/index.ts';
import { type Office, upsertOffice } from './offices.repository.ts';

export const DEMO_OFFICES: readonly Office[] = [
  {
    agencyCode: 'UBND-00070',
    kind: 'commune',
    name: 'Ủy ban nhân dân phường Hoàn Kiếm',
    communeCode: '00070',
    provinceCode: '01',
    address: '126 phố Hàng Trống, phường Hoàn Kiếm, Hà Nội (dữ liệu thử)',
    active: true,
  },
  {
    agencyCode: 'UBND-00004',
    kind: 'commune',
    name: 'Ủy ban nhân dân phường Ba Đình',
    communeCode: '00004',
    provinceCode: '01',
    address: '1 phố Đội Cấn, phường Ba Đình, Hà Nội (dữ liệu thử)',
    active: true,
  },
  {
    agencyCode: 'UBND-26743',
    kind: 'commune',
    name: 'Ủy ban nhân dân phường Bến Thành',
    communeCode: '26743',
    provinceCode: '79',
    address: '92 đường Nguyễn Trãi, phường Bến Thành, Thành phố Hồ Chí Minh (dữ liệu thử)',
    active: true,
  },
];

export async function seedDemoOffices(db: AnyDb): Promise<void> {
  for (const o of DEMO_OFFICES) await upsertOffice(db, o);
}
