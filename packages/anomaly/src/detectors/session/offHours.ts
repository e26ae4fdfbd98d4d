// off_hours: a timeline active at an hour of the day well away from every hour it used while
// its profile was learned (per hour of day, UTC), judged only for timelines with enough learned
// requests. Off by default: one learned day rarely shows a person's routine (measured on the
// generated incidents: 0 of 2 found, 7 false alarms after a 24 h learning period); turn it on
// with a learning period of a week or more, or models trained on one.
import { z } from 'zod';
import type { Detector } from '../../detector';
import { actorOf } from '../../findingDraft';
import { eventEvidence, firstFiring } from '../../slidingWindow';

const HOUR = 3_600_000;

export const offHoursConfigSchema = z
  .object({
    enabled: z.boolean().default(false).describe('Run this detector (needs a week or more of learned traffic to be useful).'),
    minLearnedRequests: z.number().int().min(1).default(50).describe('Requests a timeline must have made while learning before its hours are judged.'),
    minHoursAway: z.number().int().min(1).max(12).default(3).describe('How far (hours) from every hour it used while learning a request must be.'),
    minActiveHours: z.number().int().min(1).max(23).default(4).describe('Distinct hours of day it must have used while learning (a timeline seen in one burst has no profile).'),
  })
  .strict();

export type OffHoursConfig = z.output<typeof offHoursConfigSchema>;

export function createOffHours(config: OffHoursConfig): Detector {
  return {
    name: 'off_hours',
    categories: ['off_hours'],
    async observe(e, t, env) {
      if (e.sidetap.actor.kind === 'ip') return [];
      const tl = e.sidetap.session.timeline;
      const key = `oh:${tl}`;
      const hour = new Date(t).getUTCHours();
      const text = await env.state.get(key, t);
      const counts = text === undefined ? new Array<number>(24).fill(0) : text.split(',').map(Number);
      if (env.learning(t)) {
        counts[hour] = (counts[hour] ?? 0) + 1;
        await env.state.set(key, counts.join(','), { now: t, ttlMs: 30 * 24 * HOUR });
        return [];
      }
      const learned = counts.reduce((a, b) => a + b, 0);
      const activeHours = counts.filter((c) => c > 0).length;
      if (learned < config.minLearnedRequests || activeHours < config.minActiveHours) return [];
      // Hours away from the nearest hour it used: one learned day rarely shows a whole routine, so
      // only an hour well outside it counts.
      let distance = 24;
      counts.forEach((c, h) => {
        if (c > 0) distance = Math.min(distance, Math.abs(h - hour), 24 - Math.abs(h - hour));
      });
      if (distance < config.minHoursAway || !(await firstFiring(env.state, `${key}:fired`, t, 6 * HOUR))) return [];
      const usual = counts.map((c, h) => (c > 0 ? h : -1)).filter((h) => h >= 0);
      return [
        {
          detector: 'off_hours',
          rule: { id: 'off_hours.unused_hour', name: 'Active at an hour the actor never is', category: 'off_hours' },
          severity: 2,
          confidence: Math.min(1, learned / (config.minLearnedRequests * 4)),
          techniques: ['T1078'],
          ...actorOf(e, true),
          window: { start: t, end: t },
          ...eventEvidence(e),
          observed: `${String(hour).padStart(2, '0')}:00 UTC`,
          expected: `hours used while learning: ${usual.join(', ')} UTC`,
          message: `${tl} made a request at ${String(hour).padStart(2, '0')}:00 UTC; in ${learned} learned requests it was active only at ${usual.join(', ')} h UTC.`,
        },
      ];
    },
  };
}
