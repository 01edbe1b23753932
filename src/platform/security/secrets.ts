/**
 * Installation secrets: random keys generated on first use and stored in `platform.instance_secrets`,
 * so every process of one installation agrees on them without configuration (CSRF tokens, the pepper
 * of one-time-code hashes). Cached per process.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { AnyDb } from '../db/index.ts';

export function createSecrets(db: AnyDb) {
  const cache = new Map<string, Promise<Buffer>>();
  async function load(name: string): Promise<Buffer> {
    await sql`insert into platform.instance_secrets (name, secret) values (${name}, ${randomBytes(32)})
              on conflict (name) do nothing`.execute(db);
    const r = await sql<{
      secret: Uint8Array;
    }>`select secret from platform.instance_secrets where name = ${name}`.execute(db);
    const secret = r.rows[0]?.secret;
    if (!secret) throw new Error(`instance secret ${name} could not be created`);
    return Buffer.from(secret);
  }
  return {
    get(name: string): Promise<Buffer> {
      let p = cache.get(name);
      if (!p) {
        p = load(name);
        p.catch(() => cache.delete(name));
        cache.set(name, p);
      }
      return p;
    },
  };
}

export type Secrets = ReturnType<typeof createSecrets>;
