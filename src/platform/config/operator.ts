/** Who runs this portal (OperatorConfig), shown in every page's footer; required in production. */
import type { Config } from './config.ts';
import { displayText, type Env, emailAddress, type Field, type Read } from './fields.ts';

/** The operating agency's contact details; each absent one is simply not shown. */
export interface OperatorConfig {
  name: string | undefined;
  /** As the operator writes it, e.g. "1900 1234" or "024 3825 1234". */
  hotline: string | undefined;
  email: string | undefined;
  address: string | undefined;
  /** Example values of the embedded demo, marked as such where they are shown. */
  example: boolean;
}

/**
 * The embedded demo's operator (`npm start` without DATABASE_URL, not in production): plainly example
 * values, so that the footer shows what a configured portal looks like.
 */
export const DEMO_OPERATOR: OperatorConfig = {
  name: 'Đơn vị vận hành Cổng (ví dụ)',
  hotline: '1800 0000',
  email: 'hotro.demo@example.vn',
  address: 'Số 1 phố Ví Dụ, phường Ba Đình, Hà Nội (ví dụ)',
  example: true,
};

/** The demo's operator where the environment set none (the operator's own values always win). */
export function withDemoOperator(config: Config): Config {
  const o = config.operator;
  if (o.name || o.hotline || o.email || o.address) return config;
  return { ...config, operator: DEMO_OPERATOR };
}

/** The digits to dial (`tel:`): "+84" numbers keep their plus; spaces, dots, dashes and brackets go. */
export function dialable(phone: string): string {
  return phone.replace(/[\s.()-]/g, '');
}

/**
 * A Vietnamese telephone number as people write it (spaces, dots, dashes allowed): a 1800/1900 service
 * number (8 or 10 digits), a four-digit short number such as 1022, a mobile (0 + 9 digits) or a
 * landline (02x + 8 digits), also with +84 instead of the leading 0.
 */
const vietnamesePhone: Field<string> = {
  expects:
    'a Vietnamese phone number, e.g. 1900 1234, 1800 1234 56, 1022, 024 3825 1234, 0912 345 678 or +84 24 3825 1234',
  parse: (raw) => {
    if (!/^[+(0-9][0-9 .()-]{2,24}$/.test(raw)) return undefined;
    const digits = dialable(raw);
    const national = digits.startsWith('+84') ? `0${digits.slice(3)}` : digits;
    if (digits.startsWith('+84') && !/^0[2-9]/.test(national)) return undefined;
    const ok =
      /^1[89]00\d{4}(\d{2})?$/.test(national) ||
      /^10\d{2}$/.test(national) ||
      /^0[35789]\d{8}$/.test(national) ||
      /^02\d{9}$/.test(national);
    return ok ? raw.replace(/\s+/g, ' ') : undefined;
  },
};

const OPERATOR_VARIABLES = {
  OPERATOR_NAME: 'the name of the agency operating the portal',
  OPERATOR_HOTLINE: 'its support hotline',
  OPERATOR_EMAIL: 'its support e-mail address',
} as const;
const OPERATOR_REQUIRED = Object.keys(OPERATOR_VARIABLES) as Array<keyof typeof OPERATOR_VARIABLES>;

/** OPERATOR_NAME, OPERATOR_HOTLINE, OPERATOR_EMAIL and OPERATOR_ADDRESS. */
export function readOperator(read: Read): OperatorConfig {
  return {
    name: read('OPERATOR_NAME', displayText(200)),
    hotline: read('OPERATOR_HOTLINE', vietnamesePhone),
    email: read('OPERATOR_EMAIL', emailAddress),
    address: read('OPERATOR_ADDRESS', displayText(300)),
    example: false,
  };
}

/** A public portal says who runs it and how to reach them (the footer of every page). */
export function checkOperatorRequired(env: Env, problems: string[]): void {
  for (const name of OPERATOR_REQUIRED) {
    if ((env[name] ?? '').trim() === '')
      problems.push(
        `${name} is required when NODE_ENV=production (${OPERATOR_VARIABLES[name]}, shown in the footer of every page)`,
      );
  }
}
