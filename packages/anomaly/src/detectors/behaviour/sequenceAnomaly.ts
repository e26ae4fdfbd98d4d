// sequence_anomaly: a session that breaks the workflow learned from everyone's sessions. Two
// things are learned per endpoint (method and template): which endpoints nearly always came
// earlier in the same session (checkout after a cart), and how many times in a row it was ever
// called. A call without its prerequisite, or a run far beyond the longest learned, is reported.
// After the learning period sessions keep teaching until they raise a finding (a run once it has
// ended, and only if no detector reported its actor meanwhile; a call only if its event raised
// nothing anywhere: the LearningGate), and what was learned forgets with a half-life. The same
// break from many timelines at once is the API or its clients changing: learned, not reported. A
// visit split into sessions (a phone changing address, an app restarted) keeps its steps: those
// the same account took in the session it came from count as earlier.
import { z } from 'zod';
import type { Event } from '@sidetap/core';
import type { Detector, DetectorEnv } from '../../detector';
import { actorOf } from '../../findingDraft';
import { addDistinct, addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';
import { ParsedCache } from '../../parsedCache';
import { decayedStep, StepBaselines } from './sequenceBaseline';

const HOUR = 3_600_000;
/** Endpoints remembered per session. */
const MAX_VISITED = 64;

export const sequenceAnomalyConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    minOccurrences: z
      .number()
      .int()
      .min(5)
      .default(10)
      .describe(
        'Times an endpoint must have been called while learning (or since, in sessions that raised nothing) before its workflow is judged; a finding has confidence 0.5 until twice this many were learned, 0.7 after.',
      ),
    prerequisiteRatio: z
      .number()
      .min(0.5)
      .max(1)
      .default(0.95)
      .describe('Share of its learned calls an earlier endpoint must have preceded (in the same session) to count as a prerequisite.'),
    runFactor: z.number().min(1).default(3).describe('How many times its longest learned run of consecutive calls a run must reach.'),
    minRun: z.number().int().min(2).default(6).describe('Consecutive calls of one endpoint before a run is judged at all.'),
    halfLifeMs: z
      .number()
      .int()
      .min(HOUR)
      .default(7 * 24 * HOUR)
      .describe('After learning, sessions keep teaching until they raise a finding; what was learned weighs half after this long (event time).'),
    populationTimelines: z
      .number()
      .int()
      .min(2)
      .default(4)
      .describe('The same break of the same endpoint\'s workflow from this many timelines within populationWindowMs is a change of the API or its clients, learned rather than reported.'),
    populationWindowMs: z.number().int().min(60_000).default(HOUR).describe('Window for populationTimelines (event time).'),
    accountGapMs: z
      .number()
      .int()
      .min(0)
      .default(30 * 60_000)
      .describe(
        "A session of the same account (JWT subject) active this recently (event time) is the same visit: its workflow steps count as earlier ones (a phone changing address or an app restarting starts a new session mid-checkout). The sessionizer's sessionGapMs; 0 judges each session alone.",
      ),
  })
  .strict();

export type SequenceAnomalyConfig = z.output<typeof sequenceAnomalyConfigSchema>;

const endpointOf = (e: Event): string => `${e.http.request.method} ${e.sidetap.endpoint}`;
/** Reads can be bookmarked, polled or deep-linked; workflows are made of the calls that change state. */
const changesState = (endpoint: string): boolean => !endpoint.startsWith('GET ') && !endpoint.startsWith('HEAD ') && !endpoint.startsWith('OPTIONS ');

/**
 * A session's state: endpoints visited (first-seen order), the current run, whether it raised a
 * finding, when it was last active, and the workflow steps it carries from the session it continues.
 */
interface SessionState {
  visited: string[];
  last: string;
  run: number;
  /** Event time the current run began. */
  rs?: number;
  flagged?: boolean;
  at?: number;
  carried?: string[];
}

