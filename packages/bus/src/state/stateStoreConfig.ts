// Configuration of the state stores: every limit with its default, one schema per kind, chosen by
// `kind`. Memory is bounded by these, never by the input (DESIGN.md §5).
import { z } from 'zod';

const DAY_MS = 86_400_000;

/** Limits both stores apply the same way, so a stage behaves alike in embedded and distributed mode. */
const sharedLimits = {
  windowRetention: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(60)
    .describe(
      'Fixed windows a windowed counter keeps: a window is dropped this many windows after it starts (event time in memory, a PEXPIRE in Redis); sumWindows spans at most this many.',
    ),
  maxSortedSetMembers: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(10_000)
    .describe('Members a sorted set holds; beyond it the lowest scores (oldest) are dropped (counted).'),
  idleTtlMs: z
    .number()
    .int()
    .min(1)
    .default(7 * DAY_MS)
    .describe(
      'Sorted sets and distinct-count sketches not written for this long are dropped (event time in memory, a real PEXPIRE in Redis), so neither store grows forever.',
    ),
};

export const memoryStateStoreConfigSchema = z
  .object({
    kind: z.literal('memory').describe('State in this process (embedded mode).'),
    ...sharedLimits,
    maxKeys: z
      .number()
      .int()
      .min(1)
      .default(100_000)
      .describe('Keys held per kind of state (values, windowed counters, sorted sets, sketches), per stage (the embedded runner gives each stage its own store); the least recently used is evicted (counted) beyond this.'),
    maxBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .default(64 << 20)
      .describe(
        'Approximate bytes held per kind of state and stage (a distinct-count sketch takes 4 bytes per touched register while small, 16 KiB once dense); the least recently used keys are evicted (counted) beyond this.',
      ),
  })
  .strict()
  .describe('State held in memory by the embedded runner.');

export const redisStateStoreConfigSchema = z
  .object({
    kind: z.literal('redis').describe('State in Redis, shared by stage processes (distributed mode).'),
    ...sharedLimits,
    url: z
      .string()
      .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
      .describe('Redis server, e.g. redis://127.0.0.1:6379/0 (the path selects the database).'),
    prefix: z.string().min(1).default('sidetap:').describe('Prefix of every key the store writes, so several deployments can share one database.'),
    connectTimeoutMs: z.number().int().min(1).default(5_000).describe('Connecting (at start-up and on reconnects) fails when Redis does not accept a connection within this.'),
    ttlGraceMs: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe(
        'Added to every real PEXPIRE the store sets (values, windows, sets, sketches), for processing that runs slower than event time (a paused consumer catching up); what a read of a value sees is decided by event time alone.',
      ),
  })
  .strict()
  .describe('State held in Redis for the distributed runner.');

export const stateStoreConfigSchema = z
  .discriminatedUnion('kind', [memoryStateStoreConfigSchema, redisStateStoreConfigSchema])
  .describe('Where stages keep their state.');

export type MemoryStateStoreConfig = z.output<typeof memoryStateStoreConfigSchema>;
export type RedisStateStoreConfig = z.output<typeof redisStateStoreConfigSchema>;
export type StateStoreConfig = z.output<typeof stateStoreConfigSchema>;
/** What a caller writes: every field but `kind` (and `url` for Redis) may be left to its default. */
export type StateStoreConfigInput = z.input<typeof stateStoreConfigSchema>;
export type MemoryStateStoreConfigInput = z.input<typeof memoryStateStoreConfigSchema>;
export type RedisStateStoreConfigInput = z.input<typeof redisStateStoreConfigSchema>;
/** The limits both kinds share. */
export type StateStoreLimits = Pick<StateStoreConfig, keyof typeof sharedLimits>;
