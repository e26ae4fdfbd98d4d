// The device fingerprint an event carries as sidetap.device.

/** `library`: an HTTP client library or CLI (curl, python-requests); `bot`: a crawler or a headless browser. */
export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet', 'tv', 'bot', 'library', 'unknown'] as const;

export type DeviceType = (typeof DEVICE_TYPES)[number];

export interface DeviceFingerprint {
  /** 16 lower-case hex digits; deviceId.ts holds the recipe. */
  id: string;
  /** Browser, library or bot family, without its version (Chrome, curl, Googlebot). */
  browser?: string;
  /** Operating system family, without its version. */
  os?: string;
  type?: DeviceType;
}

export interface DeviceFingerprinter {
  /**
   * The fingerprint of the client that sent these request headers (lower-case names in the order
   * first seen), or undefined when they hold nothing to fingerprint. Returned objects are frozen
   * and shared between calls with the same headers.
   */
  fingerprint(headers: Readonly<Record<string, string>>): DeviceFingerprint | undefined;
}
