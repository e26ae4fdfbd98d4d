// What off_hours knows of an account's day, in one state-store value: on how many local days it
// was active, and on how many of them in each local hour (a day counts once per hour, however many
// requests it held), both forgetting with a half-life; the longitude it is usually seen at, which
// sets its local solar clock; and the hour it is active in right now that has not taught yet.
// The population's profile has the same counts over every account's days, in each one's own clock.
import { decayFactor } from '../data/decayedMax';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Distinct active days counted; past it the count only says "long enough". */
const MAX_DAYS = 10_000;

export interface HourCounts {
  /** Active days, decayed. */
  days: number;
  /** Per local hour: active days that used it, decayed. */
  hours: number[];
  /** Event time the decayed counts stand at. */
  at: number;
}

export interface AccountProfile extends HourCounts {
  /** Distinct local days active, not decayed (how long a routine has been watched). */
  seen: number;
  /** The local day of the latest activity, and the hours (bits) that day already taught. */
  day: number;
  mask: number;
  /** The hours (bits) the day before it taught, when it was the day before. */
  lastMask: number;
  /** Hours (bits) of the latest day taught without letting activity carry on from them. */
  counted?: number;
  /** Sum of unit vectors of the longitudes it was seen at, decayed: its home, and so its clock. */
  lon: [number, number];
  /** An hour it has never used, withheld from teaching until it is over: [day, hour, reported]. */
  pending: [number, number, boolean] | undefined;
}

export function emptyCounts(t: number): HourCounts {
  return { days: 0, hours: new Array<number>(24).fill(0), at: t };
}

export function parseProfile(text: string | undefined, t: number): AccountProfile {
  if (text === undefined) return { ...emptyCounts(t), seen: 0, day: -1, mask: 0, lastMask: 0, lon: [0, 0], pending: undefined };
  return JSON.parse(text) as AccountProfile;
}

/** A copy to change, leaving `p` (kept parsed for the next read) as it was. */
export function copyProfile(p: AccountProfile): AccountProfile {
  const { pending } = p;
  return {
    days: p.days,
    hours: p.hours.slice(),
    at: p.at,
    seen: p.seen,
    day: p.day,
    mask: p.mask,
    lastMask: p.lastMask,
    counted: p.counted ?? 0,
    lon: [p.lon[0], p.lon[1]],
    pending: pending === undefined ? undefined : [pending[0], pending[1], pending[2]],
  };
}

export function parseCounts(text: string | undefined, t: number): HourCounts {
  return text === undefined ? emptyCounts(t) : (JSON.parse(text) as HourCounts);
}

/** Brings decayed counts (and an account's home) to event time t. */
export function age(c: HourCounts | AccountProfile, t: number, halfLifeMs: number): void {
  const f = decayFactor(c.at, t, halfLifeMs);
  if (f === 1) return;
  c.days *= f;
  for (let h = 0; h < 24; h++) c.hours[h]! *= f;
  if ('lon' in c) c.lon = [c.lon[0] * f, c.lon[1] * f];
  c.at = t;
}

/** Local solar hour offset (whole hours) of the account's home; 0 (UTC) while no longitude was seen. */
export function offsetOf(p: AccountProfile): number {
  const [x, y] = p.lon;
  return x === 0 && y === 0 ? 0 : Math.round(Math.atan2(y, x) / Math.PI * 12);
}

export const localDay = (t: number, offset: number): number => Math.floor((t + offset * HOUR) / DAY);
export const localHour = (t: number, offset: number): number => (((new Date(t).getUTCHours() + offset) % 24) + 24) % 24;

/**
 * Teaches an active hour of a local day; returns which of the population's counts it adds to (a new
 * day, a new hour of the day), for the caller to pass on. `carry`: whether later activity may carry
 * on from it (not for a withheld hour taught once over: an intruder pacing its requests under
 * minRequests must not walk through the night on them).
 */
export function teach(p: AccountProfile, day: number, hour: number, t: number, halfLifeMs: number, carry = true): { newDay: boolean; newHour: boolean } {
  age(p, t, halfLifeMs);
  let newDay = false;
  if (day > p.day) {
    p.lastMask = day === p.day + 1 ? p.mask : 0;
    p.day = day;
    p.mask = 0;
    p.counted = 0;
    p.days += 1;
    p.seen = Math.min(MAX_DAYS, p.seen + 1);
    newDay = true;
  }
  const bit = 1 << hour;
  const counted = (p.counted ?? 0) & bit;
  const newHour = day === p.day && (p.mask & bit) === 0 && counted === 0;
  if (newHour) {
    if (carry) p.mask |= bit;
    else p.counted = (p.counted ?? 0) | bit;
  }
  // An hour of an earlier day (a withheld hour taught once it was over) still counts for that hour.
  if (newHour || day < p.day) p.hours[hour]! += 1;
  return { newDay, newHour: newHour || day < p.day };
}

/** Whether the account already taught the hour before this one (yesterday's 23:00 for 00:00): its activity carries on. */
export function carriesOn(p: AccountProfile, day: number, hour: number): boolean {
  if (hour > 0) return p.day === day && (p.mask & (1 << (hour - 1))) !== 0;
  return (p.day === day && (p.lastMask & (1 << 23)) !== 0) || (p.day === day - 1 && (p.mask & (1 << 23)) !== 0);
}

/** Adds a longitude it was seen at (the profile aged to now first). */
export function seenAt(p: AccountProfile, lonDegrees: number): void {
  const rad = (lonDegrees * Math.PI) / 180;
  p.lon = [p.lon[0] + Math.cos(rad), p.lon[1] + Math.sin(rad)];
}

/** The share of its active days the account used the hour, or any within `margin` hours of it, on. */
export function ownShare(p: AccountProfile, hour: number, margin: number): number {
  if (p.days <= 0) return 1;
  let n = 0;
  for (let d = -margin; d <= margin; d++) n += p.hours[(((hour + d) % 24) + 24) % 24]!;
  return n / p.days;
}

/**
 * How busy the hour is for the population: its share of the active account-days against the mean
 * hour's (1), each neighbouring hour counting half, since people wake and sleep over a span.
 */
export function populationLevel(c: HourCounts, hour: number): number {
  const total = c.hours.reduce((a, b) => a + b, 0);
  if (total <= 0) return 1;
  const n = (h: number): number => c.hours[(h + 24) % 24]!;
  return (24 * (n(hour) + 0.5 * (n(hour - 1) + n(hour + 1)))) / (2 * total);
}
