// Decompresses one raw-deflate, zlib, brotli or zstd stream without ever producing more than a
// cap, keeping the first part when the cap is hit. Node's sync APIs throw on `maxOutputLength`
// instead of truncating, so a bomb is cut by searching for the longest input prefix whose output
// still fits: prefixes decode to prefixes of the output, so "fits and decodes cleanly" is
// monotone in the prefix length. The normal case costs one decode; a bomb or a broken stream
// costs O(log n) decodes of at most `cap` bytes each (not quadratic in the input).
import * as zlib from 'node:zlib';

export type StreamFormat = 'raw' | 'zlib' | 'brotli' | 'zstd';

export interface StreamResult {
  /** Decoded bytes, never more than the cap. */
  out: Buffer;
  /** Input bytes up to the end of the stream, or -1 when the end was not reached in the input. */
  end: number;
  /**
   * ok: decoded cleanly (end -1 only when the input was declared incomplete);
   * truncated: the input was declared complete but the stream did not end;
   * error: corrupt stream, `out` is what decoded before the corruption;
   * bomb: the output exceeded the cap, `out` is its first `cap` bytes (or slightly fewer, see fill).
   */
  status: 'ok' | 'truncated' | 'error' | 'bomb';
}

type Attempt =
  | { kind: 'ok'; out: Buffer; consumed: number }
  | { kind: 'too_large' }
  | { kind: 'truncated' }
  | { kind: 'error' };

type SyncDecoder = (input: Buffer, options: object) => { buffer: Buffer; engine: { bytesWritten: number } };

interface FormatEngine {
  decode: SyncDecoder;
  flushPartial: number;
  flushFinal: number;
}

const zstdDecompressSync = (zlib as unknown as Record<string, unknown>)['zstdDecompressSync'];
const zlibConstants = zlib.constants as unknown as Record<string, number | undefined>;

/** Whether this Node has zstd (node:zlib gained it in 22.15 / 23.8; Node 20 lacks it). */
export const zstdAvailable =
  typeof zstdDecompressSync === 'function' &&
  zlibConstants['ZSTD_e_flush'] !== undefined &&
  zlibConstants['ZSTD_e_end'] !== undefined;

const ENGINES: Record<StreamFormat, FormatEngine | undefined> = {
  raw: {
    decode: zlib.inflateRawSync as unknown as SyncDecoder,
    flushPartial: zlib.constants.Z_SYNC_FLUSH,
    flushFinal: zlib.constants.Z_FINISH,
  },
  zlib: {
    decode: zlib.inflateSync as unknown as SyncDecoder,
    flushPartial: zlib.constants.Z_SYNC_FLUSH,
    flushFinal: zlib.constants.Z_FINISH,
  },
  brotli: {
    decode: zlib.brotliDecompressSync as unknown as SyncDecoder,
    flushPartial: zlib.constants.BROTLI_OPERATION_FLUSH,
    flushFinal: zlib.constants.BROTLI_OPERATION_FINISH,
  },
  zstd: zstdAvailable
    ? {
        decode: zstdDecompressSync as SyncDecoder,
        flushPartial: zlibConstants['ZSTD_e_flush'] ?? 0,
        flushFinal: zlibConstants['ZSTD_e_end'] ?? 0,
      }
    : undefined,
};

// Headroom over the cap when fetching the exact first `cap` bytes from a prefix known to overflow
// it. One input byte of deflate yields at most ~1032 output bytes (RFC 1951: length 258 in two
// bits), so the first step suffices for gzip/deflate near the boundary; one byte of brotli can
// finish a command copying up to a whole 16 MiB meta-block (RFC 7932 §9.2), hence the last step.
const FILL_NEAR = 64 * 1024;
const FILL_LADDER_MAX = 32 << 20;

