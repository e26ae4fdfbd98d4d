// The VLAN ids of the frame being decoded. Arrays handed out in segments are never mutated
// afterwards (a flow table may keep them), so they are shared, not rebuilt, per packet: one
// cached array per single VLAN id and the last stacked list.

export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ = 0x88a8;
/** Pre-standard QinQ outer tag still sent by some switches. */
export const ETHERTYPE_QINQ_OLD = 0x9100;

export function isVlanEtherType(etherType: number): boolean {
  return etherType === ETHERTYPE_VLAN || etherType === ETHERTYPE_QINQ || etherType === ETHERTYPE_QINQ_OLD;
}

export class VlanTags {
  /** Tag ids of the current frame, outermost first; only the first `count` are valid. */
  private readonly scratch: number[] = [];
  private count = 0;
  private readonly single: Array<number[] | undefined> = new Array<number[] | undefined>(4096).fill(undefined);
  private lastStack: number[] | undefined;

  clear(): void {
    this.count = 0;
  }

  push(vid: number): void {
    this.scratch[this.count++] = vid;
  }

  /** The current tags as text, to keep frames of different VLANs apart in a map key. */
  keyText(): string {
    let text = '';
    for (let i = 0; i < this.count; i++) text += String.fromCharCode(this.scratch[i]!);
    return text;
  }

  /** The current tags as an array safe to keep; undefined when untagged. */
  list(): number[] | undefined {
    const n = this.count;
    if (n === 0) return undefined;
    if (n === 1) {
      const vid = this.scratch[0]!;
      let cached = this.single[vid];
      if (cached === undefined) {
        cached = [vid];
        this.single[vid] = cached;
      }
      return cached;
    }
    const last = this.lastStack;
    if (last !== undefined && last.length === n && this.matches(last)) return last;
    const stack = this.scratch.slice(0, n);
    this.lastStack = stack;
    return stack;
  }

  private matches(stack: number[]): boolean {
    for (let i = 0; i < stack.length; i++) if (stack[i] !== this.scratch[i]) return false;
    return true;
  }
}
