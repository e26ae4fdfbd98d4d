// The writer of one record kind: appends batches to its own segment (created exclusively, so two
// writers never share one, and a crashed writer's torn tail is left behind, never appended to),
// starts the next at the size limit, keeps each segment's index beside it, and applies retention.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { appendFile, open } from 'node:fs/promises';
import type { Counters, Logger } from '@sidetap/core';
import { segmentsToRemove } from './retention';
import type { SegmentUsage } from './retention';
import { kindDir, legacyFile, listSegments, segmentRef } from './segmentFiles';
import type { SegmentRef } from './segmentFiles';
import { IndexEncoder } from './segmentIndex';
import { buildIndex, segmentSummary } from './segmentScan';
import type { StoreConfig } from './storeConfig';
import { kindName } from './storeKinds';
import type { StoreKind } from './storeKinds';

interface Segment extends SegmentUsage {
  ref: SegmentRef;
  /** Bytes of records in the segment file (offset of the next record). */
  dataBytes: number;
  /** Continues the index of a segment this writer started. */
  encoder?: IndexEncoder;
}

/** Bytes of the batch buffer kept for the next batch; a larger one is let go. */
const MAX_KEPT_SCRATCH = 16 * 1024 * 1024;

export class KindLog {
  private segments: Segment[] = [];
  private writing: Segment | undefined;
  private opened = false;
  private queue: Promise<void> = Promise.resolve();
  /**
   * A batch's bytes, kept between batches (appends run one at a time): each record is encoded
   * straight into it, which spares joining the batch into one string and copying that again.
   */
  private scratch = Buffer.allocUnsafe(0);
  private readonly dir: string;
  private readonly name: ReturnType<typeof kindName>;

  constructor(
    private readonly storeDir: string,
    private readonly kind: StoreKind,
    private readonly config: StoreConfig,
    private readonly counters: Counters,
    private readonly logger: Logger | undefined,
  ) {
    this.dir = kindDir(storeDir, kind);
    this.name = kindName(kind);
  }

