/** The national registers identity proofing asks (RegistersConfig): each one's URL and the portal's key. */
import type { Config } from './config.ts';
import { apiKeyField, type Env, given, httpUrl, integer, type Read } from './fields.ts';

/** Where a national register's API is and the portal's key to it. */
export interface RegisterEndpointConfig {
  url: string;
  apiKey: string;
}

export interface RegistersConfig {
  /** The national population database (citizens' identity); absent: proofing unavailable. */
  population: RegisterEndpointConfig | undefined;
  /** The national business registration database; absent: businesses cannot be proven. */
  business: RegisterEndpointConfig | undefined;
  /** Deadline of one request to a register (milliseconds). */
  timeoutMs: number;
}

/** The configuration with the embedded demo's register simulators where the environment set none. */
export function withDemoRegisters(
  config: Config,
  registers: { population: RegisterEndpointConfig; business: RegisterEndpointConfig },
): Config {
  return {
    ...config,
    registers: {
      ...config.registers,
      population: config.registers.population ?? registers.population,
      business: config.registers.business ?? registers.business,
    },
  };
}

const REGISTERS = [
  ['population', 'POPULATION_REGISTER', 'the national population database'],
  ['business', 'BUSINESS_REGISTER', 'the national business registration database'],
] as const;

/** REGISTER_TIMEOUT_MS; the registers themselves are read by `readRegisterEndpoints`, later. */
export function readRegisterTimeout(read: Read): RegistersConfig {
  return {
    population: undefined,
    business: undefined,
    timeoutMs: read('REGISTER_TIMEOUT_MS', integer(100, 60_000), 5000),
  };
}

/** Each national register: its URL and the portal's API key, both or neither; both in production. */
export function readRegisterEndpoints(
  env: Env,
  registers: RegistersConfig,
  production: boolean,
  read: Read,
  problems: string[],
): void {
  for (const [key, prefix, what] of REGISTERS) {
    const urlName = `${prefix}_URL`;
    const keyName = `${prefix}_API_KEY`;
    const hasUrl = given(env, urlName);
    const hasKey = given(env, keyName);
    if (hasUrl !== hasKey) {
      problems.push(`${hasUrl ? keyName : urlName} is needed with ${hasUrl ? urlName : keyName} (${what})`);
    } else if (hasUrl) {
      const url = read(urlName, httpUrl);
      const apiKey = read(keyName, apiKeyField);
      if (url && apiKey) registers[key] = { url, apiKey };
    } else if (production) {
      problems.push(
        `${urlName} and ${keyName} are required when NODE_ENV=production (${what}: identity proofing at registration)`,
      );
    }
  }
}
