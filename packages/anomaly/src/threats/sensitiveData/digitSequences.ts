// Cards, SSNs and phone numbers from one pass over the digits of a body: each run of digit groups
// joined by short separators (4111 1111 1111 1111, 123-45-6789, +44 20 7946 0958) is read once,
// then judged by its grouping, checksum, issuer range and the name of the field it sits in.
import { cardBrand, cardGrouping, luhnValid } from './cardNumbers';
import { isCardName, isIdLikeName, isPhoneName, isSsnName } from './fieldNames';
import { maskCard, maskPhone, maskSsn } from './masking';
import { ssnValid } from './nationalIds';
import type { ScanContext } from './scanContext';

const MAX_GROUPS = 12;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isWordChar(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function isSeparator(c: number): boolean {
  return c === 0x20 || c === 0x2d || c === 0x2e || c === 0x28 || c === 0x29;
}

/** One run of digit groups, reused between runs so the scan allocates only for candidates. */
interface Run {
  start: number;
  end: number;
  /** Offsets where each group starts and ends. */
  gStart: number[];
  gEnd: number[];
  /** Separator text between group i and i+1 (one or two characters). */
  seps: string[];
}

export interface DigitScanOptions {
  /** Phone numbers are judged only when a response holds at least this many candidates (bulk personal data). */
  bulkPhones: number;
}

interface PhoneCandidate {
  start: number;
  digits: string;
  /** Written after '+' or with a (212) area code: a phone by its shape, whatever its field. */
  shaped: boolean;
}

const MAX_PHONE_CANDIDATES = 50_000;

/**
 * Seven digits joined by at most two separator characters each: every run judged below (7 digits
 * or more, groups joined by one or two separators) holds this, so a body without it has nothing
 * to judge, and the regular expression finds that out faster than the walk.
 */
const SEVEN_DIGITS = /\d(?:[ ().-]{0,2}\d){6}/;

/** Scans `text` for card numbers, SSNs and bulk phone numbers, adding hits to `ctx`. */
export function scanDigitSequences(ctx: ScanContext, options: DigitScanOptions): void {
  const text = ctx.text;
  if (!SEVEN_DIGITS.test(text)) return;
  const n = text.length;
  const run: Run = { start: 0, end: 0, gStart: [], gEnd: [], seps: [] };
  const phones: PhoneCandidate[] = [];
  let i = 0;
  while (i < n) {
    if (!isDigit(text.charCodeAt(i))) {
      i++;
      continue;
    }
    // Most runs (ids, prices, quantities) hold too few digits to be judged: measure the run
    // first, and record its groups only when it could be a card, an SSN or a phone.
    const short = shortRunEnd(text, i);
    if (short >= 0) {
      i = short;
      continue;
    }
    run.start = i;
    // Only when they hold something: setting an array's length is a runtime call even when it is 0.
    if (run.gStart.length !== 0) run.gStart.length = 0;
    if (run.gEnd.length !== 0) run.gEnd.length = 0;
    if (run.seps.length !== 0) run.seps.length = 0;
    let j = i;
    let digits = 0;
    for (;;) {
      const g = j;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      run.gStart.push(g);
      run.gEnd.push(j);
      digits += j - g;
      if (run.gStart.length >= MAX_GROUPS || j >= n || !isSeparator(text.charCodeAt(j))) break;
      // One or two separator characters, such as "-", " ", ") ", then a digit.
      let k = j + 1;
      if (k < n && isSeparator(text.charCodeAt(k)) && text.charCodeAt(k) !== text.charCodeAt(j)) k++;
      if (k >= n || !isDigit(text.charCodeAt(k))) break;
      run.seps.push(text.slice(j, k));
      j = k;
    }
    run.end = j;
    i = j;
    if (digits >= 7) judgeRun(ctx, run, phones);
  }
  // Naming each candidate's field costs a parse of the body: only worth it when there could be enough.
  if (phones.length < options.bulkPhones) return;
  for (const p of phones) {
    const at = ctx.fieldAt(p.start);
    if (p.shaped || isPhoneName(at.name)) ctx.add('phone', at.field, p.digits, maskPhone(p.digits), 0.8);
  }
  if (ctx.distinct('phone') < options.bulkPhones) ctx.drop('phone');
}

/**
 * The end of the run starting at `i` when it holds fewer than 7 digits (never judged), else -1.
 * Walks groups and separators exactly as the recording loop does, without allocating.
 */
function shortRunEnd(text: string, i: number): number {
  const n = text.length;
  let j = i;
  let digits = 0;
  let groups = 0;
  for (;;) {
    const g = j;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    groups++;
    digits += j - g;
    if (digits >= 7) return -1;
    if (groups >= MAX_GROUPS || j >= n || !isSeparator(text.charCodeAt(j))) return j;
    let k = j + 1;
    if (k < n && isSeparator(text.charCodeAt(k)) && text.charCodeAt(k) !== text.charCodeAt(j)) k++;
    if (k >= n || !isDigit(text.charCodeAt(k))) return j;
    j = k;
  }
}

function judgeRun(ctx: ScanContext, run: Run, phones: PhoneCandidate[]): void {
  const text = ctx.text;
  const before = run.start > 0 ? text.charCodeAt(run.start - 1) : 0x20;
  const after = run.end < text.length ? text.charCodeAt(run.end) : 0x20;
  // Glued to a word (ord_4111..., a hex digest, base64): part of an identifier, not a number.
  if (isWordChar(before) || isWordChar(after)) return;
  // A fraction (0.4111...) or a path segment (/orders/4111...).
  if (before === 0x2f || after === 0x2f || (before === 0x2e && run.start > 1 && isDigit(text.charCodeAt(run.start - 2)))) return;
  const groups = run.gStart.length;
  const found = judgeWindows(ctx, run, groups);
  if (!found && phones.length < MAX_PHONE_CANDIDATES) phoneCandidate(ctx.text, run, before, phones);
}

function digitsOf(text: string, run: Run, from: number, to: number): string {
  let s = '';
  for (let g = from; g <= to; g++) s += text.slice(run.gStart[g] as number, run.gEnd[g] as number);
  return s;
}

/**
 * Windows of whole groups bounded by spaces (a card printed next to other numbers) or by the run's
 * ends; hyphenated runs are one token (a UUID or a part number) and only judged whole.
 */
function judgeWindows(ctx: ScanContext, run: Run, groups: number): boolean {
  // A run printed whole in a card's shape (4-4-4-4-3) is one number: no part of it is judged alone.
  if (groups > 1 && uniformSeparators(run, 0, groups - 1) !== undefined) {
    const lengths: number[] = [];
    let digits = 0;
    for (let g = 0; g < groups; g++) {
      lengths.push((run.gEnd[g] as number) - (run.gStart[g] as number));
      digits += lengths[g] as number;
    }
    if (digits >= 13 && digits <= 19 && cardGrouping(lengths)) return judgeWindow(ctx, run, 0, groups - 1, digits);
  }
  let found = false;
  for (let a = 0; a < groups; a++) {
    if (a > 0 && run.seps[a - 1] !== ' ') continue;
    let digits = 0;
    for (let b = a; b < groups; b++) {
      digits += (run.gEnd[b] as number) - (run.gStart[b] as number);
      if (digits > 19) break;
      if (b < groups - 1 && run.seps[b] !== ' ') continue;
      if (digits !== 9 && digits < 13) continue;
      // Groups of four running on past the window (a tracking number, a long reference) are one number.
      if ((a > 0 && groupLength(run, a - 1) === 4) || (b < groups - 1 && groupLength(run, b + 1) === 4)) continue;
      if (judgeWindow(ctx, run, a, b, digits)) {
        found = true;
        // Continue after this window: the next card in "card1 card2" starts past it.
        a = b;
        break;
      }
    }
  }
  return found;
}

function groupLength(run: Run, g: number): number {
  return (run.gEnd[g] as number) - (run.gStart[g] as number);
}

function uniformSeparators(run: Run, a: number, b: number): string | undefined {
  if (a === b) return '';
  const sep = run.seps[a] as string;
  if (sep !== ' ' && sep !== '-') return undefined;
  for (let g = a + 1; g < b; g++) if (run.seps[g] !== sep) return undefined;
  return sep;
}

function judgeWindow(ctx: ScanContext, run: Run, a: number, b: number, digitCount: number): boolean {
  const text = ctx.text;
  const sep = uniformSeparators(run, a, b);
  if (sep === undefined) return false;
  const lengths: number[] = [];
  for (let g = a; g <= b; g++) lengths.push((run.gEnd[g] as number) - (run.gStart[g] as number));
  const start = run.gStart[a] as number;
  if (digitCount === 9) return judgeSsn(ctx, run, a, b, lengths, sep, start);
  if (!cardGrouping(lengths)) return false;
  const digits = digitsOf(text, run, a, b);
  if (cardBrand(digits) === undefined || !luhnValid(digits)) return false;
  const at = ctx.fieldAt(start);
  let confidence: number;
  if (isIdLikeName(at.name)) return false;
  else if (isCardName(at.name)) confidence = 0.95;
  else if (sep !== '') confidence = 0.85;
  else {
    // Bare digits after '#' (Order #4111...) name a reference.
    if (start > 0 && text.charCodeAt(start - 1) === 0x23) return false;
    confidence = 0.7;
  }
  ctx.add('card', at.field, digits, maskCard(digits), confidence);
  return true;
}

function judgeSsn(ctx: ScanContext, run: Run, a: number, b: number, lengths: number[], sep: string, start: number): boolean {
  const dashed = sep === '-' && lengths.length === 3 && lengths[0] === 3 && lengths[1] === 2 && lengths[2] === 4;
  const spaced = sep === ' ' && lengths.length === 3 && lengths[0] === 3 && lengths[1] === 2 && lengths[2] === 4;
  if (!dashed && !spaced && lengths.length !== 1) return false;
  const digits = digitsOf(ctx.text, run, a, b);
  if (!ssnValid(digits)) return false;
  const at = ctx.fieldAt(start);
  let confidence: number;
  if (isSsnName(at.name)) confidence = 0.95;
  else if (!dashed || isIdLikeName(at.name)) return false;
  else confidence = 0.6;
  ctx.add('ssn', at.field, digits, maskSsn(digits), confidence);
  return true;
}

/**
 * A phone number: 8 to 15 digits written after '+' (E.164), a (212) 555-0100 area code, or any
 * 7 to 15 digits in a field named phone, mobile, tel or fax (checked later, with the field).
 */
function phoneCandidate(text: string, run: Run, before: number, phones: PhoneCandidate[]): void {
  const digits = digitsOf(text, run, 0, run.gStart.length - 1);
  const len = digits.length;
  if (len < 7 || len > 15) return;
  const plus = before === 0x2b && len >= 8;
  const area = before === 0x28 && (run.seps[0]?.startsWith(')') ?? false) && len >= 10;
  phones.push({ start: run.start, digits, shaped: plus || area });
}
