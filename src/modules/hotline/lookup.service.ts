/**
 * An operator looks a caller up — by phone, personal ID (CCCD, 12 digits) or tax code — to see their
 * account and dossiers. Every look-up that finds someone is written to that person's "who accessed my
 * data" list (identity's recordDataAccess: the operator, the hotline, the call and the reason) and to the
 * audit log in one transaction, and look-ups are limited per operator so the desk cannot be used to browse.
 */
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { type AnyDb, scoped } from '../../platform/db/index.ts';
import { NotFoundError, TooManyRequestsError, ValidationError } from '../../platform/errors/index.ts';
import type { RateLimiter } from '../../platform/security/index.ts';
import { normalizePhone } from './domain/call-input.ts';
import { HOTLINE_NUMBER } from './domain/vocabulary.ts';
import type { HotlinePorts } from './hotline.ports.ts';
import * as repo from './hotline.repository.ts';
import type { HotlineService } from './hotline.service.ts';
import type { HotlineTables } from './hotline.tables.ts';

export const LOOKUP_BY = ['phone', 'personalId', 'taxCode'] as const;
export type LookupBy = (typeof LOOKUP_BY)[number];
export const LOOKUP_LIMIT = { name: 'hotline-lookup', max: 120, windowSeconds: 3600 };
/** What the person's list says was read (claim names, as identity's own look-up). */
export const LOOKUP_FIELDS = ['HoVaTen', 'SoDinhDanh', 'MaSoDoanhNghiep', 'SoDienThoai', 'ThuDienTu', 'HoSo'];

export interface LookupInput {
  by: string;
  value: string;
  reason: string;
  /** The call this look-up serves, if it is written down already. */
  callCode?: string | undefined;
}

export function createLookupService(deps: {
  db: AnyDb;
  clock: Clock;
  limiter: RateLimiter;
  ports: HotlinePorts;
  service: Pick<HotlineService, 'ensureOperator'>;
}) {
  const db = scoped<HotlineTables>(deps.db);
  const { ports } = deps;

  function parse(input: LookupInput) {
    const errors: Array<{ path: string; message: string }> = [];
    const by = input.by as LookupBy;
    const raw = input.value.trim();
    let value: string | undefined;
    if (by === 'phone') value = normalizePhone(raw);
    else if (by === 'personalId') value = /^\d{12}$/.test(raw) ? raw : undefined;
    else if (by === 'taxCode') value = /^\d{10}(-\d{3})?$/.test(raw) ? raw : undefined;
    else errors.push({ path: 'by', message: 'Chọn cách tra cứu. / Choose what to look up by.' });
    if (LOOKUP_BY.includes(by) && !value)
      errors.push({
        path: 'value',
        message:
          by === 'phone'
            ? 'Số điện thoại không hợp lệ. / Invalid phone number.'
            : by === 'personalId'
              ? 'Số định danh cá nhân gồm 12 chữ số. / A personal ID has 12 digits.'
              : 'Mã số thuế gồm 10 hoặc 13 chữ số. / A tax code has 10 or 13 digits.',
      });
    const reason = input.reason.normalize('NFC').trim().replace(/\s+/g, ' ');
    if (reason.length < 10 || reason.length > 150)
      errors.push({
        path: 'reason',
        message:
          'Ghi rõ lý do tra cứu (10–150 ký tự); người được tra cứu sẽ đọc được. / Give a reason (10–150 characters).',
      });
    const callCode = input.callCode?.trim() || undefined;
    if (callCode && callCode.length > 40)
      errors.push({ path: 'callCode', message: 'Mã cuộc gọi không hợp lệ. / Invalid call code.' });
    if (errors.length > 0) throw new ValidationError(errors.map((e) => e.message).join(' '), errors);
    return { by, value: value!, reason, callCode };
  }

  return {
    async lookup(operatorId: string, input: LookupInput) {
      await deps.service.ensureOperator(operatorId);
      const q = parse(input);
      if (q.callCode && !(await repo.findCall(db, q.callCode)))
        throw new ValidationError('Không có cuộc gọi với mã này.', [
          { path: 'callCode', message: 'Không có cuộc gọi với mã này. / No call with this code.' },
        ]);
      const verdict = await deps.limiter.hit(LOOKUP_LIMIT, operatorId);
      if (!verdict.allowed)
        throw new TooManyRequestsError(
          'Bạn đã tra cứu quá nhiều trong một giờ. Vui lòng thử lại sau. / Too many look-ups.',
          verdict.retryAfterSeconds,
        );
      const account = await ports.findAccount({ [q.by]: q.value });
      if (!account) throw new NotFoundError('Không tìm thấy tài khoản nào khớp. / No account matches.');
      const [dossiers, label] = await Promise.all([
        ports.dossiersOf(account.id),
        ports.operatorLabel(operatorId),
      ]);
      const now = deps.clock.now();
      const purpose = `Tổng đài hỗ trợ ${HOTLINE_NUMBER}${q.callCode ? `, cuộc gọi ${q.callCode}` : ''}: ${q.reason}`;
      await db.transaction().execute(async (trx) => {
        await ports.recordDataAccess(trx, {
          accountId: account.id,
          accessorKind: 'officer',
          accessorId: operatorId,
          accessorName: label,
          purpose,
          fields: LOOKUP_FIELDS,
        });
        await appendAudit(
          trx,
          {
            actor: `user:${operatorId}`,
            action: 'hotline.lookup',
            subject: `account:${account.id}`,
            data: { by: q.by, reason: q.reason, ...(q.callCode ? { call: q.callCode } : {}) },
          },
          now,
        );
      });
      return { account, dossiers, purpose };
    },
  };
}

export type LookupService = ReturnType<typeof createLookupService>;
