// Options of the embedded store: how big a segment grows, and how much of each kind is kept.
import { z } from 'zod';

const MIB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

const budget = (what: string, mib: number) =>
  z
    .number()
    .int()
    .min(MIB)
    .default(mib * MIB)
    .describe(`Bytes of ${what} kept (segments and their indexes); the oldest whole segments go first when a write passes it.`);

export const storeConfigSchema = z
  .object({
    segmentBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .default(64 * MIB)
      .describe('Size at which a segment is closed and the next one started; a batch never straddles two, so a segment may pass it by one batch.'),
    maxAgeMs: z
      .number()
      .int()
      .min(0)
      .default(30 * DAY_MS)
      .describe(
        'Event-time age past which a whole segment is removed: when its newest record is this much older than the newest record of its kind in the store (not the wall clock, so a replay of an old capture keeps its records). 0 keeps every age.',
      ),
    maxBytes: z
      .object({
        findings: budget('findings', 1024),
        sessions: budget('session summaries', 512),
        events: budget('events', 4096),
      })
      .strict()
      .prefault({})
      .describe('Byte budget of each kind.'),
    fsync: z
      .enum(['batch', 'never'])
      .default('batch')
      .describe(
        'batch: an append resolves only once its records are on disk (fdatasync), so a batch the runner commits survives a power loss. never: leave it to the OS; a process crash still loses nothing written, a machine crash may lose the last seconds.',
      ),
  })
  .strict()
  // Retention removes whole closed segments: a budget under two segments would leave it nothing to remove.
  .superRefine((c, ctx) => {
    for (const [kind, max] of Object.entries(c.maxBytes)) {
      if (max < 2 * c.segmentBytes) {
        ctx.addIssue({
          code: 'custom',
          path: ['maxBytes', kind],
          message: `maxBytes.${kind} (${max}) must be at least twice segmentBytes (${c.segmentBytes}), or retention could only remove the segment being written`,
        });
      }
    }
  })
  .describe('Embedded store: segments of findings, session summaries and events under --store, with retention by age and size.');

export type StoreConfig = z.output<typeof storeConfigSchema>;
export type StoreConfigInput = z.input<typeof storeConfigSchema>;
