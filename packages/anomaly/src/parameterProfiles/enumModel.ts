// Token finder (Kruegel & Vigna §4.4): a parameter that takes few distinct values is an
// enumeration, and a value outside the learned set is anomalous. The set is remembered only
// while it stays small; past maxEnumValues the parameter is free-valued for good.

export interface EnumLimits {
  maxEnumValues: number;
  enumMaxDistinct: number;
  maxEnumValueLength: number;
}

export class EnumModel {
  /** Value → times seen, in first-seen order; null once the parameter proved free-valued. */
  values: Map<string, number> | null;

  constructor(values: Map<string, number> | null = new Map()) {
    this.values = values;
  }

  /** Returns true when this value closed the set (it grew past maxEnumValues), for the eviction counter. */
  learn(value: string, limits: EnumLimits): boolean {
    const values = this.values;
    if (values === null) return false;
    const seen = values.get(value);
    if (seen !== undefined) {
      values.set(value, seen + 1);
      return false;
    }
    if (value.length > limits.maxEnumValueLength || values.size >= limits.maxEnumValues) {
      this.values = null;
      return true;
    }
    values.set(value, 1);
    return false;
  }

  /** True when the learned set is small enough to be an enumeration. */
  isEnumeration(limits: EnumLimits): boolean {
    return this.values !== null && this.values.size <= limits.enumMaxDistinct;
  }

  /**
   * For a value outside the set: the Good–Turing estimate of how often a new value turns up,
   * (values seen once + 1) / (values learned + 1). A set that kept growing during training
   * (many singletons) yields a high p and stays quiet. 1 for a member.
   */
  pValue(value: string, learned: number): number {
    const values = this.values;
    if (values === null || values.has(value)) return 1;
    let singletons = 0;
    for (const k of values.values()) if (k === 1) singletons++;
    return (singletons + 1) / (learned + 1);
  }

  describe(): string {
    const values = this.values;
    if (values === null) return 'free-valued';
    const list = [...values.keys()].slice(0, 8).map((v) => JSON.stringify(v));
    return `one of ${list.join(', ')}${values.size > 8 ? ` (and ${values.size - 8} more)` : ''}`;
  }
}
