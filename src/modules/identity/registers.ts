/**
 * The national registers that prove who someone is (ports; HTTP adapters in registers.http.ts):
 * - the national population database (Cơ sở dữ liệu quốc gia về dân cư), the source of truth for a
 *   personal identification number: name, date of birth, sex, permanent residence, the registered phone;
 * - the national business registration database (Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp): a
 *   business's tax code, name, status and legal representative.
 * Each answers a check — does this number go with this name and date of birth? — and returns the record
 * only on a match. A register that cannot answer (down, slow, answering nonsense, not configured) throws
 * RegisterUnavailableError: the caller writes nothing and says to try again later.
 */
import { ServiceUnavailableError } from '../../platform/errors/index.ts';

export interface RegisteredCitizen {
  personalId: string;
  fullName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'male' | 'female';
  permanentResidence: string;
  /** E.164 (+84…), or null when the register holds no phone for the person. */
  phone: string | null;
}

export type CitizenCheck =
  | { result: 'match'; reference: string; citizen: RegisteredCitizen }
  | { result: 'mismatch'; reference: string; fields: Array<'fullName' | 'birthDate'> }
  | { result: 'not-found' | 'deceased' | 'revoked'; reference: string };

export interface PopulationRegister {
  checkCitizen(query: { personalId: string; fullName: string; birthDate: string }): Promise<CitizenCheck>;
}

export interface RegisteredBusiness {
  taxCode: string;
  name: string;
  headOffice: string;
  representative: { personalId: string; fullName: string };
  /** E.164, or null. */
  phone: string | null;
  email: string | null;
}

export type BusinessCheck =
  | { result: 'match'; reference: string; business: RegisteredBusiness }
  | { result: 'mismatch'; reference: string; fields: Array<'name' | 'representative'> }
  | { result: 'not-found' | 'suspended' | 'dissolved'; reference: string };

export interface BusinessRegister {
  checkBusiness(query: { taxCode: string; name: string; representativeId: string }): Promise<BusinessCheck>;
}

export interface Registers {
  population: PopulationRegister;
  business: BusinessRegister;
}

export type RegisterName = 'population-register' | 'business-register';

/** Why a register could not answer (for the log; people see one message). */
export type UnavailableReason = 'not-configured' | 'timeout' | 'unreachable' | 'http-status' | 'malformed';

const MESSAGES: Record<RegisterName, string> = {
  'population-register':
    'Cơ sở dữ liệu quốc gia về dân cư đang không phản hồi nên chưa xác thực được danh tính của bạn. Chưa có thông tin nào được lưu. Vui lòng thử lại sau ít phút.',
  'business-register':
    'Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp đang không phản hồi nên chưa xác thực được doanh nghiệp. Chưa có thông tin nào được lưu. Vui lòng thử lại sau ít phút.',
};

export class RegisterUnavailableError extends ServiceUnavailableError {
  constructor(
    readonly register: RegisterName,
    readonly reason: UnavailableReason,
    readonly detail: string,
  ) {
    super(MESSAGES[register], { register, reason });
  }
}

/** Registers that are not configured: every check is unavailable (outside production only; config). */
export function unconfiguredRegisters(): Registers {
  const fail = (r: RegisterName) => () =>
    Promise.reject(new RegisterUnavailableError(r, 'not-configured', `${r} URL not configured`));
  return {
    population: { checkCitizen: fail('population-register') },
    business: { checkBusiness: fail('business-register') },
  };
}
