import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../src/platform/audit/index.ts';
import { migrate, openDatabase } from '../src/platform/db/index.ts';
import { createTestDatabase } from '../test/helpers/database.ts';
import { ROOT } from './helpers.ts';

const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const d of drops) await d();
});

function runVerify(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/audit-verify.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('npm run audit:verify', () => {
  it('reports an intact chain, then names the first broken link after tampering', async () => {
    const t = await createTestDatabase();
    drops.push(t.drop);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-cli-'));
    const env: Record<string, string> = t.options.databaseUrl
      ? { DATABASE_URL: t.options.databaseUrl }
      : { DATA_DIR: dataDir };
    const open = () =>
      openDatabase(t.options.databaseUrl ? { databaseUrl: t.options.databaseUrl } : { dataDir });

    let database = await open();
    await migrate(database);
    for (let i = 0; i < 5; i++) {
      await database.db.transaction().execute((trx) =>
        appendAudit(trx, {
          actor: 'system:test',
          action: 'test.write',
          subject: `thing:${i}`,
          data: { i },
        }),
      );
    }
    await database.close();

    const ok = runVerify(env);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('audit chain intact: 5 rows checked');

    database = await open();
    const third = (
      await sql<{ id: number }>`select id from platform.audit_log order by id offset 2 limit 1`.execute(
        database.db,
      )
    ).rows[0]!.id;
    await sql`alter table platform.audit_log disable trigger audit_log_no_update_delete`.execute(database.db);
    await sql`update platform.audit_log set actor = 'user:intruder' where id = ${third}`.execute(database.db);
    await database.close();

    const broken = runVerify(env);
    expect(broken.status).toBe(2);
    expect(broken.stdout).toContain(`audit chain BROKEN at row ${third}`);
    expect(broken.stdout).toContain('was altered');
  });
});
