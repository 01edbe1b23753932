/**
 * Accounts: sign-in with lockout, sign-out, password reset and change, step-up, contacts (registration
 * and identity proofing are in registration.service.ts; the one-time codes in otp-challenges.ts, the
 * queries in identity.repository.ts). Messages never reveal whether an account exists: sign-in failures
 * share one message, a reset request always answers the same way.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { TooManyRequestsError, ValidationError } from '../../platform/errors/index.ts';
import type { Limit, RateLimiter, Secrets } from '../../platform/security/index.ts';
import { notifyAccount } from '../notifications/index.ts';
import {
  checkPassword,
  hashPassword,
  maskEmail,
  maskPhoneNational,
  needsRehash,
  newTotpSecret,
  normalizeEmail,
  normalizePhone,
  passwordIdentifiers,
  totpUri,
  verifyPassword,
  verifyTotp,
} from './domain/index.ts';
import * as repo from './identity.repository.ts';
import type { AccountKind, IdentityTables } from './identity.tables.ts';
import {
  createChallenges,
  type FieldErrors,
  fieldError,
  LIMITS,
  OTP_MAX_ATTEMPTS,
  OTP_MINUTES,
  type RequestMeta,
  takeChallenge,
} from './otp-challenges.ts';
import { createSecondFactorLock, secondFactorLocked } from './second-factor-lock.ts';
import type { SessionStore } from './sessions.ts';

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;

export const UNPROVEN_LOA2 =
  'Tài khoản của bạn chưa được xác thực danh tính nên chưa dùng được mức xác thực cao (LoA2). Hãy xác thực danh tính ở trang Tài khoản (mục "Xác thực danh tính") rồi thử lại.';

export const LOGIN_FAILED =
  'Đăng nhập không thành công: thông tin đăng nhập không đúng. Nếu nhập sai nhiều lần, tài khoản sẽ tạm khóa 15 phút; bạn có thể đặt lại mật khẩu.';

/** A hash of a random password, verified when the account does not exist so timing reveals nothing. */
let dummyHash: Promise<string> | undefined;

export interface IdentityServiceDeps {
  db: Kysely<IdentityTables>;
  clock: Clock;
  secrets: Secrets;
  limiter: RateLimiter;
  sessions: SessionStore;
}

export type IdentityService = ReturnType<typeof createIdentityService>;

