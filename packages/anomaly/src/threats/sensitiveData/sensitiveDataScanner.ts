// Scans one response body sample for sensitive data and returns typed, masked hits. Each family
// has a cheap gate (a digit run, an '@' count, a key or token prefix, a password word) before any
// parsing, work is bounded by maxScanChars, and nothing a hit carries is the raw value.
import { countAt, scanEmails } from './emailAddresses';
import { scanDigitSequences } from './digitSequences';
import { scanIbans } from './ibans';
import { mayHoldPassword, scanPasswordFields, scanRedactedFields } from './passwordFields';
import { ScanContext } from './scanContext';
import type { SensitiveHit } from './scanContext';
import { mayHoldToken, scanSecretTokens } from './secretTokens';
import { SENSITIVE_KINDS } from './sensitiveKinds';

export interface ScanOptions {
  /** Characters of the sample scanned; the rest is ignored (and reported as capped). */
  maxScanChars: number;
  /** Distinct email addresses one response must hold to count as bulk personal data. */
  bulkEmails: number;
  /** Distinct phone numbers one response must hold to count as bulk personal data. */
  bulkPhones: number;
}

export interface ScanResult {
  hits: SensitiveHit[];
  /** The sample was longer than maxScanChars. */
  capped: boolean;
}

export function scanSensitiveData(body: string, options: ScanOptions, mimeType?: string): ScanResult {
  const capped = body.length > options.maxScanChars;
  let text = capped ? body.slice(0, options.maxScanChars) : body;
  if (isForm(text, mimeType)) text = formLines(text);
  const first = firstChar(text);
  const ctx = new ScanContext(text, first === 0x7b || first === 0x5b);
  scanDigitSequences(ctx, { bulkPhones: options.bulkPhones });
  scanIbans(ctx);
  if (mayHoldToken(text)) scanSecretTokens(ctx);
  if (mayHoldPassword(text)) scanPasswordFields(ctx);
  if (text.includes('h:')) scanRedactedFields(ctx);
  if (countAt(text, options.bulkEmails)) scanEmails(ctx, options.bulkEmails);
  const order = (h: SensitiveHit): number => SENSITIVE_KINDS.indexOf(h.kind);
  const hits = ctx.hits().sort((a, b) => order(a) - order(b) || (a.field ?? '').localeCompare(b.field ?? ''));
  return { hits, capped };
}

function firstChar(text: string): number {
  for (let i = 0; i < text.length && i < 1024; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) return c;
  }
  return 0;
}

/** application/x-www-form-urlencoded, or untyped text shaped like it (name=value&..., no spaces). */
function isForm(text: string, mimeType: string | undefined): boolean {
  if (mimeType === 'application/x-www-form-urlencoded') return true;
  if (mimeType !== undefined && mimeType !== 'text/plain') return false;
  const eq = text.indexOf('=');
  if (eq <= 0 || text.indexOf('&') < 0) return false;
  for (let i = 0; i < Math.min(text.length, 512); i++) if (text.charCodeAt(i) <= 0x20) return false;
  return true;
}

/** a=1&card=4111+1111... → "a=1\ncard=4111 1111...": decoded, one pair per line, so names sit before values. */
function formLines(text: string): string {
  return text
    .split('&')
    .map((pair) => {
      const plus = pair.includes('+') ? pair.replace(/\+/g, ' ') : pair;
      if (!plus.includes('%')) return plus;
      try {
        return decodeURIComponent(plus);
      } catch {
        return plus;
      }
    })
    .join('\n');
}
