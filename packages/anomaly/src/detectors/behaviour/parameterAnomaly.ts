// behavior_anomaly from parameter profiles: during the learning period every request teaches
// the profiles; after it, requests whose parameters deviate are reported (naming the parameter
// and the model), and only requests that raised nothing, here or in any other detector, keep
// teaching, so an attacker cannot train the model into accepting its payloads.
import { z } from 'zod';
import { actorOf } from '../../findingDraft';
import type { FindingDraft } from '../../findingDraft';
import type { Detector } from '../../detector';
import { addDistinct, eventEvidence, firstFiring } from '../../slidingWindow';
import { ParameterProfiles, parameterProfilesConfigSchema } from '../../parameterProfiles';
import type { ParameterDeviation } from '../../parameterProfiles';

export const parameterAnomalyConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    profiles: parameterProfilesConfigSchema.prefault({}).describe('What is learned per parameter, and the score threshold.'),
    populationTimelines: z
      .number()
      .int()
      .min(2)
      .default(4)
      .describe('A deviation seen from this many timelines within populationWindowMs is a change of the API or its clients, learned rather than reported.'),
    populationWindowMs: z.number().int().min(60_000).default(3_600_000).describe('Window for populationTimelines (event time).'),
    cooldownMs: z.number().int().min(0).default(10 * 60_000).describe('At most one finding per timeline, endpoint, parameter and model within this (event time).'),
  })
  .strict();

export type ParameterAnomalyConfig = z.output<typeof parameterAnomalyConfigSchema>;

/**
 * The deviations worth a finding. One model alone saying a value is new (a word never seen in a
 * search box, a category not yet in its list) is weak evidence on real traffic; Kruegel and Vigna
 * combine the models' scores for the same reason. A parameter counts when two or more models
 * deviate on it together.
 */
export function corroborated(deviations: readonly ParameterDeviation[]): ParameterDeviation[] {
  const models = new Map<string, Set<string>>();
  for (const d of deviations) {
    const key = `${d.location}\u0000${d.parameter}`;
    let set = models.get(key);
    if (set === undefined) models.set(key, (set = new Set()));
    set.add(d.model);
  }
  const strong = deviations.filter(
    (d) => d.model !== 'presence' && d.model !== 'order' && (models.get(`${d.location}\u0000${d.parameter}`)?.size ?? 0) >= 2,
  );
  // Presence and order describe the request's shape; on their own they are a client's habit (an
  // optional field left out), so they only add to a request that deviates otherwise too. A header a
  // client leaves out says which client it is (the device fingerprint's business), never counted.
  if (strong.length === 0) return [];
  return [...strong, ...deviations.filter((d) => (d.model === 'presence' || d.model === 'order') && d.location !== 'header')];
}

export interface ParameterAnomalyDetector extends Detector {
  readonly profiles: ParameterProfiles;
}

export function createParameterAnomaly(
  config: ParameterAnomalyConfig,
  deps: { counters: import('@sidetap/core').Counters },
  model?: unknown,
): ParameterAnomalyDetector {
  const profiles =
    model === undefined ? new ParameterProfiles(config.profiles, { counters: deps.counters }) : ParameterProfiles.importModel(model, config.profiles, { counters: deps.counters });
  return {
    name: 'parameter_profiles',
    categories: ['behavior_anomaly'],
    profiles,
    exportModel: () => profiles.exportModel(),
    modelSummary: () => profiles.summary(),
    observe(e, t, env) {
      if (env.learning(t)) {
        profiles.learn(e);
        return [];
      }
      const deviations = corroborated(profiles.score(e));
      if (deviations.length === 0) {
        // Unless another detector reports it (an injection request_threats names is not a value to learn).
        env.teach(() => profiles.learn(e));
        return [];
      }
      // The profiles live in this process: only a deviation waits on the store (population, cooldown).
      return (async (): Promise<FindingDraft[]> => {
        const worst = deviations.reduce((a, b) => (b.score > a.score ? b : a));
        // The same deviation from many timelines at once is the API or its clients changing (a new
        // parameter, a new client release), not one actor misbehaving: stop reporting it.
        const shiftKey = `pa:shift:${e.http.request.method} ${e.sidetap.endpoint}:${worst.location}:${worst.parameter}:${worst.model}`;
        const timelines = await addDistinct(env.state, shiftKey, t, config.populationWindowMs, e.sidetap.session.timeline);
        if (timelines >= config.populationTimelines) {
          env.counters.inc('anomaly_parameter_population_shifts_total');
          env.teach(() => profiles.learn(e));
          return [];
        }
        // One finding per timeline, endpoint, parameter and model per cooldown: a tool repeating the same odd request is one story.
        const latch = `pa:${e.sidetap.session.timeline}:${e.http.request.method} ${e.sidetap.endpoint}:${worst.location}:${worst.parameter}:${worst.model}`;
        if (!(await firstFiring(env.state, latch, t, config.cooldownMs))) return [];
        return [
          {
            detector: 'parameter_profiles',
            rule: { id: `behavior_anomaly.parameter.${worst.model}`, name: `Parameter value unlike what was learned (${worst.model})`, category: 'behavior_anomaly' },
            severity: deviations.length > 1 ? 3 : 2,
            confidence: worst.score,
            owasp: 'API8:2023',
            ...actorOf(e, true),
            window: { start: t, end: t },
            exchangeIds: [e.event.id],
            excerpts: [...eventEvidence(e).excerpts, ...deviations.slice(0, 5).map((d) => `${d.location} ${d.parameter}: ${d.excerpt}`)],
            observed: worst.excerpt === '' ? worst.parameter : worst.excerpt,
            expected: worst.reason,
            message: `${e.http.request.method} ${e.sidetap.endpoint} from ${e.sidetap.session.timeline}: ${deviations.map((d) => d.reason).slice(0, 3).join(' ')}`,
          },
        ];
      })();
    },
  };
}
