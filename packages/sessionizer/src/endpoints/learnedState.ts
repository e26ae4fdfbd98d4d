// The learned-templates document exportState writes and importState reads: plain JSON, versioned,
// positions in eviction order so an import evicts in about the same order.
import { z } from 'zod';
import { DistinctSketch } from './distinctSketch';

export const LEARNED_STATE_FORMAT = 'sidetap.endpoints.learned';

export const learnedStateSchema = z
  .object({
    format: z.literal(LEARNED_STATE_FORMAT),
    version: z.literal(1),
    promoted: z.array(z.string()).describe('Parent templates whose next position is {param}, oldest promotion first.'),
    positions: z.array(
      z
        .object({
          parent: z.string().describe('Template of the segments before the position (`` for the first).'),
          values: z.array(z.string()).describe('Distinct literal values seen at the position, first seen first.'),
          sketch: z
            .array(z.number().int().min(0).max(0xffffffff))
            .length(DistinctSketch.WORDS)
            .optional()
            .describe('Distinct-count bitmap of values seen once the exact set was full.'),
        })
        .strict(),
    ),
  })
  .strict();

export type LearnedState = z.output<typeof learnedStateSchema>;

/** The document, or an Error whose one sentence says what is wrong with it. */
export function parseLearnedState(state: unknown): LearnedState {
  const parsed = learnedStateSchema.safeParse(state);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
  throw new Error(`endpoint state: not a ${LEARNED_STATE_FORMAT} version 1 document (${issue?.message ?? 'invalid'}${where}).`);
}
