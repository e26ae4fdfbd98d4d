// Classifies a URL host the way a server-side HTTP client would resolve it: IPv4 in every form
// inet_aton accepts (127.1, 0x7f000001, 2130706433, 0177.0.0.1), IPv6 with embedded IPv4
// (::ffff:127.0.0.1, 64:ff9b::, ::127.0.0.1), names that mean this host or the cloud metadata
// service, and wildcard-DNS names that embed an internal address (127.0.0.1.nip.io).

export const enum Reach {
  Public = 0,
  /** A name that only resolves inside a network (single label, .internal, .local, .svc). */
  InternalName = 1,
  Private = 2,
  LinkLocal = 3,
  Loopback = 4,
  Metadata = 5,
}

export interface HostVerdict {
  reach: Reach;
  /** The host was written in a non-canonical form (decimal, hex, octal, short, mapped IPv6). */
  obfuscated: boolean;
  /** What the host amounts to, for the reason text. */
  canonical: string;
}

const METADATA_NAMES = new Set([
  'metadata.google.internal', 'metadata', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal',
  'metadata.azure.com', 'metadata.tencentyun.com', 'metadata.platformequinix.com',
]);
const LOOPBACK_NAMES = new Set([
  'localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback', 'localtest.me', 'lvh.me', 'vcap.me', 'lacolhost.com',
  // Public names whose A record is 127.0.0.1, kept so for SSRF testing.
  'localh.st', 'fuf.me', 'spoofed.burpcollaborator.net',
]);
/** Out-of-band interaction services scanners point requests at to see whether the server fetches. */
const OAST = /(?:^|\.)(?:burpcollaborator\.net|oastify\.com|interact\.sh|interactsh\.com|oast\.(?:pro|live|site|online|fun|me)|dnslog\.cn|ceye\.io|requestbin\.net|pipedream\.net|canarytokens\.com)$/;

/** Wildcard DNS services that answer with the address spelled in the name. */
const WILDCARD_DNS = ['nip.io', 'xip.io', 'sslip.io', 'traefik.me', 'localtest.me', 'lvh.me', '1u.ms', 'nip.direct', 'rbndr.us'];

/** IPv4 as inet_aton reads it: 1 to 4 parts, each decimal, 0-octal or 0x-hex. NaN if not an address. */
export function parseIpv4(host: string): { value: number; canonical: boolean } | undefined {
  const parts = host.split('.');
  if (parts.length > 4 || parts.length === 0) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    if (p === '') return undefined;
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]+$/.test(p)) n = parseInt(p, 8);
    else if (/^\d+$/.test(p)) n = parseInt(p, 10);
    else return undefined;
    nums.push(n);
  }
  let value = 0;
  for (let i = 0; i < nums.length - 1; i++) {
    if (nums[i]! > 255) return undefined;
    value = value * 256 + nums[i]!;
  }
  const rest = 4 - (nums.length - 1);
  const last = nums[nums.length - 1]!;
  if (last >= 256 ** rest) return undefined;
  value = value * 256 ** rest + last;
  const canonical = parts.length === 4 && parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p));
  return { value, canonical };
}

export function classifyIpv4(v: number): Reach {
  const a = Math.floor(v / 2 ** 24);
  const b = Math.floor(v / 2 ** 16) & 255;
  if (v === 0xa9fea9fe || v === 0x646464c8 || v === 0xa9fea602 || v === 0xc00000c0) return Reach.Metadata;
  if (a === 127 || a === 0) return Reach.Loopback;
  if (a === 169 && b === 254) return Reach.LinkLocal;
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return Reach.Private;
  if (a === 100 && b >= 64 && b <= 127) return Reach.Private; // carrier-grade NAT, Alibaba metadata lives here
  if (a === 198 && (b === 18 || b === 19)) return Reach.Private;
  return Reach.Public;
}

/** 8 groups of 16 bits, or undefined. Handles `::`, an embedded dotted IPv4 tail and a zone id. */
export function parseIpv6(text: string): number[] | undefined {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (s.indexOf(':') < 0) return undefined;
  const lastColon = s.lastIndexOf(':');
  const maybeV4 = s.slice(lastColon + 1);
  if (maybeV4.indexOf('.') >= 0) {
    // An embedded dotted IPv4 tail is two more groups.
    const v4 = parseIpv4(maybeV4);
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${Math.floor(v4.value / 65536).toString(16)}:${(v4.value & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const read = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = read(halves[0]!);
  const back = halves.length === 2 ? read(halves[1]!) : [];
  if (head === undefined || back === undefined) return undefined;
  const known = head.length + back.length;
  if (halves.length === 1 && known !== 8) return undefined;
  if (known > 8) return undefined;
  return [...head, ...new Array<number>(8 - known).fill(0), ...back];
}

function classifyIpv6(g: number[]): { reach: Reach; embedded: boolean; canonical: string } {
  const v4 = g[6]! * 65536 + g[7]!;
  const zeroTo = (n: number): boolean => g.slice(0, n).every((x) => x === 0);
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && zeroTo(0) && g.slice(2, 7).every((x) => x === 0) && g[7] === 0x254) {
    return { reach: Reach.Metadata, embedded: false, canonical: 'fd00:ec2::254' };
  }
  if (zeroTo(7) && (g[7] === 1 || g[7] === 0)) return { reach: Reach.Loopback, embedded: false, canonical: g[7] === 1 ? '::1' : '::' };
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64)
  if ((zeroTo(5) && (g[5] === 0xffff || g[5] === 0)) || (zeroTo(4) && g[4] === 0xffff && g[5] === 0) || (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))) {
    return { reach: classifyIpv4(v4), embedded: true, canonical: dotted(v4) };
  }
  if ((g[0]! & 0xffc0) === 0xfe80) return { reach: Reach.LinkLocal, embedded: false, canonical: 'fe80::/10' };
  if ((g[0]! & 0xfe00) === 0xfc00) return { reach: Reach.Private, embedded: false, canonical: 'fc00::/7' };
  return { reach: Reach.Public, embedded: false, canonical: '' };
}

