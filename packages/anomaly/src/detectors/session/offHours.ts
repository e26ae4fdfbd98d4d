// off_hours: a timeline busy at an hour of ITS OWN day when it never is, and when hardly anyone
// is. Hours are local solar hours: UTC shifted by the longitude the timeline was usually seen at
// while learning (its home), so a Sydney user and a Chicago user are judged on their own nights,
// and an attacker abroad is judged on the victim's clock. Two things must agree: the timeline
// (almost) never used the hour or the hours beside it, and it is deep night for the population (the share of all learned traffic at that local hour
// is a small fraction of an even share). A few requests must come in that hour, not one stray.
// Off by default: after one learned day a night owl and an intruder look alike (measured on the
// generated incidents with 24 h of learning: both found, but 5 of 7 findings were night owls).
import { z } from 'zod';
import type { Event } from '@sidetap/core';
import type { Detector, DetectorEnv } from '../../detector';
import { actorOf } from '../../findingDraft';
import { LearnedValues } from '../../learnedValues';
import { addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';

const HOUR = 3_600_000;
const KEEP = { ttlMs: 30 * 24 * HOUR };

export const offHoursConfigSchema = z
  .object({
    enabled: z
      .boolean()
      .default(false)
      .describe('Run this detector. Off by default: it needs a learning period of about a week (or models trained on one) to know a routine.'),
    minLearnedRequests: z.number().int().min(1).default(15).describe('Requests a timeline must have made while learning before its hours are judged.'),
    maxOwnShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.01)
      .describe('The largest share of its own learned requests the hour may hold, counting half of each neighbouring hour (a routine that ends at 23:00 reaches into midnight).'),
    maxPopulationShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.15)
      .describe('The local hour must hold at most this fraction of an even share (1/24) of everyone\'s learned traffic: deep night for the population.'),
    minRequests: z.number().int().min(1).default(3).describe('Requests the timeline must make within the hour before it is reported.'),
  })
  .strict();

export type OffHoursConfig = z.output<typeof offHoursConfigSchema>;

const parseCounts = (text: string | undefined): number[] => (text === undefined ? new Array<number>(24).fill(0) : text.split(',').map(Number));
const mod24 = (h: number): number => ((h % 24) + 24) % 24;
/** Local solar hour offset of a longitude. */
const offsetOf = (lon: number): number => Math.round(lon / 15);

export function createOffHours(config: OffHoursConfig): Detector {
  let learned: LearnedValues | undefined;
  const read = (env: DetectorEnv, key: string, t: number): Promise<string | undefined> => (learned ??= new LearnedValues(env.state)).get(key, t, env.learning(t));

  async function learn(e: Event, t: number, env: DetectorEnv): Promise<void> {
    const utcHour = new Date(t).getUTCHours();
    const tl = e.sidetap.session.timeline;
    const counts = parseCounts(await env.state.get(`oh:utc:${tl}`, t));
    counts[utcHour]! += 1;
    await env.state.set(`oh:utc:${tl}`, counts.join(','), { now: t, ...KEEP });
    const lon = e.source.geo?.location?.lon;
    if (lon === undefined) return;
    // Longitudes summed as unit vectors, so a home near the date line averages correctly.
    const [x, y, n] = ((await env.state.get(`oh:lon:${tl}`, t)) ?? '0,0,0').split(',').map(Number) as [number, number, number];
    const rad = (lon * Math.PI) / 180;
    await env.state.set(`oh:lon:${tl}`, `${x + Math.cos(rad)},${y + Math.sin(rad)},${n + 1}`, { now: t, ...KEEP });
    const pop = parseCounts(await env.state.get('oh:pop', t));
    pop[mod24(utcHour + offsetOf(lon))]! += 1;
    await env.state.set('oh:pop', pop.join(','), { now: t, ...KEEP });
  }

  return {
    name: 'off_hours',
    categories: ['off_hours'],
    async observe(e, t, env) {
      if (e.sidetap.actor.kind === 'ip') return [];
      if (env.learning(t)) {
        await learn(e, t, env);
        return [];
      }
      const tl = e.sidetap.session.timeline;
      const utc = parseCounts(await read(env, `oh:utc:${tl}`, t));
      const total = utc.reduce((a, b) => a + b, 0);
      if (total < config.minLearnedRequests) return [];
      const home = await read(env, `oh:lon:${tl}`, t);
      // Without a learned home (no geo while learning), the clock is UTC for both sides.
      const [x, y] = (home ?? '1,0,0').split(',').map(Number) as [number, number];
      const offset = home === undefined ? 0 : offsetOf((Math.atan2(y, x) * 180) / Math.PI);
      const hour = mod24(new Date(t).getUTCHours() + offset);
      const own = (h: number): number => utc[mod24(h - offset)]!;
      if ((own(hour) + 0.5 * (own(hour - 1) + own(hour + 1))) / total > config.maxOwnShare) return [];
      const pop = parseCounts(await read(env, 'oh:pop', t));
      const popTotal = pop.reduce((a, b) => a + b, 0);
      if (popTotal === 0 || pop[hour]! / popTotal > config.maxPopulationShare / 24) return [];
      const key = `oh:e:${tl}`;
      if ((await addToWindow(env.state, key, t, evidenceMember(e), HOUR)) < config.minRequests) return [];
      if (!(await firstFiring(env.state, `oh:fired:${tl}`, t, 6 * HOUR))) return [];
      const ev = await windowEvidence(env.state, key, t - HOUR, t);
      const usual = [...new Set(utc.flatMap((c, h) => (c > 0 ? [mod24(h + offset)] : [])))].sort((a, b) => a - b);
      const clock = (h: number): string => `${String(h).padStart(2, '0')}:00`;
      const zone = home === undefined ? 'UTC' : `local (UTC${offset >= 0 ? '+' : ''}${offset})`;
      return [
        {
          detector: 'off_hours',
          rule: { id: 'off_hours.unused_hour', name: 'Active at an hour the actor never is', category: 'off_hours' },
          severity: 2,
          confidence: Math.min(1, total / (config.minLearnedRequests * 4)),
          techniques: ['T1078'],
          ...actorOf(e, true),
          window: { start: ev.start, end: ev.end },
          exchangeIds: ev.exchangeIds,
          excerpts: ev.excerpts,
          observed: `${clock(hour)} ${zone}`,
          expected: `hours used while learning: ${usual.join(', ')} ${zone}`,
          message: `${tl} made ${ev.exchangeIds.length} requests around ${clock(hour)} ${zone}, a night hour for nearly everyone; in ${total} learned requests it was active only at ${usual.join(', ')} h.`,
        },
      ];
    },
  };
}
