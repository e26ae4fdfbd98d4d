/**
 * Path traversal and local file inclusion for one decoded request value.
 *
 * The value is cut into path-shaped tokens (runs between spaces, quotes, `=`, `?`, `&` and the
 * like), each split into segments on `/` and `\`. A segment of two or more dots (`..`, `....`,
 * `..;jsessionid`) climbs one directory; the judge weighs how many levels a token climbs and what
 * it lands on (sensitivePaths.ts), so `../../../etc/passwd`, `....//....//etc/passwd` and
 * `..\..\windows\win.ini` are one mechanism rather than three strings. Absolute paths to secrets,
 * `file:` URIs and PHP/archive stream wrappers are judged by the same segment table.
 *
 * Deliberate choices: `../` inside prose (markdown links, code snippets) is reported only when it
 * climbs three or more levels or reaches a sensitive file, since `import x from '../util'` and
 * `[see](../intro.md)` are everyday text; a whole value that is a one- or two-level relative climb
 * is reported weakly (0.35, 0.55) for upstream scoring to add to. `1..2` and `wait...` never form
 * a dot segment because no separator touches their dots.
 */

import { expandWindowsVariable, Sensitivity, sensitivityOf, STREAM_WRAPPERS } from './sensitivePaths';
import type { ThreatMatch } from '../threatMatch';

const MAX_JUDGED = 4096;
const MAX_FRAGMENT = 120;

// Pre-scan bits.
const SEP = 1; // / or \ or a look-alike
const DOTDOT = 2; // two dots in a row (or a two-dot leader)
const PCT = 4;
const COLON = 8;
const SPACE = 16;
const ODD = 32; // non-ASCII look-alikes of dots and slashes

export function detectPathTraversal(value: string): ThreatMatch | undefined {
  const len = Math.min(value.length, MAX_JUDGED);
  if (len < 2) return undefined;
  let seen = 0;
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x2f || c === 0x5c) seen |= SEP;
    else if (c === 0x2e) {
      if (i + 1 < len && value.charCodeAt(i + 1) === 0x2e) seen |= DOTDOT;
    } else if (c === 0x25) seen |= PCT;
    else if (c === 0x3a) seen |= COLON;
    else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) seen |= SPACE;
    else if (c > 0x7f && isLookAlike(c)) seen |= ODD;
  }
  if (seen & COLON) {
    // index.php::$DATA: NTFS's default data stream, which IIS serves as the script's source.
    // Found without lowercasing the value: most values with a colon are times and URLs.
    let ads = value.indexOf('::$', 1);
    while (ads > 0 && ads + 7 <= len && value.slice(ads + 3, ads + 7).toLowerCase() !== 'data') ads = value.indexOf('::$', ads + 3);
    if (ads > 0 && ads + 7 <= len) return { fingerprint: 'ads:data', fragment: value.slice(0, Math.min(len, MAX_FRAGMENT)), confidence: 0.7, reason: 'names the NTFS ::$DATA stream of a file, to read it raw' };
  }
  if ((seen & (SEP | PCT | ODD)) === 0) return (seen & SPACE) === 0 ? judgeBareName(value) : undefined;
  // Without a dot segment only a wrapper, a file: URI or a named secret can matter.
  if ((seen & (DOTDOT | PCT | ODD)) === 0 && !SENSITIVE_MARKER.test(len < value.length ? value.slice(0, len) : value)) return undefined;
  const raw = len < value.length ? value.slice(0, len) : value;
  const decoded = seen & (PCT | ODD) ? undoLeftovers(raw) : raw;
  const evasive = decoded !== raw;
  const text = stripDevicePrefix(decoded.toLowerCase());
  const wholeValue = (seen & SPACE) === 0;
  return judgeTokens(value, text, wholeValue, evasive);
}

/** Cheap screen: some fragment of a sensitive name or a wrapper scheme must appear. */
const SENSITIVE_MARKER =
  /passwd|shadow|\.ini|\.env|\.git|\.ht|\.config|web-inf|meta-inf|proc[\\/]|etc[\\/]|id_[rde]|\.ssh|\.aws|\.kube|\.docker|authorized_keys|known_hosts|_history|credentials|\.pgpass|\.netrc|sam$|ntds|unattend|sysprep|\.cnf|\.conf|config\.php|settings|secrets|\.yml|\.key|kubeconfig|var[\\/]|windows|winnt|inetpub|root[\\/]|boot|environ|sudoers|(?:file|php|zip|phar|expect|glob|data|zlib|bzip2|jar|netdoc|rar|ogg|ssh2\.\w+):|^[a-z]:/i;

