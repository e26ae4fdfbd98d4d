// Parses a complete message head (RFC 9112 §2-§5) into an HttpMessage. The bytes become one
// latin1 string once; lines are cut with indexOf, names checked and interned by char code.
// Oddities become flags, never exceptions.
import { hasSuspiciousByte } from './controlBytes';
import { lowerCaseName, nameHashStep } from './fieldNames';
import type { HttpMessage } from './httpMessage';
import { seenBefore, setField } from './headerRecord';
import { TCHAR } from './startLine';
import { absoluteFormAuthority, hostName } from './urlParts';

const SP = 0x20;
const HTAB = 0x09;
const CR = 0x0d;
const COLON = 0x3a;

/**
 * Fills `msg` from the head buf[start, end), whose first line is a start line of `kind` (already
 * recognised by startLineKind). The head may lack its blank line when it was cut at the size limit.
 */
export function parseHead(buf: Buffer, start: number, end: number, kind: 'request' | 'status', msg: HttpMessage): void {
  const s = buf.toString('latin1', start, end);
  const n = s.length;
  const suspicious = hasSuspiciousByte(buf, start, end);
  let bareLf = false;

  let lf = s.indexOf('\n');
  if (lf < 0) lf = n;
  let e = lf;
  if (e > 0 && s.charCodeAt(e - 1) === CR) e--;
  else bareLf = true;
  if (kind === 'request') parseRequestLine(s, e, suspicious, msg);
  else parseStatusLine(s, e, msg);

  const fields = msg.fields;
  let last = -1;
  let i = lf + 1;
  while (i < n) {
    lf = s.indexOf('\n', i);
    if (lf < 0) break;
    e = lf;
    if (e > i && s.charCodeAt(e - 1) === CR) e--;
    else bareLf = true;
    if (e === i) break;
    const c0 = s.charCodeAt(i);
    if (c0 === SP || c0 === HTAB) {
      // obs-fold (RFC 9112 §5.2): the line continues the previous field value.
      if (last < 0) msg.addFlag('http_invalid_header');
      else {
        msg.addFlag('http_obs_fold');
        if (fields[last] === 'transfer-encoding') msg.addFlag('http_te_obs_fold');
        const more = trimmed(s, i, e);
        const prev = fields[last + 1] as string;
        fields[last + 1] = prev === '' ? more : more === '' ? prev : `${prev} ${more}`;
        if (suspicious && hasControl(s, i, e)) msg.addFlag('http_invalid_header');
      }
    } else {
      // The name: tchar bytes up to the colon, hashed (lower-cased) on the way for interning.
      let colon = i;
      let hash = 0;
      while (colon < e) {
        const c = s.charCodeAt(colon);
        if (TCHAR[c] !== 1) break;
        hash = nameHashStep(hash, c);
        colon++;
      }
      if (colon === i || colon >= e || s.charCodeAt(colon) !== COLON) {
        // No colon, an empty name, or whitespace before the colon (RFC 9112 §5.1): dropped, as servers reject them.
        msg.addFlag('http_invalid_header');
      } else {
        if (suspicious && hasControl(s, colon + 1, e)) msg.addFlag('http_invalid_header');
        const name = lowerCaseName(s, i, colon, hash);
        if (name === 'content-length') msg.contentLengthLines++;
        last = fields.length;
        fields.push(name, trimmed(s, colon + 1, e));
      }
    }
    i = lf + 1;
  }
  if (bareLf) msg.addFlag('http_bare_lf');
  finishHead(msg, kind);
}

/**
 * Builds msg.record from msg.fields and adds the flags a request's fields raise: the second half
 * of parseHead, shared with messages that arrive already split into fields (gateway mirrors).
 */
export function finishHead(msg: HttpMessage, kind: 'request' | 'status'): void {
  const fields = msg.fields;
  const record = msg.record;
  let hostLines = 0;
  for (let k = 0; k < fields.length; k += 2) {
    const name = fields[k] as string;
    const value = fields[k + 1] as string;
    if (name === 'host') hostLines++;
    setField(record, name, value, seenBefore(record, fields, k, name));
  }
  if (kind === 'request') {
    const expect = msg.header('expect');
    if (expect !== undefined && expect.toLowerCase().includes('100-continue')) msg.addFlag('http_expect_continue');
    if (hostLines > 1 || (hostLines === 1 && (msg.header('host') as string).includes(',')) || absoluteHostDiffers(msg)) msg.addFlag('http_ambiguous_host');
  }
}

/** An absolute-form target whose host is not Host's (RFC 9112 §3.2.2: a server goes by the target). */
function absoluteHostDiffers(msg: HttpMessage): boolean {
  const target = msg.target;
  if (target.charCodeAt(0) === 0x2f) return false;
  const host = msg.header('host');
  const authority = absoluteFormAuthority(target);
  if (host === undefined || authority === undefined) return false;
  return hostName(authority)?.toLowerCase() !== hostName(host)?.toLowerCase();
}

function parseRequestLine(s: string, e: number, suspicious: boolean, msg: HttpMessage): void {
  msg.isRequest = true;
  const sp1 = s.indexOf(' ');
  const sp2 = s.lastIndexOf(' ', e - 1);
  msg.method = s.slice(0, sp1);
  msg.version = s.slice(sp2 + 6, e);
  const target = s.slice(sp1 + 1, sp2);
  // Exactly one SP around a target without whitespace or control bytes (RFC 9112 §3, §3.2);
  // browsers never send otherwise.
  if (target === '' || target.includes(' ') || target.includes('\t') || (suspicious && hasControl(s, sp1 + 1, sp2))) {
    msg.addFlag('http_bad_request_line');
  }
  msg.target = trimmed(s, sp1 + 1, sp2);
}

function parseStatusLine(s: string, e: number, msg: HttpMessage): void {
  msg.isRequest = false;
  msg.version = s.slice(5, 8);
  msg.statusCode = (s.charCodeAt(9) - 48) * 100 + (s.charCodeAt(10) - 48) * 10 + (s.charCodeAt(11) - 48);
  // RFC 9110 §15: codes outside 100-599 are invalid; a client treats them as 5xx, so not as interim.
  if (msg.statusCode < 100 || msg.statusCode > 599) msg.addFlag('http_bad_status_line');
  if (e > 13) msg.reason = s.slice(13, e);
}

function hasControl(s: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    if ((c < 0x20 && c !== HTAB) || c === 0x7f) return true;
  }
  return false;
}

/** s[start, end) without leading and trailing SP/HTAB (OWS). */
function trimmed(s: string, start: number, end: number): string {
  let a = start;
  let b = end;
  while (a < b && (s.charCodeAt(a) === SP || s.charCodeAt(a) === HTAB)) a++;
  while (b > a && (s.charCodeAt(b - 1) === SP || s.charCodeAt(b - 1) === HTAB)) b--;
  return s.slice(a, b);
}
