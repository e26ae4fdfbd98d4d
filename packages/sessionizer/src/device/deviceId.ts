// The device id recipe. Ids are stored with events and compared across processes, versions and
// replays, so the recipe must never change silently: deviceId.test.ts pins golden ids, and a
// deliberate change bumps DEVICE_ID_VERSION.
//
// Recipe (version 1):
//   canonical = JSON.stringify(["sidetap-device/1", browser ?? "", os ?? "", type, names, acceptLanguage])
//   id        = the first 16 lower-case hex digits of SHA-256 over the UTF-8 bytes of canonical
// where
//   browser, os, type  the client family of the User-Agent (clientFamily.ts): family names, no versions;
//   names              request header names, lower-case, in the order first seen, without
//                      REQUEST_SPECIFIC_HEADERS and the configured ignoreHeaders; the first
//                      MAX_SIGNATURE_NAMES (headerSignature.ts) of them, each cut to
//                      MAX_NAME_LENGTH (headerNameCodes.ts);
//   acceptLanguage     the Accept-Language value cut to MAX_LANGUAGE_LENGTH, lower-cased, with
//                      whitespace (\s) and control characters removed; "" when absent.
//
// Versions are left out on purpose. Browsers update themselves every four weeks and roll out in
// waves, so with the major version in, every user of a browser would raise a false device_changed
// on update day; a stolen token replayed from another machine almost always differs in family,
// OS, header order or languages anyway. Same for OS and library versions.
//
// SHA-256 rather than a faster hash: it runs only on a cache miss, beside a User-Agent parse that
// costs ten times more, and anyone can recompute an id from the recipe with a standard tool.
// 64 bits keep a collision among a million devices at about 3 in 100 million.
import { createHash } from 'node:crypto';
import type { DeviceType } from './deviceFingerprint';

export const DEVICE_ID_VERSION = 1;

export interface DeviceIdParts {
  browser?: string | undefined;
  os?: string | undefined;
  type: DeviceType;
  /** Header names already filtered and capped. */
  names: readonly string[];
  /** Raw Accept-Language value (already length-capped), or undefined. */
  acceptLanguage: string | undefined;
}

// Whitespace and C0/C1 control characters: a proxy that re-spaces the list keeps the device.
const LANGUAGE_NOISE = /[\s\u0000-\u001f\u007f-\u009f]+/g;

export function normaliseAcceptLanguage(value: string | undefined): string {
  return value === undefined ? '' : value.toLowerCase().replace(LANGUAGE_NOISE, '');
}

export function deviceId(parts: DeviceIdParts): string {
  const canonical = JSON.stringify([
    `sidetap-device/${DEVICE_ID_VERSION}`,
    parts.browser ?? '',
    parts.os ?? '',
    parts.type,
    parts.names,
    normaliseAcceptLanguage(parts.acceptLanguage),
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest().toString('hex', 0, 8);
}
