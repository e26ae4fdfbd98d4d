// Address prefixes (CIDR blocks) held as bytes, and the check whether an address falls in one.
import { parseIp } from './ipAddress';

export interface IpPrefix {
  readonly family: 4 | 6;
  readonly network: Uint8Array;
  readonly length: number;
}

/** Parses "a.b.c.d/n" or "x::/n"; throws, because prefixes come from lists written in the code. */
export function parsePrefix(text: string): IpPrefix {
  const slash = text.indexOf('/');
  const address = parseIp(slash >= 0 ? text.slice(0, slash) : text);
  if (address === undefined) throw new Error(`${text}: not an IP prefix.`);
  const bits = address.bytes.length * 8;
  const length = slash >= 0 ? Number(text.slice(slash + 1)) : bits;
  if (!Number.isInteger(length) || length < 0 || length > bits) throw new Error(`${text}: prefix length out of range.`);
  return { family: address.family, network: address.bytes, length };
}

/** Whether an address lies in a prefix of its own family (4 or 16 bytes). */
export function inPrefix(address: Uint8Array, prefix: IpPrefix): boolean {
  if (address.length !== prefix.network.length) return false;
  const whole = prefix.length >> 3;
  for (let i = 0; i < whole; i++) if (address[i] !== prefix.network[i]) return false;
  const rest = prefix.length & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (((address[whole] ?? 0) ^ (prefix.network[whole] ?? 0)) & mask) === 0;
}

export function inAnyPrefix(address: Uint8Array, prefixes: readonly IpPrefix[]): boolean {
  for (const prefix of prefixes) if (inPrefix(address, prefix)) return true;
  return false;
}
