// Options of the parameter profiles (Kruegel & Vigna 2003): when a parameter is scored, what
// counts as anomalous, and the bounds on everything learned or scanned per request.
import { DEFAULT_SECRET_HEADERS } from '@sidetap/core';
import { z } from 'zod';

const SECRET_HEADERS: ReadonlySet<string> = new Set(DEFAULT_SECRET_HEADERS);

export const parameterProfilesConfigSchema = z
  .object({
    minSamples: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(30)
      .describe('Values a parameter (and requests an endpoint) must have been trained on before it is scored; until then it produces no deviations.'),
    threshold: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.99)
      .describe('Smallest anomaly score reported. Every model scores 1 − p, p being its estimate of how often a normal value deviates this much, so 0.99 asks for at most about 1% of normal values.'),
    maxEndpoints: z
      .number()
      .int()
      .min(1)
      .default(1000)
      .describe('Endpoints (template and method) profiled; requests to endpoints first seen after the table is full are not learned (counted).'),
    maxParamsPerEndpoint: z
      .number()
      .int()
      .min(1)
      .max(4096)
      .default(64)
      .describe('Parameters profiled per endpoint; parameters first seen after the table is full are not learned (counted), and unknown parameters are then no longer reported as unexpected.'),
    maxEnumValues: z
      .number()
      .int()
      .min(1)
      .max(1024)
      .default(32)
      .describe('Distinct values remembered per parameter while learning; past this the parameter is free-valued and its set is dropped (counted).'),
    enumMaxDistinct: z
      .number()
      .int()
      .min(1)
      .max(1024)
      .default(10)
      .describe('A parameter with at most this many distinct values after minSamples values is an enumeration: a value outside the set deviates.'),
    maxEnumValueLength: z
      .number()
      .int()
      .min(1)
      .max(1024)
      .default(64)
      .describe('A parameter that ever takes a value longer than this is not an enumeration (long values are data, not tokens).'),
    maxOrderPairsPerEndpoint: z
      .number()
      .int()
      .min(0)
      .max(65_536)
      .default(512)
      .describe('Ordered parameter pairs remembered per endpoint for the order model; pairs first seen after this are not learned (counted).'),
    maxOrderParams: z
      .number()
      .int()
      .min(2)
      .max(64)
      .default(16)
      .describe('Query or form parameters of one request taken into the order model (the first ones); pairs grow with the square of this.'),
    headerNames: z
      .array(z.string().min(1).max(128))
      .max(32)
      .default(['user-agent', 'content-type', 'accept'])
      .describe('Request headers (any case) whose values are profiled like parameters. Secret headers (authorization, cookie, API keys) are refused.'),
    maxBodyBytes: z
      .number()
      .int()
      .min(0)
      .default(65_536)
      .describe('Longest request body sample parsed for form or JSON parameters; a longer JSON body is skipped and a longer form body is read up to this (counted).'),
    maxJsonDepth: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(8)
      .describe('Nesting depth of a JSON body walked for parameters; deeper values are not extracted (counted).'),
    maxJsonKeys: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(256)
      .describe('JSON values (objects, arrays and leaves) visited per body; the walk stops there (counted).'),
    maxParamsPerRequest: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(128)
      .describe('Parameter values extracted from one request over all locations; the rest are ignored (counted).'),
    maxNameLength: z
      .number()
      .int()
      .min(8)
      .max(1024)
      .default(128)
      .describe('Longest parameter name kept; longer names are truncated so hostile names cannot bloat the tables.'),
    maxValueLength: z
      .number()
      .int()
      .min(16)
      .max(65_536)
      .default(1024)
      .describe('Characters of a value analysed by the character, shape and enumeration models (the length model always sees the true length).'),
    maxDeviationsPerEvent: z
      .number()
      .int()
      .min(1)
      .max(1024)
      .default(32)
      .describe('Deviations returned for one request, the highest scores first; the rest are counted, not returned.'),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.enumMaxDistinct > config.maxEnumValues) {
      ctx.addIssue({
        code: 'custom',
        path: ['enumMaxDistinct'],
        message: `enumMaxDistinct (${config.enumMaxDistinct}) must not exceed maxEnumValues (${config.maxEnumValues}), which bounds the remembered set.`,
      });
    }
    for (const name of config.headerNames) {
      if (SECRET_HEADERS.has(name.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: ['headerNames'],
          message: `headerNames must not list the secret header "${name}": its value is a keyed hash, never profiled.`,
        });
      }
    }
  })
  .describe('Parameter profiles: per endpoint and parameter, learned length, characters, shape, enumerations, presence and order.');

export type ParameterProfilesConfig = z.output<typeof parameterProfilesConfigSchema>;
