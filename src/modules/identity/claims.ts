/**
 * What the portal releases about an account: to relying parties (the national portal's claims) and what
 * it keeps back, and to the other modules (a proven holder's personal ID number, an applicant's profile
 * for filing, the TechID of a number). A personal identification number is released only once its holder is proven (the
 * population register matched it and the code reached the phone it holds): a declared number may be
 * someone else's. A business's tax code likewise, once the business register has proven it.
 * Organisations have no register here yet: their tax code is released as declared.
 */
import type { Kysely } from 'kysely';
import { recordDataAccess } from './data-access.ts';
import * as repo from './identity.repository.ts';
import type { IdentityTables } from './identity.tables.ts';
import type { PortalClaims } from './oidc/provider.ts';

/** Claims an account would release once proven, with the reason they are not released yet. */
export type WithheldClaim = 'SoDinhDanh' | 'MaSoDoanhNghiep';

export function createClaims(db: Kysely<IdentityTables>) {
  const read = (accountId: string) => repo.findAccount(db, accountId);

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

    /**
     * A citizen's personal ID number and name, only when the account is proven (the population register
     * matched the number, name and date of birth, and the code reached the phone it holds): what is
     * held under a number — synced dossiers and their history — is shown only to its proven holder.
     * Undefined for an unproven, disabled or unknown account.
     */
    async personalIdOf(accountId: string): Promise<{ personalId: string; name: string } | undefined> {
      if (!/^[0-9a-f-]{36}$/.test(accountId)) return undefined;
      const a = await repo.provenCitizen(db, accountId);
      return a?.personal_id ? { personalId: a.personal_id, name: a.display_name } : undefined;
    },

    /**
     * An account's own details for filing (the e-form is pre-filled with them; the dossier keeps the ID
     * number): name, personal ID number or tax code, date of birth, and the phone and e-mail only when
     * verified. Undefined for an unknown or disabled account.
     */
    async applicantProfile(accountId: string) {
      if (!/^[0-9a-f-]{36}$/.test(accountId)) return undefined;
      const a = await repo.applicantOf(db, accountId);
      if (!a) return undefined;
      return {
        kind: a.kind,
        name: a.display_name,
        personalId: a.personal_id,
        taxCode: a.tax_code,
        birthDate: a.birth_date,
        phone: a.phone_verified_at ? a.phone : null,
        email: a.email_verified_at ? a.email : null,
      };
    },

    /**
     * The portal account id (TechID) of a citizen by personal ID number, or of a business or
     * organisation by tax code (TraCuuTechID of the DVCQG protocol): only a proven holder is named
     * (organisations have no register yet). Callers record the read.
     */
    async techIdOf(query: { personalId?: string; taxCode?: string }): Promise<string | undefined> {
      if (query.personalId && /^\d{12}$/.test(query.personalId))
        return (await repo.provenCitizenByPersonalId(db, query.personalId))?.id;
      if (query.taxCode && /^\d{10}(-\d{3})?$/.test(query.taxCode))
        return (await repo.holderOfTaxCode(db, query.taxCode))?.id;
      return undefined;
    },

    /**
     * The same for an agency system (the DVCQG adapter's TraCuuTechID), the read recorded in the
     * person's data-access log under the system's name.
     */
    async techIdFor(
      query: { personalId?: string; taxCode?: string },
      reader: { clientId: string; clientName: string },
    ): Promise<string | undefined> {
      const id = await this.techIdOf(query);
      if (id)
        await recordDataAccess(db, {
          accountId: id,
          accessorKind: 'client',
          accessorId: reader.clientId,
          accessorName: reader.clientName,
          purpose: 'Tra cứu mã tài khoản (TraCuuTechID)',
          fields: ['TechID', query.personalId ? 'SoDinhDanh' : 'MaSoDoanhNghiep'],
        });
      return id;
    },

    /**
     * What an agency system receives about the applicant of a dossier filed on the portal: the ID number
     * or tax code, and the e-mail and phone only when verified. Undefined for an unknown account.
     */
    async applicantContact(
      accountId: string,
    ): Promise<{ idNumber: string | null; email: string | null; phone: string | null } | undefined> {
      const a = await repo.getAccount(db, accountId).catch(() => undefined);
      if (!a) return undefined;
      return {
        idNumber: a.personal_id ?? a.tax_code ?? null,
        email: a.email_verified_at ? a.email : null,
        phone: a.phone_verified_at ? a.phone : null,
      };
    },
  };
}
