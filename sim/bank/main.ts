/**
 * `sim/bank`: a payment intermediary (bank / e-wallet) as its own process. See README.md.
 *
 *   BANK_CODE=VCBSIM BANK_SECRET=… BANK_BIN=970436 BANK_COLLECTION_ACCOUNT=0011001234567 \
 *   BANK_CALLBACK_URL=http://127.0.0.1:3000/paygate/v1/callback/VCBSIM \
 *   BANK_TRANSFER_URL=http://127.0.0.1:3000/paygate/v1/transfer/VCBSIM \
 *     node --import tsx sim/bank/main.ts --port 4400
 */
import { parseArgs } from 'node:util';
import { checkFaultModes, FAULT_MODES, startBank } from './server.ts';

const HELP = `Mô phỏng ngân hàng / ví điện tử trung gian thanh toán: khởi tạo, trang thanh toán, CONFIRM, QUERY,
hoàn tiền, đối soát, chuyển khoản VietQR.
A payment intermediary (simulated): INIT, a payment page, CONFIRM, QUERY, REFUND, SETTLEMENT, VietQR transfers.

  node --import tsx sim/bank/main.ts [options]

  --port N           port (env PORT; 0 picks a free one; default 4400)
  --host H           address to listen on (env HOST; default 127.0.0.1)
  --exit-with-stdin  stop when standard input closes (the parent process that started it has gone)
  --quiet            no line per event

Everything else from the environment:
  BANK_CODE                 the bank's code (MaNganHang), e.g. VCBSIM (required)
  BANK_NAME                 shown on its pages
  BANK_SECRET               the secret shared with the portal, 8+ characters (required)
  BANK_PARTNER_CODE         the portal's partner code here (default CONGDVC)
  BANK_CALLBACK_URL         the portal's CONFIRM endpoint (none: CONFIRMs are not sent)
  BANK_TRANSFER_URL         the portal's TRANSFER endpoint (none: transfers are not notified)
  BANK_BIN                  the bank's 6-digit BIN (default 970436)
  BANK_COLLECTION_ACCOUNT   the portal's collection account here (required)
  BANK_FAULTS               fault modes for every payment, comma-separated: ${FAULT_MODES.join(', ')}
  BANK_DELAY_MS             the wait of the "delayed" fault (default 3000)
  BANK_RETRY_BASE_MS        first retry wait of a CONFIRM/TRANSFER, doubled each time (default 1000)

Prints "bank VCBSIM at http://…" once listening.`;

const fail = (message: string): never => {
  process.stderr.write(`bank: ${message}\n`);
  process.exit(2);
};
let args: Record<string, string | boolean | undefined> = {};
try {
  args = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'exit-with-stdin': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  }).values;
} catch (e) {
  fail((e as Error).message);
}
if (args.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
const env = process.env;
const number = (raw: string | undefined, name: string, fallback: number) => {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) fail(`${name} must be a whole number (got "${raw}")`);
  return n;
};
const code = env.BANK_CODE ?? '';
if (!code) fail('BANK_CODE is required');
const secret = env.BANK_SECRET ?? '';
if (secret.length < 8) fail('BANK_SECRET of at least 8 characters is required');
const collectionAccount = env.BANK_COLLECTION_ACCOUNT ?? '';
if (!collectionAccount) fail('BANK_COLLECTION_ACCOUNT is required');
let faults: ReturnType<typeof checkFaultModes> = [];
try {
  faults = checkFaultModes(
    (env.BANK_FAULTS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
} catch (e) {
  fail(`BANK_FAULTS: ${(e as Error).message}`);
}
try {
  const running = await startBank({
    code,
    secret,
    collectionAccount,
    bin: env.BANK_BIN || '970436',
    ...(env.BANK_NAME ? { name: env.BANK_NAME } : {}),
    ...(env.BANK_PARTNER_CODE ? { partnerCode: env.BANK_PARTNER_CODE } : {}),
    ...(env.BANK_CALLBACK_URL ? { callbackUrl: env.BANK_CALLBACK_URL } : {}),
    ...(env.BANK_TRANSFER_URL ? { transferUrl: env.BANK_TRANSFER_URL } : {}),
    faults,
    delayMs: number(env.BANK_DELAY_MS, 'BANK_DELAY_MS', 3000),
    retryBaseMs: number(env.BANK_RETRY_BASE_MS, 'BANK_RETRY_BASE_MS', 1000),
    port: number(typeof args.port === 'string' ? args.port : env.PORT, '--port', 4400),
    host: (typeof args.host === 'string' ? args.host : env.HOST) ?? '127.0.0.1',
    ...(args.quiet ? {} : { log: (line: string) => process.stdout.write(`${line}\n`) }),
  });
  process.stdout.write(
    `bank ${code} at ${running.url} (collection account ${collectionAccount}${faults.length ? `, faults ${faults.join(',')}` : ''})\n`,
  );
  const stop = () => void running.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (args['exit-with-stdin']) {
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
    process.stdin.resume();
  }
} catch (e) {
  fail((e as Error).message);
}
