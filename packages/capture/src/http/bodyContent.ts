// http.*.body of an exchange: the true size, and a decoded, text-only, capped (and
// redacted) sample made from the raw bytes kept while the message streamed by.
import type { CaptureFlag } from '@sidetap/core';
import { decodeContent, isTextualBody, redactBody } from './content';
import type { HttpContext } from './httpContext';
import type { HttpMessage } from './httpMessage';

export interface BodyFields {
  bytes: number;
  content?: string;
}

/** Body fields of `msg`; flags found while decoding are added to `flags`. */
export function bodyFields(msg: HttpMessage, mimeType: string | undefined, ctx: HttpContext, flags: CaptureFlag[]): BodyFields {
  const bytes = msg.bodyBytes;
  const body: BodyFields = { bytes };
  if (bytes === 0) return body;
  const config = ctx.config;
  const rawCapped = (msg.sampleOpen && msg.sampleLen < bytes && msg.sampleLen >= config.bodyRawSampleBytes) || msg.sampleRefused;
  if (msg.sampleRefused) ctx.counters.inc('capture_http_samples_refused_total');
  if (msg.sampleLen === 0 || config.bodySampleBytes === 0) {
    if (rawCapped || config.bodySampleBytes === 0) addFlag(flags, 'body_sample_capped');
    msg.releaseSample(ctx.sampleBudget);
    return body;
  }
  const { raw, whole } = msg.rawSample();
  msg.releaseSample(ctx.sampleBudget);
  // Transfer codings other than chunked were applied after the content codings, so they come off first.
  const contentEncoding = msg.header('content-encoding');
  const extra = msg.extraTransferCodings;
  const codings = msg.contentDecoded ? undefined : extra === undefined ? contentEncoding : contentEncoding === undefined ? extra : `${contentEncoding}, ${extra}`;
  const decoded = decodeContent(raw, codings, { maxOutputBytes: config.decompressMaxBytes, complete: whole });
  for (const f of decoded.flags) addFlag(flags, f);
  const out = decoded.body;
  const cap = config.bodySampleBytes;
  if (rawCapped || out.length > cap) addFlag(flags, 'body_sample_capped');
  if (!isTextualBody(mimeType, out.subarray(0, Math.min(out.length, cap)))) return body;
  const text = out.toString('utf8', 0, utf8Boundary(out, cap));
  // Both ways: a login response carries the token it issues as much as a request carries a password.
  body.content = redactBody(text, mimeType, ctx.redactor);
  return body;
}

/** The largest length <= cap that does not split a UTF-8 sequence of buf. */
function utf8Boundary(buf: Buffer, cap: number): number {
  if (buf.length <= cap) return buf.length;
  let cut = cap;
  while (cut > 0 && cap - cut < 3 && ((buf[cut] as number) & 0xc0) === 0x80) cut--;
  return cut;
}

function addFlag(flags: CaptureFlag[], flag: CaptureFlag): void {
  if (!flags.includes(flag)) flags.push(flag);
}
