/**
 * Accounts: sign-in with lockout, sign-out, password reset and change, step-up, contacts (registration
 * and identity proofing are in registration.service.ts, with the one-time codes made here). Messages
 * never reveal whether an account exists: sign-in failures share one message, a reset request always
 * answers the same way.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { TooManyRequestsError, ValidationError } from '../../platform/errors/index.ts';
import type { Limit, RateLimiter, Secrets } from '../../platform/security/index.ts';
import { notifyAccount, queueNotification } from '../notifications/index.ts';
import {
  checkPassword,
  hashOtpCode,
  hashPassword,
  maskEmail,
  maskPhoneNational,
  needsRehash,
  newOtpCode,
  newTotpSecret,
  normalizeEmail,
  normalizePhone,
  otpCodeMatches,
  passwordIdentifiers,
  totpUri,
  verifyPassword,
  verifyTotp,
} from './domain/index.ts';
import type { AccountKind, IdentityTables } from './identity.tables.ts';
import { createSecondFactorLock, secondFactorLocked } from './second-factor-lock.ts';
import type { SessionStore } from './sessions.ts';

export const OTP_MINUTES = 5;
const OTP_MAX_ATTEMPTS = 5;
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;

export const LIMITS = {
  loginIp: { name: 'login-ip', max: 30, windowSeconds: 900, per: 'address' },
  loginIdentifier: { name: 'login-id', max: 10, windowSeconds: 900 },
  otpSendDestination: { name: 'otp-send-to', max: 3, windowSeconds: 900 },
  otpSendIp: { name: 'otp-send-ip', max: 20, windowSeconds: 3600, per: 'address' },
  otpVerifyIp: { name: 'otp-verify-ip', max: 30, windowSeconds: 900, per: 'address' },
} satisfies Record<string, Limit>;

export const UNPROVEN_LOA2 =
  'Tài khoản của bạn chưa được xác thực danh tính nên chưa dùng được mức xác thực cao (LoA2). Hãy xác thực danh tính ở trang Tài khoản (mục "Xác thực danh tính") rồi thử lại.';

export const LOGIN_FAILED =
  'Đăng nhập không thành công: thông tin đăng nhập không đúng. Nếu nhập sai nhiều lần, tài khoản sẽ tạm khóa 15 phút; bạn có thể đặt lại mật khẩu.';

/** A hash of a random password, verified when the account does not exist so timing reveals nothing. */
let dummyHash: Promise<string> | undefined;

type FieldErrors = Array<{ path: string; message: string }>;

/** Marks a one-time code used, once: a second use, even a concurrent one, is refused. */
async function takeChallenge(trx: Kysely<IdentityTables>, id: string, now: Date): Promise<void> {
  const taken = await trx
    .updateTable('identity.otp_challenges')
    .set({ consumed_at: now })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!taken) throw fieldError('code', 'Mã xác minh đã được sử dụng.');
}

/** Ends the account's single-sign-on sessions at the OpenID Connect provider (same module's table). */
async function endProviderSessions(trx: Kysely<IdentityTables>, accountId: string): Promise<void> {
  await sql`delete from identity.oidc_payloads where model = 'Session' and payload->>'accountId' = ${accountId}`.execute(
    trx,
  );
}

/** A problem with one field, worded for the person filling in the form. */
function fieldError(path: string, message: string): ValidationError {
  return new ValidationError(message, [{ path, message }]);
}

export interface RequestMeta {
  ip: string;
  userAgent?: string | undefined;
}

export interface IdentityServiceDeps {
  db: Kysely<IdentityTables>;
  clock: Clock;
  secrets: Secrets;
  limiter: RateLimiter;
  sessions: SessionStore;
}

export type IdentityService = ReturnType<typeof createIdentityService>;

