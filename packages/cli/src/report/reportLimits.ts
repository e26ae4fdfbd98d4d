// How much of the store the report keeps while it streams through it: everything else is counted,
// never held, so a store of a million findings needs the same memory as one of a thousand.
import { z } from 'zod';

export const reportLimitsSchema = z
  .object({
    timeBuckets: z
      .number()
      .int()
      .min(10)
      .max(500)
      .default(60)
      .describe('Most bars in the findings-over-time chart; the bucket width is the smallest step of 1s, 5s, 10s, 30s, 1m, 5m, ... 1d, 7d, 28d that fits the span in this many.'),
    topRows: z.number().int().min(1).max(100).default(10).describe('Rows in the top actors and top endpoints charts.'),
    trackedKeys: z
      .number()
      .int()
      .min(10)
      .default(2000)
      .describe('Actors and endpoints counted exactly before the counts become estimates (space-saving: the heaviest stay, each with its possible overcount).'),
    incidents: z.number().int().min(1).max(500).default(20).describe('Incidents with an evidence section, riskiest first.'),
    trackedIncidents: z
      .number()
      .int()
      .min(1)
      .default(500)
      .describe('Incidents held while streaming; the least risky are let go when there are twice as many (one that returns later keeps its counts, which every finding repeats, but shows only its later evidence).'),
    findingsPerIncident: z.number().int().min(1).max(200).default(12).describe('Findings shown per incident, the riskiest; the rest are counted.'),
    loneFindings: z.number().int().min(0).max(500).default(20).describe('Findings outside any incident (a distributed attack, a posture gap) shown with their evidence, riskiest first.'),
    excerpts: z.number().int().min(0).max(20).default(3).describe('Evidence excerpts shown per finding.'),
    excerptChars: z.number().int().min(40).default(400).describe('Characters shown of one excerpt, message or observed value.'),
    exchangeIds: z.number().int().min(1).max(100).default(5).describe('Evidence exchange ids shown per finding.'),
  })
  .strict()
  .describe('What the HTML report keeps in memory and shows.');

export type ReportLimits = z.infer<typeof reportLimitsSchema>;
