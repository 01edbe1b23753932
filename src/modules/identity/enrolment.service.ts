/**
 * Enrolment links: an officer account made without a password — the first system administrator of a
 * deployment, created from the command line (`npm run admin -- create-system-admin`) — gets a one-time
 * link where its holder sets a password and enrols an authenticator (TOTP), confirmed by a code. The
 * token is 32 random bytes shown once; the database keeps its SHA-256. It expires, and works once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import {
  checkPassword,
  hashPassword,
  newTotpSecret,
  normalizeEmail,
  passwordIdentifiers,
  totpUri,
  verifyTotp,
} from './domain/index.ts';
import type { IdentityTables } from './identity.tables.ts';

export const ENROLMENT_HOURS = 72;
const MAX_ATTEMPTS = 5;
/** The agency at the root of the tree: a system administrator's grant. */
const ROOT_AGENCY = 'CP';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const ENROLMENT_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export class EnrolmentGoneError extends NotFoundError {}

function fieldError(path: string, message: string): ValidationError {
  return new ValidationError(message, [{ path, message }]);
}

/** A person's full name as typed: letters (with Vietnamese diacritics), spaces, a few marks; 2–100. */
export function checkDisplayName(name: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = name.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (value.length < 2 || value.length > 100 || !/^[\p{L}][\p{L}\p{M} .'-]*$/u.test(value))
    return { ok: false, message: 'Họ và tên cần từ 2 đến 100 ký tự, chỉ gồm chữ cái và dấu cách.' };
  return { ok: true, value };
}

export function createEnrolmentService(deps: { db: Kysely<IdentityTables>; clock: Clock }) {
  const { db, clock } = deps;

  async function live(token: string) {
    if (!ENROLMENT_TOKEN.test(token)) return undefined;
    const row = await db
      .selectFrom('identity.enrolments as e')
      .innerJoin('identity.accounts as a', 'a.id', 'e.account_id')
      .select([
        'e.token_hash',
        'e.account_id',
        'e.totp_secret',
        'e.expires_at',
        'e.used_at',
        'e.attempts',
        'a.display_name',
        'a.email',
        'a.personal_id',
      ])
      .where('e.token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row || row.used_at || row.expires_at <= clock.now() || row.attempts >= MAX_ATTEMPTS)
      return undefined;
    return row;
  }

  const gone = () =>
    new EnrolmentGoneError(
      'Liên kết kích hoạt không đúng, đã được dùng hoặc đã hết hạn. Hãy đề nghị quản trị viên cấp liên kết mới.',
    );

  return {
    /**
     * Creates a system administrator (an officer of the Government, `CP`, with the role system-admin
     * there) and an enrolment link. Run again for the same e-mail before the link was used, it makes a
     * new link (the old ones stop working); an e-mail that belongs to any other account is refused.
     */
    async createSystemAdmin(input: { email: string; name: string; hours?: number; publicUrl: string }) {
      const email = normalizeEmail(input.email);
      if (!email.ok) throw fieldError('email', email.message);
      const name = checkDisplayName(input.name);
      if (!name.ok) throw fieldError('name', name.message);
      const hours = input.hours ?? ENROLMENT_HOURS;
      if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 14)
        throw fieldError('hours', 'Thời hạn liên kết từ 1 đến 336 giờ.');
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + hours * 3_600_000);
      const result = await db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('identity.accounts as a')
          .leftJoin('identity.role_grants as g', (j) =>
            j
              .onRef('g.account_id', '=', 'a.id')
              .on('g.role', '=', 'system-admin')
              .on('g.agency_code', '=', ROOT_AGENCY)
              .on('g.revoked_at', 'is', null),
          )
          .select(['a.id', 'a.kind', 'a.password_hash', 'g.id as grant_id'])
          .where('a.email', '=', email.value)
          .executeTakeFirst();
        let accountId: string;
        let created = false;
        if (existing) {
          if (existing.kind !== 'officer' || existing.grant_id === null || existing.password_hash !== null)
            throw new ConflictError(
              `Thư điện tử ${email.value} đã được dùng cho một tài khoản khác (hoặc quản trị viên này đã kích hoạt tài khoản): không tạo thêm.`,
            );
          accountId = existing.id;
          await trx.deleteFrom('identity.enrolments').where('account_id', '=', accountId).execute();
        } else {
          const account = await trx
            .insertInto('identity.accounts')
            .values({
              kind: 'officer',
              display_name: name.value,
              personal_id: null,
              tax_code: null,
              birth_date: null,
              sex: null,
              email: email.value,
              email_verified_at: now,
              phone: null,
              phone_verified_at: null,
              password_hash: null,
              password_changed_at: null,
              locked_until: null,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          accountId = account.id;
          created = true;
          await trx
            .insertInto('identity.officers')
            .values({
              account_id: accountId,
              agency_code: ROOT_AGENCY,
              title: 'Quản trị hệ thống',
              department: null,
              totp_secret: null,
              totp_enrolled_at: null,
              totp_last_step: null,
              created_by: null,
            })
            .execute();
          await trx
            .insertInto('identity.role_grants')
            .values({
              account_id: accountId,
              agency_code: ROOT_AGENCY,
              role: 'system-admin',
              granted_by: null,
              revoked_at: null,
              revoked_by: null,
            })
            .execute();
          await appendAudit(
            trx,
            {
              actor: 'cli:create-system-admin',
              action: 'officer.create',
              subject: `account:${accountId}`,
              data: { agency: ROOT_AGENCY, roles: ['system-admin'] },
            },
            now,
          );
        }
        await trx
          .insertInto('identity.enrolments')
          .values({
            token_hash: hashToken(token),
            account_id: accountId,
            totp_secret: newTotpSecret(),
            created_at: now,
            expires_at: expiresAt,
            used_at: null,
            created_by: 'cli:create-system-admin',
          })
          .execute();
        await appendAudit(
          trx,
          {
            actor: 'cli:create-system-admin',
            action: 'officer.enrolment-link',
            subject: `account:${accountId}`,
            data: { expiresAt: expiresAt.toISOString() },
          },
          now,
        );
        return { accountId, created };
      });
      return {
        ...result,
        email: email.value,
        expiresAt,
        link: `${input.publicUrl.replace(/\/$/, '')}/kich-hoat/${token}`,
      };
    },

    /** What the enrolment page shows; EnrolmentGoneError when the link does not work (any reason). */
    async pending(token: string) {
      const e = await live(token);
      if (!e) throw gone();
      return {
        displayName: e.display_name,
        email: e.email,
        secret: e.totp_secret,
        uri: totpUri({ label: e.email ?? e.display_name, secret: e.totp_secret }),
      };
    },

    /** Sets the password and the authenticator, once; a wrong code or password counts an attempt. */
    async complete(token: string, input: { password: string; passwordConfirm: string; code: string }) {
      const e = await live(token);
      if (!e) throw gone();
      const countAttempt = () =>
        db
          .updateTable('identity.enrolments')
          .set({ attempts: sql`attempts + 1` })
          .where('token_hash', '=', e.token_hash)
          .execute();
      const pw = checkPassword(input.password, {
        identifiers: passwordIdentifiers({ email: e.email }),
      });
      if (!pw.ok) throw fieldError('password', pw.message);
      if (input.password !== input.passwordConfirm)
        throw fieldError('passwordConfirm', 'Mật khẩu nhập lại không khớp.');
      const code = input.code.replace(/\s/g, '');
      const v = /^\d{6}$/.test(code)
        ? verifyTotp(e.totp_secret, code, { at: clock.now() })
        : { ok: false as const };
      if (!v.ok) {
        await countAttempt();
        throw fieldError(
          'code',
          'Mã xác thực không đúng. Hãy thêm khóa vào ứng dụng xác thực rồi nhập mã 6 chữ số đang hiển thị.',
        );
      }
      const hash = await hashPassword(input.password);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const taken = await trx
          .updateTable('identity.enrolments')
          .set({ used_at: now })
          .where('token_hash', '=', e.token_hash)
          .where('used_at', 'is', null)
          .returning('account_id')
          .executeTakeFirst();
        if (!taken) throw gone();
        await trx
          .updateTable('identity.accounts')
          .set({ password_hash: hash, password_changed_at: now, updated_at: now })
          .where('id', '=', e.account_id)
          .execute();
        await trx
          .updateTable('identity.officers')
          .set({ totp_secret: e.totp_secret, totp_enrolled_at: now, totp_last_step: v.step })
          .where('account_id', '=', e.account_id)
          .execute();
        await appendAudit(
          trx,
          { actor: `officer:${e.account_id}`, action: 'officer.enrol', subject: `account:${e.account_id}` },
          now,
        );
      });
      return { email: e.email };
    },
  };
}

export type EnrolmentService = ReturnType<typeof createEnrolmentService>;
