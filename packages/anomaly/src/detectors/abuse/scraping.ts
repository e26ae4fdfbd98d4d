// scraping: an actor requesting at machine-regular intervals while sweeping many different
// pages or objects. People pause irregularly; a poller is regular but asks for the same few
// things; a scraper is both regular and broad.
import { z } from 'zod';
import { actorOf } from '../../findingDraft';
import type { Detector } from '../../detector';
import { KeyMemo } from '../../keyMemo';
import { ParsedCache } from '../../parsedCache';
import { addDistinct, addToWindow, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';

const MINUTE = 60_000;

export const scrapingConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    windowMs: z.number().int().min(MINUTE).default(30 * MINUTE).describe('Window (event time) timing and breadth are measured over.'),
    minRequests: z.number().int().min(10).default(100).describe('Requests in the window before timing is judged.'),
    minDistinctPaths: z.number().int().min(2).default(50).describe('Distinct paths (pages, objects) the actor must have swept.'),
    maxGapVariation: z
      .number()
      .min(0)
      .default(0.15)
      .describe('Coefficient of variation (std / mean) of the gaps between requests at most: below it, timing is machine-regular.'),
  })
  .strict();

export type ScrapingConfig = z.output<typeof scrapingConfigSchema>;

/** Running gap statistics of one actor in one window bucket (Welford), kept as six numbers. */
interface GapStats {
  bucket: number;
  first: number;
  last: number;
  n: number;
  mean: number;
  m2: number;
}

// Stored as a short comma list: this is read and written on every request of every actor, so it
// is read by offsets rather than split into an array of strings first.
const readStats = (text: string): GapStats => {
  const c1 = text.indexOf(',');
  const c2 = text.indexOf(',', c1 + 1);
  const c3 = text.indexOf(',', c2 + 1);
  const c4 = text.indexOf(',', c3 + 1);
  const c5 = text.indexOf(',', c4 + 1);
  // Not the six fields this detector writes: read it exactly as a split would.
  if (c1 < 0 || c2 < 0 || c3 < 0 || c4 < 0 || c5 < 0 || text.indexOf(',', c5 + 1) >= 0) {
    const [bucket, first, last, n, mean, m2] = text.split(',').map(Number) as [number, number, number, number, number, number];
    return { bucket, first, last, n, mean, m2 };
  }
  return {
    bucket: Number(text.slice(0, c1)),
    first: Number(text.slice(c1 + 1, c2)),
    last: Number(text.slice(c2 + 1, c3)),
    n: Number(text.slice(c3 + 1, c4)),
    mean: Number(text.slice(c4 + 1, c5)),
    m2: Number(text.slice(c5 + 1)),
  };
};
const writeStats = (s: GapStats): string => `${s.bucket},${s.first},${s.last},${s.n},${s.mean},${s.m2}`;

export function createScraping(config: ScrapingConfig): Detector {
  const { windowMs } = config;
  /** The stats last written per key: an actor's next request finds them here instead of parsing them again. */
  const parsed = new ParsedCache(readStats);
  /** Each timeline's key prefix and gap-stats key (read and written on every request). */
  const keys = new KeyMemo((timeline) => {
    const base = `sc:${timeline}`;
    return { base, gaps: `${base}:gaps` };
  });
  return {
    name: 'scraping',
    categories: ['scraping'],
    async observe(e, t, env) {
      const { base, gaps: gapsKey } = keys.of(e.sidetap.session.timeline);
      const bucket = Math.floor(t / windowMs);
      const text = await env.state.get(gapsKey, t);
      // Taken, to be changed below and kept again when written.
      let s = text === undefined ? undefined : parsed.take(gapsKey, text);
      if (s === undefined || s.bucket !== bucket) s = { bucket, first: t, last: t, n: 0, mean: 0, m2: 0 };
      else if (t >= s.last) {
        const gap = t - s.last;
        s.n++;
        const d = gap - s.mean;
        s.mean += d / s.n;
        s.m2 += d * (gap - s.mean);
        s.last = t;
      }
      const written = writeStats(s);
      await parsed.write(env.state, gapsKey, written, s, { now: t, ttlMs: windowMs * 2 });
      if (s.n < 10 || s.mean <= 0) return [];
      const cv = Math.sqrt(s.m2 / s.n) / s.mean;
      // Evidence and breadth are only kept for actors whose timing already looks mechanical.
      if (cv > config.maxGapVariation * 2) return [];
      await addToWindow(env.state, base, t, evidenceMember(e), windowMs);
      const paths = await addDistinct(env.state, `${base}:p`, t, windowMs, e.url.path);
      const requests = s.n + 1;
      if (s.n < config.minRequests || cv > config.maxGapVariation || paths < config.minDistinctPaths) return [];
      if (!(await firstFiring(env.state, `${base}:fired`, t, windowMs))) return [];
      const ev = await windowEvidence(env.state, base, t - windowMs + 1, t);
      return [
        {
          detector: 'scraping',
          rule: { id: 'scraping.regular_sweep', name: 'Machine-regular sweep of many pages', category: 'scraping' },
          severity: 2,
          confidence: Math.min(1, config.maxGapVariation / Math.max(cv, 0.01) / 4),
          owasp: 'API6:2023',
          ...actorOf(e, false),
          window: { start: ev.start, end: ev.end },
          exchangeIds: ev.exchangeIds,
          excerpts: ev.excerpts,
          observed: `${requests} requests, ${paths} paths, one every ${(s.mean / 1000).toFixed(1)} s ± ${((cv * s.mean) / 1000).toFixed(2)} s`,
          expected: `gap variation above ${config.maxGapVariation} or fewer than ${config.minDistinctPaths} paths`,
          message: `${e.sidetap.session.timeline} requested ${paths} different paths every ${(s.mean / 1000).toFixed(1)} s with machine-regular timing (variation ${cv.toFixed(2)}) within ${Math.round(windowMs / MINUTE)} minutes.`,
        },
      ];
    },
  };
}
