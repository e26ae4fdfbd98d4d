/**
 * Server-side request forgery for one decoded request value: a URL (or bare host[:port]) that
 * would make the server fetch something on its own side of the network.
 *
 * Each `scheme:` followed by slashes is parsed as a URL the way lenient server-side clients do
 * (backslashes as slashes, the host after the last `@`, brackets for IPv6), and its host is
 * classified by hostClass.ts in every spelling a resolver accepts. Confidence follows what the
 * request would reach: cloud metadata above loopback and link-local, above private ranges,
 * above single-label internal names; gopher:, dict:, jar: and friends, which let a request
 * speak other protocols, add to it, as do obfuscated IP spellings, which no honest client sends.
 *
 * A URL to a public host is an SSRF only in its spelling (obfuscated, parser-confusing); it can
 * still be remote file inclusion, judged by remoteInclusion.ts when the URL is the whole value
 * (`http://evil.example/shell.txt?`), and reported under this category as `rfi:` matches.
 *
 * Decisions: URLs to loopback or private hosts inside prose (a developer writing "my dev server
 * http://localhost:3000 returns 500") are left alone; inside prose only metadata endpoints,
 * protocol-smuggling schemes and obfuscated addresses count. A bare value is read as a host only
 * in canonical form, so version numbers (10.0.1), dates and plain integers never become
 * addresses; a bare private address (an inventory API's `10.1.2.3`) is not reported.
 */

import { classifyHost, Reach, type HostVerdict } from './hostClass';
import { judgeRemoteInclusion, type InclusionScheme } from './remoteInclusion';
import type { ThreatMatch } from '../threatMatch';

const MAX_JUDGED = 4096;
const MAX_FRAGMENT = 120;

const REACH_NAME = ['public', 'internal-name', 'private', 'link-local', 'loopback', 'metadata'] as const;
const REACH_REASON = ['a public host', 'an internal host name', 'a private network address', 'a link-local address', 'the server itself (loopback)', 'the cloud metadata service'] as const;
const REACH_CONFIDENCE = [0, 0.5, 0.75, 0.85, 0.85, 0.97] as const;

/**
 * Schemes that let one request speak another protocol or read local resources. A Map: the scheme
 * is the traffic's, and "constructor://" must not find Object's members.
 */
const SMUGGLING: ReadonlyMap<string, number> = new Map(
  Object.entries({
    gopher: 0.85, dict: 0.8, ldap: 0.55, ldaps: 0.55, ldapi: 0.7, tftp: 0.7, jar: 0.75, netdoc: 0.8, file: 0.8,
    sftp: 0.5, smb: 0.6, telnet: 0.6, rmi: 0.6, redis: 0.7, memcached: 0.7, mysql: 0.5, expect: 0.8,
  }),
);
const WEB = new Set(['http', 'https', 'ws', 'wss', 'ftp', 'ftps', 'url', 'svn', 'git']);

/** Ports of services that trust whoever reaches them. */
const SERVICE_PORTS = new Set([22, 25, 2375, 2376, 2379, 3306, 5432, 5984, 6379, 8500, 9000, 9200, 10250, 11211, 27017, 5000, 8080, 8081, 9090]);

/** Paths of metadata services, worth noting whatever the host resolves to. */
const METADATA_PATH = /^\/(?:latest\/(?:meta-data|user-data|api\/token|dynamic)|computemetadata\/v1|metadata\/(?:instance|identity|v1)|openstack\/|metadata\/v1\.json|opc\/v[12]\/|2009-04-04\/meta-data)/;

/** Whether a URL path is a metadata service's; most paths fail on their second character. */
function isMetadataPath(path: string): boolean {
  const c = path.charCodeAt(1) | 0x20;
  if (c !== 0x6c && c !== 0x63 && c !== 0x6d && c !== 0x6f && c !== 0x32) return false;
  return METADATA_PATH.test(path.toLowerCase().replace(/\\/g, '/'));
}

interface Parsed {
  scheme: string;
  host: string;
  port: number;
  path: string;
  userinfo: string;
  /** A host another parser would pick: after an `@` in the fragment or query (`http://a#@127.0.0.1`). */
  confused: string;
  start: number;
  end: number;
}

