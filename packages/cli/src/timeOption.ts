// --since / --until values: ISO 8601 dates or date-times, read as UTC when they name no zone,
// because findings carry event time in UTC and the machine's zone has nothing to do with it; or an
// age such as 24h, which the caller counts back from the newest finding (replays are of the past).
import { UsageError } from './usageError';

const ISO_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;
const AGE = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/;
const AGE_UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Epoch milliseconds and the canonical ISO text of a time flag's value. */
export function parseTimeOption(flag: string, text: string): { ms: number; iso: string } {
  const m = ISO_TIME.exec(text.trim());
  const ms = m === null ? NaN : Date.parse(`${m[1]}T${m[2] ?? '00:00'}${m[3] ?? 'Z'}`);
  // V8 rolls impossible days over (2024-02-30 becomes 1 March); a real date survives the round trip.
  const day = m === null ? NaN : Date.parse(`${m[1]}T00:00Z`);
  const realDate = !Number.isNaN(day) && new Date(day).toISOString().startsWith(m![1]!);
  if (Number.isNaN(ms) || !realDate) {
    throw new UsageError(`${flag}: expected an ISO 8601 date or time such as 2024-05-01 or 2024-05-01T12:00:00Z, got "${text}".`);
  }
  return { ms, iso: new Date(ms).toISOString() };
}

/** An ISO 8601 time (`ms`), or an age (`ago`, milliseconds before the newest finding). */
export function parseTimeOrAge(flag: string, text: string): { ms: number; ago?: number } {
  const m = AGE.exec(text.trim());
  if (m !== null) return { ms: NaN, ago: Number(m[1]) * AGE_UNIT_MS[m[2] as keyof typeof AGE_UNIT_MS] };
  try {
    return { ms: parseTimeOption(flag, text).ms };
  } catch {
    throw new UsageError(`${flag}: expected an ISO 8601 time such as 2024-05-01T12:00:00Z or an age such as 24h or 7d (before the newest finding), got "${text}".`);
  }
}
