// impossible_travel: two requests of one timeline from places further apart than anyone could
// travel in the time between them. Only confident, public geo counts: internal addresses,
// country-level hits and anycast are left out, since their location says little.
import { z } from 'zod';
import type { Event } from '@sidetap/core';
import { actorOf, splitMembers } from '../../findingDraft';
import type { Detector } from '../../detector';
import type { FindingDraft } from '../../findingDraft';
import { evidenceMember, firstFiring } from '../../slidingWindow';

export const impossibleTravelConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    maxSpeedKmh: z.number().min(1).default(1000).describe('Fastest believable travel (an airliner flies ~900 km/h).'),
    minDistanceKm: z.number().min(0).default(500).describe('Shorter hops are ignored: city-level geo is often off by hundreds of km.'),
    memoryMs: z.number().int().min(60_000).default(24 * 3_600_000).describe('How long (event time) the last location of a timeline is remembered.'),
  })
  .strict();

export type ImpossibleTravelConfig = z.output<typeof impossibleTravelConfigSchema>;

interface Fix {
  t: number;
  lat: number;
  lon: number;
  ip: string;
  country: string;
  member: string;
}

/** Great-circle distance in km (haversine). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

const usable = (e: Event): boolean =>
  e.sidetap.geo?.scope === 'public' && e.sidetap.geo.confidence !== 'low' && e.source.geo?.location !== undefined && e.sidetap.actor.kind !== 'ip';

export function createImpossibleTravel(config: ImpossibleTravelConfig): Detector {
  return {
    name: 'impossible_travel',
    categories: ['impossible_travel'],
    observe(e, t, env) {
      // Only events with a located address are placed: every other event is answered without touching the state.
      if (!usable(e)) return [];
      return (async (): Promise<FindingDraft[]> => {
        const key = `it:${e.sidetap.session.timeline}`;
        const loc = e.source.geo!.location!;
        const here: Fix = { t, lat: loc.lat, lon: loc.lon, ip: e.source.ip, country: e.source.geo?.country_iso_code ?? '?', member: evidenceMember(e) };
        const text = await env.state.get(key, t);
        await env.state.set(key, JSON.stringify(here), { now: t, ttlMs: config.memoryMs });
        if (text === undefined) return [];
        const before = JSON.parse(text) as Fix;
        const km = distanceKm(before, here);
        const hours = Math.max(Math.abs(t - before.t), 60_000) / 3_600_000;
        const speed = km / hours;
        if (km < config.minDistanceKm || speed <= config.maxSpeedKmh) return [];
        if (!(await firstFiring(env.state, `${key}:fired`, t, 3_600_000))) return [];
        const [first, second] = before.t <= t ? [before, here] : [here, before];
        return [
          {
            detector: 'impossible_travel',
            rule: { id: 'impossible_travel.speed', name: 'Impossible travel between requests', category: 'impossible_travel' },
            severity: 3,
            confidence: Math.min(1, speed / (config.maxSpeedKmh * 4)),
            owasp: 'API2:2023',
            techniques: ['T1078'],
            ...actorOf(e, false),
            window: { start: first.t, end: second.t },
            ...splitMembers([first.member, second.member]),
            observed: `${Math.round(km)} km in ${Math.round(hours * 60)} min (${Math.round(speed)} km/h)`,
            expected: `at most ${config.maxSpeedKmh} km/h`,
            message: `${e.sidetap.session.timeline} made requests from ${first.country} (${first.ip}) and ${second.country} (${second.ip}), ${Math.round(km)} km apart, ${Math.round(hours * 60)} minutes apart.`,
          },
        ];
      })();
    },
  };
}
