// The detectors, listed explicitly: each with its config section and factory.
import type { Detector } from './detector';
import { bruteForceConfigSchema, createBruteForce } from './detectors/abuse/bruteForce';
import { createCredentialStuffing, credentialStuffingConfigSchema } from './detectors/abuse/credentialStuffing';
import { createEnumeration, enumerationConfigSchema } from './detectors/abuse/enumeration';

export const DETECTOR_CONFIG_SCHEMAS = {
  brute_force: bruteForceConfigSchema,
  credential_stuffing: credentialStuffingConfigSchema,
  enumeration: enumerationConfigSchema,
} as const;

export type DetectorName = keyof typeof DETECTOR_CONFIG_SCHEMAS;

export interface DetectorConfigs {
  brute_force: import('zod').output<typeof bruteForceConfigSchema>;
  credential_stuffing: import('zod').output<typeof credentialStuffingConfigSchema>;
  enumeration: import('zod').output<typeof enumerationConfigSchema>;
}

/** The enabled detectors, in a fixed order so findings come out in the same order every run. */
export function createDetectors(configs: DetectorConfigs): Detector[] {
  const out: Detector[] = [];
  if (configs.brute_force.enabled) out.push(createBruteForce(configs.brute_force));
  if (configs.credential_stuffing.enabled) out.push(createCredentialStuffing(configs.credential_stuffing));
  if (configs.enumeration.enabled) out.push(createEnumeration(configs.enumeration));
  return out;
}
