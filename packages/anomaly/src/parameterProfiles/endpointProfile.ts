// Everything learned about one endpoint (template and method): its parameter table, how many
// requests it saw (the presence model's denominator), and which parameters precede which
// (the order model, Kruegel & Vigna §4.6).
import type { ParameterLocation } from './parameterDeviation';
import { ParameterProfile } from './parameterProfile';

/** Order pairs are keyed `before * ORDER_STRIDE + after`; the schema caps parameters below this. */
export const ORDER_STRIDE = 4096;

export interface OrderVerdict {
  p: number;
  /** The parameter that came first in this request, and the one it usually follows. */
  early: ParameterProfile;
  late: ParameterProfile;
  /** Learned requests with the usual order, and with this one. */
  usual: number;
  seen: number;
}

export class EndpointProfile {
  /** Requests learned. */
  requests = 0;
  /** Parameter table, in first-seen order (a parameter's index is its position). */
  readonly params: ParameterProfile[] = [];
  /** Parameters refused because the table was full: unknown names are then not reportable. */
  paramsDropped = 0;
  /** Ordered pair key → learned requests where `before` preceded `after` (both query, or both form). */
  readonly order = new Map<number, number>();
  orderPairsDropped = 0;
  private readonly byLocation: Record<ParameterLocation, Map<string, ParameterProfile>> = {
    query: new Map(),
    form: new Map(),
    json: new Map(),
    header: new Map(),
  };

  constructor(
    readonly method: string,
    readonly template: string,
  ) {}

  get key(): string {
    return endpointKey(this.method, this.template);
  }

  find(location: ParameterLocation, name: string): ParameterProfile | undefined {
    return this.byLocation[location].get(name);
  }

  /** A new parameter, or undefined (counted in paramsDropped) when the table holds `max` already. */
  add(location: ParameterLocation, name: string, max: number): ParameterProfile | undefined {
    if (this.params.length >= max) {
      this.paramsDropped++;
      return undefined;
    }
    const profile = new ParameterProfile(location, name, this.params.length);
    this.params.push(profile);
    this.byLocation[location].set(name, profile);
    return profile;
  }

  /** Counts every ordered pair of `sequence` (parameter indices in request order); returns pairs dropped. */
  learnOrder(sequence: readonly number[], maxPairs: number): number {
    let dropped = 0;
    for (let i = 0; i < sequence.length; i++) {
      const before = (sequence[i] ?? 0) * ORDER_STRIDE;
      for (let j = i + 1; j < sequence.length; j++) {
        const key = before + (sequence[j] ?? 0);
        const seen = this.order.get(key);
        if (seen !== undefined) this.order.set(key, seen + 1);
        else if (this.order.size < maxPairs) this.order.set(key, 1);
        else dropped++;
      }
    }
    this.orderPairsDropped += dropped;
    return dropped;
  }

  /**
   * The least likely pair of `sequence`: p = (requests with this order + 1) / (requests with
   * either order + 2), Laplace's rule, so a pair always seen the other way round in n requests
   * scores 1 − 1/(n + 2). Undefined when every pair is in its usual (or an unknown) order.
   */
  judgeOrder(sequence: readonly number[]): OrderVerdict | undefined {
    let worst: OrderVerdict | undefined;
    for (let i = 0; i < sequence.length; i++) {
      const a = sequence[i] ?? 0;
      for (let j = i + 1; j < sequence.length; j++) {
        const b = sequence[j] ?? 0;
        const reverse = this.order.get(b * ORDER_STRIDE + a);
        if (reverse === undefined) continue;
        const same = this.order.get(a * ORDER_STRIDE + b) ?? 0;
        const p = (same + 1) / (same + reverse + 2);
        if (worst !== undefined && p >= worst.p) continue;
        const early = this.params[a];
        const late = this.params[b];
        if (early !== undefined && late !== undefined) worst = { p, early, late, usual: reverse, seen: same };
      }
    }
    return worst;
  }
}

export function endpointKey(method: string, template: string): string {
  return `${method} ${template}`;
}
