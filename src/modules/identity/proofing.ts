/**
 * Asking the national registers: from the form's fields to a register's answer, and from the answer
 * to what the portal may believe — the person's (or business's) details and where the code may go —
 * or to messages by the fields. Within limits per address and per number; a register that cannot
 * answer throws RegisterUnavailableError and the attempt is not counted. Nothing is written here.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { ValidationError } from '../../platform/errors/index.ts';
import type { Limit, RateLimiter } from '../../platform/security/index.ts';
import { normalizeEmail, parsePersonalId, parseTaxCode } from './domain/index.ts';
import type { IdentityTables, ProofingMethod } from './identity.tables.ts';
import type { RequestMeta } from './otp-challenges.ts';
import { type Registers, RegisterUnavailableError } from './registers.ts';

type FieldErrors = Array<{ path: string; message: string }>;

export const PROOFING_LIMITS = {
  /** Register checks from one address: enough for a family at one computer, not for a sweep. */
  proofIp: { name: 'proof-ip', max: 20, windowSeconds: 3600, per: 'address' },
  /** Checks of one number or tax code: a date of birth cannot be guessed by trying. */
  proofSubject: { name: 'proof-subject', max: 5, windowSeconds: 3600 },
} satisfies Record<string, Limit>;

/** The level recorded for a remote check against a register with a code to its phone (Decree 69/2024). */
export const REMOTE_PROOFING_LEVEL = 1;

export interface ProveInput {
  displayName: string;
  personalId?: string | undefined;
  birthDate?: string | undefined;
  taxCode?: string | undefined;
  representativeId?: string | undefined;
}

/** What a register proved, kept in the code's challenge until the code is confirmed. */
export interface Proofing {
  method: ProofingMethod;
  reference: string;
  /** ISO time of the register's answer. */
  checkedAt: string;
}

/** The account as the register knows it (citizens: name, birth, sex; businesses: name). */
export interface ProvenDetails {
  kind: 'citizen' | 'business';
  displayName: string;
  personalId: string | null;
  taxCode: string | null;
  birthDate: string | null;
  sex: 'male' | 'female' | null;
  /** Where the code went: the register's phone (E.164) or, for a business without one, its e-mail. */
  phone: string | null;
  email: string | null;
  proofing: Proofing;
}

/** A name as people type it, as compared and kept: NFC, trimmed, single spaces. */
export function normalName(input: string): string {
  return input.normalize('NFC').trim().replace(/\s+/g, ' ');
}

export type RegisterChecks = ReturnType<typeof createRegisterChecks>;

