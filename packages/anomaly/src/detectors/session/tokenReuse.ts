// token_reuse: one credential used from several networks at once: a stolen token replayed
// beside its owner. Networks are /16 (IPv4) or /48 (IPv6) so a phone hopping between addresses
// of one carrier does not count, and the window is short.
import { z } from 'zod';
import type { Detector } from '../../detector';
import { addDistinct, addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';

export const tokenReuseConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    windowMs: z.number().int().min(1000).default(10 * 60_000).describe('Window (event time) in which the networks are counted.'),
    minNetworks: z.number().int().min(2).default(3).describe('Distinct networks (/16 or /48) one credential is sent from within the window.'),
  })
  .strict();

export type TokenReuseConfig = z.output<typeof tokenReuseConfigSchema>;

export function networkOf(ip: string): string {
  if (ip.includes(':')) return ip.split(':').slice(0, 3).join(':');
  return ip.split('.').slice(0, 2).join('.');
}

export function createTokenReuse(config: TokenReuseConfig): Detector {
  const { windowMs } = config;
  return {
    name: 'token_reuse',
    categories: ['token_reuse'],
    async observe(e, t, env) {
      const cred = e.sidetap.credential?.hash;
      if (cred === undefined || e.sidetap.geo?.scope === 'internal') return [];
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
          actorKey: e.sidetap.actor_key,
          ...(e.user !== undefined ? { user: e.user } : {}),
          sourceIp: e.source.ip,
          window: { start: ev.start, end: ev.end },
          exchangeIds: ev.exchangeIds,
          excerpts: ev.excerpts,
          observed: `${networks} networks`,
          expected: `fewer than ${config.minNetworks}`,
          message: `The credentials of ${e.sidetap.session.timeline} were sent from ${networks} different networks within ${Math.round(windowMs / 60_000)} minutes.`,
        },
      ];
    },
  };
}
