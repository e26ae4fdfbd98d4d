// State-store keys (and the names they are built from), or anything else that follows from an
// endpoint or actor string alone, made once per endpoint or actor rather than once per event. A key built by a template literal on every event is a new string: the
// store's map must flatten and hash it before it can even look, which cost several times the
// lookup itself. A key from here is the same string each time, its hash already known; the parts
// it is found by (an endpoint template, a timeline) are themselves strings the event shares.

/** Entries kept per memo; beyond it the memo starts over (which only costs building keys again). */
const MAX_ENTRIES = 16_384;

export class KeyMemo<V> {
  private readonly byFirst = new Map<string, Map<string, V>>();
  private entries = 0;

  /** `make` must depend on its arguments alone: what it returns is kept and handed out again. */
  constructor(private readonly make: (a: string, b: string) => V) {}

  /** What `make(a, b)` gives, made the first time these parts are asked for. */
  of(a: string, b = ''): V {
    let inner = this.byFirst.get(a);
    if (inner !== undefined) {
      const known = inner.get(b);
      if (known !== undefined) return known;
    }
    if (this.entries >= MAX_ENTRIES) {
      this.byFirst.clear();
      this.entries = 0;
      inner = undefined;
    }
    if (inner === undefined) this.byFirst.set(a, (inner = new Map()));
    const made = this.make(a, b);
    inner.set(b, made);
    this.entries++;
    return made;
  }
}
