// response_size_anomaly: an endpoint answering far larger than anything it answered while its
// baseline was learned (a broken filter or pagination handing out whole tables). Judged per
// endpoint template and method, against its own largest learned response, or the whole API's
// when the endpoint has too little history.
import { z } from 'zod';
import type { Detector } from '../../detector';
import { LearnedValues } from '../../learnedValues';
import { actorOf } from '../../findingDraft';
import { addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';

const HOUR = 3_600_000;

export const responseSizeConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    factor: z.number().min(2).default(20).describe('How many times its largest learned response an answer must be.'),
    minLearned: z.number().int().min(1).default(20).describe('Responses an endpoint must have given while learning before it is judged.'),
    minBytes: z.number().int().min(0).default(32_768).describe('Never report a response smaller than this.'),
    cooldownMs: z.number().int().min(60_000).default(HOUR).describe('At most one finding per endpoint within this (event time).'),
  })
  .strict();

export type ResponseSizeConfig = z.output<typeof responseSizeConfigSchema>;

const GLOBAL = 'rs:global:max';

export function createResponseSize(config: ResponseSizeConfig): Detector {
  let learnedValues: LearnedValues | undefined;
  return {
    name: 'response_size_anomaly',
    categories: ['response_size_anomaly'],
    async observe(e, t, env) {
      const res = e.http.response;
      if (res === undefined || res.status_code >= 400) return [];
      const bytes = res.body.bytes;
      const endpoint = `${e.http.request.method} ${e.sidetap.endpoint}`;
      const key = `rs:${endpoint}`;
      learnedValues ??= new LearnedValues(env.state);
      const learning = env.learning(t);
      const text = await learnedValues.get(key, t, learning);
      const [n, max] = text === undefined ? [0, 0] : (text.split(',').map(Number) as [number, number]);
      if (learning) {
        await env.state.set(key, `${n + 1},${Math.max(max, bytes)}`, { now: t, ttlMs: 30 * 24 * HOUR });
        const globalMax = Number((await env.state.get(GLOBAL, t)) ?? 0);
        if (bytes > globalMax) await env.state.set(GLOBAL, String(bytes), { now: t, ttlMs: 30 * 24 * HOUR });
        return [];
      }
      if (bytes < config.minBytes) return [];
      // An endpoint with too little history of its own is held to the largest answer of the whole API.
      const ownHistory = n >= config.minLearned;
      const baseline = ownHistory ? max : Number((await learnedValues.get(GLOBAL, t, false)) ?? 0);
      if (baseline === 0 || bytes <= baseline * config.factor) return [];
      await addToWindow(env.state, `${key}:e`, t, evidenceMember(e), config.cooldownMs);
      if (!(await firstFiring(env.state, `${key}:fired`, t, config.cooldownMs))) return [];
      const ev = await windowEvidence(env.state, `${key}:e`, t - config.cooldownMs, t);
      return [
        {
          detector: 'response_size_anomaly',
          rule: { id: 'response_size_anomaly.oversized', name: 'Response far larger than the endpoint ever gave', category: 'response_size_anomaly' },
          severity: 3,
          confidence: Math.min(1, bytes / (baseline * config.factor * 4)),
          owasp: 'API3:2023',
          ...actorOf(e, true),
          window: { start: ev.start, end: ev.end },
          exchangeIds: ev.exchangeIds,
          excerpts: ev.excerpts,
          observed: `${bytes} bytes`,
          expected: ownHistory ? `at most ${max} bytes (largest of ${n} learned responses)` : `at most ${baseline} bytes (largest learned response of any endpoint)`,
          message: ownHistory
            ? `${endpoint} answered with ${Math.round(bytes / 1024)} KiB; in ${n} learned responses it never gave more than ${Math.round(max / 1024)} KiB.`
            : `${endpoint} answered with ${Math.round(bytes / 1024)} KiB, ${Math.round(bytes / baseline)} times the largest answer any endpoint gave while learning.`,
        },
      ];
    },
  };
}
