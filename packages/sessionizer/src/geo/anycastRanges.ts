// Well-known anycast prefixes: each is announced from many sites at once, so the one place a
// geo database gives for it says little about where the client is.
import { inAnyPrefix, parsePrefix } from './ipPrefix';

/**
 * Public DNS resolver services (their published service prefixes). Kept deliberately short: a
 * prefix belongs here only when its operator documents it as anycast. A client address in one of
 * these is usually a resolver's DoH/proxy egress or a spoofed source.
 */
export const ANYCAST_PREFIXES: readonly string[] = [
  '1.1.1.0/24', // Cloudflare 1.1.1.1
  '1.0.0.0/24', // Cloudflare 1.0.0.1
  '2606:4700:4700::/48', // Cloudflare 1.1.1.1 over IPv6
  '8.8.8.0/24', // Google Public DNS
  '8.8.4.0/24', // Google Public DNS
  '2001:4860:4860::/48', // Google Public DNS over IPv6
  '9.9.9.0/24', // Quad9
  '149.112.112.0/24', // Quad9
  '2620:fe::/48', // Quad9 over IPv6
  '208.67.222.0/24', // Cisco OpenDNS
  '208.67.220.0/24', // Cisco OpenDNS
  '2620:119:35::/48', // Cisco OpenDNS over IPv6
  '2620:119:53::/48', // Cisco OpenDNS over IPv6
];

const PREFIXES = ANYCAST_PREFIXES.map(parsePrefix);

/** Whether an address (4 or 16 bytes; IPv4-mapped addresses unwrapped) is in a well-known anycast prefix. */
export function isAnycastAddress(bytes: Uint8Array): boolean {
  return inAnyPrefix(bytes, PREFIXES);
}
