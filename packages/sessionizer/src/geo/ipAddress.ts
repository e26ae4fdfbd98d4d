// Strict IP address text → bytes, so range checks compare numbers and never string prefixes.

export interface IpAddress {
  readonly family: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6, network order. */
  readonly bytes: Uint8Array;
}

const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** Parses dotted-quad IPv4 or RFC 4291 IPv6 text (an IPv6 zone such as `%eth0` is ignored); undefined when malformed. */
export function parseIp(text: string): IpAddress | undefined {
  if (text.indexOf(':') >= 0) {
    const bytes = parseIpv6(text);
    return bytes === undefined ? undefined : { family: 6, bytes };
  }
  const bytes = new Uint8Array(4);
  return parseIpv4Into(text, 0, text.length, bytes, 0) ? { family: 4, bytes } : undefined;
}

/** The embedded IPv4 address of an IPv4-mapped IPv6 address (::ffff:a.b.c.d), else undefined. */
export function mappedIpv4(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length !== 16 || bytes[10] !== 0xff || bytes[11] !== 0xff) return undefined;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return undefined;
  return bytes.subarray(12, 16);
}

export function formatIpv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/** Eight uncompressed groups: a form every MaxMind DB reader parses the same way. */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':');
}

// Leading zeros are refused ("010.0.0.1"): inet_aton reads them as octal, so the same text
// names different hosts to different tools.
function parseIpv4Into(text: string, start: number, end: number, out: Uint8Array, at: number): boolean {
  let octet = 0;
  let digits = 0;
  let index = at;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || index === at + 3) return false;
      out[index++] = octet;
      octet = 0;
      digits = 0;
    } else if (c >= ZERO && c <= NINE) {
      if (digits > 0 && octet === 0) return false;
      octet = octet * 10 + (c - ZERO);
      if (octet > 255) return false;
      digits++;
    } else {
      return false;
    }
  }
  if (digits === 0 || index !== at + 3) return false;
  out[index] = octet;
  return true;
}

function parseIpv6(input: string): Uint8Array | undefined {
  const zone = input.indexOf('%');
  const text = zone >= 0 ? input.slice(0, zone) : input;
  if (zone === 0 || zone === input.length - 1) return undefined;
  const gap = text.indexOf('::');
  if (gap >= 0 && text.indexOf('::', gap + 1) >= 0) return undefined;
  const head = gap >= 0 ? text.slice(0, gap) : text;
  const tail = gap >= 0 ? text.slice(gap + 2) : '';
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const bytes = new Uint8Array(16);
  const headBytes = writeGroups(headGroups, bytes, 0, gap < 0);
  if (headBytes === undefined) return undefined;
  if (gap < 0) return headBytes === 16 ? bytes : undefined;
  const tailBuffer = new Uint8Array(16);
  const tailBytes = writeGroups(tailGroups, tailBuffer, 0, true);
  // "::" stands for at least one zero group, so the written groups must leave room for it.
  if (tailBytes === undefined || headBytes + tailBytes > 14) return undefined;
  bytes.set(tailBuffer.subarray(0, tailBytes), 16 - tailBytes);
  return bytes;
}

/** Writes hex groups (the last may be dotted IPv4 when `last` is set) and returns the bytes written. */
function writeGroups(groups: readonly string[], out: Uint8Array, from: number, last: boolean): number | undefined {
  let at = from;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g] ?? '';
    if (last && g === groups.length - 1 && group.indexOf('.') >= 0) {
      if (at + 4 > 16 || !parseIpv4Into(group, 0, group.length, out, at)) return undefined;
      at += 4;
      continue;
    }
    if (group.length === 0 || group.length > 4 || at + 2 > 16) return undefined;
    let value = 0;
    for (let i = 0; i < group.length; i++) {
      const digit = hexDigit(group.charCodeAt(i));
      if (digit < 0) return undefined;
      value = (value << 4) | digit;
    }
    out[at++] = value >> 8;
    out[at++] = value & 0xff;
  }
  return at - from;
}

function hexDigit(c: number): number {
  if (c >= ZERO && c <= NINE) return c - ZERO;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}
