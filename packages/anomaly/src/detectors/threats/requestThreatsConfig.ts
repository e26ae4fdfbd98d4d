// Options of the request-threat detector: paranoia (global and per endpoint), the anomaly score a
// request must reach at each paranoia level, decoding depth and the per-request budget.
import { z } from 'zod';
import { requestPartsConfigSchema } from '../../threats/requestPartsConfig';

const paranoiaSchema = z.number().int().min(1).max(4);

export const requestThreatsConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector. It is a signature detector: it fires during the learning period too.'),
    paranoia: paranoiaSchema
      .default(1)
      .describe('Paranoia level 1-4, as in the OWASP Core Rule Set: higher levels report on weaker evidence (thresholds) and judge more forms of each value (folded comments and whitespace from 2).'),
    endpoints: z
      .array(
        z
          .object({
            endpoint: z.string().min(1).describe('Endpoint template, such as /api/v1/search.'),
            method: z.string().min(1).optional().describe('Only requests with this method; every method when left out.'),
            paranoia: paranoiaSchema.describe('Paranoia level on this endpoint.'),
          })
          .strict(),
      )
      .default([])
      .describe('Per-endpoint paranoia overrides, for endpoints that deserve more scrutiny (search, admin, file upload).'),
    thresholds: z
      .tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)])
      .default([3, 2, 1, 1])
      .describe(
        'Request anomaly score at which findings are raised, at paranoia 1, 2, 3 and 4. A match scores 5 (confidence >= 0.85), 4 (>= 0.65), 3 (>= 0.5), 2 (>= 0.3) or 1, plus 1 when it needed more decoding than an honest client applies and 1 for tricks such as overlong UTF-8; each part counts once per category and the categories add up.',
      ),
    maxDecodeRounds: z.number().int().min(1).max(8).default(4).describe('Decoding layers undone at most (URL, HTML entities, escapes), so triple encoding is still read.'),
    memoEntries: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .default(8192)
      .describe('Judgements of distinct short values remembered (header values, cookies and parameters repeat across requests); the memo starts over when full (counted). 0 turns it off.'),
    parts: requestPartsConfigSchema.prefault({}).describe('What is inspected per request, and its bounds.'),
  })
  .strict();

export type RequestThreatsConfig = z.output<typeof requestThreatsConfigSchema>;
