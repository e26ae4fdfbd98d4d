// response_size_anomaly: an endpoint answering far larger than its largest learned answer (a
// broken filter or pagination handing out whole tables). Judged per endpoint template and method,
// against its own largest learned answer, or the whole API's when the endpoint has too little
// history. After the learning period every answer that is not reported keeps teaching, and the
// learned largest answers forget with a half-life, so a slow change of an endpoint is followed
// while the oversized answers themselves never raise the bar.
import { z } from 'zod';
import type { Detector, DetectorEnv } from '../../detector';
import { actorOf } from '../../findingDraft';
import { KeyMemo } from '../../keyMemo';
import { ParsedCache } from '../../parsedCache';
import { addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';
import { decayedValue, offerMax } from './decayedMax';
import type { DecayedMax } from './decayedMax';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Learned answers counted per endpoint; past it only a new largest answer or a new day writes. */
const SATURATE = 1000;
const KEEP_MS = 30 * DAY;

export const responseSizeConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    factor: z.number().min(2).default(20).describe('How many times its largest learned response an answer must be.'),
    minLearned: z.number().int().min(1).default(20).describe('Responses an endpoint must have been learned from before it is judged against its own.'),
    minBytes: z.number().int().min(0).default(32_768).describe('Never report a response smaller than this.'),
    halfLifeMs: z
      .number()
      .int()
      .min(HOUR)
      .default(7 * DAY)
      .describe('After learning, answers that are not reported keep teaching; a learned largest answer weighs half after this long (event time).'),
    cooldownMs: z.number().int().min(60_000).default(HOUR).describe('At most one finding per endpoint within this (event time).'),
  })
  .strict();

export type ResponseSizeConfig = z.output<typeof responseSizeConfigSchema>;

const GLOBAL = 'rs:global:max';

/** What one endpoint (or, with n unused, the whole API) learned, as one state-store value. */
interface Learned {
  n: number;
  max: DecayedMax;
  /** Day (event time) of the last write: a value unchanged for a day is written again to renew its TTL. */
  day: number;
}

/** A stored value's fields as numbers (undefined where the text has fewer). */
const fieldsOf = (text: string): readonly number[] => text.split(',').map(Number);

function parse(fields: readonly number[] | undefined, t: number): Learned {
  if (fields === undefined) return { n: 0, max: { value: 0, at: t }, day: -1 };
  const n = fields[0] ?? 0;
  const value = fields[1] ?? 0;
  const at = fields[2] ?? t;
  const day = fields[3] ?? -1;
  return { n, max: { value, at: Number.isFinite(at) ? at : t }, day: Number.isFinite(day) ? day : -1 };
}

const format = (l: Learned): string => `${l.n},${l.max.value},${l.max.at},${l.day}`;

export function createResponseSize(config: ResponseSizeConfig): Detector {
  const H = config.halfLifeMs;
  const kib = (bytes: number): number => Math.round(bytes / 1024);
  /**
   * The fields of the text last read per key: an endpoint's value is read on every answer and
   * rewritten rarely once learned. Each read still gets its own Learned object, as parsing gave it.
   */
  const parsed = new ParsedCache(fieldsOf);
  /** Per method and endpoint, its name and key (read on every answer). */
  const keys = new KeyMemo((method, template) => {
    const endpoint = `${method} ${template}`;
    return { endpoint, key: `rs:${endpoint}` };
  });
  const learned = (key: string, text: string | undefined, t: number): Learned => {
    return parse(text === undefined ? undefined : parsed.peek(key, text), t);
  };

  /** Teaches one answer to its endpoint and, when it is that endpoint's new largest, to the whole API's. */
  async function learn(key: string, own: Learned, bytes: number, t: number, env: DetectorEnv): Promise<void> {
    const day = Math.floor(t / DAY);
    let changed = own.n < SATURATE;
    if (changed) own.n++;
    // The API's largest answer is offered every endpoint's new largest, so it never falls below any of them.
    const newMax = offerMax(own.max, bytes, t, H);
    if (newMax || own.day !== day) {
      const global = learned(GLOBAL, await env.state.get(GLOBAL, t), t);
      if (offerMax(global.max, bytes, t, H) || global.day !== day) {
        global.day = day;
        await env.state.set(GLOBAL, format(global), { now: t, ttlMs: KEEP_MS });
      }
    }
    changed ||= newMax || own.day !== day;
    if (!changed) return;
    own.day = day;
    await env.state.set(key, format(own), { now: t, ttlMs: KEEP_MS });
  }

  return {
    name: 'response_size_anomaly',
    categories: ['response_size_anomaly'],
    async observe(e, t, env) {
      const res = e.http.response;
      if (res === undefined || res.status_code >= 400) return [];
      const bytes = res.body.bytes;
      const { endpoint, key } = keys.of(e.http.request.method, e.sidetap.endpoint);
      const own = learned(key, await env.state.get(key, t), t);
      const teach = (): Promise<void> => learn(key, own, bytes, t, env);
      if (env.learning(t)) {
        await teach();
        return [];
      }
      // After learning, an answer teaches only if no detector reported its exchange or its actor lately.
      if (bytes < config.minBytes) {
        env.teach(teach);
        return [];
      }
      // An endpoint with too little history of its own is held to the largest answer of the whole API.
      const ownHistory = own.n >= config.minLearned;
      const baseline = ownHistory ? decayedValue(own.max, t, H) : decayedValue(learned(GLOBAL, await env.state.get(GLOBAL, t), t).max, t, H);
      if (baseline === 0 || bytes <= baseline * config.factor) {
        env.teach(teach);
        return [];
      }
      // Reported (or within a reported burst's cooldown): never learned, so it cannot raise the bar.
      await addToWindow(env.state, `${key}:e`, t, evidenceMember(e), config.cooldownMs);
      if (!(await firstFiring(env.state, `${key}:fired`, t, config.cooldownMs))) return [];
      const ev = await windowEvidence(env.state, `${key}:e`, t - config.cooldownMs, t);
      const largest = Math.round(baseline);
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
          expected: ownHistory ? `at most ${largest} bytes (largest learned answer, from ${own.n} responses)` : `at most ${largest} bytes (largest learned answer of any endpoint)`,
          message: ownHistory
            ? `${endpoint} answered with ${kib(bytes)} KiB, ${Math.round(bytes / baseline)} times its largest learned answer (${kib(baseline)} KiB, from ${own.n} responses).`
            : `${endpoint} answered with ${kib(bytes)} KiB, ${Math.round(bytes / baseline)} times the largest learned answer of any endpoint (${kib(baseline)} KiB).`,
        },
      ];
    },
  };
}