function attempt(engine: FormatEngine, input: Buffer, cap: number, final: boolean): Attempt {
  try {
    const r = engine.decode(input, {
      finishFlush: final ? engine.flushFinal : engine.flushPartial,
      maxOutputLength: Math.max(1, cap),
      info: true,
    });
    if (r.buffer.length > cap) return { kind: 'too_large' };
    return { kind: 'ok', out: r.buffer, consumed: r.engine.bytesWritten };
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'ERR_BUFFER_TOO_LARGE') return { kind: 'too_large' };
    // Node reports "unexpected end of file" as Z_BUF_ERROR only under a final flush.
    if (code === 'Z_BUF_ERROR' && final) return { kind: 'truncated' };
    return { kind: 'error' };
  }
}

/** Decode one compressed stream from the start of `input`; never throws. */
export function decompressBounded(
  format: StreamFormat,
  input: Buffer,
  cap: number,
  complete: boolean,
): StreamResult {
  const engine = ENGINES[format];
  if (engine === undefined) return { out: Buffer.alloc(0), end: -1, status: 'error' };

  const first = attempt(engine, input, cap, complete);
  if (first.kind === 'ok') {
    // Under a final flush success means the end was reached; under a partial flush only
    // leftover input proves it.
    const ended = complete || first.consumed < input.length;
    return { out: first.out, end: ended ? first.consumed : -1, status: 'ok' };
  }
  if (first.kind === 'truncated') {
    const partial = attempt(engine, input, cap, false);
    if (partial.kind === 'ok') return { out: partial.out, end: -1, status: 'truncated' };
    return searchLongestPrefix(engine, input, cap, partial.kind === 'too_large' ? 'too_large' : 'error');
  }
  return searchLongestPrefix(engine, input, cap, first.kind);
}

/**
 * Find the longest prefix that decodes cleanly within the cap. Steps alternate between
 * extrapolating from the output ratio seen so far (a uniform bomb converges in a few probes) and
 * bisection (bounds the worst case at 2·log2(n) probes). A prefix that overflows the cap by little
 * ends the search early: its first `cap` bytes are the answer.
 */
function searchLongestPrefix(
  engine: FormatEngine,
  input: Buffer,
  cap: number,
  failure: 'too_large' | 'error',
): StreamResult {
  if (failure === 'too_large') {
    const near = fill(engine, input, cap, FILL_NEAR);
    if (near !== undefined) return { out: near, end: -1, status: 'bomb' };
  }
  let lo = 0;
  let loOut: Buffer = Buffer.alloc(0);
  let hi = input.length;
  let hiReason = failure;
  let extrapolate = false;
  while (hi - lo > 1) {
    let guess = lo + ((hi - lo) >> 1);
    const extrapolated = extrapolate && hiReason === 'too_large' && loOut.length > 0;
    if (extrapolated) guess = lo + Math.ceil((lo * (cap - loOut.length)) / loOut.length) + 1;
    guess = Math.min(hi - 1, Math.max(lo + 1, guess));
    const r = attempt(engine, input.subarray(0, guess), cap, false);
    if (r.kind === 'ok') {
      lo = guess;
      loOut = r.out;
    } else {
      hi = guess;
      hiReason = r.kind === 'too_large' ? 'too_large' : 'error';
      if (hiReason === 'too_large' && (extrapolated || hi - lo <= 32)) {
        const near = fill(engine, input.subarray(0, hi), cap, FILL_NEAR);
        if (near !== undefined) return { out: near, end: -1, status: 'bomb' };
      }
    }
    extrapolate = !extrapolate;
  }
  if (hiReason === 'error') return { out: loOut, end: -1, status: 'error' };
  const prefix = input.subarray(0, hi);
  for (let slack = Math.max(FILL_NEAR * 2, cap); slack <= FILL_LADDER_MAX; slack *= 4) {
    const out = fill(engine, prefix, cap, slack);
    if (out !== undefined) return { out, end: -1, status: 'bomb' };
  }
  // Not reachable for deflate or brotli; for anything denser the last clean prefix is the answer.
  return { out: loOut, end: -1, status: 'bomb' };
}

/** The first `cap` bytes of the output of `input`, when that output is at most `cap + slack`. */
function fill(engine: FormatEngine, input: Buffer, cap: number, slack: number): Buffer | undefined {
  const r = attempt(engine, input, cap + slack, false);
  return r.kind === 'ok' ? r.out.subarray(0, cap) : undefined;
}
