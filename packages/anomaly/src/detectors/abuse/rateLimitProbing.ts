// rate_limit_probing: an actor that keeps running into an endpoint's rate limit, minute after
// minute (429 answers, or a RateLimit-Remaining of 0 or 1 when the gateway says so): someone
// measuring the limit to stay just under it, or pushing past it again and again.
import { z } from 'zod';
import type { Event } from '@sidetap/core';
import { actorOf } from '../../findingDraft';
import type { FindingDraft } from '../../findingDraft';
import type { Detector } from '../../detector';
import { addDistinct, addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';

const MINUTE = 60_000;

export const rateLimitProbingConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    windowMs: z.number().int().min(MINUTE).default(30 * MINUTE).describe('Window (event time) the limited minutes are counted in.'),
    minLimitedMinutes: z.number().int().min(2).default(4).describe('Distinct minutes in which the actor hit the limit (429, or 0-1 requests remaining).'),
  })
  .strict();

export type RateLimitProbingConfig = z.output<typeof rateLimitProbingConfigSchema>;

const REMAINING_HEADERS = ['ratelimit-remaining', 'x-ratelimit-remaining', 'x-rate-limit-remaining'];

/** Whether the response says the client is at its limit. */
export function atLimit(e: Event): boolean {
  const res = e.http.response;
  if (res === undefined) return false;
  if (res.status_code === 429) return true;
  for (const h of REMAINING_HEADERS) {
    const v = res.headers[h];
    if (v !== undefined && /^\s*[01]\s*$/.test(v)) return true;
  }
  return false;
}

export function createRateLimitProbing(config: RateLimitProbingConfig): Detector {
  const { windowMs } = config;
  return {
    name: 'rate_limit_probing',
    categories: ['rate_limit_probing'],
    observe(e, t, env) {
      // Only responses at the limit count: every other event is answered without touching the state.
      if (!atLimit(e)) return [];
      return (async (): Promise<FindingDraft[]> => {
        const base = `rl:${e.sidetap.session.timeline}:${e.sidetap.endpoint}`;
        await addToWindow(env.state, base, t, evidenceMember(e), windowMs);
        const minutes = await addDistinct(env.state, `${base}:m`, t, windowMs, String(Math.floor(t / MINUTE)));
        if (minutes < config.minLimitedMinutes || !(await firstFiring(env.state, `${base}:fired`, t, windowMs))) return [];
        const ev = await windowEvidence(env.state, base, t - windowMs + 1, t);
        return [
          {
            detector: 'rate_limit_probing',
            rule: { id: 'rate_limit_probing.repeated_limit', name: 'Repeatedly at the rate limit', category: 'rate_limit_probing' },
            severity: 2,
            confidence: Math.min(1, minutes / (config.minLimitedMinutes * 2)),
            owasp: 'API4:2023',
            ...actorOf(e, true),
            window: { start: ev.start, end: ev.end },
            exchangeIds: ev.exchangeIds,
            excerpts: ev.excerpts,
            observed: `${minutes} minutes at the limit`,
            expected: `fewer than ${config.minLimitedMinutes}`,
            message: `${e.sidetap.session.timeline} reached the rate limit of ${e.http.request.method} ${e.sidetap.endpoint} in ${minutes} different minutes within ${Math.round(windowMs / MINUTE)} minutes.`,
          },
        ];
      })();
    },
  };
}
