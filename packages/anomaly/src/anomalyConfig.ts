// Options of the anomaly stage: the learning period, each detector's section, correlation and suppressions.
import { z } from 'zod';
import { correlationConfigSchema } from './correlation/incidentCorrelator';
import { DETECTOR_CONFIG_SCHEMAS } from './registry';
import { suppressionSchema } from './suppression';

const HOUR = 3_600_000;

export const anomalyConfigSchema = z
  .object({
    learnMs: z
      .number()
      .int()
      .min(0)
      .default(24 * HOUR)
      .describe('Learning period from the first event seen (event time): baselines learn and are not scored (`--learn 24h` on replay). Threshold detectors fire throughout.'),
    learningHoldMs: z
      .number()
      .int()
      .min(0)
      .default(HOUR)
      .describe(
        'After a finding about an actor, none of its traffic teaches any baseline for this long (event time); the event that raised it never does. Keeps an attack that one detector reports, or that a cooldown keeps from being reported twice, out of every other baseline.',
      ),
    learningHoldActors: z
      .number()
      .int()
      .min(1)
      .default(100_000)
      .describe(
        'Reported actors whose latest finding the learning hold remembers; beyond it the one reported longest ago is forgotten and may teach again (counted in anomaly_learning_hold_forgotten_total).',
      ),
    detectors: z
      .object({
        request_threats: DETECTOR_CONFIG_SCHEMAS.request_threats.prefault({}),
        protocol_checks: DETECTOR_CONFIG_SCHEMAS.protocol_checks.prefault({}),
        brute_force: DETECTOR_CONFIG_SCHEMAS.brute_force.prefault({}),
        credential_stuffing: DETECTOR_CONFIG_SCHEMAS.credential_stuffing.prefault({}),
        enumeration: DETECTOR_CONFIG_SCHEMAS.enumeration.prefault({}),
        rate_limit_probing: DETECTOR_CONFIG_SCHEMAS.rate_limit_probing.prefault({}),
        scraping: DETECTOR_CONFIG_SCHEMAS.scraping.prefault({}),
        distributed_attack: DETECTOR_CONFIG_SCHEMAS.distributed_attack.prefault({}),
        impossible_travel: DETECTOR_CONFIG_SCHEMAS.impossible_travel.prefault({}),
        device_change: DETECTOR_CONFIG_SCHEMAS.device_change.prefault({}),
        token_reuse: DETECTOR_CONFIG_SCHEMAS.token_reuse.prefault({}),
        off_hours: DETECTOR_CONFIG_SCHEMAS.off_hours.prefault({}),
        lateral_movement: DETECTOR_CONFIG_SCHEMAS.lateral_movement.prefault({}),
        data_exfiltration: DETECTOR_CONFIG_SCHEMAS.data_exfiltration.prefault({}),
        response_size_anomaly: DETECTOR_CONFIG_SCHEMAS.response_size_anomaly.prefault({}),
        sensitive_data_exposure: DETECTOR_CONFIG_SCHEMAS.sensitive_data_exposure.prefault({}),
        volume_anomaly: DETECTOR_CONFIG_SCHEMAS.volume_anomaly.prefault({}),
        sequence_anomaly: DETECTOR_CONFIG_SCHEMAS.sequence_anomaly.prefault({}),
        behavior_forest: DETECTOR_CONFIG_SCHEMAS.behavior_forest.prefault({}),
        parameter_profiles: DETECTOR_CONFIG_SCHEMAS.parameter_profiles.prefault({}),
      })
      .strict()
      .prefault({})
      .describe('Each detector: enabled, and its named thresholds.'),
    correlation: correlationConfigSchema.prefault({}).describe('How findings of one actor form incidents with a combined, decayed risk score.'),
    useStoredModels: z
      .boolean()
      .default(true)
      .describe('Start from the models in the store (`<store>/models/anomaly.json`, from `sidetap models train`) when there are any; they replace the learning period.'),
    suppressions: z.array(suppressionSchema).default([]).describe('Findings judged benign, never emitted again (counted).'),
  })
  .strict()
  .describe('Anomaly engine: detectors over events.');

export type AnomalyConfig = z.output<typeof anomalyConfigSchema>;
