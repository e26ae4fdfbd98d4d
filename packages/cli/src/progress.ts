// Progress of a long read on a terminal: one line redrawn in place on stderr, at most a few
// times a second. Silent when stderr is not a terminal, so pipes and logs stay clean.
import type { CaptureProgress } from '@sidetap/capture';

const REDRAW_EVERY_MS = 250;

export class ProgressLine {
  private lastDraw = 0;
  private readonly started = Date.now();
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream | { isTTY?: boolean; write(s: string): boolean }) {}

  get enabled(): boolean {
    return this.out.isTTY === true;
  }

  update(p: CaptureProgress): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_EVERY_MS) return;
    this.lastDraw = now;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const pct = p.bytesTotal > 0 ? ((100 * p.bytesRead) / p.bytesTotal).toFixed(1) : '?';
    const file = p.files > 1 ? ` file ${p.fileIndex + 1}/${p.files}` : '';
    this.out.write(
      `\r\x1b[K${pct}%${file}  ${formatBytes(p.bytesRead)} of ${formatBytes(p.bytesTotal)}  ` +
        `${p.exchanges} exchanges  ${Math.round(p.exchanges / seconds)}/s`,
    );
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}
