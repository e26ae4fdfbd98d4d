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
import { createSequenceAnomaly, sequenceAnomalyConfigSchema } from './detectors/behaviour/sequenceAnomaly';
import { behaviorForestConfigSchema, createBehaviorForest } from './detectors/behaviour/behaviorForest';
import { createDataExfiltration, dataExfiltrationConfigSchema } from './detectors/data/dataExfiltration';
import { createResponseSize, responseSizeConfigSchema } from './detectors/data/responseSize';
import { createSensitiveDataExposure, sensitiveDataExposureConfigSchema } from './detectors/data/sensitiveDataExposure';
import { createVolumeAnomaly, volumeAnomalyConfigSchema } from './detectors/data/volumeAnomaly';
import { createProtocolChecks, protocolChecksConfigSchema } from './detectors/protocol/protocolChecks';
import { createRequestThreats, requestThreatsConfigSchema } from './detectors/threats/requestThreats';

interface Deps {
  counters: Counters;
  /** This detector's part of the trained model document, when there is one. */
  model: unknown;
}

/** Config schema and factory of a detector; the factory is typed by its own schema. */
function entry<S extends z.ZodType<{ enabled: boolean }>>(schema: S, create: (config: z.output<S>, deps: Deps) => Detector) {
  return { schema, create };
}

/** Every detector, in the fixed order they run in (so findings come out in the same order every run). */
const REGISTRY = {
  request_threats: entry(requestThreatsConfigSchema, createRequestThreats),
  protocol_checks: entry(protocolChecksConfigSchema, createProtocolChecks),
  brute_force: entry(bruteForceConfigSchema, createBruteForce),
  credential_stuffing: entry(credentialStuffingConfigSchema, createCredentialStuffing),
  enumeration: entry(enumerationConfigSchema, createEnumeration),
  rate_limit_probing: entry(rateLimitProbingConfigSchema, createRateLimitProbing),
  scraping: entry(scrapingConfigSchema, createScraping),
  distributed_attack: entry(distributedAttackConfigSchema, createDistributedAttack),
  impossible_travel: entry(impossibleTravelConfigSchema, createImpossibleTravel),
  device_change: entry(deviceChangeConfigSchema, createDeviceChange),
  token_reuse: entry(tokenReuseConfigSchema, createTokenReuse),
  off_hours: entry(offHoursConfigSchema, createOffHours),
  lateral_movement: entry(lateralMovementConfigSchema, createLateralMovement),
  data_exfiltration: entry(dataExfiltrationConfigSchema, createDataExfiltration),
  response_size_anomaly: entry(responseSizeConfigSchema, createResponseSize),
  sensitive_data_exposure: entry(sensitiveDataExposureConfigSchema, createSensitiveDataExposure),
  volume_anomaly: entry(volumeAnomalyConfigSchema, createVolumeAnomaly),
  sequence_anomaly: entry(sequenceAnomalyConfigSchema, createSequenceAnomaly),
  behavior_forest: entry(behaviorForestConfigSchema, createBehaviorForest),
  parameter_profiles: entry(parameterAnomalyConfigSchema, (config, deps) => createParameterAnomaly(config, deps, deps.model)),
};

export type DetectorName = keyof typeof REGISTRY;

export const DETECTOR_CONFIG_SCHEMAS = Object.fromEntries(Object.entries(REGISTRY).map(([name, e]) => [name, e.schema])) as {
  [K in DetectorName]: (typeof REGISTRY)[K]['schema'];
};

export type DetectorConfigs = { [K in DetectorName]: z.output<(typeof REGISTRY)[K]['schema']> };

/** The enabled detectors, in registry order. */
export function createDetectors(configs: DetectorConfigs, deps: { counters: Counters }, models?: AnomalyModels): Detector[] {
  const out: Detector[] = [];
  for (const name of Object.keys(REGISTRY) as DetectorName[]) {
    const config = configs[name];
    // Each entry's factory takes its own schema's output, which `configs[name]` is.
    if (config.enabled) out.push((REGISTRY[name].create as (c: typeof config, d: Deps) => Detector)(config, { counters: deps.counters, model: models?.detectors[name] }));
  }
  return out;
}
