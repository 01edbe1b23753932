/**
 * `npm run admin -- <command>`: administration from the command line, on any database (the embedded one
 * with the portal stopped, or PostgreSQL through DATABASE_URL). The database is migrated first if needed.
 *
 *   npm run admin -- create-system-admin --email quantri@example.gov.vn --name "Nguyễn Văn A" [--hours 72]
 *
 * creates a system administrator and prints a one-time enrolment link (PUBLIC_URL/kich-hoat/…) where
 * they set a password and their authenticator. Exit codes: 0 done, 2 refused (bad input, e-mail taken),
 * 1 any other failure. Usable as a container's command: `docker run … <image> npm run admin -- …`.
 */
import { parseArgs } from 'node:util';
import { prepareDatabase } from '../bootstrap.ts';
import { createSystemAdministrator } from '../modules/identity/index.ts';
import { systemClock } from '../platform/clock/index.ts';
import { ConfigError, loadConfig } from '../platform/config/index.ts';
import { DataDirLockedError, openDatabase } from '../platform/db/index.ts';
import { AppError, ValidationError } from '../platform/errors/index.ts';
import { paymentsCommand } from './admin-payments.ts';

const USAGE = `Dùng / usage:
  npm run admin -- create-system-admin --email <thư điện tử> --name "<họ và tên>" [--hours <giờ, mặc định 72>]
  npm run admin -- add-intermediary --code <MÃ> --name "<tên>" --kind bank|e-wallet --url <https://…> --secret-env <BIẾN>
                   [--partner-code CONGDVC] [--qr-bin <BIN> --qr-account <số TK> --qr-name "<chủ TK>"]
  npm run admin -- add-payee --agency <mã cơ quan> --name "<tên>" --chapter <chương> --treasury-account <TK>
                   --treasury-name "<Kho bạc>" --series <ký hiệu> [--tax-code <MST>]
  npm run admin -- add-partner --code <MÃ> --name "<tên>" --agency <mã cơ quan> --secret-env <BIẾN> [--confirm-url <https://…>]
`;

class UsageError extends Error {}

async function createSystemAdmin(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, hours: { type: 'string' } },
    strict: true,
  });
  if (!values.email || !values.name)
    throw new UsageError('Cần --email và --name / --email and --name are required.');
  const hours = values.hours === undefined ? undefined : Number(values.hours);
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: 2,
  });
  try {
    const prepared = await prepareDatabase(database, config);
    if (prepared.migrations.applied.length > 0)
      process.stdout.write(
        `Đã áp dụng ${prepared.migrations.applied.length} migration / migrations applied.\n`,
      );
    const r = await createSystemAdministrator(
      { db: database.db, clock: systemClock },
      {
        email: values.email,
        name: values.name,
        publicUrl: config.publicUrl,
        ...(hours !== undefined ? { hours } : {}),
      },
    );
    process.stdout.write(
      `${r.created ? 'Đã tạo quản trị viên hệ thống' : 'Quản trị viên hệ thống đã có, chưa kích hoạt: cấp liên kết mới (liên kết cũ hết hiệu lực)'} ${r.email}.\n` +
        `${r.created ? 'System administrator created' : 'System administrator exists, not yet activated: new link (older ones stop working)'}.\n\n` +
        `Liên kết kích hoạt (dùng một lần, hết hạn ${r.expiresAt.toISOString()}) / one-time enrolment link:\n${r.link}\n\n` +
        'Gửi liên kết này cho người được giao qua kênh an toàn; họ đặt mật khẩu và ứng dụng xác thực tại đó.\n' +
        'Send it to its holder over a safe channel; they set a password and an authenticator there.\n',
    );
    return 0;
  } finally {
    await database.close();
  }
}

/** The payment registry's commands (admin-payments.ts), on a migrated database. */
async function payments(command: string, args: string[]): Promise<number | undefined> {
  if (!['add-intermediary', 'add-payee', 'add-partner'].includes(command)) return undefined;
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: 2,
  });
  try {
    await prepareDatabase(database, config);
    const out = await paymentsCommand(command, args, database.db).catch((e: unknown) => {
      // A value the database's checks refuse (a code's shape, an unknown agency…) is bad input: exit 2.
      if (e && typeof e === 'object' && 'code' in e && /^23/.test(String(e.code)))
        throw new ValidationError(
          `Giá trị không hợp lệ / refused by the database: ${e instanceof Error ? e.message : String(e)}`,
        );
      throw e;
    });
    process.stdout.write(out ?? '');
    return 0;
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'create-system-admin') return createSystemAdmin(rest);
  const done = command ? await payments(command, rest) : undefined;
  if (done !== undefined) return done;
  throw new UsageError(command ? `Lệnh không có / unknown command: ${command}` : 'Thiếu lệnh / no command.');
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((e: unknown) => {
    if (
      e instanceof UsageError ||
      (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`${e.message}\n${USAGE}`);
      process.exit(2);
    }
    if (e instanceof AppError && e.status < 500) {
      const fields = e.extras.errors?.map((x) => `  --${x.path}: ${x.message}`).join('\n');
      process.stderr.write(`${fields || e.message}\n`);
      process.exit(2);
    }
    if (e instanceof ConfigError || e instanceof DataDirLockedError) process.stderr.write(`${e.message}\n`);
    else process.stderr.write(`admin failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
