// What a device fingerprint depends on, read from request headers within fixed bounds, with the
// exact cache key for it. Only the User-Agent and Accept-Language values are read: every other
// header (Authorization, cookies, API keys) counts by its name and position alone.
import type { HeaderNameCodes } from './headerNameCodes';

// The bounds keep a hostile request from costing more than a long real one, and a cache entry
// within about 3 KiB. They are part of the id recipe (deviceId.ts); real clients stay well inside them
// (in-app browser User-Agents reach 400 characters, browsers send about 20 headers).
export const MAX_UA_LENGTH = 512;
export const MAX_LANGUAGE_LENGTH = 256;
export const MAX_SIGNATURE_NAMES = 48;

export interface HeaderSignature {
  /** User-Agent, cut to MAX_UA_LENGTH; undefined when absent or empty. */
  ua: string | undefined;
  /** Accept-Language, cut to MAX_LANGUAGE_LENGTH; undefined when absent. */
  acceptLanguage: string | undefined;
  /** Header names in order, without the left-out ones, capped. Reused by the next read: copy to keep. */
  names: string[];
  /**
   * Determines the fingerprint and nothing else does: the User-Agent and Accept-Language
   * length-prefixed ("-" when absent), then each kept name's code, so no two signatures share a key.
   */
  key: string;
  /** Whether any bound cut the input. */
  truncated: boolean;
}

/** Reads signatures into one reused object, so a cache hit allocates little beyond its key. */
export class HeaderSignatureReader {
  private readonly signature: HeaderSignature = { ua: undefined, acceptLanguage: undefined, names: [], key: '', truncated: false };

  constructor(private readonly nameCodes: HeaderNameCodes) {}

  /** The signature of these headers, or undefined when they hold nothing to fingerprint. */
  read(headers: Readonly<Record<string, string>>): HeaderSignature | undefined {
    const sig = this.signature;
    sig.truncated = false;
    const ua = this.capped(headers['user-agent'], MAX_UA_LENGTH);
    sig.ua = ua === '' ? undefined : ua;
    sig.acceptLanguage = this.capped(headers['accept-language'], MAX_LANGUAGE_LENGTH);

    const names = sig.names;
    names.length = 0;
    let codes = '';
    for (const header of Object.keys(headers)) {
      const entry = this.nameCodes.lookup(header);
      if (!entry.kept) continue;
      if (names.length === MAX_SIGNATURE_NAMES) {
        sig.truncated = true;
        break;
      }
      if (entry.cut) sig.truncated = true;
      names.push(entry.name);
      codes += entry.code;
    }
    if (sig.ua === undefined && sig.acceptLanguage === undefined && names.length === 0) return undefined;
    sig.key = prefixed(sig.ua) + prefixed(sig.acceptLanguage) + codes;
    return sig;
  }

  private capped(value: string | undefined, max: number): string | undefined {
    // The record type promises strings; a record decoded elsewhere may not keep the promise.
    if (typeof value !== 'string') return undefined;
    if (value.length <= max) return value;
    this.signature.truncated = true;
    return value.slice(0, max);
  }
}

function prefixed(value: string | undefined): string {
  return value === undefined ? '-' : `${value.length}:${value}`;
}
