// Where an exchange came from: DESIGN.md §2 `sidetap.capture.source`.

export const CAPTURE_SOURCES = [
  'pcap',
  'live',
  'vxlan',
  'geneve',
  'mirror:kong',
  'mirror:envoy',
  'mirror:nginx',
  'mirror:native',
  'mirror:har',
] as const;

export type CaptureSource = (typeof CAPTURE_SOURCES)[number];