export function createIdentityService({ db, clock, secrets, limiter, sessions }: IdentityServiceDeps) {
  const pepper = () => secrets.get('otp-pepper');
  const secondFactorLock = createSecondFactorLock({ db, clock, limiter });

  async function limit(l: Limit, subject: string): Promise<void> {
    const v = await limiter.hit(l, subject);
    if (!v.allowed) {
      throw new TooManyRequestsError(
        `Bạn đã thử quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(v.retryAfterSeconds / 60)} phút.`,
        v.retryAfterSeconds,
      );
    }
  }

  function parseContact(
    contact: string,
    errors: FieldErrors,
  ): { email: string | null; phone: string | null; channel: 'sms' | 'email' } | undefined {
    const text = contact.trim();
    if (text.includes('@')) {
      const e = normalizeEmail(text);
      if (!e.ok) errors.push({ path: 'contact', message: e.message });
      else return { email: e.value, phone: null, channel: 'email' };
    } else {
      const p = normalizePhone(text);
      if (!p.ok) errors.push({ path: 'contact', message: p.message });
      else return { email: null, phone: p.value, channel: 'sms' };
    }
    return undefined;
  }

  async function sendChallenge(
    trx: Transaction<IdentityTables>,
    c: {
      accountId: string | null;
      purpose: 'register' | 'reset-password' | 'change-contact' | 'second-factor';
      channel: 'sms' | 'email';
      destination: string;
      payload: Record<string, unknown>;
      send: boolean;
      /** The instance pepper, read before the transaction (on PGlite a read inside it would wait forever). */
      pepper: Buffer;
      /** The message (default `otp.<purpose>`). */
      template?: string;
    },
  ): Promise<string> {
    const code = newOtpCode();
    const row = await trx
      .insertInto('identity.otp_challenges')
      .values({
        account_id: c.accountId,
        purpose: c.purpose,
        channel: c.channel,
        destination: c.destination,
        code_hash: hashOtpCode(code, c.pepper),
        payload: JSON.stringify(c.payload),
        expires_at: new Date(clock.now().getTime() + OTP_MINUTES * 60_000),
        consumed_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (c.send) {
      await queueNotification(trx, {
        channel: c.channel,
        to: c.destination,
        template: c.template ?? `otp.${c.purpose}`,
        params: { code, minutes: String(OTP_MINUTES) },
      });
    }
    return row.id;
  }

  /** Checks a code against a live challenge; a wrong code counts an attempt. */
  async function consumeChallenge(
    challengeId: string,
    code: string,
    purpose: 'register' | 'reset-password' | 'change-contact' | 'second-factor',
    meta: RequestMeta,
  ) {
    await limit(LIMITS.otpVerifyIp, meta.ip);
    const expired = fieldError(
      'code',
      'Mã xác minh đã hết hạn hoặc không còn hiệu lực. Vui lòng yêu cầu mã mới.',
    );
    if (!/^[0-9a-f-]{36}$/.test(challengeId)) throw expired;
    const key = await pepper();
    // Every attempt is counted before the code is compared, in one statement: parallel guesses cannot
    // get past the limit of attempts.
    const ch = await db
      .updateTable('identity.otp_challenges')
      .set({ attempts: sql`attempts + 1` })
      .where('id', '=', challengeId)
      .where('purpose', '=', purpose)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', clock.now())
      .where('attempts', '<', OTP_MAX_ATTEMPTS)
      .returningAll()
      .executeTakeFirst();
    if (!ch) throw expired;
    const normalized = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(normalized) || !otpCodeMatches(ch.code_hash, normalized, key)) {
      const left = OTP_MAX_ATTEMPTS - ch.attempts;
      throw fieldError(
        'code',
        left > 0
          ? `Mã xác minh không đúng. Bạn còn ${left} lần thử.`
          : 'Mã xác minh không đúng. Vui lòng yêu cầu mã mới.',
      );
    }
    return ch;
  }

  async function liveSecondFactor(challengeId: string) {
    const gone = fieldError('code', 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.');
    if (!/^[0-9a-f-]{36}$/.test(challengeId)) throw gone;
    const ch = await db
      .selectFrom('identity.otp_challenges')
      .selectAll()
      .where('id', '=', challengeId)
      .where('purpose', '=', 'second-factor')
      .where('channel', '=', 'totp')
      .executeTakeFirst();
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
    return db
      .selectFrom('identity.accounts')
      .selectAll()
      .where((eb) => {
        const ors = [];
        if (/^\d{12}$/.test(id)) ors.push(eb.and([eb('personal_id', '=', id), eb('kind', '=', 'citizen')]));
        if (/^\d{10}(-\d{3})?$/.test(id))
          ors.push(eb.and([eb('tax_code', '=', id), eb('kind', 'in', ['business', 'organisation'])]));
        if (email?.ok) ors.push(eb('email', '=', email.value));
        if (!email && phone.ok) ors.push(eb('phone', '=', phone.value));
        return ors.length > 0 ? eb.or(ors) : eb.val(false);
      })
      .limit(2)
      .execute();
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
    /**
     * The one-time code machinery, for the registration and proofing service of this module
     * (registration.service.ts); not part of the module's API.
     */
    /** Officers' second-factor lock per account (the officer administration page releases it). */
    secondFactorLock,
    challenges: {
      pepper,
      limit,
      parseContact,
      send: sendChallenge,
      consume: consumeChallenge,
      take: takeChallenge,
    },

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
        const r = await db
          .updateTable('identity.accounts')
          .set({ failed_logins: sql`failed_logins + 1` })
          .where('id', '=', c.id)
          .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
          .returning('failed_logins')
          .executeTakeFirst();
        if (r && r.failed_logins <= LOCKOUT_THRESHOLD) claimed.push(c);
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
            const locked = await trx
              .updateTable('identity.accounts')
              .set({ failed_logins: 0, locked_until: new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) })
              .where('id', '=', c.id)
              .where('failed_logins', '>=', LOCKOUT_THRESHOLD)
              .returning('id')
              .executeTakeFirst();
            if (!locked) continue;
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
        const officer = await db
          .selectFrom('identity.officers')
          .select(['totp_enrolled_at'])
          .where('account_id', '=', account.id)
          .executeTakeFirst();
        if (!officer) throw failed();
        await db
          .updateTable('identity.accounts')
          .set({ failed_logins: 0 })
          .where('id', '=', account.id)
          .execute();
        const enrolSecret = officer.totp_enrolled_at ? undefined : newTotpSecret();
        const pending = await db
          .insertInto('identity.otp_challenges')
          .values({
            account_id: account.id,
            purpose: 'second-factor',
            channel: 'totp',
            destination: account.id,
            code_hash: '-',
            payload: JSON.stringify(enrolSecret ? { enrolSecret } : {}),
            expires_at: new Date(now.getTime() + OTP_MINUTES * 60_000),
            consumed_at: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { secondFactor: { challengeId: pending.id, enrolling: enrolSecret !== undefined } } as const;
      }
      const rehash = needsRehash(account.password_hash!) ? await hashPassword(password) : undefined;
      const token = await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('identity.accounts')
          .set({ failed_logins: 0, locked_until: null, ...(rehash ? { password_hash: rehash } : {}) })
          .where('id', '=', account.id)
          .execute();
        return sessions.create(trx, account.id, account.kind, meta);
      });
      return { accountId: account.id, kind: account.kind as AccountKind, token } as const;
    },

    /** What the second-factor page shows: the secret to enrol, or just the code field. */
    async secondFactorInfo(challengeId: string) {
      const ch = await liveSecondFactor(challengeId);
      const enrolSecret = (ch.payload as { enrolSecret?: string }).enrolSecret;
      if (!enrolSecret) return { enrolling: false as const };
      const account = await db
        .selectFrom('identity.accounts')
        .select(['email', 'display_name'])
        .where('id', '=', ch.account_id!)
        .executeTakeFirstOrThrow();
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
      const officer = await db
        .selectFrom('identity.officers')
        .selectAll()
        .where('account_id', '=', ch.account_id!)
        .executeTakeFirst();
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
        await db
          .updateTable('identity.otp_challenges')
          .set({ attempts: sql`attempts + 1` })
          .where('id', '=', ch.id)
          .execute();
        const locked = await secondFactorLock.failed(officer.account_id, claimed);
        if (locked) throw secondFactorLocked(locked, clock.now());
        throw fieldError(
          'code',
          'Mã xác thực không đúng hoặc đã được dùng. Hãy nhập mã mới đang hiển thị trong ứng dụng xác thực.',
        );
      }
      const now = clock.now();
      const signedIn = await db.transaction().execute(async (trx) => {
        const taken = await trx
          .updateTable('identity.otp_challenges')
          .set({ consumed_at: now })
          .where('id', '=', ch.id)
          .where('consumed_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        // The step is taken atomically: the same code cannot open two sessions, even in two processes.
        const stepTaken = await trx
          .updateTable('identity.officers')
          .set({
            totp_last_step: v.step,
            ...(officer.totp_secret ? {} : { totp_secret: secret!, totp_enrolled_at: now }),
          })
          .where('account_id', '=', officer.account_id)
          .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', v.step)]))
          .returning('account_id')
          .executeTakeFirst();
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
        await sql`delete from identity.oidc_payloads where model = 'Session' and id = ${providerSessionId}`.execute(
          db,
        );
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
      const account = await db
        .selectFrom('identity.accounts')
        .selectAll()
        .where('id', '=', ch.account_id)
        .executeTakeFirstOrThrow();
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
        await trx
          .updateTable('identity.accounts')
          .set({
            password_hash: hash,
            password_changed_at: now,
            failed_logins: 0,
            locked_until: null,
            updated_at: now,
          })
          .where('id', '=', account.id)
          .execute();
        await sessions.revokeAllOf(trx, account.id);
        await endProviderSessions(trx, account.id);
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
      const account = await db
        .selectFrom('identity.accounts')
        .selectAll()
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
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
        await trx
          .updateTable('identity.accounts')
          .set({ password_hash: hash, password_changed_at: now, updated_at: now })
          .where('id', '=', accountId)
          .execute();
        await sessions.revokeAllOf(trx, accountId, sessionHash);
        await endProviderSessions(trx, accountId);
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
      const a = await db
        .selectFrom('identity.accounts')
        .selectAll()
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
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
      const account = await db
        .selectFrom('identity.accounts')
        .select(['kind'])
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        await takeChallenge(trx, ch.id, now);
        // The new session keeps the time the password was typed: a code alone is not a fresh sign-in.
        const replaced = await trx
          .updateTable('identity.sessions')
          .set({ revoked_at: now })
          .where('token_hash', '=', sessionHash)
          .returning('authenticated_at')
          .executeTakeFirst();
        return {
          token: await sessions.create(
            trx,
            accountId,
            account.kind,
            meta,
            2,
            replaced?.authenticated_at ?? now,
          ),
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
      const before = await db
        .selectFrom('identity.accounts')
        .select(['email', 'phone', 'email_verified_at', 'phone_verified_at'])
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      await db.transaction().execute(async (trx) => {
        await takeChallenge(trx, ch.id, now);
        const clash = await trx
          .selectFrom('identity.accounts')
          .select('id')
          .where('id', '<>', accountId)
          .where((eb) => (p.email ? eb('email', '=', p.email) : eb('phone', '=', p.phone!)))
          .executeTakeFirst();
        if (clash)
          throw fieldError('code', 'Số điện thoại hoặc thư điện tử này đã được dùng cho một tài khoản khác.');
        await trx
          .updateTable('identity.accounts')
          .set(
            p.email
              ? { email: p.email, email_verified_at: now, updated_at: now }
              : { phone: p.phone, phone_verified_at: now, updated_at: now },
          )
          .where('id', '=', accountId)
          .execute();
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
      const a = await db
        .selectFrom('identity.accounts')
        .selectAll()
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      const activeSessions = await db
        .selectFrom('identity.sessions')
        .select(['token_hash', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', clock.now())
        .orderBy('last_seen_at', 'desc')
        .limit(20)
        .execute();
      const accessLog = await db
        .selectFrom('identity.data_access_log')
        .select(['id', 'at', 'accessor_kind', 'accessor_name', 'purpose', 'fields'])
        .where('account_id', '=', accountId)
        .orderBy('at', 'desc')
        .limit(50)
        .execute();
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
