// Email addresses, counted only when a response may hold many (bulk personal data): each '@' is
// grown by hand into local part and domain, so long runs of address-like characters (base64)
// cost one pass and no regex backtracking.
import { maskEmail } from './masking';
import type { ScanContext } from './scanContext';

/** Last labels that are file extensions: logo@2x.png is an image, not an address. */
const NOT_TLDS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'ico', 'css', 'js', 'json', 'map', 'woff', 'woff2', 'ttf', 'html', 'htm', 'txt', 'pdf', 'zip', 'gz', 'md', 'ts']);

function isLocalChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2b || c === 0x2d;
}

function isDomainChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2e || c === 0x2d;
}

export function countAt(text: string, atLeast: number): boolean {
  let n = 0;
  for (let i = text.indexOf('@'); i >= 0; i = text.indexOf('@', i + 1)) if (++n >= atLeast) return true;
  return false;
}

export function scanEmails(ctx: ScanContext, threshold: number): void {
  const text = ctx.text;
  const all = new Set<string>();
  const found: Array<{ at: number; local: string; domain: string }> = [];
  for (let a = text.indexOf('@'); a >= 0 && found.length < 100_000; a = text.indexOf('@', a + 1)) {
    let s = a;
    while (s > 0 && a - s < 64 && isLocalChar(text.charCodeAt(s - 1))) s--;
    let e = a + 1;
    while (e < text.length && e - a < 254 && isDomainChar(text.charCodeAt(e))) e++;
    while (e > a + 1 && (text.charCodeAt(e - 1) === 0x2e || text.charCodeAt(e - 1) === 0x2d)) e--;
    if (s === a || e <= a + 3) continue;
    if (s > 0 && isLocalChar(text.charCodeAt(s - 1))) continue; // longer than any local part
    const local = text.slice(s, a);
    if (local.startsWith('.') || local.endsWith('.')) continue;
    const domain = text.slice(a + 1, e).toLowerCase();
    const dot = domain.lastIndexOf('.');
    if (dot <= 0) continue;
    const tld = domain.slice(dot + 1);
    if (tld.length < 2 || !/^[a-z]+$/.test(tld) || NOT_TLDS.has(tld)) continue;
    all.add(`${local.toLowerCase()}@${domain}`);
    found.push({ at: s, local, domain });
  }
  if (all.size < threshold) return;
  for (const f of found) ctx.add('email', ctx.fieldAt(f.at).field, `${f.local.toLowerCase()}@${f.domain}`, maskEmail(f.local, f.domain), 0.9);
}
