/**
 * Demo accounts and a demo relying party for the embedded portal (`npm start` on PGlite), listed in
 * the README. Never loaded on PostgreSQL or in production. Idempotent.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { hashPassword } from './domain/index.ts';
import type { IdentityTables } from './identity.tables.ts';
import { registerOidcClient } from './oidc/clients.ts';

export const DEMO_ACCOUNTS = [
  {
    kind: 'citizen' as const,
    display_name: 'Nguyễn Văn Minh',
    personal_id: '001088012345',
    birth_date: '1988-05-12',
    sex: 'male' as const,
    phone: '+84911000001',
    email: 'minh.demo@example.vn',
    password: 'DemoCongDan@2026',
  },
  {
    kind: 'business' as const,
    display_name: 'Công ty TNHH Ánh Dương (dữ liệu thử)',
    tax_code: '0106789017',
    phone: '+84911000002',
    email: 'anhduong.demo@example.vn',
    password: 'DemoDoanhNghiep@2026',
  },
  {
    kind: 'organisation' as const,
    display_name: 'Hội Nông dân xã Đông Anh (dữ liệu thử)',
    tax_code: '0101243150',
    organisation_type: 'other' as const,
    phone: '+84911000003',
    email: 'hoinongdan.demo@example.vn',
    password: 'DemoToChuc@2026',
  },
];

/** Demo officers share one password and one published TOTP secret (demo only: README). */
export const DEMO_OFFICER_PASSWORD = 'DemoCanBo@2026';
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXP';
export const DEMO_OFFICERS = [
  {
    email: 'quantri.demo@example.vn',
    name: 'Quản trị hệ thống (demo)',
    agency: 'VPCP',
    grants: [['CP', 'system-admin']],
  },
  {
    email: 'giamsat.demo@example.vn',
    name: 'Giám sát Văn phòng Chính phủ (demo)',
    agency: 'VPCP',
    grants: [['CP', 'vpcp-supervisor']],
  },
  {
    email: 'tongdai.demo@example.vn',
    name: 'Tổng đài viên 1900 (demo)',
    agency: 'VPCP',
    grants: [['CP', 'hotline-operator']],
  },
  {
    email: 'quantri.hanoi.demo@example.vn',
    name: 'Quản trị UBND Hà Nội (demo)',
    agency: 'UBND-01',
    grants: [['UBND-01', 'agency-admin']],
  },
  {
    email: 'motcua.hanoi.demo@example.vn',
    name: 'Cán bộ một cửa Hà Nội (demo)',
    agency: 'TTPVHCC-01',
    // Receives at the one-stop centre and, for the demo, processes and approves for the whole city.
    grants: [
      ['UBND-01', 'receiver'],
      ['UBND-01', 'processor'],
      ['UBND-01', 'approver'],
      ['UBND-01', 'cashier'],
      ['UBND-01', 'accountant'],
    ],
  },
  {
    email: 'chungthuc.hoankiem.demo@example.vn',
    name: 'Cán bộ tư pháp – hộ tịch phường Hoàn Kiếm (demo)',
    agency: 'UBND-00070',
    // Certifies copies from originals at the ward's counter and takes the fee in cash.
    grants: [
      ['UBND-00070', 'certifier'],
      ['UBND-00070', 'cashier'],
    ],
  },
  {
    email: 'motcua.hcm.demo@example.vn',
    name: 'Cán bộ một cửa TP. Hồ Chí Minh (demo)',
    agency: 'TTPVHCC-79',
    grants: [
      ['UBND-79', 'receiver'],
      ['UBND-79', 'processor'],
      ['UBND-79', 'approver'],
      ['UBND-79', 'cashier'],
    ],
  },
] as const;

export const DEMO_CLIENT = {
  clientId: 'demo-cong-tinh',
  clientSecret: 'demo-cong-tinh-secret-do-not-use-in-production',
  redirectUri: 'http://localhost:4000/callback',
};

/**
 * An agency system of Hà Nội (UBND-01, identifier 000.00.00.H26) that may sync dossier status: the REST
 * sync API and the DVCQG adapter, used by `npm run sim:agency` (sim/agency/README.md).
 */
export const DEMO_SYNC_CLIENT = {
  clientId: 'demo-motcua-hanoi',
  clientSecret: 'demo-motcua-hanoi-secret-do-not-use-in-production',
  agencyCodes: ['UBND-01'],
};

/**
 * The traffic police's system of penalty decisions (sim/police, started by main.ts): registers decisions
 * of BCA with PUT /api/v1/fines/{number} (scope fines).
 */
export const DEMO_POLICE_CLIENT = {
  clientId: 'demo-csgt-hanoi',
  clientSecret: 'demo-csgt-hanoi-secret-do-not-use-in-production',
  agencyCodes: ['BCA'],
};

/**
 * How the demo's citizen and business are proven: they are people of the register simulators
 * (sim/population-register, sim/business-register), marked proven as if they had registered there.
 * The organisation stays unproven: there is no register for organisations.
 */
