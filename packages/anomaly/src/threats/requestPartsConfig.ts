// The per-request budget of the request-threat detector: how many parts and how many characters
// it inspects, so a hostile request costs a bounded amount. A request that hits a bound is flagged.
import { z } from 'zod';

export const DEFAULT_IGNORED_HEADERS = [
  'content-length',
  'connection',
  'keep-alive',
  'accept-encoding',
  'cache-control',
  'pragma',
  'dnt',
  'upgrade-insecure-requests',
  'sec-fetch-site',
  'sec-fetch-mode',
  'sec-fetch-dest',
  'sec-fetch-user',
  'sec-ch-ua',
  'sec-ch-ua-mobile',
  'sec-ch-ua-platform',
  'sec-ch-ua-full-version-list',
  'if-none-match',
  'if-modified-since',
];

export const requestPartsConfigSchema = z
  .object({
    maxParts: z.number().int().min(1).max(10_000).default(256).describe('Parts (values, names, documents) inspected per request at most; the rest are skipped and the request flagged capped.'),
    maxBytes: z
      .number()
      .int()
      .min(256)
      .max(16 << 20)
      .default(65_536)
      .describe('Characters of part values inspected per request at most; a value crossing the bound is cut there and the request flagged capped.'),
    maxBodyBytes: z
      .number()
      .int()
      .min(256)
      .max(64 << 20)
      .default(262_144)
      .describe('Bodies longer than this are read only up to it (forms) or not parsed (JSON, XML, multipart), and the request is flagged capped.'),
    maxJsonDepth: z.number().int().min(1).max(256).default(32).describe('JSON nesting followed at most.'),
    maxJsonNodes: z.number().int().min(1).max(1_000_000).default(4096).describe('JSON nodes (objects, arrays, leaves) visited per body at most.'),
    maxNameLength: z.number().int().min(8).max(1024).default(128).describe('Part names (paths, keys) are cut to this many characters.'),
    ignoreHeaders: z
      .array(z.string().min(1))
      .default(DEFAULT_IGNORED_HEADERS)
      .describe('Request headers (any case) never inspected: protocol plumbing whose values an application does not read. Cookie is read pair by pair; hashed secrets are never read.'),
  })
  .strict();

export type RequestPartsConfig = z.output<typeof requestPartsConfigSchema>;
