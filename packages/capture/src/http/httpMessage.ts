// One parsed HTTP/1.x request or response: start line, header fields, flags, and its body as it
// streams in (true size plus a bounded raw sample copied out of the short-lived packet buffers).
import type { CaptureFlag } from '@sidetap/core';
import type { ExchangeSlot } from './exchangeSlot';

import type { SampleBudget, SampleLimits } from './sampleBudget';

export class HttpMessage {
  isRequest = true;
  method = '';
  target = '';
  /** "1.1" for HTTP/1.1. */
  version = '';
  statusCode = 0;
  reason: string | undefined = undefined;
  /** Header fields as they came, after unfolding: [name (lower-case), value, name, value, ...]. */
  fields: string[] = [];
  /**
   * Raw values by lower-case name, repeats joined with ", ": built once by parseHead, it is the
   * exchange's header record as it is when nothing in it needs redaction.
   */
  record: Record<string, string> = {};
  /** Number of Content-Length field lines (duplicates are a smuggling pattern). */
  contentLengthLines = 0;
  contentLength = 0;
  /** Transfer codings other than chunked, in the order applied; they wrap the content coding. */
  extraTransferCodings: string | undefined = undefined;
  flags: CaptureFlag[] = [];
  /** Bytes of this direction were lost just before this message. */
  afterGap = false;
  /** The head was cut short (size limit or lost bytes): its framing is unknown. */
  headCut = false;

  firstTsUs = 0;
  lastTsUs = 0;
  wireBytes = 0;

  bodyBytes = 0;
  sample: Buffer | undefined = undefined;
  sampleLen = 0;
  /** False once bytes of the body were lost (a gap): later bytes would not continue the sample. */
  sampleOpen = true;
  /** The shared sample budget was spent, so the sample stopped early. */
  sampleRefused = false;
  /** True when the framing announced more body than was seen. */
  truncated = false;
  /** The body arrived with its content codings already removed (a HAR's response text): never decoded again. */
  contentDecoded = false;

  /** The exchange this message belongs to; undefined for interim (1xx) responses. */
  slot: ExchangeSlot | undefined = undefined;

  addFlag(flag: CaptureFlag): void {
    if (!this.flags.includes(flag)) this.flags.push(flag);
  }

  /** The raw value of `name` (lower-case), repeats joined. */
  header(name: string): string | undefined {
    // Only an own property holds a string: what the prototype offers never does.
    const value = this.record[name];
    return typeof value === 'string' ? value : undefined;
  }

  /** The fields by name in first-seen order, repeats joined (for tests and inspection; not used when parsing). */
  get headers(): Map<string, string> {
    const headers = new Map<string, string>();
    const fields = this.fields;
    for (let k = 0; k < fields.length; k += 2) {
      const name = fields[k] as string;
      const value = fields[k + 1] as string;
      const seen = headers.get(name);
      headers.set(name, seen === undefined ? value : `${seen}, ${value}`);
    }
    return headers;
  }

  /** Counts body bytes and copies what fits into the raw sample (the source buffer is reused by the caller). */
  addBody(buf: Buffer, start: number, end: number, limits: SampleLimits): void {
    const n = end - start;
    if (n <= 0) return;
    this.bodyBytes += n;
    const cap = limits.cap;
    if (!this.sampleOpen || this.sampleLen >= cap) return;
    const take = Math.min(n, cap - this.sampleLen);
    let sample = this.sample;
    if (sample === undefined || sample.length < this.sampleLen + take) {
      const want = Math.min(cap, Math.max(this.sampleLen + take, this.sampleLen * 2, this.contentLength, 1024));
      if (!limits.budget.take(want - (sample?.length ?? 0))) {
        // All connections together hold as much as allowed: this body keeps what it has.
        this.sampleOpen = false;
        this.sampleRefused = true;
        return;
      }
      const grown = Buffer.allocUnsafe(want);
      if (sample !== undefined) sample.copy(grown, 0, 0, this.sampleLen);
      sample = grown;
      this.sample = sample;
    }
    buf.copy(sample, this.sampleLen, start, start + take);
    this.sampleLen += take;
  }

  /** Bytes known to be missing from the body: counted in its size, never sampled past. */
  addLostBody(n: number): void {
    this.bodyBytes += n;
    this.sampleOpen = false;
  }

  /** Gives the sample's bytes back to the shared budget; the sample is gone after this. */
  releaseSample(budget: SampleBudget): void {
    if (this.sample === undefined) return;
    budget.give(this.sample.length);
    this.sample = undefined;
  }

  /** The raw sample and whether it holds the whole body. */
  rawSample(): { raw: Buffer; whole: boolean } {
    const raw = this.sample === undefined ? Buffer.alloc(0) : this.sample.subarray(0, this.sampleLen);
    return { raw, whole: this.sampleOpen && !this.truncated && this.sampleLen === this.bodyBytes };
  }
}
