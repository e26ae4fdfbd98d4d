// token_reuse: one credential used from several networks at once: a stolen token replayed
// beside its owner. Networks are /16 (IPv4) or /48 (IPv6) so a phone hopping between addresses
// of one carrier does not count, and the window is short.
import { z } from 'zod';
import type { Event } from '@sidetap/core';
import type { Detector, DetectorEnv } from '../../detector';
import { actorOf, splitMembers } from '../../findingDraft';
import { KeyMemo } from '../../keyMemo';
import type { FindingDraft } from '../../findingDraft';
import { addDistinct, addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';

export const tokenReuseConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    windowMs: z.number().int().min(1000).default(10 * 60_000).describe('Window (event time) in which the networks are counted.'),
    minNetworks: z.number().int().min(2).default(3).describe('Distinct networks (/16 or /48) one credential is sent from within the window.'),
    afterLogoutMs: z
      .number()
      .int()
      .min(60_000)
      .default(7 * 24 * 3_600_000)
      .describe('How long (event time) a credential whose session logged out is watched for reuse.'),
  })
  .strict();

export type TokenReuseConfig = z.output<typeof tokenReuseConfigSchema>;

/** A path that ends a session: after it succeeds, the credential it was sent with should never be seen again. */
const LOGOUT = /(^|\/)(log|sign)[-_]?(out|off)(\/|$)/i;

/** A credential's logout key, made once per credential: every event carrying it reads the key. */
const logoutKeys = new KeyMemo((cred) => `tr:out:${cred}`);

async function replayedAfterLogout(e: Event, t: number, env: DetectorEnv, cred: string, config: TokenReuseConfig): Promise<FindingDraft[]> {
  const key = logoutKeys.of(cred);
  const status = e.http.response?.status_code ?? 0;
  if (LOGOUT.test(e.url.path) && status >= 200 && status < 400) {
    await env.state.set(key, `${t}\t${evidenceMember(e)}`, { now: t, ttlMs: config.afterLogoutMs });
    return [];
  }
  const seen = await env.state.get(key, t);
  if (seen === undefined || !(await firstFiring(env.state, `${key}:fired`, t, config.afterLogoutMs))) return [];
  const tab = seen.indexOf('\t');
  const logoutAt = Number(seen.slice(0, tab));
  const logout = seen.slice(tab + 1);
  const here = evidenceMember(e);
  return [
    {
      detector: 'token_reuse',
      rule: { id: 'token_reuse.after_logout', name: 'Credential used after its session was logged out', category: 'token_reuse' },
      severity: 3,
      confidence: 0.9,
      owasp: 'API2:2023',
      techniques: ['T1550.001'],
      ...actorOf(e, true),
      window: { start: logoutAt, end: t },
      ...splitMembers([logout, here]),
      observed: `used ${Math.round((t - logoutAt) / 60_000)} min after logout`,
      message: `The credentials of ${e.sidetap.session.timeline} were sent again ${Math.round((t - logoutAt) / 60_000)} minutes after that session logged out, from ${e.source.ip}.`,
    },
  ];
}

export function networkOf(ip: string): string {
  if (ip.includes(':')) return ip.split(':').slice(0, 3).join(':');
  return ip.split('.').slice(0, 2).join('.');
}

export function createTokenReuse(config: TokenReuseConfig): Detector {
  const { windowMs } = config;
  return {
    name: 'token_reuse',
    categories: ['token_reuse'],
    observe(e, t, env) {
      const cred = e.sidetap.credential?.hash;
      // Only events carrying a credential count: every other event is answered without touching the state.
      if (cred === undefined) return [];
      return (async (): Promise<FindingDraft[]> => {
        const afterLogout = await replayedAfterLogout(e, t, env, cred, config);
        if (afterLogout.length > 0 || e.sidetap.geo?.scope === 'internal') return afterLogout;
        const base = `tr:${cred}`;
        await addToWindow(env.state, base, t, evidenceMember(e), windowMs);
        const networks = await addDistinct(env.state, `${base}:n`, t, windowMs, networkOf(e.source.ip));
        if (networks < config.minNetworks || !(await firstFiring(env.state, `${base}:fired`, t, windowMs))) return [];
        const ev = await windowEvidence(env.state, base, t - windowMs + 1, t);
        return [
          {
            detector: 'token_reuse',
            rule: { id: 'token_reuse.networks', name: 'One credential used from several networks at once', category: 'token_reuse' },
            severity: 3,
            confidence: Math.min(1, networks / (config.minNetworks + 2)),
            owasp: 'API2:2023',
            techniques: ['T1550.001'],
            ...actorOf(e, false),
            window: { start: ev.start, end: ev.end },
            exchangeIds: ev.exchangeIds,
            excerpts: ev.excerpts,
            observed: `${networks} networks`,
            expected: `fewer than ${config.minNetworks}`,
            message: `The credentials of ${e.sidetap.session.timeline} were sent from ${networks} different networks within ${Math.round(windowMs / 60_000)} minutes.`,
          },
        ];
      })();
    },
  };
}
