// behavior_anomaly from parameter profiles: during the learning period every request teaches
// the profiles; after it, requests whose parameters deviate are reported (naming the parameter
// and the model), and only requests that raised nothing keep teaching, so an attacker cannot
// train the model into accepting its payloads.
import { z } from 'zod';
import type { Detector } from '../../detector';
import { evidenceMember } from '../../slidingWindow';
import { ParameterProfiles, parameterProfilesConfigSchema } from '../../parameterProfiles';

export const parameterAnomalyConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    profiles: parameterProfilesConfigSchema.prefault({}).describe('What is learned per parameter, and the score threshold.'),
  })
  .strict();

export type ParameterAnomalyConfig = z.output<typeof parameterAnomalyConfigSchema>;

export interface ParameterAnomalyDetector extends Detector {
  readonly profiles: ParameterProfiles;
}

export function createParameterAnomaly(config: ParameterAnomalyConfig, deps: { counters: import('@sidetap/core').Counters }): ParameterAnomalyDetector {
  const profiles = new ParameterProfiles(config.profiles, { counters: deps.counters });
  return {
    name: 'parameter_profiles',
    categories: ['behavior_anomaly'],
    profiles,
    async observe(e, t, env) {
      if (env.learning(t)) {
        profiles.learn(e);
        return [];
      }
      const deviations = profiles.score(e);
      if (deviations.length === 0) {
        profiles.learn(e);
        return [];
      }
      const worst = deviations.reduce((a, b) => (b.score > a.score ? b : a));
      const member = evidenceMember(e);
      return [
        {
          detector: 'parameter_profiles',
          rule: { id: `behavior_anomaly.parameter.${worst.model}`, name: `Parameter value unlike what was learned (${worst.model})`, category: 'behavior_anomaly' },
          severity: deviations.length > 1 ? 3 : 2,
          confidence: worst.score,
          owasp: 'API8:2023',
          actorKey: e.sidetap.actor_key,
          ...(e.user !== undefined ? { user: e.user } : {}),
          sourceIp: e.source.ip,
          endpoint: e.sidetap.endpoint,
          window: { start: t, end: t },
          exchangeIds: [e.event.id],
          excerpts: [member.slice(member.indexOf('\t') + 1), ...deviations.slice(0, 5).map((d) => `${d.location} ${d.parameter}: ${d.excerpt}`)],
          observed: worst.excerpt === '' ? worst.parameter : worst.excerpt,
          expected: worst.reason,
          message: `${e.http.request.method} ${e.sidetap.endpoint} from ${e.sidetap.session.timeline}: ${deviations.map((d) => d.reason).slice(0, 3).join(' ')}`,
        },
      ];
    },
  };
}