export function createRegisterChecks({
  db,
  clock,
  registers,
  limiter,
  limit,
}: {
  db: Kysely<IdentityTables>;
  clock: Clock;
  registers: Registers;
  limiter: RateLimiter;
  /** Counts a hit, or throws TooManyRequestsError (the identity service's). */
  limit(l: Limit, subject: string): Promise<void>;
}) {
  /**
   * Asks a register within the proofing limits. A register that cannot answer gives the attempt back:
   * the person is not counted for the register's fault.
   */
  async function asking<T>(meta: RequestMeta, subject: string, ask: () => Promise<T>): Promise<T> {
    await limit(PROOFING_LIMITS.proofIp, meta.ip);
    await limit(PROOFING_LIMITS.proofSubject, subject);
    try {
      return await ask();
    } catch (e) {
      if (e instanceof RegisterUnavailableError) {
        await limiter.release(PROOFING_LIMITS.proofIp, meta.ip);
        await limiter.release(PROOFING_LIMITS.proofSubject, subject);
      }
      throw e;
    }
  }

  /** Citizens: number, name, date of birth checked in the population register; the code's destination. */
  async function proveCitizen(
    q: { personalId: string; fullName: string; birthDate: string },
    meta: RequestMeta,
  ): Promise<ProvenDetails> {
    const r = await asking(meta, `personal-id:${q.personalId}`, () => registers.population.checkCitizen(q));
    const errors: FieldErrors = [];
    switch (r.result) {
      case 'not-found':
        errors.push({
          path: 'personalId',
          message:
            'Không tìm thấy số định danh cá nhân này trong Cơ sở dữ liệu quốc gia về dân cư. Hãy kiểm tra lại số in trên thẻ căn cước.',
        });
        break;
      case 'deceased':
        errors.push({
          path: 'personalId',
          message:
            'Cơ sở dữ liệu quốc gia về dân cư ghi nhận người mang số định danh này đã mất, nên không thể đăng ký tài khoản với số này. Nếu thông tin đó sai, hãy liên hệ cơ quan công an nơi cư trú.',
        });
        break;
      case 'revoked':
        errors.push({
          path: 'personalId',
          message:
            'Số định danh cá nhân này đã bị hủy trong Cơ sở dữ liệu quốc gia về dân cư. Vui lòng liên hệ cơ quan công an nơi cư trú.',
        });
        break;
      case 'mismatch':
        for (const f of r.fields)
          errors.push(
            f === 'fullName'
              ? {
                  path: 'displayName',
                  message:
                    'Họ và tên không khớp với Cơ sở dữ liệu quốc gia về dân cư. Hãy ghi đầy đủ, có dấu, như trên thẻ căn cước.',
                }
              : {
                  path: 'birthDate',
                  message: 'Ngày sinh không khớp với Cơ sở dữ liệu quốc gia về dân cư.',
                },
          );
        break;
      case 'match':
        if (!r.citizen.phone)
          errors.push({
            path: 'personalId',
            message:
              'Cơ sở dữ liệu quốc gia về dân cư chưa có số điện thoại di động của bạn, nên chưa gửi được mã xác minh. Hãy cập nhật số điện thoại tại công an xã, phường nơi cư trú hoặc trên ứng dụng VNeID, rồi đăng ký lại.',
          });
        else
          return {
            kind: 'citizen',
            displayName: r.citizen.fullName,
            personalId: r.citizen.personalId,
            taxCode: null,
            birthDate: r.citizen.birthDate,
            sex: r.citizen.sex,
            phone: r.citizen.phone,
            email: null,
            proofing: {
              method: 'population-register',
              reference: r.reference.slice(0, 100),
              checkedAt: clock.now().toISOString(),
            },
          };
    }
    throw new ValidationError('Thông tin không khớp với Cơ sở dữ liệu quốc gia về dân cư.', errors);
  }

  /** Businesses: tax code, name and representative in the business register; the representative proven. */
  async function proveBusiness(
    q: { taxCode: string; name: string; representativeId: string },
    meta: RequestMeta,
  ): Promise<ProvenDetails> {
    const r = await asking(meta, `tax-code:${q.taxCode}`, () => registers.business.checkBusiness(q));
    const errors: FieldErrors = [];
    switch (r.result) {
      case 'not-found':
        errors.push({
          path: 'taxCode',
          message:
            'Không tìm thấy mã số doanh nghiệp này trong Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp.',
        });
        break;
      case 'suspended':
        errors.push({
          path: 'taxCode',
          message:
            'Doanh nghiệp đang tạm ngừng kinh doanh theo Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp, nên chưa đăng ký được tài khoản.',
        });
        break;
      case 'dissolved':
        errors.push({
          path: 'taxCode',
          message:
            'Doanh nghiệp đã chấm dứt hoạt động theo Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp, nên không đăng ký được tài khoản.',
        });
        break;
      case 'mismatch':
        for (const f of r.fields)
          errors.push(
            f === 'name'
              ? {
                  path: 'displayName',
                  message:
                    'Tên doanh nghiệp không khớp với Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp. Hãy ghi đúng tên trên giấy chứng nhận đăng ký doanh nghiệp.',
                }
              : {
                  path: 'representativeId',
                  message:
                    'Số định danh này không phải của người đại diện theo pháp luật của doanh nghiệp theo Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp.',
                },
          );
        break;
      case 'match': {
        const rep = await db
          .selectFrom('identity.accounts')
          .select('id')
          .where('personal_id', '=', r.business.representative.personalId)
          .where('kind', '=', 'citizen')
          .where('status', '=', 'active')
          .where('proofed_at', 'is not', null)
          .executeTakeFirst();
        if (!rep) {
          errors.push({
            path: 'representativeId',
            message:
              'Người đại diện theo pháp luật cần có tài khoản công dân đã xác thực danh tính trên Cổng trước khi đăng ký cho doanh nghiệp.',
          });
          break;
        }
        const email = r.business.email ? normalizeEmail(r.business.email) : undefined;
        if (!r.business.phone && !email?.ok) {
          errors.push({
            path: 'taxCode',
            message:
              'Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp chưa có số điện thoại hay thư điện tử của doanh nghiệp, nên chưa gửi được mã xác minh. Hãy cập nhật thông tin liên lạc tại cơ quan đăng ký kinh doanh.',
          });
          break;
        }
        return {
          kind: 'business',
          displayName: r.business.name,
          personalId: null,
          taxCode: r.business.taxCode,
          birthDate: null,
          sex: null,
          phone: r.business.phone,
          email: r.business.phone ? null : email?.ok ? email.value : null,
          proofing: {
            method: 'business-register',
            reference: r.reference.slice(0, 100),
            checkedAt: clock.now().toISOString(),
          },
        };
      }
    }
    throw new ValidationError(
      'Thông tin không khớp với Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp.',
      errors,
    );
  }

  /** Checks the fields a proofing needs (form, before any register is asked); errors are collected. */
  function readProofFields(
    kind: 'citizen' | 'business',
    input: ProveInput,
    errors: FieldErrors,
  ): { personalId: string; birthDate: string; taxCode: string; representativeId: string } {
    const out = { personalId: '', birthDate: '', taxCode: '', representativeId: '' };
    if (kind === 'citizen') {
      const birthDate = input.birthDate?.trim() ?? '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate))
        errors.push({ path: 'birthDate', message: 'Vui lòng nhập ngày sinh.' });
      const p = parsePersonalId(
        input.personalId ?? '',
        /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? { birthDate } : {},
      );
      if (!p.ok) errors.push({ path: 'personalId', message: p.message });
      else out.personalId = p.value;
      out.birthDate = birthDate;
    } else {
      const t = parseTaxCode(input.taxCode ?? '');
      if (!t.ok) errors.push({ path: 'taxCode', message: t.message });
      else out.taxCode = t.value;
      const r = parsePersonalId(input.representativeId ?? '');
      if (!r.ok)
        errors.push({
          path: 'representativeId',
          message: `Số định danh cá nhân của người đại diện theo pháp luật: ${r.message.charAt(0).toLowerCase()}${r.message.slice(1)}`,
        });
      else out.representativeId = r.value;
    }
    return out;
  }

  return { proveCitizen, proveBusiness, readProofFields };
}