/** The session in which an account last took a new workflow step, and the steps it took there. */
interface AccountSteps {
  session: string;
  steps: string[];
}

/** The account a JWT names across sessions and addresses; undefined for other actors (their timeline is their session's). */
function accountOf(e: Event): string | undefined {
  const { kind, id } = e.sidetap.actor;
  return kind === 'jwt' && !id.startsWith('h:') ? id : undefined;
}

export function createSequenceAnomaly(config: SequenceAnomalyConfig): Detector {
  const H = config.halfLifeMs;
  const ttl = (t: number, ms: number) => ({ now: t, ttlMs: ms });
  const steps = new StepBaselines();
  /** Sessions as last written: every request reads and writes its session's state. */
  const sessions = new ParsedCache((text) => JSON.parse(text) as SessionState);

  /**
   * The workflow steps the account took in the session this one continues: the one it last took a
   * new step in, when that was still active within accountGapMs.
   */
  const carriedSteps = async (env: DetectorEnv, t: number, account: string, session: string): Promise<string[]> => {
    const text = await env.state.get(`sq:a:${account}`, t);
    if (text === undefined) return [];
    const rec = JSON.parse(text) as AccountSteps;
    if (rec.session === session) return [];
    const prevKey = `sq:s:${rec.session}`;
    const prev = await env.state.get(prevKey, t);
    const at = prev === undefined ? undefined : sessions.peek(prevKey, prev).at;
    return at !== undefined && t - at <= config.accountGapMs ? rec.steps : [];
  };

  /** Teaches a run of `run` calls of `endpoint` that has just ended. */
  const learnRun = async (env: DetectorEnv, t: number, endpoint: string, run: number): Promise<void> => {
    const b = await steps.read(env.state, endpoint, t);
    if (run > decayedStep(b, t, H).run) await steps.learn(env.state, endpoint, b, t, H, undefined, run);
  };

  return {
    name: 'sequence_anomaly',
    categories: ['sequence_anomaly'],
    async observe(e, t, env) {
      const endpoint = endpointOf(e);
      const sessionKey = `sq:s:${e.sidetap.session.id}`;
      const text = await env.state.get(sessionKey, t);
      // Taken, not peeked: it is changed below, and kept again when written.
      const s: SessionState = text === undefined ? { visited: [], last: '', run: 0 } : sessions.take(sessionKey, text);
      const ended = s.last !== endpoint && s.last !== '' ? { endpoint: s.last, run: s.run, start: s.rs ?? s.at ?? t } : undefined;
      if (s.last === endpoint) s.run += 1;
      else {
        s.run = 1;
        s.rs = t;
      }
      s.last = endpoint;
      s.at = t;
      const newStep = !s.visited.includes(endpoint);
      const account = config.accountGapMs > 0 ? accountOf(e) : undefined;
      const workflowStep = account !== undefined && newStep && changesState(endpoint) && !env.learning(t);
      // The session's first workflow step looks for the visit it continues.
      if (workflowStep && s.carried === undefined) s.carried = await carriedSteps(env, t, account, e.sidetap.session.id);
      const before = s.carried === undefined ? s.visited.slice() : [...s.visited, ...s.carried.filter((p) => !s.visited.includes(p))];
      if (newStep && s.visited.length < MAX_VISITED) s.visited.push(endpoint);
      const save = () => sessions.write(env.state, sessionKey, JSON.stringify(s), s, ttl(t, 12 * HOUR));
      // Where the account's next session, if it comes soon, picks the visit's steps up.
      if (workflowStep) {
        const steps = [...before.filter(changesState), endpoint].slice(-MAX_VISITED);
        await env.state.set(`sq:a:${account}`, JSON.stringify({ session: e.sidetap.session.id, steps } satisfies AccountSteps), ttl(t, 12 * HOUR));
      }
      if (env.learning(t)) {
        await save();
        await steps.learn(env.state, endpoint, await steps.read(env.state, endpoint, t), t, H, { before }, s.run);
        return [];
      }
      // Only workflow steps teach after learning (the rest is never judged), and only from sessions
      // that raised nothing; a run only when no detector reported its actor while it went on.
      if (ended !== undefined && !s.flagged && changesState(ended.endpoint)) {
        const actorKey = e.sidetap.actor_key;
        env.teach(() => (env.windowMayTeach(actorKey, ended.start) ? learnRun(env, t, ended.endpoint, ended.run) : undefined));
      }
      // Login attempts are the login detectors' to judge; reads are not workflow steps.
      if (!changesState(endpoint) || e.sidetap.login !== undefined) {
        await save();
        return [];
      }
      const stored = await steps.read(env.state, endpoint, t);
      const learned = decayedStep(stored, t, H);
      const occ = learned.occ;
      let reason: { rule: string; name: string; message: string; observed: string; expected: string; shift: string } | undefined;
      // An endpoint too rare to have a learned run length is held to one call at a time.
      const maxRun = occ < config.minOccurrences ? 1 : Math.max(1, learned.run);
      const shown = Math.round(maxRun);
      if (s.run >= Math.max(config.minRun, maxRun * config.runFactor)) {
        reason = {
          rule: 'repeated_step',
          name: 'A workflow step repeated far more than ever learned',
          observed: `${s.run} times in a row`,
          expected: `at most ${shown} in a row (longest learned run)`,
          message: `${e.sidetap.session.timeline} called ${endpoint} ${s.run} times in a row; its longest learned run is ${shown}.`,
          shift: 'run',
        };
      } else if (occ >= config.minOccurrences && (!before.includes(endpoint) || s.run === 1)) {
        const missing = Object.entries(learned.pre)
          .filter(([p, n]) => changesState(p) && n / occ >= config.prerequisiteRatio && !before.includes(p))
          .map(([p]) => p);
        if (missing.length > 0) {
          reason = {
            rule: 'skipped_step',
            name: 'A workflow step without the steps that always come before it',
            observed: `no ${missing.join(', ')} earlier in the session`,
            expected: `${missing.join(', ')} first (in ≥ ${Math.round(config.prerequisiteRatio * 100)}% of ${Math.round(occ)} learned calls)`,
            message: `${e.sidetap.session.timeline} called ${endpoint} without ${missing.join(', ')} earlier in the session, which came first in nearly every learned call.`,
            shift: missing.join(','),
          };
        }
      }
      if (reason !== undefined) {
        // The same break from many timelines at once is the API or its clients changing (a new
        // checkout flow, a client release), not one actor misbehaving: learned, not reported.
        const shiftKey = `sq:shift:${reason.rule}:${endpoint}:${reason.shift}`;
        if ((await addDistinct(env.state, shiftKey, t, config.populationWindowMs, e.sidetap.session.timeline)) >= config.populationTimelines) {
          env.counters.inc('anomaly_sequence_population_shifts_total');
          reason = undefined;
        }
      }
      if (reason === undefined) {
        await save();
        if (!s.flagged) env.teach(() => steps.learn(env.state, endpoint, stored, t, H, { before }, undefined));
        return [];
      }
      // A session that raised a finding teaches nothing more.
      s.flagged = true;
      await save();
      const base = `sq:f:${e.sidetap.session.timeline}:${reason.rule}:${endpoint}`;
      await addToWindow(env.state, base, t, evidenceMember(e), HOUR);
      if (!(await firstFiring(env.state, `${base}:fired`, t, HOUR))) return [];
      const ev = await windowEvidence(env.state, base, t - HOUR, t);
      return [
        {
          detector: 'sequence_anomaly',
          rule: { id: `sequence_anomaly.${reason.rule}`, name: reason.name, category: 'sequence_anomaly' },
          severity: 2,
          // Ten learned checkouts all after a cart say less than a hundred do.
          confidence: occ >= 2 * config.minOccurrences ? 0.7 : 0.5,
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