function isLookAlike(c: number): boolean {
  return c === 0x2215 || c === 0x2044 || c === 0xff0f || c === 0xff3c || c === 0xff0e || c === 0x2024 || c === 0x2025 || c === 0xfe68;
}

/**
 * What a second decoder or a lenient server would still undo: double-encoded and overlong dots
 * and slashes the upstream normaliser left as text, `%00` terminators, and Unicode look-alikes.
 */
const LEFTOVER = /%(?:25)*(?:2e|2f|5c|00|c0%ae|c0%af|c1%9c|c1%1c|c0%2f|c0%5c|c1%af|e0%80%ae|e0%80%af|f0%80%80%ae|f0%80%80%af|u002e|u002f|u005c|u2215|u2216|uff0e|uff0f)/gi;

function undoLeftovers(s: string): string {
  let out = s;
  for (let round = 0; round < 3 && out.indexOf('%') >= 0; round++) {
    const next = out.replace(LEFTOVER, decodeOne);
    if (next === out) break;
    out = next;
  }
  return out.replace(/[\u2215\u2044\uff0f\ufe68]/g, '/').replace(/\uff3c/g, '\\').replace(/[\uff0e\u2024]/g, '.').replace(/\u2025/g, '..');
}

function decodeOne(m: string): string {
  const t = m.toLowerCase().replace(/^%(?:25)*/, '%');
  if (t === '%00') return '';
  if (t.endsWith('ae') || t.endsWith('2e') || t.endsWith('ff0e')) return '.';
  if (t.endsWith('5c') || t.endsWith('9c') || t.endsWith('1c') || t.endsWith('2216')) return '\\';
  return '/';
}

/** Characters that end a path-shaped token in free text, a query string or JSON. */
function isBoundary(c: number, prev: number): boolean {
  switch (c) {
    case 0x20: case 0x09: case 0x0a: case 0x0d: case 0x22: case 0x27: case 0x60: case 0x3c: case 0x3e:
    case 0x7c: case 0x28: case 0x29: case 0x7b: case 0x7d: case 0x5b: case 0x5d: case 0x2c: case 0x3d:
    case 0x3f: case 0x26: case 0x23: case 0x2a: case 0x00:
      return true;
    case 0x3b: // ; ends a token unless it is Tomcat's `..;`
      return prev !== 0x2e;
    default:
      return false;
  }
}

interface Finding {
  confidence: number;
  fingerprint: string;
  reason: string;
  start: number;
  end: number;
}

function judgeTokens(original: string, text: string, wholeValue: boolean, evasive: boolean): ThreatMatch | undefined {
  let best: Finding | undefined;
  const len = text.length;
  // C:\Documents and Settings\...: Windows folder names hold spaces, so a value that is one drive path is one token.
  if (!wholeValue && isSpacedDrivePath(text)) best = judgeToken(text.trim(), text.length - text.trimStart().length, true, evasive);
  let i = 0;
  while (i < len) {
    while (i < len && isBoundary(text.charCodeAt(i), i > 0 ? text.charCodeAt(i - 1) : 0)) i++;
    const start = i;
    while (i < len && !isBoundary(text.charCodeAt(i), text.charCodeAt(i - 1))) i++;
    if (i - start < 2) continue;
    // The token is the value itself, or a query parameter's whole value (`file=../x`).
    const whole = (start === 0 && i === len) || (wholeValue && start > 0 && text.charCodeAt(start - 1) === 0x3d) || text.trim() === text.slice(start, i);
    const f = judgeToken(text.slice(start, i), start, whole, evasive);
    if (f !== undefined && (best === undefined || f.confidence > best.confidence)) best = f;
    if (best !== undefined && best.confidence >= 0.95) break;
  }
  if (best === undefined) return undefined;
  const source = original.length === text.length ? original : text;
  return {
    fingerprint: best.fingerprint,
    fragment: source.slice(best.start, Math.min(best.end, best.start + MAX_FRAGMENT)),
    confidence: best.confidence,
    reason: best.reason,
  };
}

