/**
 * `npm run ledger:verify`: checks every posting set of the payments ledger in order (see
 * `verifyLedger`) and names the first set that is wrong. Exit code 0 when the books hold, 2 when they do
 * not, 1 on any other failure. On the embedded database, stop the portal first (one process per ./data).
 */
import { verifyLedger } from '../modules/payments/index.ts';
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
    const v = await verifyLedger(database.db);
    const ms = Math.round(performance.now() - started);
    if (v.ok) {
      process.stdout.write(
        `Sổ cái đúng / ledger holds: ${v.sets} posting sets checked in ${ms} ms (${database.location})\n`,
      );
      return 0;
    }
    process.stdout.write(
      `Sổ cái sai tại bút toán ${v.at?.id ?? '?'} / ledger WRONG at posting set ${v.at?.id ?? '?'} (${v.at?.kind ?? '?'} ${v.at?.key ?? ''}): ${v.problem.message}\n` +
        `  (${v.problem.set} sets before it are right)\n`,
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
    else process.stderr.write(`ledger:verify failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
