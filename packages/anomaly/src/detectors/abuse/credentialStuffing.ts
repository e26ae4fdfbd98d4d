// credential_stuffing: failed logins across many user names from many addresses, each address
// trying only a few: a leaked credential list spread over a proxy pool. Counted per login endpoint.
// An address past its few within the window is hammering (brute force, password spraying): its
// further failures are brute_force's to judge and count nothing here, so one sprayer on top of the
// usual scattered typos (many addresses, a few failures each) does not look like a spread list.
import { z } from 'zod';
import type { Detector } from '../../detector';
import type { FindingDraft } from '../../findingDraft';
import { addDistinct, addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';

const MINUTE = 60_000;

export const credentialStuffingConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    windowMs: z.number().int().min(1000).default(60 * MINUTE).describe('Window (event time) over which user names and sources are counted.'),
    minUsers: z.number().int().min(2).default(20).describe('Distinct user names with failed logins within the window.'),
    minSources: z.number().int().min(2).default(5).describe('Distinct source addresses those failures came from.'),
    maxFailuresPerSource: z
      .number()
      .min(1)
      .default(8)
      .describe(
        "Failures one source may have within the window and still count: beyond it the source is hammering (brute force), and its further failures do not count here. The sources' average must stay at most this too.",
      ),
  })
  .strict();

export type CredentialStuffingConfig = z.output<typeof credentialStuffingConfigSchema>;

export function createCredentialStuffing(config: CredentialStuffingConfig): Detector {
  const { windowMs } = config;
  return {
    name: 'credential_stuffing',
    categories: ['credential_stuffing'],
    observe(e, t, env) {
      const login = e.sidetap.login;
      // Only failed logins naming a user count: every other event is answered without touching the state.
      if (login?.outcome !== 'failure' || login.user === undefined) return [];
      const user = login.user;
      return (async (): Promise<FindingDraft[]> => {
        const base = `cs:${e.sidetap.endpoint}`;
        // Two fixed buckets, as the sketches below: a source's count over the window or a little more.
        const bucket = `${base}:n:${e.source.ip}`;
        await env.state.incrWindow(bucket, t, windowMs);
        if ((await env.state.sumWindows(bucket, t, windowMs, 2)) > config.maxFailuresPerSource) {
          env.counters.inc('anomaly_credential_stuffing_hammering_total');
          return [];
        }
        const failures = await addToWindow(env.state, base, t, evidenceMember(e), windowMs);
        const users = await addDistinct(env.state, `${base}:u`, t, windowMs, user);
        const sources = await addDistinct(env.state, `${base}:s`, t, windowMs, e.source.ip);
        // The sketches span up to two fixed buckets; the sliding count keeps a finished attack from
        // looking current on the next stray failure.
        if (failures < config.minUsers || users < config.minUsers || sources < config.minSources || failures / sources > config.maxFailuresPerSource) return [];
        if (!(await firstFiring(env.state, `${base}:fired`, t, windowMs))) return [];
        const ev = await windowEvidence(env.state, base, t - windowMs + 1, t);
        return [
          {
            detector: 'credential_stuffing',
            rule: { id: 'credential_stuffing.spread', name: 'Credential stuffing across many accounts and sources', category: 'credential_stuffing' },
            severity: 4,
            confidence: Math.min(1, users / (config.minUsers * 2)),
            owasp: 'API2:2023',
            techniques: ['T1110.004'],
            endpoint: e.sidetap.endpoint,
            window: { start: ev.start, end: ev.end },
            exchangeIds: ev.exchangeIds,
            excerpts: ev.excerpts,
            observed: `${failures} failures, ${users} user names, ${sources} sources`,
            expected: `fewer than ${config.minUsers} user names or ${config.minSources} sources`,
            message: `${failures} failed logins for ${users} different user names from ${sources} addresses on ${e.sidetap.endpoint} within ${Math.round(windowMs / MINUTE)} minutes.`,
          },
        ];
      })();
    },
  };
}