export function createIdentityService({ db, clock, secrets, limiter, sessions }: IdentityServiceDeps) {
  const secondFactorLock = createSecondFactorLock({ db, clock, limiter });

  const challenges = createChallenges({ db, clock, secrets, limiter });
  const { pepper, limit, parseContact, send: sendChallenge, consume: consumeChallenge } = challenges;

  async function liveSecondFactor(challengeId: string) {
    const gone = fieldError('code', 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.');
    if (!/^[0-9a-f-]{36}$/.test(challengeId)) throw gone;
    const ch = await repo.secondFactorChallenge(db, challengeId);
    if (!ch?.account_id || ch.consumed_at || ch.expires_at <= clock.now() || ch.attempts >= OTP_MAX_ATTEMPTS)
      throw gone;
    return ch;
  }

  /**
   * The accounts an identifier can name: a 12-digit personal number, a tax code, a phone number or an
   * e-mail address. Ten digits may be a tax code or a mobile number (tax codes start with a province
   * code, 01–96, so 09… is both): then both are candidates.
   */
  async function findByIdentifier(identifier: string) {
    const id = identifier.trim();
    const phone = normalizePhone(id);
    const email = id.includes('@') ? normalizeEmail(id) : undefined;
    return repo.accountsByIdentifier(db, {
      ...(/^\d{12}$/.test(id) ? { personalId: id } : {}),
      ...(/^\d{10}(-\d{3})?$/.test(id) ? { taxCode: id } : {}),
      ...(email?.ok ? { email: email.value } : {}),
      ...(!email && phone.ok ? { phone: phone.value } : {}),
    });
  }

  /**
   * Claims a sign-in attempt against a limit before the password is checked (atomic, so concurrent
   * guesses cannot all pass a check made before any of them failed); a right password gives it back.
   */
  async function claimAttempt(l: Limit, subject: string): Promise<() => Promise<void>> {
    const v = await limiter.hit(l, subject);
    if (!v.allowed) {
      await limiter.release(l, subject);
      throw new TooManyRequestsError(
        `Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(v.retryAfterSeconds / 60)} phút.`,
        v.retryAfterSeconds,
      );
    }
    return () => limiter.release(l, subject);
  }

  return {
    /** Officers' second-factor lock per account (the officer administration page releases it). */
    secondFactorLock,
    /**
     * The one-time code machinery (otp-challenges.ts), for the registration and proofing service of this
     * module (registration.service.ts); not part of the module's API.
     */
    challenges,

    async login(identifier: string, password: string, meta: RequestMeta) {
      // Every attempt claims a slot under the limits before the password is checked; a right password
      // gives the slots back, so only failures count and a user who signs in often is never blocked.
      const idKey = identifier.trim().toLowerCase();
      const releaseIp = await claimAttempt(LIMITS.loginIp, meta.ip);
      const releaseId = await claimAttempt(LIMITS.loginIdentifier, idKey).catch(async (e) => {
        await releaseIp();
        throw e;
      });
      const failed = () => new ValidationError(LOGIN_FAILED);
      const now = clock.now();
      const candidates = (await findByIdentifier(identifier)).filter(
        (a) => a.password_hash && a.status === 'active',
      );
      // Each account's failure counter is also claimed first: a locked account, or one with as many
      // attempts in flight as the lockout allows, is refused without checking the password.
      const claimed: typeof candidates = [];
      for (const c of candidates) {
        const failures = await repo.countFailedLogin(db, c.id, now);
        if (failures !== undefined && failures <= LOCKOUT_THRESHOLD) claimed.push(c);
      }
      if (claimed.length === 0) {
        // Same work and answer whether the account does not exist or is locked.
        dummyHash ??= hashPassword(`dummy-${Math.random()}-password`);
        await verifyPassword(await dummyHash, password).catch(() => false);
        throw failed();
      }
      let account: (typeof candidates)[number] | undefined;
      for (const c of claimed) {
        if (await verifyPassword(c.password_hash!, password)) account = c;
      }
      if (!account) {
        await db.transaction().execute(async (trx) => {
          for (const c of claimed) {
            const until = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
            if (!(await repo.lockAtThreshold(trx, c.id, LOCKOUT_THRESHOLD, until))) continue;
            await appendAudit(
              trx,
              {
                actor: 'system:identity',
                action: 'account.lock',
                subject: `account:${c.id}`,
                data: { minutes: LOCKOUT_MINUTES },
              },
              now,
            );
          }
        });
        throw failed();
      }
      await releaseIp();
      await releaseId();
      if (account.kind === 'officer') {
        // Officers must also give a code from their authenticator app (TOTP); enrol on first sign-in.
        const officer = await repo.findOfficer(db, account.id);
        if (!officer) throw failed();
        await repo.clearFailedLogins(db, account.id);
        const enrolSecret = officer.totp_enrolled_at ? undefined : newTotpSecret();
        const pending = await repo.insertChallenge(db, {
          account_id: account.id,
          purpose: 'second-factor',
          channel: 'totp',
          destination: account.id,
          code_hash: '-',
          payload: JSON.stringify(enrolSecret ? { enrolSecret } : {}),
          expires_at: new Date(now.getTime() + OTP_MINUTES * 60_000),
          consumed_at: null,
        });
        return { secondFactor: { challengeId: pending, enrolling: enrolSecret !== undefined } } as const;
      }
      const rehash = needsRehash(account.password_hash!) ? await hashPassword(password) : undefined;
      const token = await db.transaction().execute(async (trx) => {
        await repo.recordSignIn(trx, account.id, rehash);
        return sessions.create(trx, account.id, account.kind, meta);
      });
      return { accountId: account.id, kind: account.kind as AccountKind, token } as const;
    },

    /** What the second-factor page shows: the secret to enrol, or just the code field. */
    async secondFactorInfo(challengeId: string) {
      const ch = await liveSecondFactor(challengeId);
      const enrolSecret = (ch.payload as { enrolSecret?: string }).enrolSecret;
      if (!enrolSecret) return { enrolling: false as const };
      const account = await repo.accountLabel(db, ch.account_id!);
      return {
        enrolling: true as const,
        secret: enrolSecret,
        uri: totpUri({ label: account.email ?? account.display_name, secret: enrolSecret }),
      };
    },

    /** Step 2 of an officer's sign-in: the authenticator code; a session only when it is right. */
    async secondFactor(challengeId: string, code: string, meta: RequestMeta) {
      await limit(LIMITS.otpVerifyIp, meta.ip);
      const ch = await liveSecondFactor(challengeId);
      const officer = await repo.findOfficer(db, ch.account_id!);
      if (!officer) throw fieldError('code', 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.');
      // Counted per account before the code is compared, whatever the address or the sign-in.
      const claimed = await secondFactorLock.claim(officer.account_id);
      const enrolSecret = (ch.payload as { enrolSecret?: string }).enrolSecret;
      const secret = officer.totp_secret ?? enrolSecret;
      const token = code.replace(/\s/g, '');
      const v =
        secret && /^\d{6}$/.test(token)
          ? verifyTotp(secret, token, {
              at: clock.now(),
              ...(officer.totp_last_step !== null ? { lastUsedStep: officer.totp_last_step } : {}),
            })
          : { ok: false as const };
      if (!v.ok) {
        await repo.addChallengeAttempt(db, ch.id);
        const locked = await secondFactorLock.failed(officer.account_id, claimed);
        if (locked) throw secondFactorLocked(locked, clock.now());
        throw fieldError(
          'code',
          'Mã xác thực không đúng hoặc đã được dùng. Hãy nhập mã mới đang hiển thị trong ứng dụng xác thực.',
        );
      }
      const now = clock.now();
      const signedIn = await db.transaction().execute(async (trx) => {
        const taken = await repo.takeChallenge(trx, ch.id, now);
        // The step is taken atomically: the same code cannot open two sessions, even in two processes.
        const stepTaken = await repo.takeTotpStep(
          trx,
          officer.account_id,
          v.step,
          officer.totp_secret ? undefined : { secret: secret!, at: now },
        );
        if (!taken || !stepTaken) throw fieldError('code', 'Mã xác thực đã được dùng. Hãy nhập mã mới.');
        if (!officer.totp_secret) {
          await appendAudit(
            trx,
            {
              actor: `officer:${officer.account_id}`,
              action: 'officer.enrol-totp',
              subject: `account:${officer.account_id}`,
            },
            now,
          );
        }
        const sessionToken = await sessions.create(trx, officer.account_id, 'officer', meta, 2);
        return { accountId: officer.account_id, token: sessionToken };
      });
      await secondFactorLock.succeeded(officer.account_id);
      return signedIn;
    },

    /**
     * Signing out of the portal also ends this browser's single-sign-on session at the provider, so the
     * next person at a shared computer is not signed in to the agencies' portals as this one.
     */
    async logout(sessionHash: string, providerSessionId?: string) {
      await sessions.revoke(sessionHash);
      if (providerSessionId && /^[A-Za-z0-9_-]{10,100}$/.test(providerSessionId)) {
        await repo.endProviderSession(db, providerSessionId);
      }
    },

    /** Always answers the same way; sends a code only when the contact is a verified contact of the account. */
    async resetStart(identifier: string, contact: string, meta: RequestMeta) {
      await limit(LIMITS.otpSendIp, meta.ip);
      const errors: FieldErrors = [];
      const c = parseContact(contact, errors);
      if (!c) throw new ValidationError('Vui lòng nhập số điện thoại hoặc thư điện tử đã đăng ký.', errors);
      const destination = c.email ?? c.phone!;
      await limit(LIMITS.otpSendDestination, destination);
      const account = (await findByIdentifier(identifier))[0];
      const matches =
        account !== undefined &&
        account.status === 'active' &&
        ((c.email !== null && account.email === c.email && account.email_verified_at !== null) ||
          (c.phone !== null && account.phone === c.phone && account.phone_verified_at !== null));
      const key = await pepper();
      const challengeId = await db.transaction().execute((trx) =>
        sendChallenge(trx, {
          pepper: key,
          accountId: matches ? account.id : null,
          purpose: 'reset-password',
          channel: c.channel,
          destination,
          payload: {},
          send: matches,
        }),
      );
      return { challengeId, sentTo: c.email ? maskEmail(c.email) : maskPhoneNational(c.phone!) };
    },

    async resetComplete(
      challengeId: string,
      code: string,
      password: string,
      passwordConfirm: string,
      meta: RequestMeta,
    ) {
      const ch = await consumeChallenge(challengeId, code, 'reset-password', meta);
      if (!ch.account_id) {
        // A blind challenge (no matching account) can never be completed; answer like a wrong code.
        throw new ValidationError('Mã xác minh không đúng. Vui lòng yêu cầu mã mới.');
      }
      const account = await repo.getAccount(db, ch.account_id);
      const pw = checkPassword(password, {
        identifiers: passwordIdentifiers({
          personalId: account.personal_id,
          taxCode: account.tax_code,
          phone: account.phone,
          email: account.email,
        }),
      });
      if (!pw.ok) throw new ValidationError(pw.message, [{ path: 'password', message: pw.message }]);
      if (password !== passwordConfirm) {
        throw fieldError('passwordConfirm', 'Mật khẩu nhập lại không khớp.');
      }
      const hash = await hashPassword(password);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await takeChallenge(trx, ch.id, now);
        await repo.setPassword(trx, account.id, hash, now, { unlock: true });
        await sessions.revokeAllOf(trx, account.id);
        await repo.endProviderSessions(trx, account.id);
        await notifyAccount(trx, {
          accountId: account.id,
          [ch.channel === 'email' ? 'email' : 'sms']: ch.destination,
          template: 'account.password-changed',
          params: {},
        });
        await appendAudit(
          trx,
          { actor: `user:${account.id}`, action: 'account.reset-password', subject: `account:${account.id}` },
          now,
        );
      });
    },

    async changePassword(
      accountId: string,
      sessionHash: string,
      current: string,
      next: string,
      confirm: string,
    ) {
      const account = await repo.getAccount(db, accountId);
      // A stolen session must not become a way to guess the real password: the same limit as sign-in.
      const key = `account:${accountId}`;
      const release = await claimAttempt(LIMITS.loginIdentifier, key);
      if (!account.password_hash || !(await verifyPassword(account.password_hash, current)))
        throw fieldError('current', 'Mật khẩu hiện tại không đúng.');
      await release();
      const pw = checkPassword(next, {
        identifiers: passwordIdentifiers({
          personalId: account.personal_id,
          taxCode: account.tax_code,
          phone: account.phone,
          email: account.email,
        }),
      });
      if (!pw.ok) throw new ValidationError(pw.message, [{ path: 'password', message: pw.message }]);
      if (next !== confirm) throw fieldError('passwordConfirm', 'Mật khẩu nhập lại không khớp.');
      const hash = await hashPassword(next);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await repo.setPassword(trx, accountId, hash, now, { unlock: false });
        await sessions.revokeAllOf(trx, accountId, sessionHash);
        await repo.endProviderSessions(trx, accountId);
        const to = account.email_verified_at ? account.email : account.phone;
        await notifyAccount(trx, {
          accountId,
          [account.email_verified_at ? 'email' : 'sms']: to,
          template: 'account.password-changed',
          params: {},
        });
        await appendAudit(
          trx,
          { actor: `user:${accountId}`, action: 'account.change-password', subject: `account:${accountId}` },
          now,
        );
      });
    },

    /**
     * Step-up to LoA2 for citizens and businesses: a one-time code sent to the account's verified phone
     * (or e-mail). The session is replaced by one at assurance 2.
     */
    async stepUpStart(accountId: string, meta: RequestMeta) {
      const a = await repo.getAccount(db, accountId);
      // Acting at LoA2 is for accounts whose holder is proven (a register checked the number or tax code).
      if ((a.kind === 'citizen' || a.kind === 'business') && a.proofed_at === null)
        throw new ValidationError(UNPROVEN_LOA2, [{ path: '_form', message: UNPROVEN_LOA2 }]);
      const channel: 'sms' | 'email' | undefined =
        a.phone_verified_at && a.phone ? 'sms' : a.email_verified_at && a.email ? 'email' : undefined;
      if (!channel)
        throw new ValidationError('Tài khoản chưa có số điện thoại hoặc thư điện tử đã xác minh để nhận mã.');
      const destination = channel === 'sms' ? a.phone! : a.email!;
      await limit(LIMITS.otpSendIp, meta.ip);
      await limit(LIMITS.otpSendDestination, destination);
      const key = await pepper();
      const challengeId = await db.transaction().execute((trx) =>
        sendChallenge(trx, {
          pepper: key,
          accountId,
          purpose: 'second-factor',
          channel,
          destination,
          payload: {},
          send: true,
        }),
      );
      return {
        challengeId,
        sentTo: channel === 'sms' ? maskPhoneNational(destination) : maskEmail(destination),
      };
    },

    async stepUpVerify(
      accountId: string,
      sessionHash: string,
      challengeId: string,
      code: string,
      meta: RequestMeta,
    ) {
      const ch = await consumeChallenge(challengeId, code, 'second-factor', meta);
      if (ch.account_id !== accountId)
        throw fieldError('code', 'Mã xác minh không đúng. Vui lòng yêu cầu mã mới.');
      const account = await repo.accountKind(db, accountId);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        await takeChallenge(trx, ch.id, now);
        // The new session keeps the time the password was typed: a code alone is not a fresh sign-in.
        const authenticatedAt = await repo.revokeSession(trx, sessionHash, now);
        return {
          token: await sessions.create(trx, accountId, account.kind, meta, 2, authenticatedAt ?? now),
        };
      });
    },

    /** A new phone or e-mail address is used only once the code sent to it is confirmed. */
    async changeContactStart(accountId: string, contact: string, meta: RequestMeta) {
      const errors: FieldErrors = [];
      const c = parseContact(contact, errors);
      if (!c) throw new ValidationError('Số điện thoại hoặc thư điện tử chưa hợp lệ.', errors);
      const destination = c.email ?? c.phone!;
      await limit(LIMITS.otpSendIp, meta.ip);
      await limit(LIMITS.otpSendDestination, destination);
      const key = await pepper();
      const challengeId = await db.transaction().execute((trx) =>
        sendChallenge(trx, {
          pepper: key,
          accountId,
          purpose: 'change-contact',
          channel: c.channel,
          destination,
          payload: { email: c.email, phone: c.phone },
          send: true,
        }),
      );
      return { challengeId, sentTo: c.email ? maskEmail(c.email) : maskPhoneNational(c.phone!) };
    },

    async changeContactVerify(accountId: string, challengeId: string, code: string, meta: RequestMeta) {
      const ch = await consumeChallenge(challengeId, code, 'change-contact', meta);
      if (ch.account_id !== accountId)
        throw fieldError('code', 'Mã xác minh không đúng. Vui lòng yêu cầu mã mới.');
      const p = ch.payload as { email: string | null; phone: string | null };
      const now = clock.now();
      const before = await repo.contactsOf(db, accountId);
      await db.transaction().execute(async (trx) => {
        await takeChallenge(trx, ch.id, now);
        if (await repo.contactTaken(trx, accountId, p))
          throw fieldError('code', 'Số điện thoại hoặc thư điện tử này đã được dùng cho một tài khoản khác.');
        await repo.setVerifiedContact(trx, accountId, p, now);
        // Tell the old address, so a hijacked session cannot quietly take the account over.
        const old = p.email
          ? before.email_verified_at
            ? before.email
            : null
          : before.phone_verified_at
            ? before.phone
            : null;
        await notifyAccount(trx, {
          accountId,
          ...(old && old !== (p.email ?? p.phone) ? { [p.email ? 'email' : 'sms']: old } : {}),
          template: 'account.contact-changed',
          params: {},
        });
        await appendAudit(
          trx,
          {
            actor: `user:${accountId}`,
            action: 'account.change-contact',
            subject: `account:${accountId}`,
            data: { kind: p.email ? 'email' : 'phone' },
          },
          now,
        );
      });
    },

    async getAccount(accountId: string) {
      const a = await repo.getAccount(db, accountId);
      const activeSessions = await repo.liveSessionsOf(db, accountId, clock.now());
      const accessLog = await repo.accessLogOf(db, accountId);
      return {
        accessLog,
        id: a.id,
        kind: a.kind,
        displayName: a.display_name,
        personalId: a.personal_id,
        taxCode: a.tax_code,
        birthDate: a.birth_date,
        sex: a.sex,
        email: a.email,
        emailVerified: a.email_verified_at !== null,
        phone: a.phone,
        phoneVerified: a.phone_verified_at !== null,
        createdAt: a.created_at,
        passwordChangedAt: a.password_changed_at,
        proofing: a.proofed_at
          ? { at: a.proofed_at, method: a.proofing_method!, level: a.proofing_level! }
          : undefined,
        identifierRevokedAt: a.identifier_revoked_at,
        sessions: activeSessions,
      };
    },
  };
}
