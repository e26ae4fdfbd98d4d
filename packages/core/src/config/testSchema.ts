// A config schema shaped like sidetap's (strict sections, defaults inside), shared by the config tests.
import { z } from 'zod';

export const testConfigSchema = z
  .object({
    capture: z
      .object({
        flowTableMax: z.number().int().positive().default(100),
        idleSec: z.number().positive().default(300),
        maxTunnelDepth: z.number().int().min(0).max(8).default(4),
        vxlanPorts: z.array(z.number().int().min(1).max(65535)).default([4789]),
        redactHeaders: z.array(z.string()).default([]),
        keepBodies: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    logging: z
      .object({ level: z.enum(['error', 'warn', 'info', 'debug']).default('info') })
      .strict()
      .prefault({}),
    actor: z
      .object({
        jwt: z
          .object({ keyFile: z.string().min(1).optional(), algorithms: z.array(z.enum(['RS256', 'HS256'])).min(1).default(['RS256']) })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    webhooks: z.record(z.string(), z.object({ url: z.string(), retries: z.number().int().min(0).default(3) }).strict()).default({}),
    window: z
      .object({ startSec: z.number().default(0), endSec: z.number().default(60) })
      .strict()
      .refine((w) => w.endSec > w.startSec, { message: 'endSec must be after startSec' })
      .prefault({}),
  })
  .strict();
