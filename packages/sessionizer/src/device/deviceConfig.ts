// Options of device fingerprinting (the sessionizer's `device` section).
import { z } from 'zod';

/**
 * Headers that proxies, load balancers, CDNs and tracing add, drop or reorder between the client
 * and the mirror point: the same client behind another hop must keep its device.
 */
export const DEFAULT_IGNORED_HEADERS: readonly string[] = [
  'x-forwarded-*',
  'forwarded',
  'via',
  'x-real-ip',
  'x-client-ip',
  'x-cluster-client-ip',
  'true-client-ip',
  'x-original-forwarded-for',
  'x-original-url',
  'x-original-uri',
  'x-request-id',
  'x-correlation-id',
  'request-id',
  'x-request-start',
  'x-queue-start',
  'traceparent',
  'tracestate',
  'baggage',
  'b3',
  'x-b3-*',
  'uber-trace-id',
  'x-ot-span-context',
  'x-cloud-trace-context',
  'x-amzn-trace-id',
  'x-amz-cf-id',
  'x-datadog-*',
  'sentry-trace',
  'newrelic',
  'cdn-loop',
  'cf-*',
  'fastly-*',
  'akamai-*',
  'x-akamai-*',
  'x-envoy-*',
  'x-azure-*',
  'x-arr-*',
  'x-appengine-*',
  'x-vercel-*',
  'x-ssl-*',
  'x-client-cert*',
];

// A header name (token characters) with an optional trailing * for a prefix; a bare * would
// leave nothing to fingerprint.
const headerPattern = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9!#$%&'+.^_`|~-]+\*?$/, 'expected a header name, optionally ending in * for a prefix');

export const deviceConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Fingerprint the client device of each request (sidetap.device); off leaves the field out.'),
    cacheSize: z
      .number()
      .int()
      .min(0)
      .default(16384)
      .describe(
        'Distinct header signatures (User-Agent, header-name order, Accept-Language) whose fingerprint is remembered, least recently seen forgotten first (counted); about 1 KiB each, 3 KiB at most. 0 turns the cache off.',
      ),
    ignoreHeaders: z
      .array(headerPattern())
      .default([...DEFAULT_IGNORED_HEADERS])
      .describe(
        'Header names (any case; a trailing * matches a prefix) left out of the header-order signature because proxies, CDNs and tracing add or reorder them. Changing the list changes the ids of clients that send these headers.',
      ),
  })
  .strict()
  .describe('Device fingerprints: a stable id for the client software a request came from.');

export type DeviceConfig = z.output<typeof deviceConfigSchema>;
