// sequence_anomaly: a session that breaks the workflow learned from everyone's sessions. Two
// things are learned per endpoint (method and template): which endpoints nearly always came
// earlier in the same session (checkout after a cart), and how many times in a row it was ever
// called. A call without its prerequisite, or a run far beyond the longest learned, is reported.
import { z } from 'zod';
import type { Event } from '@sidetap/core';
import type { Detector, DetectorEnv } from '../../detector';
import { actorOf } from '../../findingDraft';
import { LearnedValues } from '../../learnedValues';
import { addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';

const HOUR = 3_600_000;
/** Endpoints remembered per session, and prerequisite candidates per endpoint. */
const MAX_VISITED = 64;

export const sequenceAnomalyConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    minOccurrences: z.number().int().min(5).default(20).describe('Times an endpoint must have been called while learning before its workflow is judged.'),
    prerequisiteRatio: z
      .number()
      .min(0.5)
      .max(1)
      .default(0.95)
      .describe('Share of its learned calls an earlier endpoint must have preceded (in the same session) to count as a prerequisite.'),
    runFactor: z.number().min(1).default(3).describe('How many times its longest learned run of consecutive calls a run must reach.'),
    minRun: z.number().int().min(2).default(6).describe('Consecutive calls of one endpoint before a run is judged at all.'),
  })
  .strict();

export type SequenceAnomalyConfig = z.output<typeof sequenceAnomalyConfigSchema>;

const endpointOf = (e: Event): string => `${e.http.request.method} ${e.sidetap.endpoint}`;
/** Reads can be bookmarked, polled or deep-linked; workflows are made of the calls that change state. */
const changesState = (endpoint: string): boolean => !endpoint.startsWith('GET ') && !endpoint.startsWith('HEAD ') && !endpoint.startsWith('OPTIONS ');

export function createSequenceAnomaly(config: SequenceAnomalyConfig): Detector {
  let learned: LearnedValues | undefined;
  const ttl = (t: number, ms: number) => ({ now: t, ttlMs: ms });

  const learn = async (env: DetectorEnv, t: number, endpoint: string, visited: string[], run: number): Promise<void> => {
    const occKey = `sq:occ:${endpoint}`;
    const occ = Number((await env.state.get(occKey, t)) ?? 0);
    await env.state.set(occKey, String(occ + 1), ttl(t, 30 * 24 * HOUR));
    const preKey = `sq:pre:${endpoint}`;
    const pre = JSON.parse((await env.state.get(preKey, t)) ?? '{}') as Record<string, number>;
    for (const v of visited) if (v !== endpoint && (pre[v] !== undefined || Object.keys(pre).length < MAX_VISITED)) pre[v] = (pre[v] ?? 0) + 1;
    await env.state.set(preKey, JSON.stringify(pre), ttl(t, 30 * 24 * HOUR));
    const runKey = `sq:run:${endpoint}`;
    if (run > Number((await env.state.get(runKey, t)) ?? 0)) await env.state.set(runKey, String(run), ttl(t, 30 * 24 * HOUR));
  };

  return {
    name: 'sequence_anomaly',
    categories: ['sequence_anomaly'],
    async observe(e, t, env) {
      learned ??= new LearnedValues(env.state);
      const endpoint = endpointOf(e);
      const sessionKey = `sq:s:${e.sidetap.session.id}`;
      // The session's state: endpoints visited (first-seen order) and the current run.
      const text = await env.state.get(sessionKey, t);
      const s = text === undefined ? { visited: [] as string[], last: '', run: 0 } : (JSON.parse(text) as { visited: string[]; last: string; run: number });
      const before = s.visited.slice();
      s.run = s.last === endpoint ? s.run + 1 : 1;
      s.last = endpoint;
      if (!s.visited.includes(endpoint) && s.visited.length < MAX_VISITED) s.visited.push(endpoint);
      await env.state.set(sessionKey, JSON.stringify(s), ttl(t, 12 * HOUR));
      const learning = env.learning(t);
      if (learning) {
        await learn(env, t, endpoint, before, s.run);
        return [];
      }
      // Login attempts are the login detectors' to judge; reads are not workflow steps.
      if (!changesState(endpoint) || e.sidetap.login !== undefined) return [];
      const occ = Number((await learned.get(`sq:occ:${endpoint}`, t, false)) ?? 0);
      let reason: { rule: string; name: string; message: string; observed: string; expected: string } | undefined;
      // An endpoint too rare to have a learned run length is held to one call at a time.
      const maxRun = occ < config.minOccurrences ? 1 : Number((await learned.get(`sq:run:${endpoint}`, t, false)) ?? 1);
      if (s.run >= Math.max(config.minRun, maxRun * config.runFactor)) {
        reason = {
          rule: 'repeated_step',
          name: 'A workflow step repeated far more than ever learned',
          observed: `${s.run} times in a row`,
          expected: `at most ${maxRun} in a row while learning`,
          message: `${e.sidetap.session.timeline} called ${endpoint} ${s.run} times in a row; no session did it more than ${maxRun} times while learning.`,
        };
      } else if (occ >= config.minOccurrences && (!before.includes(endpoint) || s.run === 1)) {
        const pre = JSON.parse((await learned.get(`sq:pre:${endpoint}`, t, false)) ?? '{}') as Record<string, number>;
        const missing = Object.entries(pre)
          .filter(([p, n]) => changesState(p) && n / occ >= config.prerequisiteRatio && !before.includes(p))
          .map(([p]) => p);
        if (missing.length > 0) {
          reason = {
            rule: 'skipped_step',
            name: 'A workflow step without the steps that always come before it',
            observed: `no ${missing.join(', ')} earlier in the session`,
            expected: `${missing.join(', ')} first (in ≥ ${Math.round(config.prerequisiteRatio * 100)}% of ${occ} learned calls)`,
            message: `${e.sidetap.session.timeline} called ${endpoint} without ${missing.join(', ')} earlier in the session, which came first in nearly every learned call.`,
          };
        }
      }
      if (reason === undefined) return [];
      const base = `sq:f:${e.sidetap.session.timeline}:${reason.rule}:${endpoint}`;
      await addToWindow(env.state, base, t, evidenceMember(e), HOUR);
      if (!(await firstFiring(env.state, `${base}:fired`, t, HOUR))) return [];
      const ev = await windowEvidence(env.state, base, t - HOUR, t);
      return [
        {
          detector: 'sequence_anomaly',
          rule: { id: `sequence_anomaly.${reason.rule}`, name: reason.name, category: 'sequence_anomaly' },
          severity: 2,
          confidence: 0.7,
          owasp: 'API6:2023',
          ...actorOf(e, true),
          window: { start: ev.start, end: ev.end },
          exchangeIds: ev.exchangeIds,
          excerpts: ev.excerpts,
          observed: reason.observed,
          expected: reason.expected,
          message: reason.message,
        },
      ];
    },
  };
}
