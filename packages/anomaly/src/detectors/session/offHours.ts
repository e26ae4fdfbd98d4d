// off_hours: an account busy at an hour of ITS OWN day it never uses, when hardly anyone is up.
// An account is the JWT subject when tokens name one (so its app, its browser and every login
// share one routine), else the timeline; only those that name a user are judged. Hours are local solar hours from the longitude it is
// usually seen at (so a Sydney user and a Chicago user are judged on their own nights, and an
// attacker abroad on the victim's clock), and they are counted in days: on how many of its active
// days the account used each hour. Judged only once the routine is old enough (minActiveDays
// distinct active days): after one day a night owl and an intruder look alike. Three things must
// agree: the account used neither the hour nor the hours around it (marginHours) on almost any of
// its days, and its activity does not carry on from the hour before (a long evening running late);
// the hour is night for the population (its share of the active days of returning, placed
// accounts, each on its own clock); and several requests come in it. Everything keeps learning
// after the learning period and forgets with a half-life; an hour the account never used is
// withheld until it is over, and teaches only if it was not reported (by any detector), so an
// intruder's night never becomes the account's routine.
import { z } from 'zod';
import type { Event } from '@sidetap/core';
import type { Detector, DetectorEnv } from '../../detector';
import { actorOf } from '../../findingDraft';
import { addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';
import { ParsedCache } from '../../parsedCache';
import { age, carriesOn, copyProfile, localDay, localHour, offsetOf, ownShare, parseCounts, parseProfile, populationLevel, seenAt, teach } from './offHoursProfile';
import type { AccountProfile } from './offHoursProfile';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const KEEP = { ttlMs: 60 * DAY };
const POPULATION = 'oh:pop';
/** Active days after which an account's days count for the population. */
const RETURNING_DAYS = 2;
/** At most one finding per account within this (event time). */
const COOLDOWN_MS = 6 * HOUR;

export const offHoursConfigSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Run this detector. It judges an account only once it has watched its routine for minActiveDays days, so it stays silent on shorter captures; an early riser whose week showed only afternoons still sets it off now and then (about one finding in eight on the week-long labelled scenarios).',
      ),
    minActiveDays: z
      .number()
      .int()
      .min(2)
      .default(4)
      .describe('Distinct local days an account must have been active on (while learning or since) before its hours are judged: a routine shows over days, not in one.'),
    maxOwnShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.05)
      .describe('The largest share of its active days the account may have used the hour, or any hour within marginHours of it, on.'),
    marginHours: z
      .number()
      .int()
      .min(0)
      .max(6)
      .default(2)
      .describe("Hours on each side of the hour the account must (almost) never have used either: a routine's edges move by an hour or two from day to day."),
    maxPopulationShare: z
      .number()
      .min(0)
      .max(24)
      .default(0.3)
      .describe("The local hour's share of everyone's active days (each neighbouring hour counting half), against the mean hour's, must be at most this: night for nearly everyone."),
    minRequests: z.number().int().min(1).default(3).describe('Requests the account must make within an hour it never uses before it is reported.'),
    halfLifeMs: z
      .number()
      .int()
      .min(DAY)
      .default(28 * DAY)
      .describe('What was learned of a routine (and of the population\'s) weighs half after this long (event time): a new routine replaces an old one over weeks.'),
  })
  .strict();

export type OffHoursConfig = z.output<typeof offHoursConfigSchema>;

/** The account: a JWT subject names it across devices and logins; otherwise the timeline does. */
function accountOf(e: Event): string {
  const { kind, id } = e.sidetap.actor;
  return kind === 'jwt' && !id.startsWith('h:') ? `jwt:${id}` : e.sidetap.session.timeline;
}

const clock = (h: number): string => `${String(h).padStart(2, '0')}:00`;

