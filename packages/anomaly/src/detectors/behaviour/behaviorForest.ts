// behavior_forest: sessions unlike the learned ones, by an isolation forest over per-session
// behaviour features (sessionFeatures.ts). While learning, each session that ends adds one row to
// a bounded seeded sample; when learning ends the forest is trained with a fixed seed and its
// threshold is taken from the training sessions' own scores, since a forest always ranks some
// normal sessions highest. After that a session is scored once mid-way and at its end, and
// reported at most once when
//   - the forest isolates it (score at or above the learned threshold), or one feature is far
//     outside its learned range (the forest never splits on a feature that did not vary while
//     learning, so it cannot see a 401 share when no learned session had one);
//   - some feature is clearly outside its learned p1..p99, which the message names;
//   - and no learned session was like it: a forest isolates a small tight group of normal
//     sessions (a service account's calls) as readily as an attacker.
// After learning, every session that ends without being reported (by this detector or, about its
// actor, by any other since anomaly.learningHoldMs before it began) joins the samples, which favour
// recent sessions (a half-life), and the forest is trained again from them every `retrainMs` of
// event time, so it follows a slow change of the API's use while reported sessions never teach it.
import { LruCache } from '@sidetap/core';
import { z } from 'zod';
import type { Counters, Event } from '@sidetap/core';
import type { Detector, DetectorEnv } from '../../detector';
import type { FindingDraft } from '../../findingDraft';
import { splitMembers } from '../../findingDraft';
import { BehaviorForestModel } from './behaviorForestModel';
import { deviations } from './featureQuantiles';
import { RowReservoir } from './rowReservoir';
import { FEATURES, SessionFeatures } from './sessionFeatures';
import type { OwnServerError } from './sessionFeatures';
import { SharedServerErrors } from './sharedServerErrors';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** How near in time other timelines' 5xx from the same endpoint make one a shared outage. */
const SHARED_ERROR_WINDOW_MS = 10 * MINUTE;

export const behaviorForestConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    maxSessions: z
      .number()
      .int()
      .min(1)
      .default(20_000)
      .describe('Open sessions whose features are tallied (a few KB each at most); beyond it the least recently active is dropped (counted).'),
    sessionGapMs: z.number().int().min(1000).default(30 * MINUTE).describe('Inactivity (event time) after which a session is taken as ended; match sessionizer.sessionGapMs.'),
    maxSessionRequests: z
      .number()
      .int()
      .min(2)
      .default(1000)
      .describe('Requests after which a session is judged (or learned) as it stands and tallied afresh.'),
    minRequests: z.number().int().min(2).default(8).describe('Requests (login attempts aside) a session needs before it is learned or scored: shares over fewer say little.'),
    midScoreRequests: z.number().int().min(2).default(16).describe('A session is scored once when it reaches this many requests, and again when it ends.'),
    reservoirSize: z
      .number()
      .int()
      .min(16)
      .default(20_000)
      .describe('Learned sessions kept (a seeded sample favouring recent ones) to train the forest on; kept in the model document too.'),
    minTrainingSessions: z.number().int().min(16).default(32).describe('Learned sessions needed to train; with fewer the detector stays silent (counted).'),
    seed: z.number().int().min(0).max(0xffffffff).default(20_080_101).describe('Seed of the sample and the forest: the same traffic and seed give the same model.'),
    trees: z.number().int().min(1).max(1000).default(100).describe('Trees in the forest.'),
    subsample: z.number().int().min(16).max(4096).default(256).describe('Sessions each tree is grown from.'),
    thresholdQuantile: z.number().min(0.9).max(1).default(0.99).describe('Quantile of the training sessions\' scores the threshold starts from (1: the highest).'),
    thresholdMargin: z.number().min(0).max(0.5).default(0).describe('Added to that score to give the threshold.'),
    farOutside: z
      .number()
      .min(1)
      .default(6)
      .describe('A feature this many learned spreads beyond its learned p99 (or below p1) marks a session even when the forest cannot: it never splits on a feature that did not vary while learning.'),
    referenceSessions: z
      .number()
      .int()
      .min(16)
      .max(10_000)
      .default(2000)
      .describe('Learned sessions kept in the model (a seeded sample favouring recent ones) to compare new ones with.'),
    halfLifeMs: z
      .number()
      .int()
      .min(HOUR)
      .default(7 * 24 * HOUR)
      .describe('After learning, sessions that were not reported keep joining the samples; a session\'s chance of staying in them halves after this long (event time).'),
    retrainMs: z
      .number()
      .int()
      .min(HOUR)
      .default(24 * HOUR)
      .describe('After learning, the forest, its threshold and the learned ranges are trained again from the samples this often (event time).'),
    minReferenceRequests: z
      .number()
      .int()
      .min(1)
      .default(4)
      .describe('Requests a learned session needs to be kept for comparison: shorter than minRequests, since a service\'s short calls show its habits too.'),
    minDeviation: z
      .number()
      .min(0)
      .default(2)
      .describe('Learned spreads beyond its learned p99 (or below p1) the furthest feature must be for a session to be reported: what the message names must be clearly outside.'),
    neighbours: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(1)
      .describe('A session as close to this many learned sessions as learned sessions are to their nearest is rare but known (a service account\'s calls), and not reported.'),
    maxReasons: z.number().int().min(1).max(6).default(3).describe('Features named in a finding\'s message.'),
    sharedServerErrorTimelines: z
      .number()
      .int()
      .min(0)
      .default(2)
      .describe(
        "A 5xx counts toward a session's 5xx share only when fewer than this many other timelines got a 5xx from the same endpoint within 10 minutes of it: an outage many users walk into is the server's behaviour, not theirs. 0 counts every 5xx.",
      ),
    sharedServerErrorEndpoints: z
      .number()
      .int()
      .min(1)
      .default(4096)
      .describe('Endpoints whose recent 5xx are remembered for sharedServerErrorTimelines; beyond it the least recently failing is forgotten (counted in anomaly_behavior_forest_outage_endpoints_forgotten_total).'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.midScoreRequests < c.minRequests) ctx.addIssue({ code: 'custom', path: ['midScoreRequests'], message: `midScoreRequests (${c.midScoreRequests}) must be at least minRequests (${c.minRequests}).` });
  });

