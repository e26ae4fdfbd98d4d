// The state of one body scan: the text, where each offset's field is (JSON leaves, read only when
// a first candidate needs them, else the name written before it), and the hits gathered so far,
// one per kind and field with the distinct values counted.
import { nameBefore, safeFieldName } from './fieldNames';
import { readJsonLeaves } from './jsonLeaves';
import type { JsonLeaves } from './jsonLeaves';
import type { SensitiveKind } from './sensitiveKinds';

export interface SensitiveHit {
  kind: SensitiveKind;
  /** JSON path ($.customers[*].card), form field or the name written before the value; absent when nothing names it. */
  field?: string;
  /** The first value found, masked. */
  masked: string;
  /** Distinct values of this kind in this field. */
  count: number;
  /** 0..1: how sure the scanner is that these are what the kind says. */
  confidence: number;
  /** capture replaced the value by a keyed hash: only the field's name tells what it held. */
  redacted?: true;
  /** An AWS access key id with a secret access key next to it. */
  paired?: true;
}

export interface FieldAt {
  /** The field's own name (for judging), such as card. */
  name?: string;
  /** Where, for people: a path in JSON, else the name. */
  field?: string;
}

/** Distinct values remembered per hit; beyond it the count is a lower bound. */
const MAX_DISTINCT = 10_000;

interface Slot {
  hit: SensitiveHit;
  seen: Set<string>;
}

export class ScanContext {
  private leaves: JsonLeaves | undefined;
  private readonly slots = new Map<string, Slot>();

  constructor(
    readonly text: string,
    private readonly json: boolean,
  ) {}

  /** What names the value at offset `at`. */
  fieldAt(at: number): FieldAt {
    if (this.json) {
      this.leaves ??= readJsonLeaves(this.text);
      const leaf = this.leaves.leafAt(at);
      if (leaf !== undefined) {
        const field = this.leaves.paths[this.leaves.pathIds[leaf] as number] as string;
        // Inside a string, a name written just before the value ("card=4111...") says more than the key.
        const start = this.leaves.starts[leaf] as number;
        const inner = at > start ? nameBefore(this.text, at, start) : undefined;
        return { name: inner ?? (this.leaves.names[this.leaves.nameIds[leaf] as number] as string), field };
      }
    }
    const name = nameBefore(this.text, at);
    return name === undefined ? {} : { name, field: safeFieldName(name) };
  }

  /** Records one value; `key` identifies it for the distinct count and never leaves the scanner. */
  add(kind: SensitiveKind, field: string | undefined, key: string, masked: string, confidence: number, extra?: { redacted?: true; paired?: true }): void {
    const id = `${kind}\u0000${field ?? ''}`;
    let slot = this.slots.get(id);
    if (slot === undefined) {
      const hit: SensitiveHit = { kind, masked, count: 0, confidence };
      if (field !== undefined) hit.field = field;
      slot = { hit, seen: new Set() };
      this.slots.set(id, slot);
    }
    const hit = slot.hit;
    if (extra?.redacted === true && hit.count === 0) hit.redacted = true;
    if (extra?.redacted !== true) delete hit.redacted;
    if (extra?.paired === true) hit.paired = true;
    if (confidence > hit.confidence) hit.confidence = confidence;
    if (slot.seen.has(key)) return;
    if (slot.seen.size < MAX_DISTINCT) slot.seen.add(key);
    hit.count++;
  }

  /** Hits of `kind` so far, over all fields. */
  distinct(kind: SensitiveKind): number {
    let n = 0;
    for (const s of this.slots.values()) if (s.hit.kind === kind) n += s.hit.count;
    return n;
  }

  drop(kind: SensitiveKind): void {
    for (const [id, s] of this.slots) if (s.hit.kind === kind) this.slots.delete(id);
  }

  hits(): SensitiveHit[] {
    return [...this.slots.values()].map((s) => s.hit);
  }
}
