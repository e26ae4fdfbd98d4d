// What protocol_checks learns per endpoint template, in one state-store value: the methods it was
// called with (requests, largest request body of each) and the parameter names it legitimately
// repeats. Written only when something changes (counts stop at SATURATE) or once a day to renew
// its TTL, so a steady endpoint costs one read per request.
import type { StateStore } from '@sidetap/core';
import { KeyMemo } from '../../keyMemo';

const DAY = 86_400_000;
/** Requests counted per method; past it only a new maximum or a new day writes. */
const SATURATE = 1000;
/** Methods and repeated names kept per endpoint: a scanner cannot grow the value. */
const MAX_METHODS = 16;
const MAX_REPEATS = 16;

export interface Baseline {
  /** method → [requests learned, largest request body in bytes]. */
  methods: Map<string, [number, number]>;
  /** Parameter names this endpoint's clients send more than once. */
  repeats: Set<string>;
  /** Day (event time) of the last write. */
  day: number;
}

interface Stored {
  m: Record<string, [number, number]>;
  r: string[];
  d: number;
}

/** Parsed baselines remembered; beyond it the cache starts over (only costs parsing again). */
const MAX_PARSED = 4096;

export class EndpointBaselines {
  /**
   * The last value read per endpoint and what it parsed to. A steady endpoint's value does not
   * change between requests, so the same text is not parsed again; a baseline that learn()
   * changes is dropped from here, so what is handed out always matches its text.
   */
  private readonly parsed = new Map<string, { text: string; baseline: Baseline }>();
  /** Each endpoint's state-store key, read on every request. */
  private readonly keys = new KeyMemo((endpoint) => `pc:ep:${endpoint}`);

  constructor(
    private readonly state: StateStore,
    private readonly ttlMs: number,
  ) {}

  async read(endpoint: string, t: number): Promise<Baseline> {
    const text = await this.state.get(this.keys.of(endpoint), t);
    if (text === undefined) return { methods: new Map(), repeats: new Set(), day: -1 };
    const cached = this.parsed.get(endpoint);
    if (cached !== undefined && cached.text === text) return cached.baseline;
    const s = JSON.parse(text) as Stored;
    const baseline: Baseline = { methods: new Map(Object.entries(s.m)), repeats: new Set(s.r), day: s.d };
    if (this.parsed.size >= MAX_PARSED) this.parsed.clear();
    this.parsed.set(endpoint, { text, baseline });
    return baseline;
  }

  /** Adds one clean request to `b` and stores it when that changed anything. */
  async learn(endpoint: string, b: Baseline, method: string | undefined, bodyBytes: number, repeated: readonly string[], t: number): Promise<void> {
    let changed = false;
    if (method !== undefined) {
      const m = b.methods.get(method);
      if (m === undefined) {
        if (b.methods.size < MAX_METHODS) {
          b.methods.set(method, [1, bodyBytes]);
          changed = true;
        }
      } else {
        if (m[0] < SATURATE) {
          m[0]++;
          changed = true;
        }
        if (bodyBytes > m[1]) {
          m[1] = bodyBytes;
          changed = true;
        }
      }
    }
    for (const name of repeated) {
      if (!b.repeats.has(name) && b.repeats.size < MAX_REPEATS) {
        b.repeats.add(name);
        changed = true;
      }
    }
    const day = Math.floor(t / DAY);
    if (!changed && day === b.day) return;
    // `b` (possibly the cached parse of the stored text) changed: it no longer matches that text.
    this.parsed.delete(endpoint);
    b.day = day;
    const stored: Stored = { m: Object.fromEntries(b.methods), r: [...b.repeats], d: day };
    await this.state.set(this.keys.of(endpoint), JSON.stringify(stored), { now: t, ttlMs: this.ttlMs });
  }
}

/** Requests learned over every method of the endpoint. */
export function learnedRequests(b: Baseline): number {
  let n = 0;
  for (const [count] of b.methods.values()) n += count;
  return n;
}
