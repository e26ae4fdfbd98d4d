// data_exfiltration: a timeline taking out far more response bytes than it did while the
// baseline was learned, and far more than any timeline did then (its cohort), within one hour
// or, for a slow drip, accumulated over several hours.
import { z } from 'zod';
import { actorOf } from '../../findingDraft';
import type { Detector } from '../../detector';
import { LearnedValues } from '../../learnedValues';
import { addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';

const HOUR = 3_600_000;

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
      .describe('How many times the largest `dripHours` total any timeline took out while learning a slow drip must take out (its own is never larger).'),
    minBytes: z.number().int().min(0).default(1_000_000).describe('Never report less than this many response bytes in an hour.'),
    minDripBytes: z.number().int().min(0).default(500_000).describe('Never report a drip of less than this many response bytes over `dripHours`.'),
  })
  .strict();

export type DataExfiltrationConfig = z.output<typeof dataExfiltrationConfigSchema>;

export function createDataExfiltration(config: DataExfiltrationConfig): Detector {
  const cohortKey = 'dx:cohort:max';
  const cohortDripKey = 'dx:cohort:drip';
  let learnedValues: LearnedValues | undefined;
  const numberAt = async (env: Parameters<Detector['observe']>[2], key: string, t: number): Promise<number> => {
    learnedValues ??= new LearnedValues(env.state);
    return Number((await learnedValues.get(key, t, env.learning(t))) ?? 0);
  };
  return {
    name: 'data_exfiltration',
    categories: ['data_exfiltration'],
    async observe(e, t, env) {
      const bytes = e.destination.bytes ?? 0;
      if (bytes === 0 || e.sidetap.actor.kind === 'ip') return [];
      const tl = e.sidetap.session.timeline;
      const hour = await env.state.incrWindow(`dx:h:${tl}`, t, HOUR, bytes);
      const ttl = { now: t, ttlMs: 30 * 24 * HOUR };
      const drip = await env.state.sumWindows(`dx:h:${tl}`, t, HOUR, config.dripHours);
      if (env.learning(t)) {
        if (hour > (await numberAt(env, `dx:max:${tl}`, t))) await env.state.set(`dx:max:${tl}`, String(hour), ttl);
        if (hour > (await numberAt(env, cohortKey, t))) await env.state.set(cohortKey, String(hour), ttl);
        if (drip > (await numberAt(env, `dx:drip:${tl}`, t))) await env.state.set(`dx:drip:${tl}`, String(drip), ttl);
        if (drip > (await numberAt(env, cohortDripKey, t))) await env.state.set(cohortDripKey, String(drip), ttl);
        return [];
      }
      const own = await numberAt(env, `dx:max:${tl}`, t);
      const cohort = await numberAt(env, cohortKey, t);
      const hourLimit = Math.max(config.minBytes, own * config.ownFactor, cohort * config.cohortFactor);
      // A drip is judged against the most anyone took in such a span while learning; its own is reported beside it.
      const ownDrip = await numberAt(env, `dx:drip:${tl}`, t);
      const cohortDrip = await numberAt(env, cohortDripKey, t);
      const dripLimit = Math.max(config.minDripBytes, cohortDrip * config.dripFactor);
      // Evidence is only kept once the timeline is past a tenth of a limit.
      if (hour * 10 < hourLimit && drip * 10 < dripLimit) return [];
      await addToWindow(env.state, `dx:e:${tl}`, t, evidenceMember(e), config.dripHours * HOUR);
      const over =
        hour > hourLimit
          ? { taken: hour, limit: hourLimit, span: '1 hour', own, cohort }
          : // Most of it from earlier hours, or it is a burst still on its way to the hourly limit.
            drip > dripLimit && hour * 2 <= drip
            ? { taken: drip, limit: dripLimit, span: `${config.dripHours} hours`, own: ownDrip, cohort: cohortDrip }
            : undefined;
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
