/**
 * A whole portal (migrated, reference data loaded) on a fresh database, for `app.inject` tests, with the
 * national registers it proves identities against running as real HTTP servers on free ports
 * (sim/population-register and sim/business-register, seed `test`): `portal.registers` reaches them, to
 * find their people or make them misbehave.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBusinessRegister } from '../../sim/business-register/server.ts';
import { startPopulationRegister } from '../../sim/population-register/server.ts';
import { type Portal, startPortal } from '../../src/bootstrap.ts';
import type { Clock } from '../../src/platform/clock/index.ts';
import { type Config, loadConfig } from '../../src/platform/config/index.ts';
import { createTestDatabase } from './database.ts';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', ...overrides });
}

export interface TestRegisters {
  population: Awaited<ReturnType<typeof startPopulationRegister>>;
  business: Awaited<ReturnType<typeof startBusinessRegister>>;
}

/** Both register simulators on free ports, seed `test`, and the environment that points the portal at them. */
export async function startTestRegisters(): Promise<
  TestRegisters & { env: Record<string, string>; close(): Promise<void> }
> {
  const apiKey = randomBytes(12).toString('base64url');
  const population = await startPopulationRegister({ apiKey, seed: 'test', port: 0 });
  const business = await startBusinessRegister({ apiKey, seed: 'test', port: 0, size: 5_000 });
  return {
    population,
    business,
    env: {
      POPULATION_REGISTER_URL: population.url,
      POPULATION_REGISTER_API_KEY: apiKey,
      BUSINESS_REGISTER_URL: business.url,
      BUSINESS_REGISTER_API_KEY: apiKey,
    },
    async close() {
      await Promise.all([population.close(), business.close()]);
    },
  };
}

export async function testPortal(
  options: { clock?: Clock; env?: Record<string, string>; demoDocuments?: boolean } = {},
): Promise<Portal & { registers: TestRegisters }> {
  const t = await createTestDatabase({ prepared: true });
  // Files (blobs, the demo's keys) go with the database: a directory of this portal's own.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cong-dvc-test-'));
  const registers = await startTestRegisters();
  let portal: Portal;
  try {
    portal = await startPortal(testConfig({ DATA_DIR: dataDir, ...registers.env, ...options.env }), {
      database: t.options,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.demoDocuments ? { demoDocuments: true } : {}),
    });
  } catch (e) {
    await registers.close();
    await t.drop();
    throw e;
  }
  const close = portal.close;
  portal.close = async () => {
    await close();
    await registers.close();
    await t.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return Object.assign(portal, {
    registers: { population: registers.population, business: registers.business },
  });
}
