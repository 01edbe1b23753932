/**
 * Registration and identity proofing.
 *
 * A citizen is proven when the national population database matches their personal identification
 * number, full name and date of birth, and they confirm a one-time code sent to the phone that database
 * holds — never to a number they typed. A business is proven the same way against the national business
 * registration database (tax code, name, legal representative), its representative being a proven
 * citizen, with the code sent to the business's registered phone (or e-mail). Organisations have no
 * register here yet: they register with a contact they confirm and stay unproven.
 *
 * The register is asked before any code is sent and never inside a transaction; the code's challenge
 * carries what the register answered. When the code is confirmed, one transaction creates (or proves)
 * the account and, if an unproven account had declared the same number, takes the number back from it,
 * tells its holder and writes both to the audit log. A register that cannot answer leaves nothing
 * written.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { ConflictError, ValidationError } from '../../platform/errors/index.ts';
import type { RateLimiter } from '../../platform/security/index.ts';
import { notifyAccount } from '../notifications/index.ts';
import {
  checkPassword,
  hashPassword,
  maskEmail,
  maskPhoneNational,
  parseTaxCode,
  passwordIdentifiers,
} from './domain/index.ts';
import { endProviderSessions } from './identity.repository.ts';
import type { IdentityService } from './identity.service.ts';
import type { AccountTable, IdentityTables } from './identity.tables.ts';
import { LIMITS, type RequestMeta } from './otp-challenges.ts';
import * as proofingRepo from './proofing.repository.ts';
import {
  createRegisterChecks,
  normalName,
  type Proofing,
  type ProveInput,
  type ProvenDetails,
  REMOTE_PROOFING_LEVEL,
} from './proofing.ts';
import type { Registers } from './registers.ts';
import type { SessionStore } from './sessions.ts';

type FieldErrors = Array<{ path: string; message: string }>;

const MISMATCH = 'Mật khẩu nhập lại không khớp.';

/** A problem with one field, worded for the person filling in the form. */
function fieldError(path: string, message: string): ValidationError {
  return new ValidationError(message, [{ path, message }]);
}

export interface RegisterInput {
  kind: 'citizen' | 'business' | 'organisation';
  /** Organisations: a state agency or another organisation. */
  organisationType?: string | undefined;
  displayName: string;
  personalId?: string | undefined;
  birthDate?: string | undefined;
  taxCode?: string | undefined;
  /** Businesses: the legal representative's personal identification number. */
  representativeId?: string | undefined;
  /** Organisations only: the phone or e-mail the code goes to. */
  contact?: string | undefined;
  password: string;
  passwordConfirm: string;
}

interface RegistrationPayload {
  mode: 'register';
  kind: 'citizen' | 'business' | 'organisation';
  organisationType: 'state-agency' | 'other' | null;
  displayName: string;
  personalId: string | null;
  taxCode: string | null;
  birthDate: string | null;
  sex: 'male' | 'female' | null;
  email: string | null;
  phone: string | null;
  passwordHash: string;
  proofing: Proofing | null;
}

interface ProvingPayload extends ProvenDetails {
  mode: 'prove';
}

export interface RegistrationServiceDeps {
  db: Kysely<IdentityTables>;
  clock: Clock;
  sessions: SessionStore;
  challenges: IdentityService['challenges'];
  registers: Registers;
  limiter: RateLimiter;
}

export type RegistrationService = ReturnType<typeof createRegistrationService>;

