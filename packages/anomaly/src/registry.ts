// The detectors, listed explicitly: each with its config section and factory.
import type { z } from 'zod';
import type { Counters } from '@sidetap/core';
import type { Detector } from './detector';
import type { AnomalyModels } from './models/anomalyModels';
import { bruteForceConfigSchema, createBruteForce } from './detectors/abuse/bruteForce';
import { createCredentialStuffing, credentialStuffingConfigSchema } from './detectors/abuse/credentialStuffing';
import { createEnumeration, enumerationConfigSchema } from './detectors/abuse/enumeration';
import { createRateLimitProbing, rateLimitProbingConfigSchema } from './detectors/abuse/rateLimitProbing';
import { createScraping, scrapingConfigSchema } from './detectors/abuse/scraping';
import { createDistributedAttack, distributedAttackConfigSchema } from './detectors/abuse/distributedAttack';
import { createDeviceChange, deviceChangeConfigSchema } from './detectors/session/deviceChange';
import { createImpossibleTravel, impossibleTravelConfigSchema } from './detectors/session/impossibleTravel';
import { createTokenReuse, tokenReuseConfigSchema } from './detectors/session/tokenReuse';
import { createOffHours, offHoursConfigSchema } from './detectors/session/offHours';
import { createLateralMovement, lateralMovementConfigSchema } from './detectors/session/lateralMovement';
import { createParameterAnomaly, parameterAnomalyConfigSchema } from './detectors/behaviour/parameterAnomaly';
import { createDataExfiltration, dataExfiltrationConfigSchema } from './detectors/data/dataExfiltration';
import { createResponseSize, responseSizeConfigSchema } from './detectors/data/responseSize';

export const DETECTOR_CONFIG_SCHEMAS = {
  brute_force: bruteForceConfigSchema,
  credential_stuffing: credentialStuffingConfigSchema,
  enumeration: enumerationConfigSchema,
  rate_limit_probing: rateLimitProbingConfigSchema,
  scraping: scrapingConfigSchema,
  distributed_attack: distributedAttackConfigSchema,
  impossible_travel: impossibleTravelConfigSchema,
  device_change: deviceChangeConfigSchema,
  token_reuse: tokenReuseConfigSchema,
  off_hours: offHoursConfigSchema,
  lateral_movement: lateralMovementConfigSchema,
  data_exfiltration: dataExfiltrationConfigSchema,
  response_size_anomaly: responseSizeConfigSchema,
  parameter_profiles: parameterAnomalyConfigSchema,
} as const;

export type DetectorName = keyof typeof DETECTOR_CONFIG_SCHEMAS;

export type DetectorConfigs = { [K in DetectorName]: z.output<(typeof DETECTOR_CONFIG_SCHEMAS)[K]> };

/** The enabled detectors, in a fixed order so findings come out in the same order every run. */
export function createDetectors(configs: DetectorConfigs, deps: { counters: Counters }, models?: AnomalyModels): Detector[] {
  const out: Detector[] = [];
  if (configs.brute_force.enabled) out.push(createBruteForce(configs.brute_force));
  if (configs.credential_stuffing.enabled) out.push(createCredentialStuffing(configs.credential_stuffing));
  if (configs.enumeration.enabled) out.push(createEnumeration(configs.enumeration));
  if (configs.rate_limit_probing.enabled) out.push(createRateLimitProbing(configs.rate_limit_probing));
  if (configs.scraping.enabled) out.push(createScraping(configs.scraping));
  if (configs.distributed_attack.enabled) out.push(createDistributedAttack(configs.distributed_attack));
  if (configs.impossible_travel.enabled) out.push(createImpossibleTravel(configs.impossible_travel));
  if (configs.device_change.enabled) out.push(createDeviceChange(configs.device_change));
  if (configs.token_reuse.enabled) out.push(createTokenReuse(configs.token_reuse));
  if (configs.off_hours.enabled) out.push(createOffHours(configs.off_hours));
  if (configs.lateral_movement.enabled) out.push(createLateralMovement(configs.lateral_movement));
  if (configs.data_exfiltration.enabled) out.push(createDataExfiltration(configs.data_exfiltration));
  if (configs.response_size_anomaly.enabled) out.push(createResponseSize(configs.response_size_anomaly));
  if (configs.parameter_profiles.enabled) out.push(createParameterAnomaly(configs.parameter_profiles, deps, models?.parameter_profiles));
  return out;
}