export type BehaviorForestConfig = z.output<typeof behaviorForestConfigSchema>;

interface OpenSession {
  id: string;
  features: SessionFeatures;
  /** Who, from the session's latest request. */
  who: Pick<FindingDraft, 'actorKey' | 'user' | 'sourceIp'>;
  timeline: string;
  reported: boolean;
}

export interface BehaviorForestDetector extends Detector {
  /** The trained model, once there is one. */
  readonly model: BehaviorForestModel | undefined;
}

export function createBehaviorForest(config: BehaviorForestConfig, deps: { counters: Counters; model?: unknown }): BehaviorForestDetector {
  const counters = deps.counters;
  const H = config.halfLifeMs;
  const trainingSeed = config.seed;
  const referenceSeed = (config.seed + 1) >>> 0;
  const loaded = deps.model === undefined ? undefined : BehaviorForestModel.fromDocument(deps.model);
  let model = loaded?.model;
  let trainingDone = model !== undefined;
  /** Event time of the last training; unknown until the first event for a model of the first format. */
  let trainedAt = model?.trainedAt;
  const samples = loaded?.samples;
  const reservoir = samples === undefined ? new RowReservoir(config.reservoirSize, trainingSeed, H) : RowReservoir.fromDocument(samples.training, config.reservoirSize, trainingSeed, H);
  const reference = samples === undefined ? new RowReservoir(config.referenceSessions, referenceSeed, H) : RowReservoir.fromDocument(samples.reference, config.referenceSessions, referenceSeed, H);
  const sessions = new LruCache<string, OpenSession>(config.maxSessions);
  let lastSeen = 0;
  const outages = config.sharedServerErrorTimelines > 0 ? new SharedServerErrors(SHARED_ERROR_WINDOW_MS, config.sharedServerErrorEndpoints, counters) : undefined;
  const ownServerError: OwnServerError | undefined =
    outages === undefined ? undefined : (endpoint, timeline, t) => outages.others(endpoint, timeline, t, config.sharedServerErrorTimelines) < config.sharedServerErrorTimelines;

  /** Trains once, from whatever the sample holds; stays untrained (counted) when it holds too little. */
  const train = (t: number): void => {
    if (trainingDone) return;
    trainingDone = true;
    if (reservoir.size < Math.max(2, config.minTrainingSessions)) {
      counters.inc('anomaly_behavior_forest_untrained_total');
      return;
    }
    model = BehaviorForestModel.train(reservoir.sample(), reference.sample(), config, t);
    trainedAt = t;
  };

  /** A session ended without being reported: it joins the samples (as while learning). */
  const teach = (f: SessionFeatures): void => {
    if (f.requests >= config.minReferenceRequests) reference.add(f.row(), f.end);
    if (f.requests >= config.minRequests) reservoir.add(f.row(), f.end);
  };

  /** Trains again from the samples once retrainMs has passed since the last training. */
  const retrain = (t: number): void => {
    if (model === undefined) return;
    trainedAt ??= t;
    if (t - trainedAt < config.retrainMs || reservoir.size < Math.max(2, config.minTrainingSessions)) return;
    model = BehaviorForestModel.train(reservoir.sample(), reference.sample(), config, t);
    trainedAt = t;
    counters.inc('anomaly_behavior_forest_retrained_total');
  };

  const judge = (s: OpenSession): FindingDraft[] => {
    if (s.reported || s.features.requests < config.minRequests) return [];
    train(s.features.end);
    if (model === undefined) return [];
    counters.inc('anomaly_behavior_forest_sessions_scored_total');
    const row = s.features.row();
    const score = model.score(row);
    const reasons = deviations(row, model.quantiles, FEATURES);
    const furthest = reasons[0]?.distance ?? 0;
    const far = furthest >= config.farOutside;
    if (score < model.threshold && !far) return [];
    // A session not clearly outside any learned range cannot be explained to a person; it is left out (counted).
    if (furthest < Math.max(config.minDeviation, Number.MIN_VALUE)) {
      counters.inc('anomaly_behavior_forest_unexplained_total');
      return [];
    }
    if (model.neighbours.isLearnedLike(row)) {
      counters.inc('anomaly_behavior_forest_known_like_total');
      return [];
    }
    s.reported = true;
    const named = reasons.slice(0, config.maxReasons).map((r) => r.text);
    const over = score - model.threshold;
    const evidence = splitMembers(s.features.evidence());
    return [
      {
        detector: 'behavior_forest',
        rule: { id: 'behavior_anomaly.session_outlier', name: 'Session behaviour unlike the learned sessions', category: 'behavior_anomaly' },
        severity: over >= 0.05 || reasons.length >= 3 ? 3 : 2,
        confidence: Math.min(0.95, Math.max(0.5, 0.5 + over * 5)),
        owasp: 'API8:2023',
        ...s.who,
        window: { start: s.features.start, end: s.features.end },
        exchangeIds: evidence.exchangeIds,
        excerpts: evidence.excerpts,
        observed: `forest score ${score.toFixed(3)}: ${named.join('; ')}`,
        expected: `score below ${model.threshold.toFixed(3)} (learned from ${model.trainingRows} sessions)`,
        message: `${s.timeline}: session of ${s.features.requests} requests unlike the learned sessions: ${named.join(', ')}.`,
      },
    ];
  };

  /** A session ended (idle, too long, or dropped): learned if it ended while learning, else judged, and learned when not reported. */
  const close = (s: OpenSession, env: DetectorEnv): FindingDraft[] => {
    sessions.delete(s.id);
    if (env.learning(s.features.end)) {
      if (!trainingDone) teach(s.features);
      return [];
    }
    const drafts = judge(s);
    if (model !== undefined && !s.reported) {
      // Nor does a session whose actor another detector reported while it was open (or just before).
      if (env.windowMayTeach(s.who.actorKey, s.features.start)) teach(s.features);
      else counters.inc('anomaly_learning_held_total');
      retrain(s.features.end);
    }
    return drafts;
  };

  const closeIdle = (watermark: number, env: DetectorEnv, out: FindingDraft[]): void => {
    for (let s = sessions.peekOldest(); s !== undefined && s.features.end + config.sessionGapMs <= watermark; s = sessions.peekOldest()) {
      out.push(...close(s, env));
    }
  };

  const observe = (e: Event, t: number, env: DetectorEnv): FindingDraft[] => {
    // Login attempts are the login detectors' to judge (brute force, credential stuffing).
    if (e.sidetap.login !== undefined) return [];
    if (t > lastSeen) lastSeen = t;
    const out: FindingDraft[] = [];
    const learning = env.learning(t);
    if (!learning && !trainingDone) {
      // Sessions that went quiet while learning still teach, before the forest is grown.
      closeIdle(t, env, out);
      train(t);
    }
    const id = e.sidetap.session.id;
    let s = sessions.get(id);
    if (s === undefined) {
      s = { id, features: new SessionFeatures(t, ownServerError), who: {}, timeline: e.sidetap.session.timeline, reported: false };
      const dropped = sessions.set(id, s)?.[1];
      if (dropped !== undefined) {
        counters.inc('anomaly_behavior_forest_sessions_evicted_total');
        out.push(...close(dropped, env));
      }
    }
    s.features.add(e, t);
    if (outages !== undefined && (e.http.response?.status_code ?? 0) >= 500) outages.note(`${e.http.request.method} ${e.sidetap.endpoint}`, e.sidetap.session.timeline, t);
    s.timeline = e.sidetap.session.timeline;
    s.who = { actorKey: e.sidetap.actor_key, sourceIp: e.source.ip };
    if (e.user !== undefined) s.who.user = e.user;
    if (s.features.requests >= config.maxSessionRequests) {
      // A very long session is judged as it stands, then tallied afresh.
      out.push(...close(s, env));
    } else if (!learning && s.features.requests === config.midScoreRequests) {
      out.push(...judge(s));
    }
    return out;
  };

  return {
    name: 'behavior_forest',
    categories: ['behavior_anomaly'],
    get model() {
      return model;
    },
    // Needs no state store: answers synchronously, so the engine does not wait on it.
    observe: (e, t, env) => observe(e, t, env),
    flush(watermark, env) {
      const out: FindingDraft[] = [];
      closeIdle(watermark, env, out);
      return Promise.resolve(out);
    },
    exportModel() {
      // `sidetap models train` learns throughout: the forest is grown when the model is asked for,
      // at the end of what it learned.
      train(lastSeen);
      return model?.toDocument({ training: reservoir.toDocument(), reference: reference.toDocument() }, trainedAt ?? lastSeen);
    },
    modelSummary: () => model?.summary() ?? `not trained: ${reservoir.size} of ${config.minTrainingSessions} sessions needed so far.`,
  };
}
