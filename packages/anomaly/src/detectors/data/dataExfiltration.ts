// data_exfiltration: a timeline taking out far more response bytes than its own busiest learned
// hour, and far more than the cohort's (the busiest hour of the cohortRank-th busiest timeline,
// so one odd timeline does not set everyone's bar), within one hour or, for a slow drip,
// accumulated over several hours with no one hour holding most of it (that is a burst, and the
// hourly limit judged it). After the learning period a timeline's hours keep teaching both
// baselines once they are `dripHours` old, no hour within `dripHours` of them went over a limit and
// no detector reported the actor since, so neither a burst nor a drip still on its way to a limit
// (nor an account another detector caught) can raise them; what was learned forgets
// with a half-life. A finding names the endpoint that carried most of the bytes, when one did (the
// export an account ran, or an endpoint answering everyone with far too much).
import { z } from 'zod';
import { actorOf } from '../../findingDraft';
import type { Detector, DetectorEnv } from '../../detector';
import { ParsedCache } from '../../parsedCache';
import { addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';
import { decayedValue, offerMax } from './decayedMax';
import type { DecayedMax } from './decayedMax';
import { offerRanked, rankedValue } from './rankedMax';
import type { RankedEntry } from './rankedMax';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A burst is measured over the last hour in slices this long, whatever clock hours it straddles. */
const SLICE = HOUR / 6;
const KEEP = { ttlMs: 30 * DAY };

export const dataExfiltrationConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    ownFactor: z.number().min(1).default(10).describe('How many times its own largest learned hour a timeline must take out.'),
    cohortFactor: z.number().min(1).default(3).describe("How many times the cohort's busiest learned hour it must take out."),
    cohortRank: z
      .number()
      .int()
      .min(1)
      .default(2)
      .describe(
        "The cohort's busiest hour (and drip) is that of its cohortRank-th busiest timeline: one timeline far busier than all others (a scraper that stayed under the limits) does not raise the bar for everyone. 1: the busiest timeline's.",
      ),
    dripHours: z.number().int().min(2).max(48).default(8).describe('Hours a slow drip is accumulated over.'),
    dripFactor: z
      .number()
      .min(1)
      .default(3)
      .describe(
        "How many times the cohort's busiest learned `dripHours` total a slow drip must take out; a timeline whose own learned totals are under that divided by ownFactor need only pass it.",
      ),
    minBytes: z.number().int().min(0).default(1_000_000).describe('Never report less than this many response bytes in an hour.'),
    minDripBytes: z.number().int().min(0).default(500_000).describe('Never report a drip of less than this many response bytes over `dripHours`.'),
    halfLifeMs: z
      .number()
      .int()
      .min(HOUR)
      .default(7 * DAY)
      .describe('After learning, hours that went over no limit keep teaching; a learned busiest hour or drip weighs half after this long (event time).'),
  })
  .strict();

export type DataExfiltrationConfig = z.output<typeof dataExfiltrationConfigSchema>;

/** A timeline's busiest hour and `dripHours` learned, the hours it was active in that have not taught yet, and the last hour it went over a limit. */
interface Own {
  hour: DecayedMax;
  drip: DecayedMax;
  /** Day (event time) of the last write, so a steady value is written again before its TTL ends. */
  day: number;
  pending: number[];
  over: number | undefined;
}

/** The busiest timelines' busiest hour and `dripHours` (cohortRank of each), and the day of the last write. */
interface Cohort {
  hour: RankedEntry[];
  drip: RankedEntry[];
  day: number;
}

/** A timeline stored as JSON: [hour, hourAt, drip, dripAt, day, pending, over]. */
type Stored = [number, number, number, number, number, number[]?, (number | null)?];
/** The cohort stored as JSON: [day, [timeline, hour, hourAt]..., [timeline, drip, dripAt]...]. */
type StoredCohort = [number, Array<[string, number, number]>, Array<[string, number, number]>];

