import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../test/helpers/database.ts';
import { migrate } from '../../../platform/db/index.ts';
import { retireOldKeys, rotateSigningKey, signingKeys } from './keys.ts';

let database: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  database = await freshDatabase();
  await migrate(database);
});
afterAll(async () => {
  await database.dispose();
});

describe('signing keys', () => {
  it('creates one key on first use, signs with the newest after a rotation, keeps the previous published, retires the rest', async () => {
    const first = await signingKeys(database.db);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(first[0]).toHaveProperty('d');
    const again = await signingKeys(database.db);
    expect(again.map((k) => k.kid)).toEqual(first.map((k) => k.kid));

    await new Promise((r) => setTimeout(r, 5));
    const second = await rotateSigningKey(database.db);
    await new Promise((r) => setTimeout(r, 5));
    const third = await rotateSigningKey(database.db);
    const keys = await signingKeys(database.db);
    expect(keys.map((k) => k.kid)).toEqual([third, second, first[0]!.kid]);

    await retireOldKeys(database.db, 2);
    expect((await signingKeys(database.db)).map((k) => k.kid)).toEqual([third, second]);
  });
});
