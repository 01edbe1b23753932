/**
 * Business representation: the business account (its legal representative) authorises citizens to act
 * for it — for all procedures or listed ones, until a date — and revokes them. Other modules ask
 * `mayActFor` before filing for a business; what is filed belongs to the business.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import { type Clock, isIsoDate, vietnamDate } from '../../platform/clock/index.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors/index.ts';
import { parsePersonalId } from './domain/index.ts';
import type { IdentityTables } from './identity.tables.ts';

const PROCEDURE_CODE = /^\d\.\d{6}$/;

export type DelegationsService = ReturnType<typeof createDelegationsService>;

export function createDelegationsService({ db, clock }: { db: Kysely<IdentityTables>; clock: Clock }) {
  const today = () => vietnamDate(clock.now());

  return {
    async delegate(
      businessId: string,
      input: { personalId: string; procedures: string[]; validUntil: string },
    ) {
      const business = await db
        .selectFrom('identity.accounts')
        .select(['id', 'kind'])
        .where('id', '=', businessId)
        .executeTakeFirst();
      if (business?.kind !== 'business')
        throw new ForbiddenError('Chỉ tài khoản doanh nghiệp mới ủy quyền được.');
      const pid = parsePersonalId(input.personalId);
      if (!pid.ok) throw new ValidationError(pid.message, [{ path: 'personalId', message: pid.message }]);
      if (!isIsoDate(input.validUntil) || input.validUntil < today()) {
        throw new ValidationError('Ngày hết hạn ủy quyền phải là một ngày từ hôm nay trở đi.', [
          { path: 'validUntil', message: 'Ngày hết hạn ủy quyền phải là một ngày từ hôm nay trở đi.' },
        ]);
      }
      const codes = [...new Set(input.procedures.map((c) => c.trim()).filter(Boolean))];
      const bad = codes.find((c) => !PROCEDURE_CODE.test(c));
      if (bad)
        throw new ValidationError(`Mã thủ tục "${bad}" không hợp lệ (ví dụ 2.000815).`, [
          { path: 'procedures', message: `Mã thủ tục "${bad}" không hợp lệ (ví dụ 2.000815).` },
        ]);
      const delegate = await db
        .selectFrom('identity.accounts')
        .select(['id', 'display_name'])
        .where('personal_id', '=', pid.value)
        .where('kind', '=', 'citizen')
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (!delegate) {
        throw new NotFoundError(
          'Không có tài khoản công dân nào mang số định danh này. Người được ủy quyền cần đăng ký tài khoản trước.',
        );
      }
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('identity.delegations')
          .select('id')
          .where('business_account_id', '=', businessId)
          .where('delegate_account_id', '=', delegate.id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (existing)
          throw new ConflictError('Người này đang được ủy quyền; hãy thu hồi ủy quyền cũ trước khi cấp lại.');
        const row = await trx
          .insertInto('identity.delegations')
          .values({
            business_account_id: businessId,
            delegate_account_id: delegate.id,
            all_procedures: codes.length === 0,
            procedure_codes: codes,
            valid_until: input.validUntil,
            revoked_at: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await appendAudit(
          trx,
          {
            actor: `user:${businessId}`,
            action: 'delegation.grant',
            subject: `account:${delegate.id}`,
            data: { procedures: codes, validUntil: input.validUntil },
          },
          now,
        );
        return { id: row.id, delegateName: delegate.display_name };
      });
    },

    async revoke(businessId: string, delegationId: number) {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('identity.delegations')
          .set({ revoked_at: now })
          .where('id', '=', delegationId)
          .where('business_account_id', '=', businessId)
          .where('revoked_at', 'is', null)
          .returning('delegate_account_id')
          .executeTakeFirst();
        // Someone else's delegation, or none: not found, whatever the reason.
        if (!r) throw new NotFoundError('Không tìm thấy ủy quyền.');
        await appendAudit(
          trx,
          {
            actor: `user:${businessId}`,
            action: 'delegation.revoke',
            subject: `account:${r.delegate_account_id}`,
          },
          now,
        );
      });
    },

    /** The business's delegations, current and past. */
    async given(businessId: string) {
      return db
        .selectFrom('identity.delegations as d')
        .innerJoin('identity.accounts as a', 'a.id', 'd.delegate_account_id')
        .select([
          'd.id',
          'a.display_name',
          'a.personal_id',
          'd.all_procedures',
          'd.procedure_codes',
          'd.valid_until',
          'd.revoked_at',
        ])
        .where('d.business_account_id', '=', businessId)
        .orderBy('d.created_at', 'desc')
        .execute();
    },

    /** The businesses an account may act for today. */
    async actingFor(delegateId: string) {
      return db
        .selectFrom('identity.delegations as d')
        .innerJoin('identity.accounts as b', 'b.id', 'd.business_account_id')
        .select([
          'd.id',
          'b.id as business_id',
          'b.display_name',
          'b.tax_code',
          'd.all_procedures',
          'd.procedure_codes',
          'd.valid_until',
        ])
        .where('d.delegate_account_id', '=', delegateId)
        .where('d.revoked_at', 'is', null)
        .where('d.valid_until', '>=', today())
        .orderBy('b.display_name')
        .execute();
    },

    /** May `accountId` file `procedureCode` for `businessId` today? (The business itself always may.) */
    async mayActFor(accountId: string, businessId: string, procedureCode: string): Promise<boolean> {
      if (accountId === businessId) return true;
      const d = await db
        .selectFrom('identity.delegations')
        .select(['all_procedures', 'procedure_codes'])
        .where('delegate_account_id', '=', accountId)
        .where('business_account_id', '=', businessId)
        .where('revoked_at', 'is', null)
        .where('valid_until', '>=', today())
        .executeTakeFirst();
      return d !== undefined && (d.all_procedures || d.procedure_codes.includes(procedureCode));
    },
  };
}
