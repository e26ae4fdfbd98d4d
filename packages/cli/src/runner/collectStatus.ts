// `sidetap collect`'s status line on a terminal: exchanges per second over the last interval,
// packets, and every drop so far (interface, socket, worker queue, pipeline backlog, mirror 429s),
// redrawn in place once a second. Silent when stderr is not a terminal.

const REDRAW_EVERY_MS = 1000;

export interface CollectProgress {
  exchanges: number;
  packets: number;
  counters: Record<string, number>;
}

/** Drops: counters that move only when data is really lost, and mirror requests turned away with 429. */
export function droppedSoFar(counters: Record<string, number>): number {
  let n = 0;
  for (const [name, value] of Object.entries(counters)) {
    if (name.includes('_dropped_total') || name.startsWith('capture_mirror_requests_throttled_total')) n += value;
  }
  return n;
}

export class CollectStatus {
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();
  private last = { at: Date.now(), exchanges: 0 };
  private drawn = false;

  constructor(
    private readonly out: { isTTY?: boolean; write(s: string): boolean },
    private readonly progress: () => CollectProgress,
  ) {
    if (out.isTTY !== true) return;
    this.timer = setInterval(() => this.draw(), REDRAW_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(): void {
    const now = Date.now();
    const p = this.progress();
    const rate = ((p.exchanges - this.last.exchanges) * 1000) / Math.max(1, now - this.last.at);
    this.last = { at: now, exchanges: p.exchanges };
    const elapsed = Math.round((now - this.started) / 1000);
    this.out.write(
      `\r\x1b[K${elapsed}s  ${p.exchanges} exchanges (${Math.round(rate)}/s)  ${p.packets} packets  ${droppedSoFar(p.counters)} dropped`,
    );
    this.drawn = true;
  }
}