export function createOffHours(config: OffHoursConfig): Detector {
  const H = config.halfLifeMs;
  // Every request of an account reads its profile, and most change nothing: the profiles last read
  // or written are kept parsed, and each request changes a copy.
  const profiles = new ParsedCache((text) => parseProfile(text, 0), 65_536);

  async function teachPopulation(env: DetectorEnv, t: number, newDay: boolean, hour: number): Promise<void> {
    const pop = parseCounts(await env.state.get(POPULATION, t), t);
    age(pop, t, H);
    if (newDay) pop.days += 1;
    pop.hours[hour]! += 1;
    await env.state.set(POPULATION, JSON.stringify(pop), { now: t, ...KEEP });
  }

  /** Teaches an active hour; true when the profile changed. */
  async function learnHour(env: DetectorEnv, p: AccountProfile, day: number, hour: number, t: number, lon: number | undefined, carry = true): Promise<boolean> {
    const { newDay, newHour } = teach(p, day, hour, t, H, carry);
    if (!newDay && !newHour) return false;
    // The home is sampled once per new hour: enough to place it, without a write per request.
    if (lon !== undefined) seenAt(p, lon);
    // The population's night is that of people who come back, on their own clocks: an account never
    // placed (a service on the internal network, busy around the clock) has no local hours, and a
    // one-day visitor (a guest, each of a distributed attack's addresses) no routine to add.
    if (p.seen >= RETURNING_DAYS && (p.lon[0] !== 0 || p.lon[1] !== 0)) await teachPopulation(env, t, newDay, hour);
    return true;
  }

  return {
    name: 'off_hours',
    categories: ['off_hours'],
    async observe(e, t, env) {
      if (e.sidetap.actor.kind === 'ip') return [];
      const account = accountOf(e);
      const key = `oh:p:${account}`;
      const text = await env.state.get(key, t);
      const p = text === undefined ? parseProfile(undefined, t) : copyProfile(profiles.peek(key, text));
      const lon = e.source.geo?.location?.lon;
      // An account first seen is placed at once, so not even its first hour is counted on UTC's clock.
      if (p.seen === 0 && p.lon[0] === 0 && p.lon[1] === 0 && lon !== undefined) seenAt(p, lon);
      const offset = offsetOf(p);
      const day = localDay(t, offset);
      const hour = localHour(t, offset);
      let dirty = false;
      const save = async (): Promise<void> => {
        if (dirty) await profiles.write(env.state, key, JSON.stringify(p), copyProfile(p), { now: t, ...KEEP });
      };
      const usedToday = p.day === day && (p.mask & (1 << hour)) !== 0;
      // Activity carrying on from an hour of its routine (a long evening running late) starts nothing new.
      // Only accounts that name a user are judged: an anonymous browser up at night misuses no account.
      const routine =
        env.learning(t) ||
        e.user === undefined ||
        usedToday ||
        carriesOn(p, day, hour) ||
        p.seen < config.minActiveDays ||
        ownShare(p, hour, config.marginHours) > config.maxOwnShare;
      if (routine || populationLevel(parseCounts(await env.state.get(POPULATION, t), t), hour) > config.maxPopulationShare) {
        // Back in its routine: a withheld hour teaches now, unless it was reported (and not as an
        // hour later activity carries on from).
        // Nor does any hour while another detector has just reported the actor (LearningGate).
        const actorKey = e.sidetap.actor_key;
        if (p.pending !== undefined) {
          const [d, h, reported] = p.pending;
          p.pending = undefined;
          dirty = true;
          if (!reported && env.windowMayTeach(actorKey, d * DAY + (h - offset) * HOUR)) await learnHour(env, p, d, h, t, undefined, false);
        }
        if (env.learning(t) || env.windowMayTeach(actorKey, t)) dirty = (await learnHour(env, p, day, hour, t, lon)) || dirty;
        await save();
        return [];
      }
      // An hour the account never uses, at night for nearly everyone: withheld from its routine. One
      // after another (a night's session) they teach nothing.
      if (p.pending === undefined || p.pending[0] !== day || p.pending[1] !== hour) {
        p.pending = [day, hour, false];
        dirty = true;
      }
      const evidenceKey = `oh:e:${account}`;
      if ((await addToWindow(env.state, evidenceKey, t, evidenceMember(e), HOUR)) < config.minRequests) {
        await save();
        return [];
      }
      if (!p.pending[2]) {
        p.pending[2] = true;
        dirty = true;
      }
      await save();
      if (!(await firstFiring(env.state, `oh:fired:${account}`, t, COOLDOWN_MS))) return [];
      const ev = await windowEvidence(env.state, evidenceKey, t - HOUR, t);
      age(p, t, H);
      const usual = p.hours.flatMap((n, h) => (n >= 0.5 ? [h] : []));
      const zone = `local (UTC${offset >= 0 ? '+' : ''}${offset})`;
      const days = Math.round(p.days);
      return [
        {
          detector: 'off_hours',
          rule: { id: 'off_hours.unused_hour', name: 'Active at an hour the account never is', category: 'off_hours' },
          severity: 2,
          confidence: Math.min(1, p.seen / (config.minActiveDays * 2)),
          techniques: ['T1078'],
          ...actorOf(e, true),
          window: { start: ev.start, end: ev.end },
          exchangeIds: ev.exchangeIds,
          excerpts: ev.excerpts,
          observed: `${clock(hour)} ${zone}`,
          expected: `hours used on its ${days} active days: ${usual.join(', ')} ${zone}`,
          message: `${account} made ${ev.exchangeIds.length} requests around ${clock(hour)} ${zone}, a night hour for nearly everyone; on its ${days} active days it used only ${usual.join(', ')} h.`,
        },
      ];
    },
  };
}
