/**
 * `npm run admin -- …` for the payment platform's registry: who money moves through (intermediaries),
 * who collects it (payees) and which agency systems may create payments (protocol 1.0.6 partners).
 * Secrets are read from an environment variable named on the command line, never from argv itself
 * (argv is visible to every user of the machine in the process list).
 *
 *   add-intermediary --code VCB --name "Ngân hàng …" --kind bank --url https://… --secret-env VCB_SECRET
 *                    [--partner-code CONGDVC] [--qr-bin 970436 --qr-account 0011… --qr-name "CONG DVC"]
 *   add-payee --agency UBND-01 --name "…" --chapter 418 --treasury-account 7111… --treasury-name "KBNN …"
 *             --series HN01 [--tax-code …]
 *   add-partner --code HN-MOTCUA --name "…" --agency UBND-01 --secret-env HN_SECRET [--confirm-url https://…]
 */
import { parseArgs } from 'node:util';
import { upsertIntermediary, upsertPartner, upsertPayee } from '../modules/payments/index.ts';
import type { AnyDb } from '../platform/db/index.ts';
import { ValidationError } from '../platform/errors/index.ts';

const need = (values: Record<string, string | undefined>, names: string[]) => {
  const missing = names.filter((n) => !values[n]);
  if (missing.length > 0)
    throw new ValidationError(
      `Thiếu / missing: ${missing.map((m) => `--${m}`).join(', ')}`,
      missing.map((m) => ({ path: m, message: 'required' })),
    );
};

function secretFrom(variable: string | undefined): string {
  const value = variable ? process.env[variable] : undefined;
  if (!value || value.length < 16)
    throw new ValidationError(
      'Khóa bí mật phải có trong biến môi trường đã nêu, ít nhất 16 ký tự / the secret must be in the named environment variable, 16+ characters',
      [{ path: 'secret-env', message: 'an environment variable holding 16+ characters' }],
    );
  return value;
}

const str = (names: string[]) => Object.fromEntries(names.map((n) => [n, { type: 'string' as const }]));

export async function paymentsCommand(
  command: string,
  args: string[],
  db: AnyDb,
): Promise<string | undefined> {
  if (command === 'add-intermediary') {
    const { values } = parseArgs({
      args,
      options: str([
        'code',
        'name',
        'kind',
        'url',
        'secret-env',
        'partner-code',
        'qr-bin',
        'qr-account',
        'qr-name',
      ]),
      strict: true,
    });
    need(values, ['code', 'name', 'kind', 'url', 'secret-env']);
    if (values.kind !== 'bank' && values.kind !== 'e-wallet')
      throw new ValidationError('--kind: bank | e-wallet', [{ path: 'kind', message: 'bank or e-wallet' }]);
    await upsertIntermediary(db, {
      code: values.code!,
      name: values.name!,
      kind: values.kind,
      baseUrl: values.url!,
      secret: secretFrom(values['secret-env']),
      partnerCode: values['partner-code'] ?? 'CONGDVC',
      qr:
        values['qr-bin'] && values['qr-account']
          ? { bin: values['qr-bin'], account: values['qr-account'], accountName: values['qr-name'] ?? null }
          : null,
    });
    return `Đã đăng ký trung gian thanh toán / intermediary registered: ${values.code}\n`;
  }
  if (command === 'add-payee') {
    const { values } = parseArgs({
      args,
      options: str(['agency', 'name', 'chapter', 'treasury-account', 'treasury-name', 'series', 'tax-code']),
      strict: true,
    });
    need(values, ['agency', 'name', 'chapter', 'treasury-account', 'treasury-name', 'series']);
    await upsertPayee(db, {
      agencyCode: values.agency!,
      name: values.name!,
      budgetChapter: values.chapter!,
      treasuryAccount: values['treasury-account']!,
      treasuryName: values['treasury-name']!,
      receiptSeries: values.series!,
      taxCode: values['tax-code'] ?? null,
    });
    return `Đã đăng ký đơn vị thu trực tuyến / payee registered: ${values.agency}\n`;
  }
  if (command === 'add-partner') {
    const { values } = parseArgs({
      args,
      options: str(['code', 'name', 'agency', 'secret-env', 'confirm-url']),
      strict: true,
    });
    need(values, ['code', 'name', 'agency', 'secret-env']);
    await upsertPartner(db, {
      code: values.code!,
      name: values.name!,
      agencyCode: values.agency!,
      secret: secretFrom(values['secret-env']),
      confirmUrl: values['confirm-url'] ?? null,
    });
    return `Đã đăng ký hệ thống đối tác (giao thức 1.0.6) / partner registered: ${values.code}\n`;
  }
  return undefined;
}
