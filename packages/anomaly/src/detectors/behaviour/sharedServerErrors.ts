// Which 5xx answers an endpoint gave many timelines at about the same time: an outage that many
// users walk into is the server's behaviour, not any one session's. Kept per engine instance (in
// distributed mode each sees the timelines routed to it, so an outage shows a little later there).
import { LruCache } from '@sidetap/core';
import type { Counters } from '@sidetap/core';

/** 5xx remembered per endpoint (the latest): enough to see several timelines in an outage of any size. */
const MAX_PER_ENDPOINT = 64;

interface Failure {
  t: number;
  timeline: string;
}

export class SharedServerErrors {
  private readonly byEndpoint: LruCache<string, Failure[]>;

  /** Remembers the 5xx of `maxEndpoints` endpoints, the least recently failing forgotten first (counted). */
  constructor(
    private readonly windowMs: number,
    maxEndpoints: number,
    private readonly counters: Counters,
  ) {
    this.byEndpoint = new LruCache(maxEndpoints);
  }

  /** Notes a 5xx the endpoint gave the timeline at t. */
  note(endpoint: string, timeline: string, t: number): void {
    let failures = this.byEndpoint.get(endpoint);
    if (failures === undefined) {
      failures = [];
      // A forgotten endpoint's next 5xx counts as its session's own until others fail there again.
      if (this.byEndpoint.set(endpoint, failures) !== undefined) this.counters.inc('anomaly_behavior_forest_outage_endpoints_forgotten_total');
    }
    if (failures.length >= MAX_PER_ENDPOINT) failures.shift();
    failures.push({ t, timeline });
  }

  /** Other timelines the endpoint gave a 5xx within windowMs of t (either side), counted up to `enough`. */
  others(endpoint: string, timeline: string, t: number, enough: number): number {
    const failures = this.byEndpoint.get(endpoint);
    if (failures === undefined) return 0;
    const seen = new Set<string>();
    for (const f of failures) {
      if (f.timeline === timeline || Math.abs(f.t - t) > this.windowMs) continue;
      seen.add(f.timeline);
      if (seen.size >= enough) break;
    }
    return seen.size;
  }
}
