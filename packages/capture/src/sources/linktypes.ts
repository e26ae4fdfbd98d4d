// LINKTYPE_* values as they appear in capture files (tcpdump.org/linktypes.html), and the
// normalisation every reader applies before handing a link type to the decoder.

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** Old BSD and OpenBSD writers stored their DLT_RAW number instead of LINKTYPE_RAW. */
const RAW_ALIASES_BSD = 12;
const RAW_ALIASES_OPENBSD = 14;

/**
 * The link type proper: classic pcap keeps FCS information in the upper 16 bits of the header's
 * field, and the BSD raw-IP aliases mean the same thing as LINKTYPE_RAW.
 */
export function normalizeLinktype(field: number): number {
  const linktype = field & 0xffff;
  return linktype === RAW_ALIASES_BSD || linktype === RAW_ALIASES_OPENBSD ? LINKTYPE.RAW : linktype;
}
