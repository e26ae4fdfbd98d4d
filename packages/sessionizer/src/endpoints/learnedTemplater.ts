// Templates learned from traffic: shape rules per segment, plus positions that have shown more
// distinct literal values than the threshold turning into {param}. Bounded, counted, exportable.
import type { Counters } from '@sidetap/core';
import { ClockMap } from './clockMap';
import { DistinctSketch } from './distinctSketch';
import { LEARNED_STATE_FORMAT, parseLearnedState } from './learnedState';
import type { LearnedState } from './learnedState';
import { MAX_LITERAL_LENGTH, shapeSlot, SLOTS } from './segmentShape';

export interface LearnedLimits {
  learnThreshold: number;
  maxTemplates: number;
  maxValuesPerPosition: number;
}

/** What one path position (the segment after a parent template) has seen. */
interface Position {
  /** Exact distinct values, up to maxValuesPerPosition. */
  values: Set<string>;
  /** Estimate of the values past the exact set. */
  sketch: DistinctSketch | undefined;
}

const LEFT_BRACE = 123;

export class LearnedTemplater {
  /** Changes whenever a template given before could now come out differently (caches check it). */
  generation = 0;
  // Second-chance eviction: a touch on every literal segment of every request only sets a flag.
  private readonly positions = new ClockMap<Position>();
  // Promoted parents, oldest first; they are few and consulted on every literal segment.
  private readonly promoted = new Set<string>();

  constructor(
    private readonly limits: LearnedLimits,
    private readonly counters: Counters,
  ) {}

  /** Template of a split path; learns from its literal segments as a side effect. */
  template(segments: readonly string[], truncated: boolean): string {
    let prefix = '';
    for (const segment of segments) {
      const slot = shapeSlot(segment);
      let part: string;
      if (slot !== undefined) part = slot;
      else if (segment.length > MAX_LITERAL_LENGTH || this.promoted.has(prefix) || this.observe(prefix, segment)) part = SLOTS.param;
      else part = segment;
      prefix = `${prefix}/${part}`;
    }
    if (truncated) prefix = `${prefix}/${SLOTS.rest}`;
    return prefix === '' ? '/' : prefix;
  }

  exportState(): LearnedState {
    return {
      format: LEARNED_STATE_FORMAT,
      version: 1,
      promoted: [...this.promoted],
      positions: [...this.positions.entries()].map(([parent, p]) => ({
        parent,
        values: [...p.values],
        ...(p.sketch === undefined ? {} : { sketch: p.sketch.toJSON() }),
      })),
    };
  }

  importState(state: unknown): void {
    const doc = parseLearnedState(state);
    this.positions.clear();
    this.promoted.clear();
    for (const parent of doc.promoted) this.promoted.add(parent);
    for (const { parent, values, sketch } of doc.positions) {
      const position: Position = { values: new Set(), sketch: sketch === undefined ? undefined : new DistinctSketch(sketch) };
      // A smaller cap than the exporter's: the values past it go to the estimate, not away.
      for (const value of values) {
        if (position.values.size < this.limits.maxValuesPerPosition) position.values.add(value);
        else (position.sketch ??= new DistinctSketch()).add(value);
      }
      this.positions.delete(parent);
      this.positions.set(parent, position);
    }
    this.makeRoom(0);
    this.generation++;
  }

  /** Records `value` at the position after `parent`; true when that position is now a parameter. */
  private observe(parent: string, value: string): boolean {
    let position = this.positions.get(parent);
    if (position === undefined) {
      // Room is made first, so the new position is not the one given up.
      this.makeRoom(1);
      position = { values: new Set([value]), sketch: undefined };
      this.positions.set(parent, position);
    } else {
      if (position.values.has(value)) return false;
      if (position.values.size < this.limits.maxValuesPerPosition) position.values.add(value);
      else (position.sketch ??= new DistinctSketch()).add(value);
    }
    // Rounded: the estimate is fractional, and an exact set would only ever give whole counts.
    const distinct = position.values.size + Math.round(position.sketch?.estimate() ?? 0);
    if (distinct <= this.limits.learnThreshold) return false;
    this.promote(parent);
    return true;
  }

  private promote(parent: string): void {
    this.positions.delete(parent);
    this.promoted.add(parent);
    this.generation++;
    this.counters.inc('sessionizer_endpoint_params_learned_total');
    // State keyed below one of this position's literal values can never be reached again
    // (those values now read {param}); dropping it is a merge, not an eviction, so not counted.
    const below = `${parent}/`;
    const dead = (key: string): boolean => key.startsWith(below) && key.charCodeAt(below.length) !== LEFT_BRACE;
    for (const [key] of [...this.positions.entries()]) if (dead(key)) this.positions.delete(key);
    for (const key of this.promoted) if (dead(key)) this.promoted.delete(key);
  }

  /** maxTemplates caps positions and promotions together; make room for `extra` more. */
  private makeRoom(extra: number): void {
    while (this.positions.size + this.promoted.size + extra > this.limits.maxTemplates && this.evictOne()) {
      this.counters.inc('sessionizer_endpoint_positions_evicted_total');
    }
  }

  /** A position not used lately; failing any position, the oldest promotion. */
  private evictOne(): boolean {
    if (this.positions.evictOne() !== undefined) return true;
    const oldest = this.promoted.values().next();
    if (oldest.done) return false;
    this.promoted.delete(oldest.value);
    this.generation++;
    return true;
  }
}
