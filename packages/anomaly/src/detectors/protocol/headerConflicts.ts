// protocol_violation from the request head itself: control bytes or raw non-ASCII in the target
// or header values, headers that contradict each other, and a body that is not what Content-Type
// says. A missing Host is left alone: gateway mirror records often carry the host elsewhere.
import type { Event } from '@sidetap/core';
import { firstByte, looksLikeJson } from './jsonShape';
import type { ProtocolHit } from './protocolHit';
import { shown } from './protocolHit';

/** An auth-scheme token followed by a space, at the start of the value or after a list comma: one credential each. */
const CREDENTIAL_START = /(?:^|,)\s*[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*[ ]+(?=[^\s=,])/g;

const FORM = 'application/x-www-form-urlencoded';

export function headerHits(e: Event): ProtocolHit[] {
  const req = e.http.request;
  const h = req.headers;
  const where = `${req.method} ${e.sidetap.endpoint}`;
  const hits: ProtocolHit[] = [];

  const target = e.url.original;
  const control = controlIn(target);
  const header = control < 0 ? headerWithControlByte(h) : undefined;
  if (control >= 0 || header !== undefined) {
    hits.push({
      category: 'protocol_violation',
      reason: 'control_characters',
      name: 'Control characters in the request target or a header value',
      severity: 2,
      confidence: 0.9,
      observed: control >= 0 ? `byte 0x${control.toString(16).padStart(2, '0')} in the request target` : `control byte in ${header}`,
      expected: 'no control bytes (RFC 9110 §5.5, RFC 3986)',
      message: `${where} carried a control byte in ${control >= 0 ? 'its request target' : `the ${header} header`}, a way to split headers or log lines and to slip past filters.`,
    });
  }
  const nonAscii = nonAsciiIn(target);
  if (nonAscii >= 0) {
    hits.push({
      category: 'protocol_violation',
      reason: 'non_ascii_target',
      name: 'Raw non-ASCII bytes in the request target',
      severity: 1,
      confidence: 0.8,
      observed: `byte 0x${nonAscii.toString(16)} in ${shown(e.url.path, 80)}`,
      expected: 'percent-encoded bytes (RFC 3986 §2.1)',
      message: `${where} sent raw non-ASCII bytes in its request target; clients percent-encode them, and hops decode raw bytes differently.`,
    });
  }

  const auth = h['authorization'];
  // A second credential can only start after a comma: most values have none and skip the scan.
  if (auth !== undefined && auth.includes(',')) {
    const n = auth.match(CREDENTIAL_START)?.length ?? 0;
    if (n > 1) {
      hits.push({
        category: 'protocol_violation',
        reason: 'multiple_authorization',
        name: 'More than one Authorization header',
        severity: 2,
        confidence: 0.8,
        observed: `${n} credentials`,
        expected: 'one Authorization header',
        message: `${where} carried ${n} Authorization credentials; the gateway and the service may each check a different one.`,
      });
    }
  }

  const mismatch = contentTypeMismatch(e);
  if (mismatch !== undefined) hits.push({ ...mismatch, message: `${where}: ${mismatch.message}` });
  return hits;
}

function contentTypeMismatch(e: Event): ProtocolHit | undefined {
  const req = e.http.request;
  const body = req.body.content;
  const mime = req.mime_type;
  if (body === undefined || body === '' || mime === undefined) return undefined;
  const flags = e.sidetap.capture.flags;
  if (flags.includes('content_decode_error') || flags.includes('content_encoding_unknown')) return undefined;
  const isJsonType = mime === 'application/json' || mime.endsWith('+json');
  if (mime === FORM && looksLikeJson(body)) {
    return mismatchHit(mime, 'a JSON document', 'a JSON body sent as a form, which skips CORS preflight and JSON-only validation');
  }
  if (isJsonType) {
    const c = firstByte(body);
    // Any JSON text: object, array, string, number, true, false, null.
    const json = c === 0x7b || c === 0x5b || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e;
    if (!json && c >= 0) return mismatchHit(mime, body.includes('=') && !body.includes('{') ? 'form fields' : 'something other than JSON', 'a body that is not JSON under a JSON Content-Type');
  }
  return undefined;
}

function mismatchHit(mime: string, shape: string, what: string): ProtocolHit {
  return {
    category: 'protocol_violation',
    reason: 'content_type_mismatch',
    name: 'Body shape disagrees with Content-Type',
    severity: 1,
    confidence: 0.7,
    observed: `Content-Type ${mime} with ${shape}`,
    expected: `a body that is ${mime}`,
    message: `${what}.`,
  };
}

/** The first control byte (other than HTAB) in s, or -1. */
function controlIn(s: string): number {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return c;
  }
  return -1;
}

/** The first byte at or above 0x80 (capture decodes heads as latin1, so one char per byte), or -1. */
function nonAsciiIn(s: string): number {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0x80) return c;
  }
  return -1;
}

function headerWithControlByte(h: Event['http']['request']['headers']): string | undefined {
  for (const name in h) if (controlIn(h[name] as string) >= 0) return name;
  return undefined;
}