const demoProofing = (kind: string, now: Date) =>
  kind === 'citizen' || kind === 'business'
    ? {
        proofed_at: now,
        proofing_method:
          kind === 'citizen' ? ('population-register' as const) : ('business-register' as const),
        proofing_level: 1 as const,
        proofing_reference: 'demo',
      }
    : {};

export async function seedIdentityDemo(db: Kysely<IdentityTables>): Promise<void> {
  const now = new Date();
  for (const a of DEMO_ACCOUNTS) {
    const exists = await db
      .selectFrom('identity.accounts')
      .select(['id', 'proofed_at'])
      .where((eb) => eb.or([eb('email', '=', a.email), eb('phone', '=', a.phone)]))
      .executeTakeFirst();
    if (exists) {
      // A demo data directory made before proofing existed: its demo accounts become proven too.
      if (exists.proofed_at === null && (a.kind === 'citizen' || a.kind === 'business'))
        await db
          .updateTable('identity.accounts')
          .set(demoProofing(a.kind, now))
          .where('id', '=', exists.id)
          .where('proofed_at', 'is', null)
          .execute();
      continue;
    }
    await db
      .insertInto('identity.accounts')
      .values({
        kind: a.kind,
        display_name: a.display_name,
        personal_id: 'personal_id' in a ? a.personal_id : null,
        tax_code: 'tax_code' in a ? a.tax_code : null,
        organisation_type: 'organisation_type' in a ? a.organisation_type : null,
        birth_date: 'birth_date' in a ? a.birth_date : null,
        sex: 'sex' in a ? a.sex : null,
        phone: a.phone,
        phone_verified_at: now,
        email: a.email,
        email_verified_at: now,
        password_hash: await hashPassword(a.password),
        password_changed_at: now,
        locked_until: null,
        ...demoProofing(a.kind, now),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  let officerHash: string | undefined;
  for (const o of DEMO_OFFICERS) {
    const exists = await db
      .selectFrom('identity.accounts')
      .select('id')
      .where('email', '=', o.email)
      .executeTakeFirst();
    if (exists) continue;
    officerHash ??= await hashPassword(DEMO_OFFICER_PASSWORD);
    const passwordHash = officerHash;
    await db.transaction().execute(async (trx) => {
      const a = await trx
        .insertInto('identity.accounts')
        .values({
          kind: 'officer',
          display_name: o.name,
          personal_id: null,
          tax_code: null,
          birth_date: null,
          sex: null,
          phone: null,
          phone_verified_at: null,
          email: o.email,
          email_verified_at: now,
          password_hash: passwordHash,
          password_changed_at: now,
          locked_until: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('identity.officers')
        .values({
          account_id: a.id,
          agency_code: o.agency,
          title: null,
          department: null,
          totp_secret: DEMO_TOTP_SECRET,
          totp_enrolled_at: now,
          totp_last_step: null,
          created_by: null,
        })
        .execute();
      for (const [agency, role] of o.grants) {
        await trx
          .insertInto('identity.role_grants')
          .values({
            account_id: a.id,
            agency_code: agency,
            role,
            granted_by: null,
            revoked_at: null,
            revoked_by: null,
          })
          .execute();
      }
    });
  }
  const client = await sql<{
    n: number;
  }>`select count(*) as n from identity.oidc_payloads where model = 'Client' and id = ${DEMO_CLIENT.clientId}`.execute(
    db,
  );
  if (client.rows[0]!.n === 0) {
    await registerOidcClient(db as Kysely<unknown>, {
      clientId: DEMO_CLIENT.clientId,
      clientSecret: DEMO_CLIENT.clientSecret,
      name: 'Cổng dịch vụ công tỉnh (demo)',
      redirectUris: [DEMO_CLIENT.redirectUri],
      postLogoutRedirectUris: ['http://localhost:4000/'],
    });
  }
  const syncClient = await sql<{
    n: number;
  }>`select count(*) as n from identity.oidc_payloads where model = 'Client' and id = ${DEMO_SYNC_CLIENT.clientId}`.execute(
    db,
  );
  if (Number(syncClient.rows[0]!.n) === 0) {
    await registerOidcClient(db as Kysely<unknown>, {
      clientId: DEMO_SYNC_CLIENT.clientId,
      clientSecret: DEMO_SYNC_CLIENT.clientSecret,
      name: 'Hệ thống một cửa điện tử Hà Nội (demo)',
      machine: true,
      agencyCodes: DEMO_SYNC_CLIENT.agencyCodes,
      scope: 'sync',
    });
  }
  const policeClient = await sql<{
    n: number;
  }>`select count(*) as n from identity.oidc_payloads where model = 'Client' and id = ${DEMO_POLICE_CLIENT.clientId}`.execute(
    db,
  );
  if (Number(policeClient.rows[0]!.n) === 0) {
    await registerOidcClient(db as Kysely<unknown>, {
      clientId: DEMO_POLICE_CLIENT.clientId,
      clientSecret: DEMO_POLICE_CLIENT.clientSecret,
      name: 'Hệ thống xử phạt vi phạm hành chính, CSGT Hà Nội (demo)',
      machine: true,
      agencyCodes: DEMO_POLICE_CLIENT.agencyCodes,
      scope: 'fines',
    });
  }
}
