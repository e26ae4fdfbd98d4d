// Who sent an endpoint's requests in each open bucket: addresses and actors tallied (bounded),
// so a surge finding can name the source behind most of it, and the baseline can learn how many
// requests a client makes in a bucket. Kept in process: in the distributed mode an instance names
// the largest source, and counts the clients, among the requests it saw.
import { BoundedTally } from '@sidetap/core';

/** Distinct sources tallied per endpoint and bucket; beyond it they count as `other`. */
const MAX_SOURCES = 64;

export interface SourceTally {
  total: number;
  ips: BoundedTally;
  actors: BoundedTally;
}

/** The clients (timelines) behind a bucket's requests, as one instance saw them. */
export interface ClientCount {
  /** Distinct clients (each request past the tally's cap counted as one more). */
  count: number;
  /** Requests they made (what this instance saw of the bucket). */
  requests: number;
  /** Most requests one client made; Infinity when the cap was reached (so not known). */
  largest: number;
}

export function clientsOf(tally: SourceTally | undefined): ClientCount | undefined {
  if (tally === undefined || tally.total === 0) return undefined;
  let count = 0;
  let largest = 0;
  for (const [name, n] of tally.actors.top()) {
    if (name === 'other') {
      count += n;
      largest = Infinity;
    } else {
      count++;
      if (n > largest) largest = n;
    }
  }
  return { count, requests: tally.total, largest };
}

/**
 * Requests the bucket's clients made beyond `limit` each (what no ordinary client does); Infinity
 * when the tally's cap was reached, so some clients' counts are not known.
 */
export function excessOver(tally: SourceTally, limit: number): number {
  let excess = 0;
  for (const [name, n] of tally.actors.top()) {
    if (name === 'other') return Infinity;
    if (n > limit) excess += n - limit;
  }
  return excess;
}

export interface DominantSources {
  /** The timeline (`user:<name>` or an actor key) behind most requests, with its share. */
  actor?: { name: string; share: number };
  ip?: { name: string; share: number };
}

export class BucketSources {
  private readonly open = new Map<string, Map<number, SourceTally>>();

  add(endpoint: string, bucket: number, ip: string, actor: string): void {
    let byBucket = this.open.get(endpoint);
    if (byBucket === undefined) this.open.set(endpoint, (byBucket = new Map()));
    let tally = byBucket.get(bucket);
    if (tally === undefined) byBucket.set(bucket, (tally = { total: 0, ips: new BoundedTally(MAX_SOURCES), actors: new BoundedTally(MAX_SOURCES) }));
    tally.total++;
    tally.ips.add(ip);
    tally.actors.add(actor);
  }

  /** The bucket's tally, handed over when the bucket closes (and forgotten here). */
  take(endpoint: string, bucket: number): SourceTally | undefined {
    const byBucket = this.open.get(endpoint);
    const tally = byBucket?.get(bucket);
    byBucket?.delete(bucket);
    if (byBucket !== undefined && byBucket.size === 0) this.open.delete(endpoint);
    return tally;
  }
}

/**
 * The timeline and the address each behind at least `minShare` of the window's requests, when
 * there are: a surge one client causes is that client's doing, and worth naming.
 */
export function dominantSources(tallies: readonly (SourceTally | undefined)[], minShare: number): DominantSources {
  let total = 0;
  const ips = new Map<string, number>();
  const actors = new Map<string, number>();
  for (const t of tallies) {
    if (t === undefined) continue;
    total += t.total;
    for (const [name, n] of t.ips.top()) if (name !== 'other') ips.set(name, (ips.get(name) ?? 0) + n);
    for (const [name, n] of t.actors.top()) if (name !== 'other') actors.set(name, (actors.get(name) ?? 0) + n);
  }
  const out: DominantSources = {};
  if (total === 0) return out;
  const top = (m: Map<string, number>): { name: string; share: number } | undefined => {
    const best = [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    return best !== undefined && best[1] >= minShare * total ? { name: best[0], share: best[1] / total } : undefined;
  };
  const actor = top(actors);
  const ip = top(ips);
  if (actor !== undefined) out.actor = actor;
  if (ip !== undefined) out.ip = ip;
  return out;
}
