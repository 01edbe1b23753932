/**
 * An officer looks up a person's account to help them (the hotline desk, the one-stop counter): by
 * personal ID, tax code, phone or e-mail, giving a reason. Every look-up is written to the person's
 * data-access log (they see who, from which agency, why and which fields) and to the audit log, in one
 * transaction, and is rate limited per officer so that the tool cannot be used for browsing.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { NotFoundError, TooManyRequestsError, ValidationError } from '../../platform/errors/index.ts';
import type { RateLimiter } from '../../platform/security/index.ts';
import { recordDataAccess } from './data-access.ts';
import { normalizeEmail, normalizePhone } from './domain/index.ts';
import { officerLabelOf } from './identity.repository.ts';
import type { IdentityTables } from './identity.tables.ts';

export const LOOKUP_LIMIT = { name: 'account-lookup', max: 60, windowSeconds: 3600 };

/** The fields the officer is shown, by the claim names the person's log uses. */
export const LOOKUP_FIELDS = [
  'HoVaTen',
  'SoDinhDanh',
  'MaSoDoanhNghiep',
  'NgayThangNamSinh',
  'SoDienThoai',
  'ThuDienTu',
  'TrangThai',
] as const;

export type AccountLookupService = ReturnType<typeof createAccountLookupService>;

/** The officer as the person will read it in their log: "name, title — agency" (the agency's code when unnamed). */
export function officerLabeller(
  db: Kysely<IdentityTables>,
  agencyName: (code: string) => Promise<string | undefined>,
) {
  return async (accountId: string): Promise<string> => {
    const o = await officerLabelOf(db, accountId);
    const agency = (await agencyName(o.agency_code)) ?? o.agency_code;
    return `${o.display_name}${o.title ? `, ${o.title}` : ''} — ${agency}`;
  };
}

export function createAccountLookupService(deps: {
  db: Kysely<IdentityTables>;
  clock: Clock;
  limiter: RateLimiter;
  /** The officer as the person will read it: name, title, agency. */
  officerLabel(accountId: string): Promise<string>;
}) {
  const { db, clock, limiter } = deps;
  return {
    async lookup(officerId: string, input: { identifier: string; reason: string }) {
      const reason = input.reason.normalize('NFC').trim().replace(/\s+/g, ' ');
      const id = input.identifier.trim();
      const errors: Array<{ path: string; message: string }> = [];
      if (id.length === 0)
        errors.push({
          path: 'identifier',
          message: 'Nhập số định danh, mã số thuế, số điện thoại hoặc thư điện tử.',
        });
      if (reason.length < 10 || reason.length > 150)
        errors.push({
          path: 'reason',
          message: 'Ghi rõ lý do tra cứu (10–150 ký tự), ví dụ số phiếu hỗ trợ của tổng đài.',
        });
      if (errors.length > 0) throw new ValidationError('Chưa đủ thông tin để tra cứu.', errors);
      const verdict = await limiter.hit(LOOKUP_LIMIT, officerId);
      if (!verdict.allowed)
        throw new TooManyRequestsError(
          'Bạn đã tra cứu quá nhiều tài khoản trong một giờ. Vui lòng thử lại sau.',
          verdict.retryAfterSeconds,
        );
      const phone = normalizePhone(id);
      const email = id.includes('@') ? normalizeEmail(id) : undefined;
      const account = await db
        .selectFrom('identity.accounts')
        .selectAll()
        .where('kind', 'in', ['citizen', 'business', 'organisation'])
        .where((eb) => {
          const ors = [];
          if (/^\d{12}$/.test(id)) ors.push(eb('personal_id', '=', id));
          if (/^\d{10}(-\d{3})?$/.test(id)) ors.push(eb('tax_code', '=', id));
          if (email?.ok) ors.push(eb('email', '=', email.value));
          if (!email && phone.ok) ors.push(eb('phone', '=', phone.value));
          return ors.length > 0 ? eb.or(ors) : eb.val(false);
        })
        .executeTakeFirst();
      if (!account) throw new NotFoundError('Không tìm thấy tài khoản nào khớp.');
      const label = await deps.officerLabel(officerId);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await recordDataAccess(trx, {
          accountId: account.id,
          accessorKind: 'officer',
          accessorId: officerId,
          accessorName: label,
          purpose: `Tra cứu tài khoản để hỗ trợ: ${reason}`,
          fields: [...LOOKUP_FIELDS],
        });
        await appendAudit(
          trx,
          {
            actor: `officer:${officerId}`,
            action: 'account.lookup',
            subject: `account:${account.id}`,
            data: { reason },
          },
          now,
        );
      });
      return {
        kind: account.kind,
        displayName: account.display_name,
        personalId: account.personal_id,
        taxCode: account.tax_code,
        birthDate: account.birth_date,
        phone: account.phone,
        phoneVerified: account.phone_verified_at !== null,
        email: account.email,
        emailVerified: account.email_verified_at !== null,
        status: account.status,
        lockedUntil: account.locked_until && account.locked_until > now ? account.locked_until : null,
        createdAt: account.created_at,
      };
    },
  };
}
