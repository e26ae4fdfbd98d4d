// Private, loopback, link-local, documentation and other special-purpose ranges (RFC 6890 and the
// IANA special-purpose registries): such a client address is "internal" and has no place on a map.
import { inAnyPrefix, parsePrefix } from './ipPrefix';

export const RESERVED_IPV4_PREFIXES: readonly string[] = [
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8', // private (RFC 1918)
  '100.64.0.0/10', // carrier-grade NAT (RFC 6598): the real client is behind the ISP's NAT
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local
  '172.16.0.0/12', // private (RFC 1918)
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation (TEST-NET-1)
  '192.168.0.0/16', // private (RFC 1918)
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation (TEST-NET-2)
  '203.0.113.0/24', // documentation (TEST-NET-3)
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, includes the limited broadcast 255.255.255.255
];

export const RESERVED_IPV6_PREFIXES: readonly string[] = [
  '::/128', // unspecified
  '::1/128', // loopback
  '64:ff9b::/96', // NAT64: the client is an IPv6 host behind the operator's translator
  '2001:db8::/32', // documentation
  'fc00::/7', // unique local
  'fe80::/10', // link-local
  'ff00::/8', // multicast
];

const IPV4 = RESERVED_IPV4_PREFIXES.map(parsePrefix);
const IPV6 = RESERVED_IPV6_PREFIXES.map(parsePrefix);

/**
 * Whether an address (4 or 16 bytes) is in a reserved range. IPv4-mapped IPv6 addresses are
 * expected to be unwrapped to their IPv4 bytes by the caller.
 */
export function isReservedAddress(bytes: Uint8Array): boolean {
  return inAnyPrefix(bytes, bytes.length === 4 ? IPV4 : IPV6);
}
