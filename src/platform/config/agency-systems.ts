/** The agency systems the payments talk to (AgencySystemsConfig): the traffic police and VSS. */
import type { Config } from './config.ts';
import { apiKeyField, type Env, given, httpUrl, type Read } from './fields.ts';
import type { RegisterEndpointConfig } from './registers.ts';

/** The traffic police's system of penalty decisions: where paid notices go and the secret they are signed with. */
export interface PoliceSystemConfig {
  url: string;
  webhookSecret: string;
}

export interface AgencySystemsConfig {
  /** POLICE_URL, POLICE_WEBHOOK_SECRET; absent: paid notices wait in the outbox. */
  police: PoliceSystemConfig | undefined;
  /** SOCIAL_INSURANCE_URL, SOCIAL_INSURANCE_API_KEY; absent: voluntary social insurance cannot be paid. */
  socialInsurance: RegisterEndpointConfig | undefined;
}

/** The configuration with the embedded demo's police and social-insurance simulators where the environment set none. */
export function withDemoAgencySystems(config: Config, systems: AgencySystemsConfig): Config {
  return {
    ...config,
    agencySystems: {
      police: config.agencySystems.police ?? systems.police,
      socialInsurance: config.agencySystems.socialInsurance ?? systems.socialInsurance,
    },
  };
}

const AGENCY_SYSTEMS = [
  ['POLICE_URL', 'POLICE_WEBHOOK_SECRET', 'the traffic police system told of paid fines'],
  ['SOCIAL_INSURANCE_URL', 'SOCIAL_INSURANCE_API_KEY', 'Vietnam Social Security, voluntary social insurance'],
] as const;

/** Fines and social insurance: each agency system's URL and its secret, both or neither. */
export function readAgencySystems(env: Env, read: Read, problems: string[]): AgencySystemsConfig {
  const systems: AgencySystemsConfig = { police: undefined, socialInsurance: undefined };
  for (const [urlName, keyName, what] of AGENCY_SYSTEMS) {
    const hasUrl = given(env, urlName);
    const hasKey = given(env, keyName);
    if (hasUrl !== hasKey) {
      problems.push(`${hasUrl ? keyName : urlName} is needed with ${hasUrl ? urlName : keyName} (${what})`);
    } else if (hasUrl) {
      const url = read(urlName, httpUrl);
      const secret = read(keyName, apiKeyField);
      if (url && secret) {
        if (urlName === 'POLICE_URL') systems.police = { url, webhookSecret: secret };
        else systems.socialInsurance = { url, apiKey: secret };
      }
    }
  }
  return systems;
}
