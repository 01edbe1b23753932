/**
 * `npm run admin -- add-intermediary | add-payee | add-partner` as a child process on an embedded
 * database of its own: the registry rows written, the secret taken from the named environment variable
 * (never argv), bad input refused with exit code 2 and nothing written.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../platform/db/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'admin-payments-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function admin(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli/admin.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dir, LOG_LEVEL: 'silent', ...env },
  }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );
}

describe('npm run admin -- payments registry', () => {
  it('registers an intermediary, a payee and a partner; refuses bad input with 2 and writes nothing', async () => {
    const secret = 'bi-mat-cua-ngan-hang-thu-nghiem';
    const ok = await admin(
      [
        'add-intermediary',
        '--code',
        'NHA',
        '--name',
        'Ngân hàng A',
        '--kind',
        'bank',
        '--url',
        'https://nha.example.vn',
        '--secret-env',
        'NHA_SECRET',
        '--qr-bin',
        '970436',
        '--qr-account',
        '0011000123456',
      ],
      { NHA_SECRET: secret },
    );
    expect(ok.code, ok.err).toBe(0);
    expect(
      (
        await admin([
          'add-payee',
          '--agency',
          'UBND-02',
          '--name',
          'UBND tỉnh Hà Giang',
          '--chapter',
          '418',
          '--treasury-account',
          '7111',
          '--treasury-name',
          'KBNN Hà Giang',
          '--series',
          'HG02',
        ])
      ).code,
    ).toBe(0);
    expect(
      (
        await admin(
          [
            'add-partner',
            '--code',
            'HG-MOTCUA',
            '--name',
            'Một cửa Hà Giang',
            '--agency',
            'UBND-02',
            '--secret-env',
            'HG_SECRET',
          ],
          { HG_SECRET: 'bi-mat-doi-tac-ha-giang-2026' },
        )
      ).code,
    ).toBe(0);
    // Refused: no secret in the environment, a code the database refuses, a missing option.
    const noSecret = await admin([
      'add-intermediary',
      '--code',
      'NHB',
      '--name',
      'B',
      '--kind',
      'bank',
      '--url',
      'https://b',
      '--secret-env',
      'UNSET_VAR',
    ]);
    expect(noSecret.code).toBe(2);
    const badCode = await admin(
      [
        'add-intermediary',
        '--code',
        'nh b',
        '--name',
        'B',
        '--kind',
        'bank',
        '--url',
        'https://b',
        '--secret-env',
        'S',
      ],
      { S: 'mot-khoa-bi-mat-du-dai' },
    );
    expect(badCode.code).toBe(2);
    expect((await admin(['add-payee', '--agency', 'UBND-03'])).code).toBe(2);

    const database = await openDatabase({ dataDir: dir, poolMax: 1 });
    try {
      const i = await sql<{
        code: string;
        secret: string;
        qr_bin: string;
      }>`select code, secret, qr_bin from payments.intermediaries`.execute(database.db);
      expect(i.rows).toEqual([{ code: 'NHA', secret, qr_bin: '970436' }]);
      const payees = await sql<{ agency_code: string }>`select agency_code from payments.payees`.execute(
        database.db,
      );
      expect(payees.rows.map((r) => r.agency_code)).toEqual(['UBND-02']);
      const partners = await sql<{ code: string }>`select code from payments.partners`.execute(database.db);
      expect(partners.rows.map((r) => r.code)).toEqual(['HG-MOTCUA']);
    } finally {
      await database.close();
    }
  }, 120_000);
});