function parse(text: string | undefined, t: number): Own {
  const [hour, hourAt, drip, dripAt, day, pending, over] = text === undefined ? [0, t, 0, t, -1] : (JSON.parse(text) as Stored);
  return { hour: { value: hour, at: hourAt }, drip: { value: drip, at: dripAt }, day, pending: pending ?? [], over: over ?? undefined };
}

function parseCohort(text: string): Cohort {
  const stored = JSON.parse(text) as StoredCohort | Stored;
  const entries = (xs: Array<[string, number, number]>): RankedEntry[] => xs.map(([member, value, at]) => ({ member, value, at }));
  // Written before the cohort was ranked: its busiest, from a timeline no longer known.
  if (typeof stored[1] === 'number') {
    const [hour, hourAt, drip, dripAt, day] = stored as Stored;
    return { hour: entries([['', hour, hourAt]]), drip: entries([['', drip, dripAt]]), day };
  }
  const [day, hour, drip] = stored as StoredCohort;
  return { hour: entries(hour), drip: entries(drip), day };
}

const formatCohort = (c: Cohort): string =>
  JSON.stringify([c.day, c.hour.map((e) => [e.member, e.value, e.at]), c.drip.map((e) => [e.member, e.value, e.at])] satisfies StoredCohort);
/** The endpoint (method and template) behind at least half of the bytes of `members` (`id\tendpoint\tbytes`), with its share. */
function mainEndpoint(members: readonly { member: string }[]): { endpoint: string; share: number } | undefined {
  const bytes = new Map<string, number>();
  let total = 0;
  for (const { member } of members) {
    const last = member.lastIndexOf('\t');
    const endpoint = member.slice(member.indexOf('\t') + 1, last);
    const n = Number(member.slice(last + 1)) || 0;
    bytes.set(endpoint, (bytes.get(endpoint) ?? 0) + n);
    total += n;
  }
  for (const [endpoint, n] of bytes) if (total > 0 && n * 2 >= total) return { endpoint, share: n / total };
  return undefined;
}

const formatOwn = (o: Own): string => JSON.stringify([o.hour.value, o.hour.at, o.drip.value, o.drip.at, o.day, o.pending, o.over ?? null]);

const NO_COHORT = (): Cohort => ({ hour: [], drip: [], day: -1 });