function judgeToken(token: string, start: number, whole: boolean, evasive: boolean): Finding | undefined {
  const path = expandWindowsVariable(token.replace(/\\/g, '/'));
  const end = start + token.length;
  const scheme = schemeOf(path);
  let url = false;
  if (scheme !== undefined) {
    const f = judgeScheme(path, scheme, start, end, whole);
    if (f !== undefined) return f;
    // Any other URL still counts for the dot segments in its path, not for where it points.
    url = true;
  }
  if (path.indexOf('/') < 0) return undefined;

  const parts = path.split('/');
  let ups = 0;
  let odd = evasive;
  let firstUp = -1;
  let afterLastUp: string[] = [];
  const all: string[] = [];
  for (let k = 0; k < parts.length; k++) {
    const seg = parts[k]!;
    if (seg === '' || seg === '.') continue;
    const up = upSegment(seg);
    if (up > 0) {
      ups++;
      if (up > 1) odd = true;
      if (firstUp < 0) firstUp = k;
      afterLastUp = [];
      continue;
    }
    const clean = stripDrive(seg, all.length === 0);
    if (clean === '') continue;
    afterLastUp.push(clean);
    all.push(clean);
  }
  const absolute = path.charCodeAt(0) === 0x2f && path.charCodeAt(1) !== 0x2f;
  const drive = /^[a-z]:\//.test(path);
  const home = path.startsWith('~/');

  if (ups > 0) {
    const sens = sensitivityOf(afterLastUp, true);
    const target = afterLastUp.join('/');
    const levels = ups === 1 ? 'one directory' : ups === 2 ? 'two directories' : ups === 3 ? 'three directories' : `${ups} directories`;
    let confidence: number;
    if (sens === Sensitivity.High) confidence = 0.95;
    else if (sens === Sensitivity.Medium) confidence = 0.85;
    else if (url && ups < 3) return undefined;
    else if (whole) confidence = ups === 1 ? 0.35 : ups === 2 ? 0.55 : 0.75;
    else if (ups >= 3) confidence = 0.6;
    else return undefined;
    if (odd) confidence = Math.max(Math.min(1, confidence + 0.1), 0.5);
    const fp = `traversal:depth${Math.min(ups, 9)}${sens !== Sensitivity.None ? '+sensitive' : ''}${odd ? '+evasion' : ''}`;
    const what = sens !== Sensitivity.None ? `reads ${target}` : target === '' ? 'climbs' : `reaches ${target}`;
    const reason = `${what} ${levels} up${odd ? ' (obfuscated dot segments)' : ''}`;
    return { confidence: round(confidence), fingerprint: fp, reason, start, end };
  }

  if (url) return undefined;
  const anchored = absolute || drive || home;
  const sens = sensitivityOf(all, anchored);
  if (sens === Sensitivity.None) return undefined;
  if (anchored) {
    const confidence = whole ? (sens === Sensitivity.High ? 0.85 : 0.6) : sens === Sensitivity.High ? 0.4 : 0;
    if (confidence === 0) return undefined;
    return { confidence, fingerprint: `abs:${sens === Sensitivity.High ? 'sensitive' : 'system'}`, reason: `absolute path to ${all.join('/')}`, start, end };
  }
  if (!whole || sens !== Sensitivity.High) return undefined;
  return { confidence: 0.6, fingerprint: 'rel:sensitive', reason: `relative path to ${all.join('/')}`, start, end };
}

/**
 * `\\?\C:\...` and `\\.\C:\...` are Win32 device paths to the same file, and `\\?\UNC\host\share`
 * a UNC path: the prefix is dropped so the path behind it is judged (its `?` would end a token).
 */
function stripDevicePrefix(t: string): string {
  if (t.charCodeAt(0) !== 0x5c || t.charCodeAt(1) !== 0x5c || (t.charCodeAt(2) !== 0x3f && t.charCodeAt(2) !== 0x2e) || t.charCodeAt(3) !== 0x5c) return t;
  return t.startsWith('unc\\', 4) ? `\\\\${t.slice(8)}` : t.slice(4);
}

/** A value that is a single drive-rooted path with spaces in its folder names: one line, no quotes or markup. */
function isSpacedDrivePath(text: string): boolean {
  const t = text.trimStart();
  if (!/^[a-z]:[\\/]/.test(t) || t.length > 260) return false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x09 || c === 0x22 || c === 0x27 || c === 0x3c || c === 0x3e || c === 0x7c || c === 0x3f || c === 0x2a) return false;
  }
  return true;
}

