// distributed_attack: one endpoint reached from far more distinct addresses in an hour than it
// ever was while its baseline was learned, each address sending only a little: a botnet or a
// proxy pool spreading guesses or load thin enough to stay under per-address limits.
import { z } from 'zod';
import type { Detector } from '../../detector';
import type { FindingDraft } from '../../findingDraft';
import { KeyMemo } from '../../keyMemo';
import { LearnedValues } from '../../learnedValues';
import { addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';

const HOUR = 3_600_000;

export const distributedAttackConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    factor: z.number().min(1).default(2).describe('How many times its busiest learned hour (in distinct addresses) an endpoint must see.'),
    minSources: z.number().int().min(2).default(50).describe('Distinct addresses in the hour, at least.'),
    maxPerSource: z.number().min(1).default(6).describe('Average requests per address at most: more is a few heavy clients, not a spread.'),
  })
  .strict();

export type DistributedAttackConfig = z.output<typeof distributedAttackConfigSchema>;

export function createDistributedAttack(config: DistributedAttackConfig): Detector {
  let learnedValues: LearnedValues | undefined;
  /** Per method and endpoint, its name and keys, and the key of the hour last counted. */
  const keys = new KeyMemo((method, template) => {
    const endpoint = `${method} ${template}`;
    const base = `da:${endpoint}`;
    return { endpoint, base, requests: `${base}:n`, max: `${base}:max`, hour: NaN, hourKey: '' };
  });
  return {
    name: 'distributed_attack',
    categories: ['distributed_attack'],
    observe(e, t, env) {
      // Login attempts from many addresses are credential stuffing, which its own detector judges
      // with what logins tell (user names, failures); counting them here would report it twice.
      if (e.sidetap.login !== undefined) return [];
      return (async (): Promise<FindingDraft[]> => {
        const k = keys.of(e.http.request.method, e.sidetap.endpoint);
        const { endpoint, base } = k;
        const hour = Math.floor(t / HOUR);
        // One key string for the add and the count, made once per hour: the store hashes it once.
        if (hour !== k.hour) {
          k.hour = hour;
          k.hourKey = `${base}:${hour}`;
        }
        const hourKey = k.hourKey;
        await env.state.addDistinct(hourKey, [e.source.ip], t);
        const sources = await env.state.countDistinct([hourKey]);
        const requests = await env.state.incrWindow(k.requests, t, HOUR);
        const maxKey = k.max;
        learnedValues ??= new LearnedValues(env.state);
        const learning = env.learning(t);
        const learned = Number((await learnedValues.get(maxKey, t, learning)) ?? 0);
        if (learning) {
          if (sources > learned) await env.state.set(maxKey, String(sources), { now: t, ttlMs: 30 * 24 * HOUR });
          return [];
        }
        const limit = Math.max(config.minSources, learned * config.factor);
        // Evidence only once the hour is past half its limit.
        if (sources * 2 < limit) return [];
        await addToWindow(env.state, `${base}:e`, t, evidenceMember(e), HOUR);
        if (sources < limit || requests / sources > config.maxPerSource) return [];
        if (!(await firstFiring(env.state, `${base}:fired`, t, HOUR))) return [];
        const ev = await windowEvidence(env.state, `${base}:e`, t - HOUR, t);
        return [
          {
            detector: 'distributed_attack',
            rule: { id: 'distributed_attack.many_sources', name: 'One endpoint, many thin sources', category: 'distributed_attack' },
            severity: 3,
            confidence: Math.min(1, sources / (limit * 2)),
            owasp: 'API4:2023',
            techniques: ['T1110'],
            endpoint: e.sidetap.endpoint,
            sourceIp: e.source.ip,
            window: { start: ev.start, end: ev.end },
            exchangeIds: ev.exchangeIds,
            excerpts: ev.excerpts,
            observed: `${sources} addresses, ${requests} requests this hour`,
            expected: `under ${Math.ceil(limit)} addresses (busiest learned hour: ${learned})`,
            message: `${endpoint} was reached from ${sources} different addresses in one hour (${(requests / sources).toFixed(1)} requests each); its busiest learned hour had ${learned}.`,
          },
        ];
      })();
    },
  };
}