export function createRegistrationService({
  db,
  clock,
  sessions,
  challenges,
  registers,
  limiter,
}: RegistrationServiceDeps) {
  const { limit } = challenges;
  const { proveCitizen, proveBusiness, readProofFields } = createRegisterChecks({
    db,
    clock,
    registers,
    limiter,
    limit,
  });

  /**
   * A transaction whose unique keys may lose a race with another proofing of the same number (both saw
   * it free): the loser is told as the person would be had it come second, nothing of it written.
   */
  async function inTransaction<T>(work: (trx: Transaction<IdentityTables>) => Promise<T>): Promise<T> {
    try {
      return await db.transaction().execute(work);
    } catch (e) {
      if ((e as { code?: unknown }).code === '23505')
        throw fieldError(
          'code',
          'Số định danh, mã số hoặc số điện thoại này vừa được dùng cho một tài khoản khác. Vui lòng tải lại trang và thử lại.',
        );
      throw e;
    }
  }

  /** Sends the code to where the register says, on the register's word; returns what the page shows. */
  async function sendProofCode(
    accountId: string | null,
    details: ProvenDetails,
    payload: RegistrationPayload | ProvingPayload,
  ) {
    const destination = details.phone ?? details.email!;
    const channel = details.phone ? 'sms' : 'email';
    await limit(LIMITS.otpSendDestination, destination);
    const key = await challenges.pepper();
    const challengeId = await db.transaction().execute((trx) =>
      challenges.send(trx, {
        pepper: key,
        accountId,
        purpose: 'register',
        channel,
        destination,
        payload: payload as unknown as Record<string, unknown>,
        send: true,
        template: payload.mode === 'prove' ? 'otp.prove-identity' : 'otp.register',
      }),
    );
    return {
      challengeId,
      channel,
      sentTo: details.phone ? maskPhoneNational(details.phone) : maskEmail(details.email!),
      /** Where the destination came from, for the page's wording. */
      source: details.proofing.method,
    } as const;
  }

  /**
   * Takes a number or tax code back from an unproven account, because its real holder has just proven
   * it: the account keeps existing without it, its sessions end, its holder is told, the audit log says so.
   */
  async function revokeClaim(
    trx: Transaction<IdentityTables>,
    holder: Pick<AccountTable, 'email' | 'phone'> & {
      id: string;
      email_verified_at: Date | null;
      phone_verified_at: Date | null;
    },
    identifier: 'personal-id' | 'tax-code',
    provenAccountId: string,
    now: Date,
  ) {
    if (!(await proofingRepo.takeIdentifierBack(trx, holder.id, identifier, now)))
      throw new ConflictError('Tài khoản giữ số này vừa thay đổi. Vui lòng thử lại.');
    if (identifier === 'personal-id') {
      // Authorisations to act for a business that it accepted under the number become invitations
      // again, for the number's proven holder to answer.
      await proofingRepo.reopenAcceptedDelegations(trx, holder.id);
    }
    await sessions.revokeAllOf(trx, holder.id);
    await endProviderSessions(trx, holder.id);
    await notifyAccount(trx, {
      accountId: holder.id,
      sms: holder.phone_verified_at ? holder.phone : null,
      email: holder.email_verified_at ? holder.email : null,
      template: 'account.identifier-revoked',
      params: { identifier },
      dedupeKey: `identifier-revoked:${holder.id}:${now.getTime()}`,
    });
    await appendAudit(
      trx,
      {
        actor: 'system:identity',
        action: 'account.revoke-identifier',
        subject: `account:${holder.id}`,
        data: { identifier, reason: 'proven-by-holder', provenAccount: provenAccountId },
      },
      now,
    );
  }

  /**
   * Who else holds what a proven account is about to hold. A proven holder of the number is final; an
   * unproven one gives it up; an account already using the phone or e-mail the code went to stops the
   * registration (its owner should sign in there and prove that account).
   */
  async function holdersOf(
    trx: Kysely<IdentityTables>,
    d: { kind: 'citizen' | 'business'; personalId: string | null; taxCode: string | null },
    contact: { phone: string | null; email: string | null },
    self: string | null,
  ) {
    const rows = await proofingRepo.lockHoldersOf(trx, d, contact);
    const others = rows.filter((r) => r.id !== self);
    const claimant = others.find((r) =>
      d.kind === 'citizen'
        ? r.personal_id === d.personalId && r.kind === 'citizen'
        : r.tax_code === d.taxCode,
    );
    const contactHolder = others.find(
      (r) => (contact.phone && r.phone === contact.phone) || (contact.email && r.email === contact.email),
    );
    return { claimant, contactHolder };
  }

  const PROVEN_ELSEWHERE = {
    citizen:
      'Số định danh cá nhân này đã có một tài khoản đã xác thực danh tính. Hãy đăng nhập vào tài khoản đó, hoặc dùng chức năng quên mật khẩu.',
    business:
      'Mã số doanh nghiệp này đã có một tài khoản đã xác thực. Hãy đăng nhập vào tài khoản đó, hoặc dùng chức năng quên mật khẩu.',
  };
  const CONTACT_IN_USE =
    'Số điện thoại (hoặc thư điện tử) nhận mã đang được dùng cho một tài khoản khác trên Cổng. Nếu đó là tài khoản của bạn, hãy đăng nhập rồi xác thực danh tính ở trang Tài khoản.';

  return {
    /**
     * Step 1 of registration: check the form, then the register (citizens and businesses), then send a
     * code — to the phone the register holds, or for organisations to the contact they typed.
     */
    async registerStart(input: RegisterInput, meta: RequestMeta) {
      const errors: FieldErrors = [];
      const displayName = normalName(input.displayName);
      if (displayName.length < 2)
        errors.push({
          path: 'displayName',
          message:
            input.kind === 'citizen'
              ? 'Vui lòng nhập họ và tên như trên thẻ căn cước.'
              : 'Vui lòng nhập tên doanh nghiệp, tổ chức.',
        });
      if (displayName.length > 200) errors.push({ path: 'displayName', message: 'Tên dài quá 200 ký tự.' });
      let organisationType: 'state-agency' | 'other' | null = null;
      let contact: ReturnType<typeof challenges.parseContact>;
      let fields = { personalId: '', birthDate: '', taxCode: '', representativeId: '' };
      if (input.kind === 'organisation') {
        const t = parseTaxCode(input.taxCode ?? '');
        if (!t.ok) errors.push({ path: 'taxCode', message: t.message });
        else fields.taxCode = t.value;
        if (input.organisationType === 'state-agency' || input.organisationType === 'other')
          organisationType = input.organisationType;
        else
          errors.push({
            path: 'organisationType',
            message: 'Vui lòng chọn loại tổ chức: cơ quan nhà nước hoặc tổ chức khác.',
          });
        contact = challenges.parseContact(input.contact ?? '', errors);
      } else {
        fields = readProofFields(input.kind, input, errors);
      }
      const identifiers = passwordIdentifiers({
        personalId: fields.personalId,
        taxCode: fields.taxCode,
        phone: contact?.phone,
        email: contact?.email,
      });
      const pw = checkPassword(input.password, { identifiers });
      if (!pw.ok) errors.push({ path: 'password', message: pw.message });
      else if (input.password !== input.passwordConfirm)
        errors.push({ path: 'passwordConfirm', message: MISMATCH });
      if (errors.length > 0) throw new ValidationError('Thông tin đăng ký chưa hợp lệ.', errors);

      if (input.kind === 'organisation') {
        // No register for organisations here: the code goes to the contact given; the account is unproven.
        const c = contact!;
        const destination = c.email ?? c.phone!;
        await limit(LIMITS.otpSendIp, meta.ip);
        await limit(LIMITS.otpSendDestination, destination);
        const payload: RegistrationPayload = {
          mode: 'register',
          kind: 'organisation',
          organisationType,
          displayName,
          personalId: null,
          taxCode: fields.taxCode,
          birthDate: null,
          sex: null,
          email: c.email,
          phone: c.phone,
          passwordHash: await hashPassword(input.password),
          proofing: null,
        };
        const key = await challenges.pepper();
        const challengeId = await db.transaction().execute((trx) =>
          challenges.send(trx, {
            pepper: key,
            accountId: null,
            purpose: 'register',
            channel: c.channel,
            destination,
            payload: payload as unknown as Record<string, unknown>,
            send: true,
          }),
        );
        return {
          challengeId,
          channel: c.channel,
          sentTo: c.email ? maskEmail(c.email) : maskPhoneNational(c.phone!),
          source: 'typed' as const,
        };
      }

      const details =
        input.kind === 'citizen'
          ? await proveCitizen(
              { personalId: fields.personalId, fullName: displayName, birthDate: fields.birthDate },
              meta,
            )
          : await proveBusiness(
              { taxCode: fields.taxCode, name: displayName, representativeId: fields.representativeId },
              meta,
            );
      const payload: RegistrationPayload = {
        mode: 'register',
        kind: details.kind,
        organisationType: null,
        displayName: details.displayName,
        personalId: details.personalId,
        taxCode: details.taxCode,
        birthDate: details.birthDate,
        sex: details.sex,
        email: details.email,
        phone: details.phone,
        passwordHash: await hashPassword(input.password),
        proofing: details.proofing,
      };
      return sendProofCode(null, details, payload);
    },

    /**
     * Step 2: the code proves the phone (or e-mail) the register holds, so the number is the applicant's:
     * the account is created proven — taking the number back from an unproven account that declared it —
     * and signed in. Organisations: as before, a clash with any account is refused without saying which.
     */
    async registerVerify(challengeId: string, code: string, meta: RequestMeta) {
      const ch = await challenges.consume(challengeId, code, 'register', meta);
      const p = ch.payload as unknown as RegistrationPayload;
      if (ch.account_id !== null || p.mode !== 'register')
        throw fieldError('code', 'Mã xác minh không đúng. Vui lòng yêu cầu mã mới.');
      const now = clock.now();
      return inTransaction(async (trx) => {
        await challenges.take(trx, ch.id, now);
        let revoke: Parameters<typeof revokeClaim>[1] | undefined;
        if (p.proofing && (p.kind === 'citizen' || p.kind === 'business')) {
          const { claimant, contactHolder } = await holdersOf(
            trx,
            { kind: p.kind, personalId: p.personalId, taxCode: p.taxCode },
            { phone: p.phone, email: p.email },
            null,
          );
          if (claimant?.proofed_at) throw fieldError('code', PROVEN_ELSEWHERE[p.kind]);
          if (contactHolder) throw fieldError('code', CONTACT_IN_USE);
          revoke = claimant;
        } else {
          const clash = await proofingRepo.registrationClashes(trx, {
            taxCode: p.taxCode!,
            email: p.email,
            phone: p.phone,
          });
          // Proving the phone or e-mail does not prove the tax code: say nothing about which one clashed.
          if (clash)
            throw fieldError(
              'code',
              'Không tạo được tài khoản: thông tin đăng ký trùng với một tài khoản đã có. Nếu đó là tài khoản của bạn, hãy đăng nhập hoặc dùng chức năng quên mật khẩu.',
            );
        }
        // The number (unique among citizens) or tax code is free once any unproven claim to it is gone.
        const id = randomUUID();
        if (revoke)
          await revokeClaim(trx, revoke, p.kind === 'citizen' ? 'personal-id' : 'tax-code', id, now);
        const account = await proofingRepo.insertAccount(trx, {
          id,
          kind: p.kind,
          organisation_type: p.organisationType,
          display_name: p.displayName,
          personal_id: p.personalId,
          tax_code: p.taxCode,
          birth_date: p.birthDate,
          sex: p.sex,
          email: p.email,
          email_verified_at: p.email ? now : null,
          phone: p.phone,
          phone_verified_at: p.phone ? now : null,
          password_hash: p.passwordHash,
          password_changed_at: now,
          locked_until: null,
        });
        if (p.proofing) await recordProofing(trx, account.id, p.proofing, now);
        const token = await sessions.create(trx, account.id, account.kind, meta);
        await appendAudit(
          trx,
          {
            actor: `user:${account.id}`,
            action: 'account.register',
            subject: `account:${account.id}`,
            data: { kind: account.kind, proofing: p.proofing?.method ?? null },
          },
          now,
        );
        return { accountId: account.id, token };
      });
    },

    /** What the proofing page of an existing account starts from. */
    async proofingStatus(accountId: string) {
      const a = await proofingRepo.proofingStatusOf(db, accountId);
      return {
        kind: a.kind,
        /** Citizens and businesses can be proven; organisations and officers cannot (no register). */
        provable: a.kind === 'citizen' || a.kind === 'business',
        proven: a.proofed_at !== null,
        displayName: a.display_name,
        personalId: a.personal_id,
        taxCode: a.tax_code,
        birthDate: a.birth_date,
        identifierRevokedAt: a.identifier_revoked_at,
      };
    },

    /** Proving an existing account: the register first, then a code to the phone it holds. */
    async proveStart(accountId: string, input: ProveInput, meta: RequestMeta) {
      const a = await proofingRepo.provingStateOf(db, accountId);
      if (a.kind !== 'citizen' && a.kind !== 'business')
        throw new ValidationError('Loại tài khoản này chưa xác thực được với cơ sở dữ liệu quốc gia.');
      if (a.proofed_at) throw new ConflictError('Tài khoản đã được xác thực danh tính.', { state: 'proven' });
      const errors: FieldErrors = [];
      const displayName = normalName(input.displayName);
      if (displayName.length < 2 || displayName.length > 200)
        errors.push({
          path: 'displayName',
          message:
            a.kind === 'citizen'
              ? 'Vui lòng nhập họ và tên như trên thẻ căn cước.'
              : 'Vui lòng nhập tên doanh nghiệp.',
        });
      const fields = readProofFields(a.kind, input, errors);
      if (errors.length > 0) throw new ValidationError('Thông tin chưa hợp lệ.', errors);
      const details =
        a.kind === 'citizen'
          ? await proveCitizen(
              { personalId: fields.personalId, fullName: displayName, birthDate: fields.birthDate },
              meta,
            )
          : await proveBusiness(
              { taxCode: fields.taxCode, name: displayName, representativeId: fields.representativeId },
              meta,
            );
      return sendProofCode(accountId, details, { ...details, mode: 'prove' });
    },

    /**
     * The code proves the register's phone: the account takes the register's name, date of birth and sex,
     * and the number — from an unproven account that declared it, if any.
     */
    async proveVerify(accountId: string, challengeId: string, code: string, meta: RequestMeta) {
      const ch = await challenges.consume(challengeId, code, 'register', meta);
      const p = ch.payload as unknown as ProvingPayload;
      if (ch.account_id !== accountId || p.mode !== 'prove')
        throw fieldError('code', 'Mã xác minh không đúng. Vui lòng yêu cầu mã mới.');
      const now = clock.now();
      await inTransaction(async (trx) => {
        await challenges.take(trx, ch.id, now);
        const self = await proofingRepo.lockProvingAccount(trx, accountId);
        if (self.proofed_at)
          throw new ConflictError('Tài khoản đã được xác thực danh tính.', { state: 'proven' });
        if (self.kind !== p.kind)
          throw fieldError('code', 'Mã xác minh không đúng. Vui lòng yêu cầu mã mới.');
        const { claimant } = await holdersOf(
          trx,
          { kind: p.kind, personalId: p.personalId, taxCode: p.taxCode },
          { phone: null, email: null },
          accountId,
        );
        if (claimant?.proofed_at) throw fieldError('code', PROVEN_ELSEWHERE[p.kind]);
        if (claimant)
          await revokeClaim(trx, claimant, p.kind === 'citizen' ? 'personal-id' : 'tax-code', accountId, now);
        await proofingRepo.takeRegisterDetails(trx, accountId, p, now);
        await recordProofing(trx, accountId, p.proofing, now);
      });
    },
  };

  /** The account is proven: when, how, at which level, with the register's reference; audited. */
  async function recordProofing(
    trx: Transaction<IdentityTables>,
    accountId: string,
    proofing: Proofing,
    now: Date,
  ) {
    await proofingRepo.setProven(
      trx,
      accountId,
      { method: proofing.method, level: REMOTE_PROOFING_LEVEL, reference: proofing.reference },
      now,
    );
    await appendAudit(
      trx,
      {
        actor: `user:${accountId}`,
        action: 'account.prove-identity',
        subject: `account:${accountId}`,
        data: {
          method: proofing.method,
          level: REMOTE_PROOFING_LEVEL,
          reference: proofing.reference,
          checkedAt: proofing.checkedAt,
        },
      },
      now,
    );
  }
}