/** 0 for an ordinary segment, 1 for `..`, 2 for an odd climbing form (`....`, `..;x`, `.. `). */
function upSegment(seg: string): number {
  let n = 0;
  while (n < seg.length && seg.charCodeAt(n) === 0x2e) n++;
  if (n < 2) return 0;
  if (n === seg.length) return n === 2 ? 1 : 2;
  const rest = seg.charCodeAt(n);
  // Tomcat path parameters (`..;x`), Windows trailing spaces and ADS suffixes still climb.
  if (rest === 0x3b || rest === 0x20 || rest === 0x3a) return 2;
  return 0;
}

function stripDrive(seg: string, first: boolean): string {
  return first && seg.length === 2 && seg.charCodeAt(1) === 0x3a ? '' : seg;
}

/** The URI scheme a token starts with (letters, digits, `.+-`, then `:`), other than a drive letter. */
function schemeOf(path: string): string | undefined {
  const colon = path.indexOf(':');
  if (colon < 2 || colon > 16) return undefined;
  for (let i = 0; i < colon; i++) {
    const c = path.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (i > 0 && ((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2b || c === 0x2d)))) return undefined;
  }
  return path.slice(0, colon);
}

function judgeScheme(path: string, scheme: string, start: number, end: number, whole: boolean): Finding | undefined {
  const rest = path.slice(scheme.length + 1);
  if (scheme === 'file') {
    if (!rest.startsWith('/')) return undefined;
    const local = rest.replace(/^\/\/(?:localhost|127\.0\.0\.1)?/, '');
    const segs = local.split('/').filter((s) => s !== '' && s !== '.');
    const ups = segs.filter((s) => upSegment(s) > 0).length;
    const kept = segs.filter((s) => upSegment(s) === 0).map((s, k) => stripDrive(s, k === 0)).filter((s) => s !== '');
    const sens = sensitivityOf(kept, true);
    const confidence = sens === Sensitivity.High ? 0.95 : sens === Sensitivity.Medium || ups > 0 ? 0.85 : whole ? 0.65 : 0.45;
    return { confidence, fingerprint: `uri:file${sens !== Sensitivity.None ? '+sensitive' : ''}`, reason: `file: URI reading ${kept.join('/') || '/'}`, start, end };
  }
  if (!STREAM_WRAPPERS.has(scheme) && scheme !== 'data') return undefined;
  if (scheme === 'jar' || scheme === 'netdoc') {
    return { confidence: 0.7, fingerprint: `wrapper:${scheme}`, reason: `Java ${scheme}: URL handler reads local or remote archives`, start, end };
  }
  if (!rest.startsWith('//')) return undefined;
  if (scheme === 'data') {
    // data:// (two slashes) is PHP's wrapper; browsers' data: URLs have none.
    return { confidence: 0.8, fingerprint: 'wrapper:data', reason: 'PHP data:// stream wrapper includes attacker content', start, end };
  }
  const target = rest.slice(2);
  const php = scheme === 'php';
  if (php && !/^(?:filter|input|fd|memory|temp|stdin|output)\b/.test(target)) return undefined;
  const confidence = scheme === 'expect' || php ? 0.95 : 0.9;
  const what = php ? `php://${target.split('/')[0]} stream` : `${scheme}:// wrapper`;
  return { confidence, fingerprint: `wrapper:${scheme.replace(/\./g, '-')}`, reason: `${what} reads or runs local content`, start, end };
}

/** A value with no separator at all: only a secret file named on its own (`.htaccess`, `web.config`). */
function judgeBareName(value: string): ThreatMatch | undefined {
  if (value.length > 24) return undefined;
  const c = value.charCodeAt(0);
  if (c !== 0x2e && c !== 0x77 && c !== 0x57 && c !== 0x62 && c !== 0x42 && c !== 0x69 && c !== 0x49) return undefined;
  const name = value.toLowerCase();
  if (!/[._]/.test(name.slice(1)) && c !== 0x2e) return undefined;
  if (sensitivityOf([name], false) !== Sensitivity.High) return undefined;
  return { fingerprint: 'bare:sensitive', fragment: value, confidence: 0.45, reason: `names the secret file ${name}` };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
