// data_exfiltration: a timeline taking out far more response bytes than its own busiest learned
// hour, and far more than any timeline's (its cohort), within one hour or, for a slow drip,
// accumulated over several hours. After the learning period a timeline's hours keep teaching both
// baselines once they are `dripHours` old and no hour within `dripHours` of them went over a limit,
// so neither a burst nor a drip still on its way to a limit can raise it; what was learned forgets
// with a half-life.
import { z } from 'zod';
import { actorOf } from '../../findingDraft';
import type { Detector, DetectorEnv } from '../../detector';
import { addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';
import { decayedValue, offerMax } from './decayedMax';
import type { DecayedMax } from './decayedMax';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const KEEP = { ttlMs: 30 * DAY };

export const dataExfiltrationConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    ownFactor: z.number().min(1).default(10).describe('How many times its own largest learned hour a timeline must take out.'),
    cohortFactor: z.number().min(1).default(3).describe('How many times the largest learned hour of any timeline it must take out.'),
    dripHours: z.number().int().min(2).max(48).default(8).describe('Hours a slow drip is accumulated over.'),
    dripFactor: z
      .number()
      .min(1)
      .default(3)
      .describe(
        'How many times the largest learned `dripHours` total of any timeline a slow drip must take out; a timeline whose own learned totals are under that largest divided by ownFactor need only pass it.',
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

/** Busiest hour and busiest `dripHours` learned, of one timeline or of all of them (the cohort). */
interface Busiest {
  hour: DecayedMax;
  drip: DecayedMax;
  /** Day (event time) of the last write, so a steady value is written again before its TTL ends. */
  day: number;
}

/** A timeline's busiest, the hours it was active in that have not taught yet, and the last hour it went over a limit. */
interface Own extends Busiest {
  pending: number[];
  over: number | undefined;
}

/** Stored as JSON: [hour, hourAt, drip, dripAt, day] for the cohort, plus [pending, over] for a timeline. */
type Stored = [number, number, number, number, number, number[]?, (number | null)?];

function parse(text: string | undefined, t: number): Own {
  const [hour, hourAt, drip, dripAt, day, pending, over] = text === undefined ? [0, t, 0, t, -1] : (JSON.parse(text) as Stored);
  return { hour: { value: hour, at: hourAt }, drip: { value: drip, at: dripAt }, day, pending: pending ?? [], over: over ?? undefined };
}

const formatBusiest = (b: Busiest): string => JSON.stringify([b.hour.value, b.hour.at, b.drip.value, b.drip.at, b.day]);
const formatOwn = (o: Own): string => JSON.stringify([o.hour.value, o.hour.at, o.drip.value, o.drip.at, o.day, o.pending, o.over ?? null]);

export function createDataExfiltration(config: DataExfiltrationConfig): Detector {
  const H = config.halfLifeMs;
  const cohortKey = 'dx:cohort';

  /** Offers an hour's and a drip span's totals; true when either became a new busiest. */
  const offer = (b: Busiest, hour: number, drip: number, t: number): boolean => {
    const a = offerMax(b.hour, hour, t, H);
    const d = offerMax(b.drip, drip, t, H);
    return a || d;
  };

  /** Teaches the cohort, writing it when it changed or has not been written today. */
  async function teachCohort(env: DetectorEnv, hour: number, drip: number, t: number): Promise<void> {
    const cohort = parse(await env.state.get(cohortKey, t), t);
    const day = Math.floor(t / DAY);
    if (!offer(cohort, hour, drip, t) && cohort.day === day) return;
    cohort.day = day;
    await env.state.set(cohortKey, formatBusiest(cohort), { now: t, ...KEEP });
  }

  /**
   * Teaches the timeline's active hours that are now `dripHours` old: every drip span holding them
   * has been judged. An hour within `dripHours` of one that went over teaches nothing.
   */
  async function teachOldHours(env: DetectorEnv, tl: string, own: Own, current: number): Promise<boolean> {
    let changed = false;
    while (own.pending.length > 0 && own.pending[0]! <= current - config.dripHours) {
      const h = own.pending.shift()!;
      changed = true;
      if (own.over !== undefined && Math.abs(own.over - h) < config.dripHours) continue;
      const end = (h + 1) * HOUR - 1;
      const hour = await env.state.sumWindows(`dx:h:${tl}`, end, HOUR, 1);
      const drip = await env.state.sumWindows(`dx:h:${tl}`, end, HOUR, config.dripHours);
      offer(own, hour, drip, end);
      await teachCohort(env, hour, drip, end);
    }
    return changed;
  }

  return {
    name: 'data_exfiltration',
    categories: ['data_exfiltration'],
    async observe(e, t, env) {
      const bytes = e.destination.bytes ?? 0;
      if (bytes === 0 || e.sidetap.actor.kind === 'ip') return [];
      const tl = e.sidetap.session.timeline;
      const ownKey = `dx:b:${tl}`;
      const hour = await env.state.incrWindow(`dx:h:${tl}`, t, HOUR, bytes);
      const drip = await env.state.sumWindows(`dx:h:${tl}`, t, HOUR, config.dripHours);
      const own = parse(await env.state.get(ownKey, t), t);
      const current = Math.floor(t / HOUR);
      const day = Math.floor(t / DAY);
      if (env.learning(t)) {
        // While learning everything teaches, as it comes.
        const changed = offer(own, hour, drip, t);
        await teachCohort(env, hour, drip, t);
        if (changed || own.day !== day) {
          own.day = day;
          await env.state.set(ownKey, formatOwn(own), { now: t, ...KEEP });
        }
        return [];
      }
      let dirty = await teachOldHours(env, tl, own, current);
      if (own.pending[own.pending.length - 1] !== current) {
        own.pending.push(current);
        dirty = true;
      }
      const ownHour = decayedValue(own.hour, t, H);
      const ownDrip = decayedValue(own.drip, t, H);
      const cohort = parse(await env.state.get(cohortKey, t), t);
      const cohortHour = decayedValue(cohort.hour, t, H);
      const cohortDrip = decayedValue(cohort.drip, t, H);
      const hourLimit = Math.max(config.minBytes, ownHour * config.ownFactor, cohortHour * config.cohortFactor);
      // A drip is judged against the most anyone took in such a span, its own reported beside it. A
      // timeline whose learned spans are an order of magnitude (ownFactor) under that busiest is held
      // to the busiest itself: going past it is far from its habit, however busy others are.
      const quiet = ownDrip > 0 && ownDrip * config.ownFactor < cohortDrip;
      const dripLimit = Math.max(config.minDripBytes, cohortDrip * (quiet ? 1 : config.dripFactor));
      const over =
        hour > hourLimit
          ? { taken: hour, limit: hourLimit, span: '1 hour', own: ownHour, cohort: cohortHour }
          : // Most of it from earlier hours, or it is a burst still on its way to the hourly limit.
            drip > dripLimit && hour * 2 <= drip
            ? { taken: drip, limit: dripLimit, span: `${config.dripHours} hours`, own: ownDrip, cohort: cohortDrip }
            : undefined;
      if (over !== undefined && own.over !== current) {
        own.over = current;
        dirty = true;
      }
      if (dirty || own.day !== day) {
        own.day = day;
        await env.state.set(ownKey, formatOwn(own), { now: t, ...KEEP });
      }
      // Evidence is only kept once the timeline is past a tenth of a limit.
      if (hour * 10 < hourLimit && drip * 10 < dripLimit) return [];
      await addToWindow(env.state, `dx:e:${tl}`, t, evidenceMember(e), config.dripHours * HOUR);
      if (over === undefined || !(await firstFiring(env.state, `dx:fired:${tl}`, t, config.dripHours * HOUR))) return [];
      const ev = await windowEvidence(env.state, `dx:e:${tl}`, t - config.dripHours * HOUR, t);
      const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
      return [
        {
          detector: 'data_exfiltration',
          rule: { id: `data_exfiltration.${over.span === '1 hour' ? 'burst' : 'drip'}`, name: 'Far more data out than the baseline', category: 'data_exfiltration' },
          severity: 3,
          confidence: Math.min(1, over.taken / (over.limit * 2)),
          owasp: 'API3:2023',
          techniques: ['T1567'],
          ...actorOf(e, false),
          window: { start: ev.start, end: ev.end },
          exchangeIds: ev.exchangeIds,
          excerpts: ev.excerpts,
          observed: `${mb(over.taken)} in ${over.span}`,
          expected: `under ${mb(over.limit)} (own busiest learned ${over.span} ${mb(over.own)}, any timeline's ${mb(over.cohort)})`,
          message: `${tl} took out ${mb(over.taken)} of responses in ${over.span}; its busiest learned ${over.span} was ${mb(over.own)} and any timeline's ${mb(over.cohort)}.`,
        },
      ];
    },
  };
}
