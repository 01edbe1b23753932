/**
 * A migrated PGlite database with the reference data loaded, dumped once per change of the migrations,
 * reference files, source code or dependencies, so each integration test file opens a fresh copy in ~1 s instead of
 * running initdb, the migrations and the reference load again (~4 s). PostgreSQL runs do not use it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareDatabase } from '../../src/bootstrap.ts';
import { openDatabase } from '../../src/platform/db/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

function sourcesChecksum(): string {
  const h = createHash('sha256');
  h.update(fs.readFileSync(path.join(ROOT, 'package-lock.json')));
  // The data depends on the migrations, the reference files and the code that loads them.
  for (const dir of ['db/migrations', 'db/reference', 'src']) {
    for (const f of (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]).sort()) {
      const file = path.join(ROOT, dir, f);
      if (!fs.statSync(file).isFile()) continue;
      h.update(f);
      h.update(fs.readFileSync(file));
    }
  }
  return h.digest('hex').slice(0, 16);
}

export function templatePath(): string {
  return path.join(os.tmpdir(), `cong-dvc-pglite-template-${sourcesChecksum()}.tar`);
}

/** Creates the template if it is missing (atomically: written aside, then renamed). */
export async function ensureTemplate(): Promise<string> {
  const file = templatePath();
  if (fs.existsSync(file)) return file;
  const database = await openDatabase({ memory: true });
  try {
    await prepareDatabase(database, { agencyIdentifiersFile: undefined });
    const dump = await database.dumpDataDir!();
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
  } finally {
    await database.close();
  }
  return file;
}
