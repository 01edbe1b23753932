/**
 * The living demo of the embedded portal (`npm start` on PGlite, never on PostgreSQL or in production):
 * a few hundred dossiers over the last weeks in every state, in the provinces whose People's Committees
 * have an identifier code in the reference data (Hà Nội, Hồ Chí Minh City and others), some of them
 * the demo citizen's and the demo business's. Made through the real service (routing, codes, due
 * dates, history, audit, outbox) with a clock that walks forward and officers that stand for the desk;
 * the demo officers of the identity module can then act on them. Idempotent: nothing is added when
 * dossiers exist.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type {
  AgencyDirectory,
  People,
  ProcedureForFiling,
  ProcedureSource,
  WorkingTimeFor,
} from './dossiers.ports.ts';
import { createDossiersService } from './dossiers.service.ts';
import type { ApplicantKind, DossiersTables } from './dossiers.tables.ts';

/** Province-level procedures of the seed catalogue that take dossiers online. */
const CODES = [
  '2.000505',
  '1.004222',
  '1.004194',
  '2.001159',
  '1.003677',
  '1.001247',
  '1.000757',
  '2.002162',
  '1.001445',
  '1.010384',
  '1.002809',
  '1.000532',
  '2.000884',
  '1.001193',
  '1.000656',
  '1.000894',
  '1.004873',
  '2.000635',
  '1.004859',
];
const PROVINCES = ['01', '79', '01', '79', '40', '22', '04', '51', '75'];
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Thu', 'Đức', 'Ngọc', 'Quang', 'Thanh'];
const GIVEN = [
  'An',
  'Bình',
  'Châu',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hương',
  'Khánh',
  'Lan',
  'Long',
  'Mai',
  'Nam',
  'Phương',
  'Quân',
  'Sơn',
  'Trang',
  'Tuấn',
  'Yến',
];

/** Paths to the states, each a list of actions (with what they need). */
type Step = [action: string, extra?: { reason?: string; extendDays?: number }];
const PATHS: Array<{ weight: number; steps: Step[] }> = [
  { weight: 14, steps: [] },
  { weight: 8, steps: [['receive']] },
  { weight: 16, steps: [['receive'], ['forward']] },
  {
    weight: 7,
    steps: [
      ['receive'],
      ['forward'],
      ['request-supplement', { reason: 'Bổ sung bản sao giấy tờ tùy thân còn hiệu lực' }],
    ],
  },
  { weight: 5, steps: [['receive'], ['forward'], ['request-payment']] },
  {
    weight: 6,
    steps: [
      ['receive'],
      ['forward'],
      ['request-supplement', { reason: 'Tờ khai thiếu chữ ký' }],
      ['supplement-received'],
      ['approve'],
    ],
  },
  { weight: 22, steps: [['receive'], ['forward'], ['approve'], ['return-result']] },
  {
    weight: 4,
    steps: [
      ['receive'],
      ['forward'],
      ['reject', { reason: 'Không đủ điều kiện theo quy định' }],
      ['return-result'],
    ],
  },
  { weight: 5, steps: [['refuse', { reason: 'Hồ sơ không thuộc thẩm quyền giải quyết' }]] },
  { weight: 4, steps: [['withdraw']] },
  {
    weight: 3,
    steps: [
      ['receive'],
      ['forward'],
      ['stop', { reason: 'Người yêu cầu đề nghị dừng để bổ sung thông tin' }],
    ],
  },
  {
    weight: 4,
    steps: [
      ['receive'],
      ['forward'],
      ['extend', { reason: 'Cần xác minh thêm với cơ quan khác', extendDays: 5 }],
    ],
  },
];

export interface DemoDeps {
  db: Kysely<DossiersTables>;
  clock: Clock;
  procedures: ProcedureSource;
  agencies: AgencyDirectory;
  workingTimeFor: WorkingTimeFor;
  /** Demo accounts that own some of the dossiers, with their personal ID number or tax code. */
  applicants: Array<{ accountId: string; kind: ApplicantKind; name: string; idNumber?: string }>;
  count?: number;
}

