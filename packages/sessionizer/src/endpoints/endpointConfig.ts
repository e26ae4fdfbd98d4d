// Options of endpoint templating: the OpenAPI spec, and the bounds of what is learned from traffic.
import { z } from 'zod';

export const endpointConfigSchema = z
  .object({
    specFile: z
      .string()
      .min(1)
      .optional()
      .describe('OpenAPI 3.0/3.1 document (JSON or YAML) whose paths name endpoints; requests it does not describe get learned templates.'),
    learnThreshold: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(50)
      .describe('Distinct literal values one path position may show under one parent template before it becomes {param}.'),
    maxTemplates: z
      .number()
      .int()
      .min(1)
      .default(10_000)
      .describe('Path positions tracked for learning (parents with their values, and learned parameters); one not used lately is forgotten first (counted).'),
    maxValuesPerPosition: z
      .number()
      .int()
      .min(1)
      .max(1024)
      .default(16)
      .describe('Distinct values remembered exactly per position; past this a fixed 64-byte estimate counts them.'),
    maxSegments: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(32)
      .describe('Path segments templated; the rest of a longer path becomes one {...} (counted).'),
    cacheSize: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .default(8192)
      .describe('Raw paths seen twice or more whose templates are kept for a one-lookup answer (0 turns the cache off).'),
  })
  .strict()
  .describe('Endpoint templates: from an OpenAPI spec, else learned from traffic.');

export type EndpointConfig = z.output<typeof endpointConfigSchema>;
