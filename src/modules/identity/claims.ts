/**
 * What the portal releases about an account to relying parties (the national portal's claims), and what
 * it keeps back. A personal identification number is released only once its holder is proven (the
 * population register matched it and the code reached the phone it holds): a declared number may be
 * someone else's. A business's tax code likewise, once the business register has proven it.
 * Organisations have no register here yet: their tax code is released as declared.
 */
import type { Kysely } from 'kysely';
import type { IdentityTables } from './identity.tables.ts';
import type { PortalClaims } from './oidc/provider.ts';

/** Claims an account would release once proven, with the reason they are not released yet. */
export type WithheldClaim = 'SoDinhDanh' | 'MaSoDoanhNghiep';

export function createClaims(db: Kysely<IdentityTables>) {
  const read = (accountId: string) =>
    db.selectFrom('identity.accounts').selectAll().where('id', '=', accountId).executeTakeFirst();

  return {
    /** The claims of an active account, without empty ones; undefined for an unknown or disabled one. */
    async claimsOf(accountId: string): Promise<PortalClaims | undefined> {
      if (!/^[0-9a-f-]{36}$/.test(accountId)) return undefined;
      const a = await read(accountId);
      if (a?.status !== 'active') return undefined;
      const proven = a.proofed_at !== null;
      const organisation = a.kind === 'business' || a.kind === 'organisation';
      const claims: PortalClaims = {
        sub: a.id,
        TechID: a.id,
        TrangThai: 1,
        LoaiTaiKhoan: a.kind === 'citizen' ? 1 : a.kind === 'business' ? 2 : 3,
        HoVaTen: a.kind === 'citizen' ? a.display_name : null,
        SoDinhDanh: a.kind === 'citizen' && proven ? a.personal_id : null,
        NgayThangNamSinh: a.birth_date,
        GioiTinh: a.sex === 'male' ? 'Nam' : a.sex === 'female' ? 'Nữ' : null,
        ThuDienTu: a.email_verified_at ? a.email : null,
        SoDienThoai: a.phone_verified_at && a.phone ? a.phone.replace(/^\+84/, '0') : null,
        // Organisations are identified by their tax code too, released under the same claims.
        MaSoDoanhNghiep: (a.kind === 'business' && proven) || a.kind === 'organisation' ? a.tax_code : null,
        TenDoanhNghiep: organisation ? a.display_name : null,
      };
      return Object.fromEntries(
        Object.entries(claims).filter(([, v]) => v !== null && v !== undefined),
      ) as PortalClaims;
    },

    /** The claims kept back because the account is not proven (for the consent page to say so). */
    async withheldOf(accountId: string): Promise<WithheldClaim[]> {
      if (!/^[0-9a-f-]{36}$/.test(accountId)) return [];
      const a = await read(accountId);
      if (!a || a.proofed_at !== null) return [];
      if (a.kind === 'citizen' && a.personal_id) return ['SoDinhDanh'];
      if (a.kind === 'business' && a.tax_code) return ['MaSoDoanhNghiep'];
      return [];
    },
  };
}
