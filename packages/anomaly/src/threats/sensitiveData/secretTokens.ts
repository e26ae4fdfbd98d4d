// Keys and tokens that announce themselves: PEM private key blocks, cloud and SaaS credentials by
// their issuer prefixes, and JWTs. One regex pass finds the prefixes; each is then read by hand
// with bounded lengths, so hostile input costs linear time.
import { maskJwt, maskKey } from './masking';
import type { ScanContext } from './scanContext';

/** Markers only; what follows each is checked by its own reader. */
const MARKERS = /-----BEGIN |service_account|AKIA|ASIA|AIza|gh[pousr]_|github_pat_|xox[baprs]-|[rs]k_live_|AccountKey=|eyJ/g;

/** Cheap test before any token work. */
export function mayHoldToken(text: string): boolean {
  MARKERS.lastIndex = 0;
  return MARKERS.test(text);
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isB64Url(c: number): boolean {
  return isAlnum(c) || c === 0x2d || c === 0x5f;
}

/** Length of the run of characters accepted by `ok` from `from`, up to `max` (max + 1 means longer). */
function runLength(text: string, from: number, max: number, ok: (c: number) => boolean): number {
  let k = from;
  const limit = Math.min(text.length, from + max + 1);
  while (k < limit && ok(text.charCodeAt(k))) k++;
  return k - from;
}

/** Markers read per body: far beyond any real response, it bounds what a hostile one costs. */
const MAX_MARKERS = 2_000;

export function scanSecretTokens(ctx: ScanContext): void {
  const text = ctx.text;
  MARKERS.lastIndex = 0;
  let m: RegExpExecArray | null;
  let awsKeys = 0;
  for (let seen = 0; seen < MAX_MARKERS && (m = MARKERS.exec(text)) !== null; seen++) {
    const at = m.index;
    const marker = m[0];
    const before = at > 0 ? text.charCodeAt(at - 1) : 0x20;
    let next = at + marker.length;
    switch (marker) {
      case '-----BEGIN ':
        next = privateKey(ctx, at);
        break;
      case 'AKIA':
      case 'ASIA':
        if (!isAlnum(before)) next = awsKey(ctx, at, awsKeys++ < MAX_PAIR_CHECKS);
        break;
      case 'AIza':
        if (!isB64Url(before)) next = fixedToken(ctx, at, 4, 35, 35, isB64Url, 'google_api_key', 4);
        break;
      case 'github_pat_':
        if (!isB64Url(before)) next = fixedToken(ctx, at, 11, 50, 250, (c) => isAlnum(c) || c === 0x5f, 'github_token', 11);
        break;
      case 'AccountKey=':
        next = azureKey(ctx, at);
        break;
      case 'service_account':
        break; // judged once for the whole body, below
      case 'eyJ':
        if (!isB64Url(before) && before !== 0x2e) next = jwt(ctx, at);
        break;
      default:
        if (marker.startsWith('gh')) {
          if (!isB64Url(before)) next = fixedToken(ctx, at, 4, 36, 251, isAlnum, 'github_token', 4);
        } else if (marker.startsWith('xox')) {
          if (!isB64Url(before)) next = slackToken(ctx, at);
        } else if (!isB64Url(before)) {
          next = fixedToken(ctx, at, 8, 20, 247, isAlnum, 'stripe_key', 8);
        }
    }
    MARKERS.lastIndex = Math.max(next, at + 1);
  }
  serviceAccount(ctx);
}

function fixedToken(
  ctx: ScanContext,
  at: number,
  prefix: number,
  min: number,
  max: number,
  ok: (c: number) => boolean,
  kind: 'google_api_key' | 'github_token' | 'stripe_key',
  shown: number,
): number {
  const len = runLength(ctx.text, at + prefix, max, ok);
  if (len < min || len > max) return at + prefix + len;
  const end = at + prefix + len;
  // The run must stop at the token's end, not inside a longer word.
  if (end < ctx.text.length && isB64Url(ctx.text.charCodeAt(end))) return end;
  const token = ctx.text.slice(at, end);
  ctx.add(kind, ctx.fieldAt(at).field, token, maskKey(token, shown), 0.95);
  return end;
}

function slackToken(ctx: ScanContext, at: number): number {
  // xoxb-<team digits>-<more digits and letters>
  const text = ctx.text;
  const digits = runLength(text, at + 5, 20, (c) => c >= 0x30 && c <= 0x39);
  if (digits < 6 || text.charCodeAt(at + 5 + digits) !== 0x2d) return at + 5;
  const rest = runLength(text, at + 6 + digits, 250, (c) => isAlnum(c) || c === 0x2d);
  if (rest < 10 || rest > 250) return at + 6 + digits + rest;
  const end = at + 6 + digits + rest;
  const token = text.slice(at, end);
  ctx.add('slack_token', ctx.fieldAt(at).field, token, maskKey(token, 5), 0.95);
  return end;
}

/** Nearby: a 40-character mixed-case secret access key, or a secret-named field capture redacted. */
const AWS_SECRET = /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[A-Z])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])|secret[A-Za-z_]{0,24}["']?\s*[:=]\s*["']?h:[A-Za-z0-9_-]{22}/i;
const AWS_NEAR = 400;
/** Keys whose surroundings are searched for a secret; a body with more is a dump whatever the pairing. */
const MAX_PAIR_CHECKS = 50;

function awsKey(ctx: ScanContext, at: number, checkPair: boolean): number {
  const text = ctx.text;
  const len = runLength(text, at + 4, 16, (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a));
  const end = at + 4 + len;
  if (len !== 16 || (end < text.length && isAlnum(text.charCodeAt(end)))) return end;
  const key = text.slice(at, end);
  const paired = checkPair && AWS_SECRET.test(text.slice(Math.max(0, at - AWS_NEAR), Math.min(text.length, end + AWS_NEAR)));
  ctx.add('aws_access_key', ctx.fieldAt(at).field, key, maskKey(key, 4), paired ? 0.95 : 0.85, paired ? { paired: true } : undefined);
  return end;
}

function azureKey(ctx: ScanContext, at: number): number {
  const text = ctx.text;
  const from = at + 11;
  const len = runLength(text, from, 100, (c) => isAlnum(c) || c === 0x2b || c === 0x2f);
  if (len < 40 || len > 100) return from + len;
  let end = from + len;
  while (end < text.length && text.charCodeAt(end) === 0x3d && end - from - len < 2) end++;
  const key = text.slice(from, end);
  ctx.add('azure_key', ctx.fieldAt(at).field, key, `AccountKey=${maskKey(key, 0)}`, 0.95);
  return end;
}

const PEM_LABEL = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/y;
/** Base64 characters a key body needs before it counts: shorter is a placeholder or a doc snippet. */
const MIN_PEM_BODY = 64;
const MAX_PEM_SCAN = 65_536;

function privateKey(ctx: ScanContext, at: number): number {
  const text = ctx.text;
  PEM_LABEL.lastIndex = at;
  const m = PEM_LABEL.exec(text);
  if (m === null) return at + 11;
  const label = m[1] as string;
  let k = at + m[0].length;
  const limit = Math.min(text.length, k + MAX_PEM_SCAN);
  let body = 0;
  let ended = false;
  for (; k < limit; k++) {
    const c = text.charCodeAt(k);
    if (isAlnum(c) || c === 0x2b || c === 0x2f || c === 0x3d) body++;
    else if (c === 0x5c) k++; // \n written as a JSON escape
    else if (c === 0x2d && text.startsWith('-----END', k)) {
      ended = true;
      break;
    } else if (c === 0x22 || c === 0x3c) break; // end of the JSON string or the element holding it
  }
  if (body < MIN_PEM_BODY) return k;
  const masked = `-----BEGIN ${label}----- ...(${body} base64 chars${ended ? '' : ', cut'})`;
  // A key's opening base64 says little and repeats across keys of a type; the body length and a slice of its end tell keys apart.
  ctx.add('private_key', ctx.fieldAt(at).field, `${label}\u0000${text.slice(Math.max(at, k - 48), k)}`, masked, 0.95);
  return k;
}

const SERVICE_ACCOUNT = /"type"\s*:\s*"service_account"/;
const SA_PRIVATE_KEY = /"private_key"\s*:\s*"(?:-----BEGIN|h:[A-Za-z0-9_-]{22})/;

/** A GCP service account key file: the type marker and a private key (PEM, or the hash capture put there). */
function serviceAccount(ctx: ScanContext): void {
  const text = ctx.text;
  const i = text.indexOf('service_account');
  if (i < 0) return;
  const m = SERVICE_ACCOUNT.exec(text);
  if (m === null) return;
  const key = SA_PRIVATE_KEY.exec(text);
  if (key === null) return;
  const id = /"private_key_id"\s*:\s*"([0-9a-f]{8,64})"/.exec(text)?.[1] ?? String(key.index);
  // The object holding the key file: the path of its "type" value without the last step.
  const typePath = ctx.fieldAt(m.index + m[0].indexOf('service_account')).field;
  const field = typePath?.startsWith('$') === true ? typePath.replace(/\.[^.]*$/, '') || '$' : undefined;
  ctx.add('gcp_key', field, id, `service_account private_key_id ****${id.slice(-4)}`, 0.95);
}

const MAX_JWT_SEGMENT = 16_384;

function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
  if (segment.length > 4096) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** header.payload.signature (JWS) or five segments (JWE), whose header is JSON naming an alg. */
function jwt(ctx: ScanContext, at: number): number {
  const text = ctx.text;
  const ends: number[] = [];
  let k = at;
  for (let s = 0; s < 5; s++) {
    const len = runLength(text, k, MAX_JWT_SEGMENT, isB64Url);
    if (len > MAX_JWT_SEGMENT) return k + len;
    k += len;
    ends.push(k);
    if (text.charCodeAt(k) !== 0x2e) break;
    k++;
  }
  const end = ends[ends.length - 1] as number;
  if (ends.length !== 3 && ends.length !== 5) return end;
  if (end < text.length && (text.charCodeAt(end) === 0x2e || isB64Url(text.charCodeAt(end)))) return end;
  const header = decodeJsonSegment(text.slice(at, (ends[0] as number)));
  if (header === undefined || typeof header.alg !== 'string') return end;
  if (ends.length === 5) {
    if (typeof header.enc !== 'string') return end;
  } else {
    const payload = text.slice((ends[0] as number) + 1, ends[1] as number);
    // A signed token's payload is a JSON object (claims); base64 of anything else is not a JWT.
    if (!payload.startsWith('eyJ')) return end;
    if (payload.length <= 4096 && decodeJsonSegment(payload) === undefined) return end;
  }
  const token = text.slice(at, end);
  ctx.add('jwt', ctx.fieldAt(at).field, token, maskJwt(token), 0.9);
  return end;
}
