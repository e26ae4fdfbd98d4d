// Content-Encoding decoding of a body sample, the way a browser would, bounded against bombs.
//
// Browser reference (Chromium net/filter/gzip_source_stream.cc): gzip has its header parsed by
// hand, the deflate data inflated raw, the CRC/ISIZE trailer skipped unchecked and every byte
// after the first member ignored; "deflate" is inflated as zlib and, if that fails before any
// output, replayed as raw deflate (servers that send headerless deflate). Unknown codings are
// passed through undecoded. We follow that, except that a second gzip member is decoded too (RFC
// 1952 §2.2, and what zlib-based clients do), and bytes ignored by the browser are flagged.
import { kMaxLength } from 'node:buffer';
import type { CaptureFlag } from '@sidetap/core';
import { decompressBounded, zstdAvailable, type StreamFormat, type StreamResult } from './boundedDecompress';
import { GZIP_TRAILER_BYTES, gzipHeaderLength } from './gzipHeader';

export interface DecodedContent {
  body: Buffer;
  flags: CaptureFlag[];
}

export interface DecodeOptions {
  maxOutputBytes: number;
  /** False when `raw` is only the first part of a longer body: a missing stream end is not an error. */
  complete: boolean;
}

type Coding = 'gzip' | 'deflate' | 'br' | 'zstd';

interface LayerResult {
  out: Buffer;
  status: StreamResult['status'];
  trailingGarbage: boolean;
}

const EMPTY = Buffer.alloc(0);

/** Decode a (transfer-decoded) body sample the way a browser would, given its Content-Encoding. */
export function decodeContent(raw: Buffer, contentEncoding: string | undefined, options: DecodeOptions): DecodedContent {
  const flags: CaptureFlag[] = [];
  if (contentEncoding === undefined) return { body: raw, flags };
  const { codings, count } = parseCodings(contentEncoding);
  if (count > 1) flags.push('content_encoding_stacked');
  if (codings === undefined) {
    flags.push('content_encoding_unknown');
    return { body: raw, flags };
  }
  if (codings.length === 0 || raw.length === 0) return { body: raw, flags };

  const max = options.maxOutputBytes;
  const cap = Number.isNaN(max) ? 0 : Math.min(kMaxLength, Math.max(0, Math.floor(max)));
  let body = raw;
  let complete = options.complete;
  // The coding listed last was applied last, so it comes off first.
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i];
    if (coding === undefined) break;
    const layer = decodeLayer(coding, body, cap, complete);
    if (layer.trailingGarbage) addFlag(flags, 'content_trailing_garbage');
    if (layer.status === 'bomb') addFlag(flags, 'decompression_bomb');
    if (layer.status === 'error' || layer.status === 'truncated') {
      addFlag(flags, 'content_decode_error');
      if (layer.out.length === 0) return { body: raw, flags };
    }
    body = layer.out;
    // Whatever a layer could not finish is, for the layer beneath, a sample of a longer stream.
    complete = complete && layer.status === 'ok';
    if (body.length === 0) break;
  }
  return { body, flags };
}

/**
 * Codings in the order applied, without identity (`codings` undefined when one is unknown), and
 * how many codings were named at all.
 */
function parseCodings(value: string): { codings: Coding[] | undefined; count: number } {
  let codings: Coding[] | undefined = [];
  let count = 0;
  for (const token of value.split(',')) {
    const name = token.trim().toLowerCase();
    if (name === '' || name === 'identity') continue;
    count++;
    const coding = codingNamed(name);
    if (coding === undefined) codings = undefined;
    else codings?.push(coding);
  }
  return { codings, count };
}

function codingNamed(name: string): Coding | undefined {
  switch (name) {
    case 'gzip':
    case 'x-gzip':
      return 'gzip';
    case 'deflate':
      return 'deflate';
    case 'br':
      return 'br';
    case 'zstd':
      return zstdAvailable ? 'zstd' : undefined;
    default:
      return undefined;
  }
}

function decodeLayer(coding: Coding, input: Buffer, cap: number, complete: boolean): LayerResult {
  switch (coding) {
    case 'gzip':
      return decodeGzip(input, cap, complete);
    case 'deflate':
      return decodeDeflate(input, cap, complete);
    case 'br':
      return streamLayer('brotli', input, cap, complete);
    case 'zstd':
      return streamLayer('zstd', input, cap, complete);
  }
}

function streamLayer(format: StreamFormat, input: Buffer, cap: number, complete: boolean): LayerResult {
  const r = decompressBounded(format, input, cap, complete);
  return { out: r.out, status: r.status, trailingGarbage: r.end >= 0 && r.end < input.length };
}

/** RFC 1950 §2.2: CM 8, window at most 32 KiB, and CMF·256 + FLG a multiple of 31. */
function looksLikeZlibHeader(input: Buffer): boolean {
  const cmf = input[0];
  const flg = input[1];
  if (cmf === undefined || flg === undefined) return false;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
}

function decodeDeflate(input: Buffer, cap: number, complete: boolean): LayerResult {
  if (looksLikeZlibHeader(input)) {
    const wrapped = streamLayer('zlib', input, cap, complete);
    // Chromium replays as raw deflate when the zlib attempt fails before producing output.
    if (wrapped.status !== 'error' || wrapped.out.length > 0) return wrapped;
  }
  return streamLayer('raw', input, cap, complete);
}

function decodeGzip(input: Buffer, cap: number, complete: boolean): LayerResult {
  const parts: Buffer[] = [];
  let total = 0;
  let pos = 0;
  let status: StreamResult['status'] = 'ok';
  let trailingGarbage = false;
  while (pos < input.length) {
    const header = gzipHeaderLength(input, pos);
    if (header <= 0) {
      if (pos === 0) status = header < 0 || complete ? 'error' : 'ok';
      else trailingGarbage = header < 0 || complete;
      break;
    }
    const r = decompressBounded('raw', input.subarray(pos + header), cap - total, complete);
    if (r.out.length > 0) {
      parts.push(r.out);
      total += r.out.length;
    }
    if (r.status !== 'ok') {
      status = r.status;
      break;
    }
    if (r.end < 0) break;
    pos += header + r.end + GZIP_TRAILER_BYTES;
  }
  const out = parts.length === 0 ? EMPTY : parts.length === 1 ? (parts[0] ?? EMPTY) : Buffer.concat(parts, total);
  return { out, status, trailingGarbage };
}

function addFlag(flags: CaptureFlag[], flag: CaptureFlag): void {
  if (!flags.includes(flag)) flags.push(flag);
}
