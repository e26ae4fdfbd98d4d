// Options of the sessionizer stage.
import { z } from 'zod';

export const sessionizerConfigSchema = z
  .object({
    maxActors: z
      .number()
      .int()
      .min(1)
      .default(100_000)
      .describe('Actors whose request count is kept; the least recently seen is forgotten first (counted).'),
  })
  .strict()
  .describe('Sessionizer: actors, sessions and timelines.');

export type SessionizerConfig = z.output<typeof sessionizerConfigSchema>;
