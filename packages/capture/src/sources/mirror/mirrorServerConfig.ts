// Limits of the gateway mirror listener, with defaults. Memory is bounded by them: requests read
// at once x maxBodyBytes, plus maxPendingRecords parsed records waiting for the pipeline.
import { z } from 'zod';

export const mirrorServerConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1').describe('Address the listener binds (`--mirror-http HOST:PORT`).'),
    port: z.number().int().min(0).max(65535).default(9400).describe('TCP port of the listener; 0 picks a free one.'),
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(8 << 20)
      .describe('Largest request body accepted, counted as sent and again after gunzip; larger ones get 413.'),
    maxConcurrentRequests: z.number().int().positive().default(64).describe('Requests read and delivered at once; beyond this requests get 429.'),
    maxPendingRecords: z
      .number()
      .int()
      .positive()
      .default(10_000)
      .describe('Parsed records not yet taken by the pipeline; at or beyond this requests get 429 with Retry-After instead of being buffered.'),
    retryAfterSec: z.number().int().positive().default(1).describe('Retry-After seconds sent with 429.'),
    maxConnections: z.number().int().positive().default(1024).describe('Open connections at once; more are refused.'),
    requestTimeoutSec: z.number().positive().default(30).describe('A request whose head and body take longer to arrive is cut off.'),
    keepAliveTimeoutSec: z
      .number()
      .positive()
      .default(65)
      .describe('Idle keep-alive connections are closed after this; longer than the 60 s NGINX keeps its upstream connections, so NGINX closes first.'),
  })
  .strict();

export type MirrorServerConfig = z.output<typeof mirrorServerConfigSchema>;
export type MirrorServerConfigInput = z.input<typeof mirrorServerConfigSchema>;
