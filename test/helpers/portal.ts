/** A whole portal (migrated, reference data loaded) on a fresh database, for `app.inject` tests. */
import { type Portal, startPortal } from '../../src/bootstrap.ts';
import type { Clock } from '../../src/platform/clock/index.ts';
import { type Config, loadConfig } from '../../src/platform/config/index.ts';
import { createTestDatabase } from './database.ts';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', ...overrides });
}

export async function testPortal(
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<Portal> {
  const t = await createTestDatabase({ prepared: true });
  const portal = await startPortal(testConfig(options.env), {
    database: t.options,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const close = portal.close;
  portal.close = async () => {
    await close();
    await t.drop();
  };
  return portal;
}
