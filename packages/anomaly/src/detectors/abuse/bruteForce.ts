// brute_force: many failed logins against one account, or from one source address, within a
// window. Login attempts and their outcome are facts the sessionizer puts on events.
import { z } from 'zod';
import type { Event } from '@sidetap/core';
import type { Detector, DetectorEnv } from '../../detector';
import type { FindingDraft } from '../../findingDraft';
import { addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';

const MINUTE = 60_000;

export const bruteForceConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    windowMs: z.number().int().min(1000).default(10 * MINUTE).describe('Sliding window (event time) failures are counted in.'),
    accountFailures: z.number().int().min(2).default(10).describe('Failed logins against one account within the window that raise a finding.'),
    sourceFailures: z.number().int().min(2).default(30).describe('Failed logins from one source address within the window that raise a finding.'),
  })
  .strict();

export type BruteForceConfig = z.output<typeof bruteForceConfigSchema>;

export function createBruteForce(config: BruteForceConfig): Detector {
  const { windowMs } = config;
  const check = async (env: DetectorEnv, e: Event, t: number, scope: 'account' | 'source', id: string, threshold: number): Promise<FindingDraft[]> => {
    const key = `bf:${scope}:${id}`;
    const n = await addToWindow(env.state, key, t, evidenceMember(e), windowMs);
    if (n < threshold || !(await firstFiring(env.state, `${key}:fired`, t, windowMs))) return [];
    const ev = await windowEvidence(env.state, key, t - windowMs + 1, t);
    const who = scope === 'account' ? `account ${id}` : `source ${id}`;
    return [
      {
        detector: 'brute_force',
        rule: { id: `brute_force.${scope}`, name: `Brute force against one ${scope === 'account' ? 'account' : 'source address'}`, category: 'brute_force' },
        severity: 3,
        confidence: Math.min(1, n / (threshold * 2)),
        owasp: 'API2:2023',
        techniques: ['T1110.001'],
        ...(scope === 'account' ? { user: { name: id } } : {}),
        sourceIp: e.source.ip,
        endpoint: e.sidetap.endpoint,
        window: { start: ev.start, end: ev.end },
        exchangeIds: ev.exchangeIds,
        excerpts: ev.excerpts,
        observed: n,
        expected: threshold - 1,
        message: `${n} failed logins ${scope === 'account' ? 'against' : 'from'} ${who} on ${e.sidetap.endpoint} within ${Math.round(windowMs / MINUTE)} minutes.`,
      },
    ];
  };
  return {
    name: 'brute_force',
    categories: ['brute_force'],
    observe(e, t, env) {
      const login = e.sidetap.login;
      // Only failed logins count: every other event is answered without touching the state.
      if (login?.outcome !== 'failure') return [];
      const user = login.user;
      return (async () => {
        const out = await check(env, e, t, 'source', e.source.ip, config.sourceFailures);
        if (user !== undefined) out.push(...(await check(env, e, t, 'account', user, config.accountFailures)));
        return out;
      })();
    },
  };
}
