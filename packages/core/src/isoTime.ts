// Reading back the timestamps sidetap writes (`new Date(ms).toISOString()`: 2023-11-14T22:13:20.000Z).
// Several stages read every event's `@timestamp`, and Date.parse, which must try every format it
// knows, costs several times the arithmetic of this one form. Anything not exactly in it goes to
// Date.parse, so the answer is always Date.parse's.

const ZERO = 48;

/** Two ASCII digits at i as a number, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - ZERO;
  const b = s.charCodeAt(i + 1) - ZERO;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Days from 1970-01-01 to the first of month m (1-12) of year y (proleptic Gregorian). */
function daysToMonth(y: number, m: number): number {
  // Years counted from March, so the leap day ends a year (H. Hinnant's days_from_civil).
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Milliseconds since the epoch of an ISO 8601 time, exactly as Date.parse reads it (NaN when it
 * cannot); the form sidetap writes (`YYYY-MM-DDTHH:MM:SS.mmmZ`) is read without Date.parse.
 */
export function parseIsoTime(text: string): number {
  if (
    text.length !== 24 ||
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || // T
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 46 || // .
    text.charCodeAt(23) !== 90 // Z
  ) {
    return Date.parse(text);
  }
  const hi = two(text, 0);
  const lo = two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  const c = text.charCodeAt(20) - ZERO;
  const ms2 = two(text, 21);
  // Date.parse rolls days 29-31 over into the next month, as this arithmetic does; hour 24 and
  // anything out of range are left to it.
  if (
    hi < 0 ||
    lo < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59 ||
    c < 0 ||
    c > 9 ||
    ms2 < 0
  ) {
    return Date.parse(text);
  }
  const days = daysToMonth(hi * 100 + lo, month) + day - 1;
  return days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + c * 100 + ms2;
}
