// Which 5xx answers an endpoint gave many timelines at about the same time: an outage that many
// users walk into is the server's behaviour, not any one session's. Kept per engine instance (in
// distributed mode each sees the timelines routed to it, so an outage shows a little later there).
import { LruCache } from '@sidetap/core';

/** Endpoints whose recent 5xx are remembered; the least recently failing is forgotten first. */
const MAX_ENDPOINTS = 4096;
/** 5xx remembered per endpoint: enough to see several timelines in an outage of any size. */
const MAX_PER_ENDPOINT = 64;

interface Failure {
  t: number;
  timeline: string;
}

export class SharedServerErrors {
  private readonly byEndpoint = new LruCache<string, Failure[]>(MAX_ENDPOINTS);

  constructor(private readonly windowMs: number) {}

  /** Notes a 5xx the endpoint gave the timeline at t. */
  note(endpoint: string, timeline: string, t: number): void {
    let failures = this.byEndpoint.get(endpoint);
    if (failures === undefined) {
      failures = [];
      this.byEndpoint.set(endpoint, failures);
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