export function dotted(v: number): string {
  return `${Math.floor(v / 2 ** 24)}.${Math.floor(v / 2 ** 16) & 255}.${Math.floor(v / 256) & 255}.${v & 255}`;
}

/** Judges a host (lowercase, brackets kept for IPv6). */
export function classifyHost(rawHost: string): HostVerdict {
  let host = rawHost;
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host.startsWith('[') && host.endsWith(']')) {
    const g = parseIpv6(host.slice(1, -1));
    if (g === undefined) return { reach: Reach.Public, obfuscated: false, canonical: host };
    const c = classifyIpv6(g);
    return { reach: c.reach, obfuscated: c.embedded, canonical: c.canonical || host };
  }
  if (host.indexOf(':') >= 0) {
    const g = parseIpv6(host);
    if (g !== undefined) {
      const c = classifyIpv6(g);
      return { reach: c.reach, obfuscated: c.embedded, canonical: c.canonical || host };
    }
  }
  const c0 = host.charCodeAt(0);
  if (c0 >= 0x30 && c0 <= 0x39) {
    const v4 = parseIpv4(host);
    if (v4 !== undefined) return { reach: classifyIpv4(v4.value), obfuscated: !v4.canonical, canonical: dotted(v4.value) };
  }
  if (METADATA_NAMES.has(host)) return { reach: Reach.Metadata, obfuscated: false, canonical: host };
  if (LOOPBACK_NAMES.has(host) || host.endsWith('.localhost')) return { reach: Reach.Loopback, obfuscated: false, canonical: host };
  const embedded = embeddedAddress(host);
  if (embedded !== undefined) return embedded;
  if (OAST.test(host)) return { reach: Reach.InternalName, obfuscated: false, canonical: `${host} (an out-of-band interaction service)` };
  if (host.indexOf('.') < 0 && /^[a-z][a-z0-9-]*$/.test(host)) return { reach: Reach.InternalName, obfuscated: false, canonical: host };
  if (/\.(?:internal|local|localdomain|intranet|corp|lan|home\.arpa|svc|cluster\.local|consul)$/.test(host)) {
    return { reach: Reach.InternalName, obfuscated: false, canonical: host };
  }
  return { reach: Reach.Public, obfuscated: false, canonical: host };
}

/** 127.0.0.1.nip.io, 10-0-0-5.sslip.io, 7f000001.nip.io: an internal address spelled into a name. */
const WILDCARD_SUFFIXES = WILDCARD_DNS.map((d) => `.${d}`);

function embeddedAddress(host: string): HostVerdict | undefined {
  let service: string | undefined;
  for (let k = 0; k < WILDCARD_DNS.length; k++) {
    if (host === WILDCARD_DNS[k] || host.endsWith(WILDCARD_SUFFIXES[k]!)) service = WILDCARD_DNS[k];
  }
  if (service === undefined && !/\d/.test(host)) return undefined;
  // Dotted labels (127.0.0.1.attacker.example) resolve through any DNS the attacker runs;
  // dashed ones (127-0-0-1) only through the wildcard services.
  // Any labels may come before the address (customer1.app.127.0.0.1.nip.io, make-127-0-0-1-rr.1u.ms).
  const m = service !== undefined ? /(?:^|[.-])(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})(?=[.-])/.exec(host) : /(?:^|\.)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\./.exec(host);
  if (m !== null) {
    const parts = m.slice(1, 5).map(Number);
    if (parts.every((p) => p <= 255)) {
      const v = ((parts[0]! * 256 + parts[1]!) * 256 + parts[2]!) * 256 + parts[3]!;
      const reach = classifyIpv4(v);
      if (reach !== Reach.Public) return { reach, obfuscated: true, canonical: `${dotted(v)} via ${service ?? 'DNS'}` };
    }
  }
  if (service !== undefined) {
    const hex = /(?:^|[.-])([0-9a-f]{8})(?=[.-])/.exec(host);
    if (hex !== null) {
      const v = parseInt(hex[1]!, 16);
      const reach = classifyIpv4(v);
      if (reach !== Reach.Public) return { reach, obfuscated: true, canonical: `${dotted(v)} via ${service}` };
    }
    if (service === 'localtest.me' || service === 'lvh.me') return { reach: Reach.Loopback, obfuscated: true, canonical: `${host} (resolves to 127.0.0.1)` };
  }
  return undefined;
}
