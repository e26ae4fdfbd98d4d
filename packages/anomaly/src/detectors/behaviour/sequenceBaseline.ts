// What sequence_anomaly learned about one endpoint (method and template), as one state-store
// value: how often it was called, how often each endpoint earlier in the same session came before
// it, and its longest run of consecutive calls. Everything is kept as it stood at `at` and forgets
// with a half-life from then, so the value is written only when something is learned.
import type { StateStore } from '@sidetap/core';
import { ParsedCache } from '../../parsedCache';
import { decayFactor } from '../data/decayedMax';

const DAY = 86_400_000;
const KEEP_MS = 30 * DAY;
/** Earlier endpoints remembered per endpoint. */
export const MAX_PREREQUISITES = 64;
/** When the list is full, earlier endpoints that preceded under this share of calls make room. */
const FORGOTTEN_SHARE = 0.01;

export interface StepBaseline {
  /** Calls learned. */
  occ: number;
  /** Earlier endpoint → calls it preceded. */
  pre: Record<string, number>;
  /** Longest run of consecutive calls learned. */
  run: number;
  /** Event time the numbers above stand at. */
  at: number;
}

interface Stored {
  o: number;
  p: Record<string, number>;
  r: number;
  a: number;
}

const key = (endpoint: string): string => `sq:ep:${endpoint}`;

function parseStep(text: string): StepBaseline {
  const s = JSON.parse(text) as Stored;
  return { occ: s.o, pre: s.p, run: s.r, at: s.a };
}

/**
 * Baselines read from and written to the state store. Every call of a workflow step reads its
 * endpoint's baseline, so the parsed value of the text last written is kept (ParsedCache): only
 * `learn` changes a baseline, and it keeps the new text before writing it.
 */
export class StepBaselines {
  private readonly parsed = new ParsedCache(parseStep);

  async read(state: StateStore, endpoint: string, t: number): Promise<StepBaseline> {
    const k = key(endpoint);
    const text = await state.get(k, t);
    return text === undefined ? { occ: 0, pre: {}, run: 0, at: t } : this.parsed.peek(k, text);
  }

  /**
   * Learns one call of `endpoint` after the endpoints in `before` (the session's earlier ones), and,
   * when given, a run of `run` consecutive calls; stores the result. `learned` itself is changed
   * when nothing faded since it was stored.
   */
  async learn(
    state: StateStore,
    endpoint: string,
    learned: StepBaseline,
    t: number,
    halfLifeMs: number,
    call: { before: readonly string[] } | undefined,
    run: number | undefined,
  ): Promise<void> {
    const b = decayedStep(learned, t, halfLifeMs);
    if (call !== undefined) {
      b.occ += 1;
      let room = MAX_PREREQUISITES - Object.keys(b.pre).length;
      if (room <= 0) {
        for (const [p, n] of Object.entries(b.pre)) if (n < FORGOTTEN_SHARE * b.occ) delete b.pre[p];
        room = MAX_PREREQUISITES - Object.keys(b.pre).length;
      }
      for (const v of call.before) {
        if (v === endpoint) continue;
        if (b.pre[v] !== undefined) b.pre[v] += 1;
        else if (room > 0) {
          b.pre[v] = 1;
          room--;
        }
      }
    }
    if (run !== undefined && run > b.run) b.run = run;
    const text = JSON.stringify({ o: b.occ, p: b.pre, r: b.run, a: b.at } satisfies Stored);
    await this.parsed.write(state, key(endpoint), text, b, { now: t, ttlMs: KEEP_MS });
  }
}

/** The baseline as it stands at `t`: what was learned, faded by the time since. */
export function decayedStep(b: StepBaseline, t: number, halfLifeMs: number): StepBaseline {
  const f = decayFactor(b.at, t, halfLifeMs);
  if (f === 1) return b;
  const pre: Record<string, number> = {};
  for (const [p, n] of Object.entries(b.pre)) pre[p] = n * f;
  return { occ: b.occ * f, pre, run: b.run * f, at: Math.max(b.at, t) };
}
