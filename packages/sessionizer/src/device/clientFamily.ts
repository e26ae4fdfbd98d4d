// The client family a User-Agent names: browser or library family, OS family and device type,
// never a version, so a browser or library update keeps the device (see deviceId.ts for why).
import Bowser from 'bowser';
import type { DeviceType } from './deviceFingerprint';
import { CRAWLER_PATTERN, HEADLESS_PATTERN, KNOWN_CLIENTS } from './knownClients';

export interface ClientFamily {
  browser?: string;
  os?: string;
  type: DeviceType;
}

// Names bowser gives when one of its rules matched. Anything else comes from its catch-all rule,
// which returns whatever precedes the first "/" — version and all ("MyApp/5.1.2 CFNetwork"), so it
// would change on every app release; the leading product token is used instead.
const BOWSER_FAMILIES = new Set<string>([
  ...Object.values(Bowser.BROWSER_MAP),
  // Named by bowser rules but missing from its map.
  'Miui',
  'Opera Touch',
  'PlayStation 4',
  'SlimerJS',
]);

const PLATFORM_TYPES: ReadonlyMap<string, DeviceType> = new Map<string, DeviceType>([
  ['desktop', 'desktop'],
  ['mobile', 'mobile'],
  ['tablet', 'tablet'],
  ['tv', 'tv'],
  ['bot', 'bot'],
]);

// Bowser gives no platform for Chromebooks; the OS only runs on laptops and desktops.
const DESKTOP_ONLY_OS = new Set(['Chrome OS', 'Windows', 'macOS', 'Linux']);

// "curl/8.5.0" → curl; "MyApp/5.1 CFNetwork/1494" → MyApp. Anchored and bounded: linear on any input.
const LEADING_TOKEN = /^([A-Za-z][\w.+-]{0,63})(?=[/\s;(]|$)/;

// The token every browser-like UA opens with says nothing about the client.
const GENERIC_TOKENS = new Set(['mozilla']);

/** The family of a User-Agent (length-capped by the caller); never throws. */
export function clientFamily(ua: string): ClientFamily {
  const token = LEADING_TOKEN.exec(ua)?.[1];
  const known = token === undefined ? undefined : KNOWN_CLIENTS.get(token.toLowerCase());
  // A library names its OS, if at all, in parentheses ("Dalvik/2.1.0 (Linux; U; Android 13)");
  // without them the parse (most of a miss's cost) can only find nothing.
  const parsed = known !== undefined && !ua.includes('(') ? undefined : parse(ua);
  const os = parsed?.os.name || undefined;
  if (known !== undefined) return family(known.family, os, known.type);

  const bowserName = parsed?.browser.name;
  const named = bowserName !== undefined && BOWSER_FAMILIES.has(bowserName) ? bowserName : undefined;
  const product = token !== undefined && !GENERIC_TOKENS.has(token.toLowerCase()) ? token : undefined;
  if (parsed?.platform.type === 'bot') return family(named ?? product, os, 'bot');

  const headless = HEADLESS_PATTERN.exec(ua)?.[1];
  if (headless !== undefined) return family(headless, os, 'bot');
  const crawler = CRAWLER_PATTERN.exec(ua);
  const crawlerName = crawler?.[1] ?? crawler?.[2];
  if (crawlerName !== undefined) return family(crawlerName, os, 'bot');

  let type = PLATFORM_TYPES.get(parsed?.platform.type ?? '') ?? 'unknown';
  if (type === 'unknown' && named !== undefined && os !== undefined && DESKTOP_ONLY_OS.has(os)) type = 'desktop';
  return family(named ?? product, os, type);
}

function family(browser: string | undefined, os: string | undefined, type: DeviceType): ClientFamily {
  const out: ClientFamily = { type };
  if (browser !== undefined) out.browser = browser;
  if (os !== undefined) out.os = os;
  return out;
}

function parse(ua: string): Bowser.Parser.ParsedResult | undefined {
  try {
    return Bowser.parse(ua);
  } catch {
    // Bowser throws on an empty string; any other throw is its bug, and a request without a
    // parsed family still gets a fingerprint from its headers.
    return undefined;
  }
}
