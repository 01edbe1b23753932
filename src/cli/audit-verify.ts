/**
 * `npm run audit:verify`: walks the audit log's hash chain and names the first broken link.
 * Exit code 0 when the chain holds, 2 when it is broken, 1 on any other failure. On the embedded
 * database, stop the portal first (one process per ./data).
 */
import { verifyAuditChain } from '../platform/audit/index.ts';
import { ConfigError, loadConfig } from '../platform/config/index.ts';
import { DataDirLockedError, openDatabase } from '../platform/db/index.ts';

async function main(): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: 2,
  });
  try {
    const started = performance.now();
    const verdict = await verifyAuditChain(database.db);
    const ms = Math.round(performance.now() - started);
    if (verdict.ok) {
      process.stdout.write(
        `Nhật ký kiểm toán toàn vẹn / audit chain intact: ${verdict.rows} rows checked in ${ms} ms (${database.location}); last hash ${verdict.lastHash}\n`,
      );
      return 0;
    }
    process.stdout.write(
      `Chuỗi nhật ký kiểm toán bị phá vỡ tại dòng ${verdict.brokenAt} / audit chain BROKEN at row ${verdict.brokenAt}: ${verdict.message}\n` +
        `  (${verdict.rows} rows before it are intact)\n`,
    );
    return 2;
  } finally {
    await database.close();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((e: unknown) => {
    if (e instanceof ConfigError || e instanceof DataDirLockedError) process.stderr.write(`${e.message}\n`);
    else process.stderr.write(`audit:verify failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
