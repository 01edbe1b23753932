/**
 * The identity domain: pure rules for identifiers, contact details, passwords and one-time codes.
 * No I/O; the service layer stores and sends.
 */
export {
  type ContactResult,
  type EmailErrorCode,
  formatPhoneNational,
  maskEmail,
  maskPhone,
  maskPhoneNational,
  normalizeEmail,
  normalizePhone,
  type PhoneErrorCode,
} from './contact.ts';
export {
  hashOtpCode,
  newOtpCode,
  OTP_CODE_DIGITS,
  OTP_PEPPER_MIN_BYTES,
  otpCodeMatches,
} from './otp-code.ts';
export {
  checkPassword,
  hashPassword,
  IDENTIFIER_MIN_LENGTH,
  isCommonPassword,
  needsRehash,
  PASSWORD_HASH_PARAMS,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type PasswordCheck,
  type PasswordErrorCode,
  passwordIdentifiers,
  verifyPassword,
} from './password.ts';
export {
  centurySexDigit,
  centuryStartOf,
  formatPersonalId,
  PERSONAL_ID_PROVINCE_CODES,
  type PersonalIdError,
  type PersonalIdErrorCode,
  type PersonalIdInfo,
  type PersonalIdResult,
  parsePersonalId,
  type Sex,
} from './personal-id.ts';
export {
  parseTaxCode,
  TAX_CODE_WEIGHTS,
  type TaxCodeError,
  type TaxCodeErrorCode,
  type TaxCodeInfo,
  type TaxCodeKind,
  type TaxCodeResult,
  taxCodeCheckDigit,
} from './tax-code.ts';
export {
  newTotpSecret,
  TOTP_ALGORITHM,
  TOTP_DIGITS,
  TOTP_ISSUER,
  TOTP_PERIOD_SECONDS,
  TOTP_SECRET_BYTES,
  type TotpVerification,
  totpStep,
  totpUri,
  verifyTotp,
} from './totp.ts';