export function detectSsrf(value: string): ThreatMatch | undefined {
  const len = Math.min(value.length, MAX_JUDGED);
  if (len < 3) return undefined;
  let colonSlash = false;
  let space = false;
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x3a) {
      const n = value.charCodeAt(i + 1);
      if (n === 0x2f || n === 0x5c) colonSlash = true;
    } else if (c === 0x20 || c === 0x0a || c === 0x09) space = true;
  }
  const s = len < value.length ? value.slice(0, len) : value;
  if (!colonSlash) return space || len > 255 ? undefined : judgeBare(s);
  let best: ThreatMatch | undefined;
  for (let i = s.indexOf(':'); i > 0; i = s.indexOf(':', i + 1)) {
    const n = s.charCodeAt(i + 1);
    if (n !== 0x2f && n !== 0x5c) continue;
    const url = parseUrlAt(s, i);
    if (url === undefined) continue;
    const whole = !space || s.trim().length === url.end - url.start;
    const m = judgeUrl(s, url, whole);
    if (m !== undefined && (best === undefined || m.confidence > best.confidence)) best = m;
    if (best !== undefined && best.confidence >= 0.97) break;
  }
  return best;
}

function parseUrlAt(s: string, colon: number): Parsed | undefined {
  let b = colon;
  while (b > 0 && isSchemeChar(s.charCodeAt(b - 1))) b--;
  while (b < colon && !isLetter(s.charCodeAt(b))) b++;
  if (colon - b < 2 || colon - b > 12) return undefined;
  const scheme = s.slice(b, colon).toLowerCase();
  let i = colon + 1;
  let slashes = 0;
  while (i < s.length && (s.charCodeAt(i) === 0x2f || s.charCodeAt(i) === 0x5c) && slashes < 4) {
    i++;
    slashes++;
  }
  // http:/host is http://host to a browser's parser (WHATWG ignores missing slashes on web schemes).
  if (slashes < 2 && scheme !== 'file' && !(slashes === 1 && WEB.has(scheme))) return undefined;
  const authStart = i;
  while (i < s.length && !endsAuthority(s.charCodeAt(i))) i++;
  let authority = s.slice(authStart, i);
  let userinfo = '';
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    userinfo = authority.slice(0, at);
    authority = authority.slice(at + 1);
  }
  let host = authority;
  let port = -1;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return undefined;
    const rest = host.slice(close + 1);
    host = host.slice(0, close + 1);
    if (rest.startsWith(':')) port = Number(rest.slice(1)) || -1;
  } else {
    // An unbracketed host holds no colon: 127.0.0.1:11211:80 is 127.0.0.1 to some parsers, and never a name.
    const c = host.indexOf(':');
    if (c >= 0) {
      const portText = host.slice(c + 1).split(':')[0]!;
      port = /^\d{1,5}$/.test(portText) ? Number(portText) : -1;
      host = host.slice(0, c);
    }
  }
  // %2f, %00 and friends left in a host by a lenient client end it where they decode to a delimiter.
  if (host.indexOf('%') >= 0 && !host.startsWith('[')) host = decodeHost(host);
  host = normaliseHost(host);
  let end = i;
  while (end < s.length && !isUrlEnd(s.charCodeAt(end))) end++;
  let confused = '';
  const c = s.charCodeAt(i);
  if (c === 0x23 || c === 0x3f || c === 0x5c) {
    const at2 = s.lastIndexOf('@', end - 1);
    if (at2 > i) confused = normaliseHost(s.slice(at2 + 1, end).split(/[/\\?#:]/)[0] ?? '');
  }
  const path = s.slice(i, end);
  // jar:https://host/a.jar!/: Java fetches the archive from the inner URL.
  if (b >= 4 && s.slice(b - 4, b).toLowerCase() === 'jar:') return { scheme: 'jar', host, port, path, userinfo, confused, start: b - 4, end };
  return { scheme, host, port, path, userinfo, confused, start: b, end };
}

/** The URL judged for what it reaches and, when it is the whole value and reaches a public host, for remote inclusion. */
function judgeUrl(s: string, url: Parsed, whole: boolean): ThreatMatch | undefined {
  const reach = judgeReach(s, url, whole);
  if (!whole || url.host === '' || (reach !== undefined && reach.confidence >= 0.8)) return reach;
  const scheme: InclusionScheme | undefined = url.scheme === 'ftp' || url.scheme === 'ftps' ? 'ftp' : url.scheme === 'http' || url.scheme === 'https' ? 'web' : undefined;
  if (scheme === undefined) return reach;
  const rfi = judgeRemoteInclusion(scheme, url.path);
  if (rfi === undefined || (reach !== undefined && reach.confidence >= rfi.confidence)) return reach;
  // Only a public host serves an attacker's file; internal ones are judged for what they reach.
  if (classifyHost(url.host).reach !== Reach.Public) return reach;
  return inclusionMatch(s.slice(url.start, url.end), `${url.scheme}: URL`, url.host, rfi);
}

function inclusionMatch(fragment: string, what: string, host: string, rfi: NonNullable<ReturnType<typeof judgeRemoteInclusion>>): ThreatMatch {
  return {
    fingerprint: `rfi:${rfi.kind}`,
    fragment: fragment.slice(0, MAX_FRAGMENT),
    confidence: rfi.confidence,
    reason: `${what} to a file on ${host} for the server to include: ${rfi.what}`,
  };
}

function judgeReach(s: string, url: Parsed, whole: boolean): ThreatMatch | undefined {
  const smuggling = SMUGGLING.get(url.scheme);
  if (url.scheme === 'file') {
    // file:///etc/passwd is path traversal's to judge; file://host/ reaches another machine's share.
    if (url.host === '' || url.host === 'localhost') return undefined;
  }
  if (smuggling === undefined && !WEB.has(url.scheme)) return undefined;
  const verdict: HostVerdict = url.host === '' ? { reach: Reach.Public, obfuscated: false, canonical: '' } : classifyHost(url.host);
  let confidence: number = REACH_CONFIDENCE[verdict.reach];
  const tags: string[] = [];
  if (!whole && verdict.reach !== Reach.Metadata && smuggling === undefined && !verdict.obfuscated) return undefined;
  if (verdict.reach === Reach.Public && url.host !== '' && isMetadataPath(url.path)) {
    confidence = 0.6;
    tags.push('metadata-path');
  }
  if (smuggling !== undefined) {
    confidence = Math.max(confidence + 0.1, smuggling);
    tags.push(url.scheme);
  } else if (url.scheme === 'ftp' && verdict.reach === Reach.Public) return undefined;
  if (verdict.obfuscated) {
    confidence = verdict.reach === Reach.Public ? Math.max(confidence, 0.45) : confidence + 0.1;
    tags.push('obfuscated');
  }
  if (confidence === 0 && verdict.reach === Reach.Public) {
    // Parsers disagree on which part is the host: http://a#@127.0.0.1, http://127.0.0.1@a.
    // foo@127.0.0.1:80@example.com: each @ marks a host some parser picks.
    const others = url.confused !== '' ? [url.confused] : decodeHost(url.userinfo).split('@').map((part) => part.split(':')[0] ?? '');
    if (others.some((other) => other !== '' && classifyHost(other.toLowerCase()).reach >= Reach.Private)) {
      confidence = 0.55;
      tags.push('parser-confusion');
    }
  }
  if (confidence === 0) return undefined;
  if (verdict.reach >= Reach.Private && SERVICE_PORTS.has(url.port)) confidence += 0.05;
  if (url.userinfo.indexOf('.') >= 0 && verdict.reach !== Reach.Public) {
    confidence += 0.05;
    tags.push('userinfo');
  }
  if (!whole && verdict.reach !== Reach.Metadata) confidence -= 0.15;
  confidence = Math.round(Math.min(0.99, confidence) * 100) / 100;
  const where = verdict.reach === Reach.Public ? (tags.includes('metadata-path') ? 'a metadata service path' : 'a host') : REACH_REASON[verdict.reach];
  const host = verdict.canonical && verdict.canonical !== url.host ? `${url.host} = ${verdict.canonical}` : url.host;
  return {
    fingerprint: `ssrf:${REACH_NAME[verdict.reach]}${tags.map((t) => `+${t}`).join('')}`,
    fragment: s.slice(url.start, Math.min(url.end, url.start + MAX_FRAGMENT)),
    confidence,
    reason: `${url.scheme}: URL to ${where}${host ? ` (${host})` : ''}${verdict.obfuscated ? ', address written in an obfuscated form' : ''}`,
  };
}

/** A value with no scheme: host, host:port or host/path, read only in canonical spellings. */
function judgeBare(s: string): ThreatMatch | undefined {
  let t = s.trim();
  if ((t.charCodeAt(0) === 0x2f && t.charCodeAt(1) === 0x2f) || (t.charCodeAt(0) === 0x5c && t.charCodeAt(1) === 0x5c)) {
    const rfi = judgeSchemeless(t);
    if (rfi !== undefined) return rfi;
  }
  const c0 = t.charCodeAt(0);
  if (!((c0 >= 0x30 && c0 <= 0x39) || c0 === 0x5b || c0 === 0x6c || c0 === 0x4c || c0 === 0x6d || c0 === 0x4d || c0 === 0x2f)) return undefined;
  if (t.startsWith('//')) t = t.slice(2);
  const slash = t.indexOf('/');
  const authority = slash >= 0 ? t.slice(0, slash) : t;
  const path = slash >= 0 ? t.slice(slash).toLowerCase() : '';
  let host = authority.toLowerCase();
  let port = -1;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return undefined;
    if (host.charCodeAt(close + 1) === 0x3a) port = Number(host.slice(close + 2)) || -1;
    host = host.slice(0, close + 1);
  } else {
    const c = host.indexOf(':');
    if (c >= 0) {
      if (!/^\d{1,5}$/.test(host.slice(c + 1))) return undefined;
      port = Number(host.slice(c + 1));
      host = host.slice(0, c);
    }
    const isName = host === 'localhost' || host === 'metadata.google.internal' || (host === 'metadata' && METADATA_PATH.test(path));
    if (!isName && !/^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(host)) return undefined;
  }
  if (host === '0.0.0.0') return undefined; // a bind address in configuration values
  if (/^\/\d{1,3}$/.test(path)) return undefined; // a CIDR block, not a host
  const v = classifyHost(host);
  let confidence: number;
  if (v.reach === Reach.Metadata) confidence = 0.8;
  else if (v.reach === Reach.Loopback || v.reach === Reach.LinkLocal) confidence = 0.5;
  else if (v.reach === Reach.Private && port > 0) confidence = 0.4;
  else if (isMetadataPath(path) && v.reach !== Reach.Public) confidence = 0.7;
  else return undefined;
  if (isMetadataPath(path)) confidence = Math.max(confidence, 0.85);
  return {
    fingerprint: `ssrf:bare+${REACH_NAME[v.reach]}`,
    fragment: s.slice(0, MAX_FRAGMENT),
    confidence,
    reason: `host value pointing at ${REACH_REASON[v.reach]} (${host})`,
  };
}

/**
 * `//evil.example/shell.txt?` and `\\evil.example\share\shell.php`: a protocol-relative URL or a
 * UNC path, which include() fetches like a URL. Only a dotted public name or an address is a
 * remote host; `\\fileserver\share` is the office's own.
 */
function judgeSchemeless(t: string): ThreatMatch | undefined {
  let k = 2;
  while (k < t.length && k < 255 && t.charCodeAt(k) !== 0x2f && t.charCodeAt(k) !== 0x5c) k++;
  const host = normaliseHost(t.slice(2, k).split(':')[0]!);
  if (host.indexOf('.') < 0 || k >= t.length || classifyHost(host).reach !== Reach.Public) return undefined;
  const rfi = judgeRemoteInclusion(t.charCodeAt(0) === 0x5c ? 'unc' : 'relative', t.slice(k));
  return rfi === undefined ? undefined : inclusionMatch(t, t.charCodeAt(0) === 0x5c ? 'UNC path' : 'protocol-relative URL', host, rfi);
}

/** Undoes percent-escapes in a host or userinfo and cuts it where one decodes to a delimiter. */
function decodeHost(raw: string): string {
  if (raw.indexOf('%') < 0) return raw;
  return raw.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))).split(/[/\\?#\0]/)[0] ?? '';
}

function normaliseHost(raw: string): string {
  let h = raw.toLowerCase();
  for (let i = 0; i < h.length; i++) {
    if (h.charCodeAt(i) > 0x7f) {
      // Ideographic and fullwidth dots and enclosed digits (①②⑦) resolve like their ASCII forms.
      h = h.normalize('NFKC').replace(/[\u3002\uff0e\uff61]/g, '.').toLowerCase();
      break;
    }
  }
  return h;
}

function endsAuthority(c: number): boolean {
  return c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23 || isUrlEnd(c);
}

function isUrlEnd(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x22 || c === 0x27 || c === 0x3c || c === 0x3e || c === 0x60 || c === 0x29 || c === 0x2c || c === 0x7b || c === 0x7d;
}

function isSchemeChar(c: number): boolean {
  return isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d;
}

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}