  /** Appends in call order; resolves once the records are written (and synced, under fsync: batch). */
  append(records: readonly unknown[]): Promise<void> {
    const run = this.queue.then(() => this.write(records));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async drain(): Promise<void> {
    await this.queue;
  }

  private async write(records: readonly unknown[]): Promise<void> {
    if (records.length === 0) return;
    if (!this.opened) this.open();
    const lengths: number[] = [];
    let buf = this.scratch;
    let size = 0;
    for (const r of records) {
      const json = JSON.stringify(r) ?? 'null';
      // UTF-8 takes at most 3 bytes per UTF-16 unit (JSON.stringify leaves no lone surrogate), plus the newline.
      const room = 3 * json.length + 1;
      if (size + room > buf.length) {
        const grown = Buffer.allocUnsafe(Math.max(2 * buf.length, size + room, 64 * 1024));
        buf.copy(grown, 0, 0, size);
        buf = grown;
      }
      const n = buf.write(json, size, 'utf8');
      buf[size + n] = 10;
      lengths.push(n);
      size += n + 1;
    }
    // One huge batch must not keep its buffer for the rest of the run.
    this.scratch = buf.length <= MAX_KEPT_SCRATCH ? buf : Buffer.allocUnsafe(0);
    const data = buf.subarray(0, size);
    let seg = this.writing;
    if (seg === undefined || (seg.dataBytes > 0 && seg.dataBytes + data.length > this.config.segmentBytes)) seg = this.startSegment();
    const encoder = seg.encoder!;
    let index = '';
    let newest = -Infinity;
    let start = 0;
    for (let i = 0; i < records.length; i++) {
      const length = lengths[i]!;
      const { row, text: line } = encoder.encode(records[i], seg.dataBytes + start, length);
      const t = row[2];
      if (typeof t === 'number' && t > newest) newest = t;
      index += line;
      start += length + 1;
    }
    try {
      const fh = await open(seg.ref.data, 'a');
      try {
        await fh.writeFile(data);
        // The index is derived (readers rebuild what it lacks from the records), so only the records are synced.
        await appendFile(seg.ref.index!, index);
        if (this.config.fsync === 'batch') await fh.datasync();
      } finally {
        await fh.close();
      }
    } catch (err) {
      // The segment may now end in a torn write: leave it (readers skip the tail) and retry in a new one.
      this.writing = undefined;
      seg.bytes = fileBytes(seg.ref);
      throw err;
    }
    seg.dataBytes += data.length;
    seg.bytes += data.length + Buffer.byteLength(index);
    seg.records += records.length;
    if (newest > seg.newest) seg.newest = newest;
    this.retain();
  }

  /** Reads what earlier writers left: each segment's size, records and newest time (from its index), then applies retention. */
  private open(): void {
    mkdirSync(this.dir, { recursive: true });
    this.adoptLegacyFile();
    const finding = this.kind === 'alert';
    for (const ref of listSegments(this.storeDir, this.kind)) {
      const summary = segmentSummary(ref, finding, (p) => this.counters.inc(`indexer_store_lines_skipped_total{kind="${this.name}",reason="${p.reason}"}`));
      this.segments.push({ ref, seq: ref.seq, ...summary, dataBytes: 0 });
    }
    this.opened = true;
    this.retain();
  }

  /** Moves the old layout's flat file in as segment 0 and writes its index, so it reads like any other segment. */
  private adoptLegacyFile(): void {
    const legacy = legacyFile(this.storeDir, this.kind);
    const ref = segmentRef(this.dir, 0);
    if (!existsSync(legacy) || existsSync(ref.data)) return;
    renameSync(legacy, ref.data);
    const index = buildIndex(ref, this.kind === 'alert');
    const tmp = `${ref.index!}.tmp`;
    writeFileSync(tmp, index.text);
    renameSync(tmp, ref.index!);
    this.logger?.info({ from: legacy, to: ref.data, records: index.records }, 'store: moved a file of the old layout into a segment');
  }

  private startSegment(): Segment {
    let seq = Math.max(0, ...this.segments.map((s) => s.seq)) + 1;
    let ref = segmentRef(this.dir, seq);
    for (;;) {
      try {
        closeSync(openSync(ref.data, 'wx'));
        break;
      } catch (err) {
        // Another writer took this number: segments are never shared.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        ref = segmentRef(this.dir, ++seq);
      }
    }
    if (this.config.fsync === 'batch') syncDir(this.dir);
    const seg: Segment = { ref, seq, bytes: 0, records: 0, newest: -Infinity, dataBytes: 0, encoder: new IndexEncoder(this.kind === 'alert') };
    this.segments.push(seg);
    this.writing = seg;
    this.counters.inc(`indexer_store_segments_started_total{kind="${this.name}"}`);
    return seg;
  }

  private retain(): void {
    const limits = { maxBytes: this.config.maxBytes[this.name], maxAgeMs: this.config.maxAgeMs };
    const removals = segmentsToRemove(this.segments, limits, this.writing?.seq);
    if (removals.length === 0) return;
    const gone = new Set<number>();
    for (const { seq, reason } of removals) {
      const seg = this.segments.find((s) => s.seq === seq)!;
      removeFile(seg.ref.data);
      if (seg.ref.index !== undefined) removeFile(seg.ref.index);
      gone.add(seq);
      const labels = `{kind="${this.name}",reason="${reason}"}`;
      this.counters.inc(`indexer_store_segments_removed_total${labels}`);
      this.counters.inc(`indexer_store_records_removed_total${labels}`, seg.records);
      this.counters.inc(`indexer_store_bytes_removed_total${labels}`, seg.bytes);
      this.logger?.info(
        { kind: this.name, segment: seg.ref.data, reason, records: seg.records, bytes: seg.bytes, newest: Number.isFinite(seg.newest) ? new Date(seg.newest).toISOString() : null },
        `store retention removed a segment of ${this.name} (${reason === 'age' ? 'older than maxAgeMs' : 'over maxBytes'})`,
      );
    }
    this.segments = this.segments.filter((s) => !gone.has(s.seq));
  }
}

function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function fileBytes(ref: SegmentRef): number {
  let n = 0;
  for (const f of [ref.data, ref.index]) {
    try {
      if (f !== undefined) n += statSync(f).size;
    } catch {
      // gone: nothing to count
    }
  }
  return n;
}

/** Makes a new segment's directory entry durable too; not every platform can sync a directory. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