export async function seedDossiersDemo(deps: DemoDeps): Promise<number> {
  const existing = await sql<{ n: number }>`select count(*)::int as n from dossiers.dossiers`.execute(
    deps.db,
  );
  if ((existing.rows[0]?.n ?? 0) > 0) return 0;
  let seed = 20261129;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const procedures: ProcedureForFiling[] = [];
  for (const code of CODES) {
    const p = await deps.procedures.find(code);
    if (p?.levels.includes('province') && p.channels.some((c) => c.channel === 'online')) procedures.push(p);
  }
  if (procedures.length === 0) return 0;

  const end = deps.clock.now().getTime();
  let base = end - 36 * 86_400_000;
  let now = base;
  const clock: Clock = { now: () => new Date(now) };
  const officer = randomUUID();
  // Every demo applicant has an ID number, so the public lookup finds their dossiers.
  const idNumbers = new Map(deps.applicants.map((a) => [a.accountId, a.idNumber]));
  const people: People = {
    applicantProfile: async (id) => {
      const own = deps.applicants.find((a) => a.accountId === id);
      const idNumber = idNumbers.get(id);
      if (!idNumber) return undefined;
      const citizen = (own?.kind ?? 'citizen') === 'citizen';
      return {
        kind: citizen ? 'citizen' : 'business',
        name: own?.name ?? '',
        personalId: citizen ? idNumber : null,
        taxCode: citizen ? null : idNumber,
        birthDate: null,
        phone: null,
        email: null,
      };
    },
    can: async () => true,
    mayActFor: async () => true,
    profileOf: async (id) =>
      id === officer
        ? {
            name: 'Cán bộ một cửa (dữ liệu thử)',
            title: 'Chuyên viên',
            department: 'Bộ phận tiếp nhận và trả kết quả',
          }
        : undefined,
  };
  const service = createDossiersService({ ...deps, clock, people });
  const total = deps.count ?? 300;
  const weights = PATHS.reduce((s, p) => s + p.weight, 0);
  let made = 0;
  for (let i = 0; i < total; i++) {
    base = Math.min(end - 3_600_000, base + ((35 * 86_400_000) / total) * (0.5 + random()));
    now = base;
    const p = pick(procedures);
    const own = i % 12 === 0 ? deps.applicants.find((a) => p.audiences.includes(a.kind)) : undefined;
    const kind: ApplicantKind = own?.kind ?? (p.audiences.includes('citizen') ? 'citizen' : p.audiences[0]!);
    const name = `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
    const applicant = own ?? {
      accountId: randomUUID(),
      kind,
      name: kind === 'citizen' ? name : `Công ty TNHH ${pick(GIVEN)} ${pick(GIVEN)} (dữ liệu thử)`,
    };
    if (!own)
      idNumbers.set(
        applicant.accountId,
        kind === 'citizen'
          ? `0${String(Math.floor(random() * 1e11)).padStart(11, '0')}`
          : `01${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
      );
    const province = own && i % 24 === 0 ? '79' : own ? '01' : pick(PROVINCES);
    let code: string;
    try {
      const { dossier } = await service.submit({
        accountId: applicant.accountId,
        applicant,
        idempotencyKey: `demo-${i}`,
        procedureCode: p.code,
        channel: 'online',
        place: { provinceCode: province },
        summary: p.name.slice(0, 200),
        formData: {
          hoTen: applicant.name,
          soDienThoai: '0912345678',
          noiCuTru: { province, street: 'Dữ liệu thử' },
        },
      });
      code = dossier.code;
    } catch {
      continue; // a province without an identifier, a procedure without a competent agency there
    }
    made++;
    // Let the portal's own requests through between dossiers (PGlite has one connection).
    await new Promise((resolve) => setTimeout(resolve, 25));
    // Later dossiers are younger and further behind; the oldest have gone furthest.
    let r = random() * weights * (0.35 + (0.65 * (total - i)) / total);
    const path =
      PATHS.find((x) => {
        r -= x.weight;
        return r < 0;
      }) ?? PATHS[0]!;
    for (const [action, extra] of path.steps) {
      now = Math.min(end - 60_000, now + (2 + random() * 30) * 3_600_000);
      const actor = action === 'withdraw' || action === 'supplement-received' ? applicant.accountId : officer;
      try {
        const v = await service.get(actor, code);
        await service.act({
          accountId: actor,
          code,
          action,
          reason: extra?.reason,
          newDueAt: extra?.extendDays
            ? new Date(v.dueAt.getTime() + extra.extendDays * 86_400_000)
            : undefined,
        });
      } catch {
        break;
      }
    }
  }
  return made;
}
