/**
 * The embedded demo's payment registry: the simulated intermediaries main.ts started, the agencies that
 * collect online (the budget chapters and treasury accounts are demo values, not verified ones), and
 * the partner DEMO-HN — Hà Nội's one-stop system under protocol 1.0.6 — with its documented secret.
 */
import type { AnyDb } from '../../platform/db/index.ts';
import {
  type Intermediary,
  type Payee,
  upsertIntermediary,
  upsertPartner,
  upsertPayee,
} from './registry.repository.ts';

export interface DemoPaymentsSeed {
  intermediaries: Array<Omit<Intermediary, 'active'>>;
}

export const DEMO_PARTNER = {
  code: 'DEMO-HN',
  name: 'Hệ thống một cửa điện tử Hà Nội (thử)',
  agencyCode: 'UBND-01',
  secret: 'demo-paygate-secret-do-not-use-in-production',
} as const;

export const DEMO_PAYEES: readonly Payee[] = [
  {
    agencyCode: 'UBND-01',
    name: 'Ủy ban nhân dân thành phố Hà Nội',
    budgetChapter: '418',
    treasuryAccount: '7111 (dữ liệu thử)',
    treasuryName: 'Kho bạc Nhà nước khu vực I',
    receiptSeries: 'HN01',
    taxCode: null,
  },
  {
    agencyCode: 'UBND-79',
    name: 'Ủy ban nhân dân Thành phố Hồ Chí Minh',
    budgetChapter: '418',
    treasuryAccount: '7111 (dữ liệu thử)',
    treasuryName: 'Kho bạc Nhà nước khu vực II',
    receiptSeries: 'HCM79',
    taxCode: null,
  },
  {
    agencyCode: 'BCA',
    name: 'Bộ Công an (thu tiền phạt vi phạm giao thông)',
    budgetChapter: '018',
    treasuryAccount: '7111000123456',
    treasuryName: 'Kho bạc Nhà nước khu vực I',
    receiptSeries: 'BCA',
    taxCode: null,
  },
  {
    agencyCode: 'BHXH',
    name: 'Bảo hiểm xã hội Việt Nam',
    budgetChapter: '000',
    treasuryAccount: '3751 (dữ liệu thử)',
    treasuryName: 'Kho bạc Nhà nước',
    receiptSeries: 'BHXH',
    taxCode: null,
  },
];

export async function seedDemoPayments(db: AnyDb, seed: DemoPaymentsSeed): Promise<void> {
  for (const p of DEMO_PAYEES) await upsertPayee(db, p);
  await upsertPartner(db, { ...DEMO_PARTNER, confirmUrl: null });
  for (const i of seed.intermediaries) await upsertIntermediary(db, i);
}
