// Field values every mirror format shares: times, addresses and base64 bodies, each checked so
// that a bad one becomes a sentence about its record instead of a wrong exchange.
import { isIP } from 'node:net';
import type { Endpoint } from '../../tcp/streamConsumer';
import { recordError } from './recordFault';

/** The unspecified address, for an end a record does not name (a HAR says nothing of its client). */
export const UNKNOWN_ENDPOINT: Endpoint = Object.freeze({ ip: '0.0.0.0', port: 0 });

/** The last millisecond of year 9999: later times do not fit the @timestamp format. */
const MAX_MS = 253_402_300_799_999;

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:?\d{2})$/;

/** Microseconds since the epoch of an RFC 3339 time (fractions down to the microsecond kept), or undefined. */
export function rfc3339Us(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const zone = (m[4] as string).toUpperCase();
  const ms = Date.parse(`${m[1] as string}T${m[2] as string}${zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_MS) return undefined;
  return ms * 1000 + Number((m[3] ?? '').padEnd(6, '0').slice(0, 6));
}

/** Microseconds of milliseconds since the epoch, or undefined outside 1970..9999. */
export function epochMsUs(ms: number): number | undefined {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_MS) return undefined;
  return Math.round(ms * 1000);
}

/** A time field that is either RFC 3339 text or milliseconds since the epoch. */
export function timeUs(value: string | number, label: string, field: string): number {
  const us = typeof value === 'number' ? epochMsUs(value) : rfc3339Us(value);
  if (us === undefined) throw recordError(label, `${field} is not a time (RFC 3339 text or milliseconds since 1970)`);
  return us;
}

/** An IP address as an exchange carries it: IPv6 without brackets or zone. */
export function ipAddress(text: string): string | undefined {
  let ip = text.trim();
  if (ip.charCodeAt(0) === 0x5b && ip.charCodeAt(ip.length - 1) === 0x5d) ip = ip.slice(1, -1);
  const zone = ip.indexOf('%');
  if (zone > 0) ip = ip.slice(0, zone);
  return isIP(ip) === 0 ? undefined : ip;
}

/** An endpoint from an address and port a record gives, or a RecordError naming `field`. */
export function endpoint(ip: string, port: number | undefined, label: string, field: string): Endpoint {
  const address = ipAddress(ip);
  if (address === undefined) throw recordError(label, `${field} is not an IP address`);
  const p = port ?? 0;
  if (!Number.isInteger(p) || p < 0 || p > 65535) throw recordError(label, `${field} has a port outside 0-65535`);
  return { ip: address, port: p };
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Bytes of base64 (standard or URL-safe; line breaks allowed), or a RecordError naming `field`. */
export function base64Bytes(text: string, label: string, field: string): Buffer {
  const compact = text.includes('\n') ? text.replace(/\r?\n/g, '') : text;
  if (!BASE64.test(compact) || compact.length % 4 === 1) throw recordError(label, `${field} is not base64`);
  return Buffer.from(compact, 'base64');
}

/** "HTTP/1.1" → "1.1", "h2" → "2", "HTTP/2.0" → "2"; "1.1" when unknown. */
export function httpVersion(text: string | undefined): string {
  if (text === undefined) return '1.1';
  const t = text.trim().toLowerCase();
  if (t === '') return '1.1';
  const v = t.startsWith('http/') ? t.slice(5) : t.startsWith('h') ? t.slice(1) : t;
  if (v === '2.0' || v === '2' || v === '2c') return '2';
  if (v === '3.0' || v === '3') return '3';
  return /^\d\.\d$/.test(v) ? v : '1.1';
}
