// Device fingerprints for the sessionizer: the client family, header-name order and languages of
// a request, hashed into a stable id (deviceId.ts), with repeated clients served from a cache.
import { LruCache } from '@sidetap/core';
import type { Counters } from '@sidetap/core';
import { clientFamily } from './clientFamily';
import type { ClientFamily } from './clientFamily';
import type { DeviceConfig } from './deviceConfig';
import type { DeviceFingerprint, DeviceFingerprinter } from './deviceFingerprint';
import { deviceId } from './deviceId';
import { createHeaderNameMatcher } from './headerNameMatcher';
import { HeaderNameCodes } from './headerNameCodes';
import { HeaderSignatureReader } from './headerSignature';
import type { HeaderSignature } from './headerSignature';
import { ownString } from './ownString';
import { REQUEST_SPECIFIC_HEADERS } from './requestSpecificHeaders';

export const DEVICE_COUNTERS = {
  fingerprinted: 'sessionizer_devices_fingerprinted_total',
  cacheHits: 'sessionizer_device_cache_hits_total',
  cacheMisses: 'sessionizer_device_cache_misses_total',
  cacheEvicted: 'sessionizer_device_cache_evicted_total',
  /** Requests whose User-Agent, Accept-Language, header count or a header name was cut to its bound. */
  inputsTruncated: 'sessionizer_device_inputs_truncated_total',
} as const;

export interface DeviceFingerprinterDeps {
  counters: Counters;
}

export function createDeviceFingerprinter(config: DeviceConfig, deps: DeviceFingerprinterDeps): DeviceFingerprinter {
  if (!config.enabled) return { fingerprint: () => undefined };
  const { counters } = deps;
  const leftOut = createHeaderNameMatcher([...REQUEST_SPECIFIC_HEADERS, ...config.ignoreHeaders]);
  const reader = new HeaderSignatureReader(new HeaderNameCodes(leftOut));
  const cache = new LruCache<string, DeviceFingerprint>(config.cacheSize);
  return {
    fingerprint(headers) {
      const sig = reader.read(headers);
      if (sig === undefined) return undefined;
      if (sig.truncated) counters.inc(DEVICE_COUNTERS.inputsTruncated);
      counters.inc(DEVICE_COUNTERS.fingerprinted);
      const cached = cache.get(sig.key);
      if (cached !== undefined) {
        counters.inc(DEVICE_COUNTERS.cacheHits);
        return cached;
      }
      counters.inc(DEVICE_COUNTERS.cacheMisses);
      const fingerprint = computeFingerprint(sig);
      if (cache.set(ownString(sig.key), fingerprint) !== undefined) counters.inc(DEVICE_COUNTERS.cacheEvicted);
      return fingerprint;
    },
  };
}

function computeFingerprint(sig: HeaderSignature): DeviceFingerprint {
  const family: ClientFamily = sig.ua === undefined ? { type: 'unknown' } : clientFamily(sig.ua);
  const fingerprint: DeviceFingerprint = {
    id: deviceId({ ...family, names: sig.names, acceptLanguage: sig.acceptLanguage }),
    type: family.type,
  };
  // Family names may be slices of the User-Agent (a product token); the cache must not keep it whole.
  if (family.browser !== undefined) fingerprint.browser = ownString(family.browser);
  if (family.os !== undefined) fingerprint.os = ownString(family.os);
  // Shared by every later hit: frozen so one caller cannot change another's event.
  return Object.freeze(fingerprint);
}
