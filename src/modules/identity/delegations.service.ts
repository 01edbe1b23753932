/**
 * Business representation: a business or organisation account (its legal representative) authorises a
 * person, named by their personal identification number, to act for it — for every procedure or listed
 * ones, until a date — and revokes it. The authorisation is an invitation until that person, signed in,
 * accepts it: until then the business learns neither whether an account exists nor whose it is, and
 * nobody may act on it. Other modules ask `mayActFor` before filing for a business; what is filed
 * belongs to the business.
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
import { notifyAccount } from '../notifications/index.ts';
import { parsePersonalId } from './domain/index.ts';
import type { IdentityTables } from './identity.tables.ts';

const PROCEDURE_CODE = /^\d\.\d{6}$/;

export type DelegationStatus = 'invited' | 'accepted' | 'declined' | 'revoked' | 'expired';

export type DelegationsService = ReturnType<typeof createDelegationsService>;

export function createDelegationsService({ db, clock }: { db: Kysely<IdentityTables>; clock: Clock }) {
  const today = () => vietnamDate(clock.now());
  const statusOf = (d: {
    accepted_at: Date | null;
    declined_at: Date | null;
    revoked_at: Date | null;
    valid_until: string;
  }): DelegationStatus =>
    d.revoked_at
      ? 'revoked'
      : d.declined_at
        ? 'declined'
        : d.valid_until < today()
          ? 'expired'
          : d.accepted_at
            ? 'accepted'
            : 'invited';

  /** Accept or decline an open invitation addressed to the account's personal ID. */
  async function answer(accountId: string, delegationId: number, accept: boolean) {
    const me = await db
      .selectFrom('identity.accounts')
      .select(['personal_id', 'kind', 'proofed_at'])
      .where('id', '=', accountId)
      .executeTakeFirst();
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('identity.delegations')
        .set(accept ? { accepted_at: now, delegate_account_id: accountId } : { declined_at: now })
        .where('id', '=', delegationId)
        // Only the proven holder of the number it names (a declared number may be someone else's).
        .where(
          'delegate_personal_id',
          '=',
          me?.kind === 'citizen' && me.proofed_at ? (me.personal_id ?? '-') : '-',
        )
        .where('business_account_id', '<>', accountId)
        .where('accepted_at', 'is', null)
        .where('declined_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('valid_until', '>=', today())
        .returning('business_account_id')
        .executeTakeFirst();
      // Not addressed to this person, already answered or withdrawn: not found, whatever the reason.
      if (!r) throw new NotFoundError('Không tìm thấy đề nghị ủy quyền.');
      await appendAudit(
        trx,
        {
          actor: `user:${accountId}`,
          action: accept ? 'delegation.accept' : 'delegation.decline',
          subject: `account:${r.business_account_id}`,
          data: { delegation: delegationId },
        },
        now,
      );
    });
  }

  return {
    /** Invites a person (by personal ID) to act for the business. Says nothing about whether they exist. */
    async delegate(
      businessId: string,
      input: { personalId: string; procedures: string[]; validUntil: string },
    ): Promise<{ id: number }> {
      const business = await db
        .selectFrom('identity.accounts')
        .select(['id', 'kind', 'display_name', 'tax_code'])
        .where('id', '=', businessId)
        .executeTakeFirst();
      if (business?.kind !== 'business' && business?.kind !== 'organisation')
        throw new ForbiddenError('Chỉ tài khoản doanh nghiệp, tổ chức mới ủy quyền được.');
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
      // Tell the person, if they have an account with a verified contact (the business is not told).
      const invitee = await db
        .selectFrom('identity.accounts')
        .select(['id', 'email', 'email_verified_at', 'phone', 'phone_verified_at'])
        .where('personal_id', '=', pid.value)
        .where('kind', '=', 'citizen')
        .where('status', '=', 'active')
        .executeTakeFirst();
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('identity.delegations')
          .values({
            business_account_id: businessId,
            delegate_account_id: null,
            delegate_personal_id: pid.value,
            all_procedures: codes.length === 0,
            procedure_codes: codes,
            valid_until: input.validUntil,
            revoked_at: null,
            accepted_at: null,
            declined_at: null,
          })
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!row)
          throw new ConflictError(
            'Đã có ủy quyền (hoặc đề nghị ủy quyền) cho số định danh này; hãy thu hồi trước khi cấp lại.',
          );
        const to = invitee?.email_verified_at
          ? invitee.email
          : invitee?.phone_verified_at
            ? invitee.phone
            : null;
        if (invitee) {
          await notifyAccount(trx, {
            accountId: invitee.id,
            [invitee.email_verified_at ? 'email' : 'sms']: to,
            template: 'delegation.invited',
            params: { business: business.display_name, taxCode: business.tax_code ?? '' },
          });
        }
        await appendAudit(
          trx,
          {
            actor: `user:${businessId}`,
            action: 'delegation.invite',
            subject: `delegation:${row.id}`,
            data: { procedures: codes, validUntil: input.validUntil },
          },
          now,
        );
        return { id: row.id };
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
          .where('declined_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        // Someone else's delegation, or none: not found, whatever the reason.
        if (!r) throw new NotFoundError('Không tìm thấy ủy quyền.');
        await appendAudit(
          trx,
          { actor: `user:${businessId}`, action: 'delegation.revoke', subject: `delegation:${r.id}` },
          now,
        );
      });
    },

    accept: (accountId: string, delegationId: number) => answer(accountId, delegationId, true),
    decline: (accountId: string, delegationId: number) => answer(accountId, delegationId, false),

    /** The business's authorisations, current and past; the person's name only once they accepted. */
    async given(businessId: string) {
      const rows = await db
        .selectFrom('identity.delegations as d')
        .leftJoin('identity.accounts as a', 'a.id', 'd.delegate_account_id')
        .select([
          'd.id',
          'a.display_name',
          'd.delegate_personal_id',
          'd.all_procedures',
          'd.procedure_codes',
          'd.valid_until',
          'd.revoked_at',
          'd.accepted_at',
          'd.declined_at',
        ])
        .where('d.business_account_id', '=', businessId)
        .orderBy('d.created_at', 'desc')
        .execute();
      return rows.map((d) => ({ ...d, status: statusOf(d) }));
    },

    /** Open invitations addressed to the account's personal ID. */
    async invitationsFor(accountId: string) {
      const me = await db
        .selectFrom('identity.accounts')
        .select(['personal_id', 'kind', 'proofed_at'])
        .where('id', '=', accountId)
        .executeTakeFirst();
      // Invitations name a person by number: only its proven holder sees them.
      if (me?.kind !== 'citizen' || !me.personal_id || !me.proofed_at) return [];
      return db
        .selectFrom('identity.delegations as d')
        .innerJoin('identity.accounts as b', 'b.id', 'd.business_account_id')
        .select([
          'd.id',
          'b.display_name',
          'b.tax_code',
          'd.all_procedures',
          'd.procedure_codes',
          'd.valid_until',
        ])
        .where('d.delegate_personal_id', '=', me.personal_id)
        .where('d.business_account_id', '<>', accountId)
        .where('d.accepted_at', 'is', null)
        .where('d.declined_at', 'is', null)
        .where('d.revoked_at', 'is', null)
        .where('d.valid_until', '>=', today())
        .orderBy('d.created_at', 'desc')
        .execute();
    },

    /** The businesses an account may act for today (accepted authorisations only). */
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
        .where('d.accepted_at', 'is not', null)
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
        .where('accepted_at', 'is not', null)
        .where('revoked_at', 'is', null)
        .where('valid_until', '>=', today())
        .executeTakeFirst();
      return d !== undefined && (d.all_procedures || d.procedure_codes.includes(procedureCode));
    },
  };
}