export function createDataExfiltration(config: DataExfiltrationConfig): Detector {
  const H = config.halfLifeMs;
  const cohortKey = 'dx:cohort';
  // Every event with bytes reads its timeline's value and the cohort's: the values last written are
  // kept parsed. Taken values are changed and kept again when written, or kept as read when not changed.
  const owns = new ParsedCache((text) => parse(text, 0), 65_536);
  const cohorts = new ParsedCache(parseCohort, 16);

  const K = config.cohortRank;

  /** Offers an hour's and a drip span's totals; true when either became a new busiest. */
  const offer = (b: Own, hour: number, drip: number, t: number): boolean => {
    const a = offerMax(b.hour, hour, t, H);
    const d = offerMax(b.drip, drip, t, H);
    return a || d;
  };

  /** Teaches the cohort a timeline's totals, writing it when it changed or has not been written today. */
  async function teachCohort(env: DetectorEnv, tl: string, hour: number, drip: number, t: number): Promise<void> {
    const text = await env.state.get(cohortKey, t);
    const cohort = text === undefined ? NO_COHORT() : cohorts.take(cohortKey, text);
    const day = Math.floor(t / DAY);
    const a = offerRanked(cohort.hour, tl, hour, t, K, H);
    const d = offerRanked(cohort.drip, tl, drip, t, K, H);
    if (!a && !d && cohort.day === day) {
      // Unchanged: offerRanked changes nothing when it answers false.
      if (text !== undefined) cohorts.keep(cohortKey, text, cohort);
      return;
    }
    cohort.day = day;
    await cohorts.write(env.state, cohortKey, formatCohort(cohort), cohort, { now: t, ...KEEP });
  }

  /**
   * Teaches the timeline's active hours that are now `dripHours` old: every drip span holding them
   * has been judged. An hour within `dripHours` of one that went over teaches nothing, nor does one
   * whose actor any detector reported since (or within anomaly.learningHoldMs before it).
   */
  async function teachOldHours(env: DetectorEnv, actorKey: string, tl: string, hoursKey: string, own: Own, current: number): Promise<boolean> {
    let changed = false;
    while (own.pending.length > 0 && own.pending[0]! <= current - config.dripHours) {
      const h = own.pending.shift()!;
      changed = true;
      if (own.over !== undefined && Math.abs(own.over - h) < config.dripHours) continue;
      if (!env.windowMayTeach(actorKey, h * HOUR)) {
        env.counters.inc('anomaly_learning_held_total');
        continue;
      }
      const end = (h + 1) * HOUR - 1;
      const hour = await env.state.sumWindows(hoursKey, end, HOUR, 1);
      const drip = await env.state.sumWindows(hoursKey, end, HOUR, config.dripHours);
      offer(own, hour, drip, end);
      await teachCohort(env, tl, hour, drip, end);
    }
    return changed;
  }

  /** Whether no hour of the drip span before the current one holds half of `drip` (the current hour is the caller's). */
  async function spread(env: DetectorEnv, hoursKey: string, t: number, drip: number): Promise<boolean> {
    for (let k = 1; k < config.dripHours; k++) if ((await env.state.sumWindows(hoursKey, t - k * HOUR, HOUR, 1)) * 2 > drip) return false;
    return true;
  }

  return {
    name: 'data_exfiltration',
    categories: ['data_exfiltration'],
    async observe(e, t, env) {
      const bytes = e.destination.bytes ?? 0;
      if (bytes === 0 || e.sidetap.actor.kind === 'ip') return [];
      const tl = e.sidetap.session.timeline;
      const ownKey = `dx:b:${tl}`;
      const hoursKey = `dx:h:${tl}`;
      const slicesKey = `dx:m:${tl}`;
      const hour = await env.state.incrWindow(hoursKey, t, HOUR, bytes);
      const drip = await env.state.sumWindows(hoursKey, t, HOUR, config.dripHours);
      const current = Math.floor(t / HOUR);
      const day = Math.floor(t / DAY);
      const ownText = await env.state.get(ownKey, t);
      const own = ownText === undefined ? parse(undefined, t) : owns.take(ownKey, ownText);
      /** Writes the timeline's value when it changed (or to renew it daily); kept as read otherwise. */
      const saveOwn = async (changed: boolean): Promise<void> => {
        if (!changed && own.day === day) {
          if (ownText !== undefined) owns.keep(ownKey, ownText, own);
          return;
        }
        own.day = day;
        await owns.write(env.state, ownKey, formatOwn(own), own, { now: t, ...KEEP });
      };
      if (env.learning(t)) {
        // While learning everything teaches, as it comes.
        const changed = offer(own, hour, drip, t);
        await teachCohort(env, tl, hour, drip, t);
        await saveOwn(changed);
        return [];
      }
      // Clock hours teach; the slices (after learning only) judge bursts.
      await env.state.incrWindow(slicesKey, t, SLICE, bytes);
      let dirty = await teachOldHours(env, e.sidetap.actor_key, tl, hoursKey, own, current);
      if (own.pending[own.pending.length - 1] !== current) {
        own.pending.push(current);
        dirty = true;
      }
      const ownHour = decayedValue(own.hour, t, H);
      const ownDrip = decayedValue(own.drip, t, H);
      const cohortText = await env.state.get(cohortKey, t);
      const cohort = cohortText === undefined ? NO_COHORT() : cohorts.peek(cohortKey, cohortText);
      const cohortHour = rankedValue(cohort.hour, t, K, H);
      const cohortDrip = rankedValue(cohort.drip, t, K, H);
      const hourLimit = Math.max(config.minBytes, ownHour * config.ownFactor, cohortHour * config.cohortFactor);
      // A drip is judged against the most the cohort took in such a span (or the timeline itself, when
      // busier), its own reported beside it. A timeline whose learned spans are an order of magnitude
      // (ownFactor) under the cohort's is held to the cohort's itself: going past it is far from its
      // habit, however busy others are.
      const quiet = ownDrip > 0 && ownDrip * config.ownFactor < cohortDrip;
      const dripLimit = Math.max(config.minDripBytes, Math.max(ownDrip, cohortDrip) * (quiet ? 1 : config.dripFactor));
      // A burst is what the last 60 minutes took (in slices), so one that straddles the turn of the
      // hour is judged whole; it is read only when the span could hold that much.
      const burst = drip > hourLimit ? Math.max(hour, await env.state.sumWindows(slicesKey, t, SLICE, 6)) : hour;
      // A drip is spread over its span: when one hour (this one or an earlier one) holds half of it,
      // it is a burst, still on its way to the hourly limit or already judged by it, with change around it.
      const over =
        burst > hourLimit
          ? { taken: burst, limit: hourLimit, span: '1 hour', own: ownHour, cohort: cohortHour }
          : drip > dripLimit && hour * 2 <= drip && (await spread(env, hoursKey, t, drip))
            ? { taken: drip, limit: dripLimit, span: `${config.dripHours} hours`, own: ownDrip, cohort: cohortDrip }
            : undefined;
      if (over !== undefined && own.over !== current) {
        own.over = current;
        dirty = true;
      }
      await saveOwn(dirty);
      // Evidence is only kept once the timeline is past a tenth of a limit, with what each endpoint carried.
      if (hour * 10 < hourLimit && drip * 10 < dripLimit) return [];
      const span = config.dripHours * HOUR;
      const bytesKey = `dx:x:${tl}`;
      await addToWindow(env.state, `dx:e:${tl}`, t, evidenceMember(e), span);
      await env.state.zAdd(bytesKey, t, `${e.event.id}\t${e.http.request.method} ${e.sidetap.endpoint}\t${bytes}`);
      await env.state.zTrim(bytesKey, t - span);
      if (over === undefined || !(await firstFiring(env.state, `dx:fired:${tl}`, t, span))) return [];
      const ev = await windowEvidence(env.state, `dx:e:${tl}`, t - span, t);
      const main = mainEndpoint(await env.state.zRange(bytesKey, t - span, t, 10_000));
      const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
      const from = main === undefined ? '' : `; ${Math.round(main.share * 100)}% of it from ${main.endpoint}`;
      return [
        {
          detector: 'data_exfiltration',
          rule: { id: `data_exfiltration.${over.span === '1 hour' ? 'burst' : 'drip'}`, name: 'Far more data out than the baseline', category: 'data_exfiltration' },
          severity: 3,
          confidence: Math.min(1, over.taken / (over.limit * 2)),
          owasp: 'API3:2023',
          techniques: ['T1567'],
          ...actorOf(e, false),
          ...(main === undefined ? {} : { endpoint: main.endpoint.slice(main.endpoint.indexOf(' ') + 1) }),
          window: { start: ev.start, end: ev.end },
          exchangeIds: ev.exchangeIds,
          excerpts: ev.excerpts,
          observed: `${mb(over.taken)} in ${over.span}`,
          expected: `under ${mb(over.limit)} (own busiest learned ${over.span} ${mb(over.own)}, the cohort's ${mb(over.cohort)})`,
          message: `${tl} took out ${mb(over.taken)} of responses in ${over.span}${from}; its busiest learned ${over.span} was ${mb(over.own)} and the cohort's ${mb(over.cohort)}.`,
        },
      ];
    },
  };
}
