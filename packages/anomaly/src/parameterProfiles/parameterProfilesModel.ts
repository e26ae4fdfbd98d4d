// The exported parameter profiles: a versioned JSON document meant to be read by people
// (`sidetap models show`), diffed between trainings, and validated before it is loaded.
import { z } from 'zod';
import { CLASS_KEYS, PUNCTUATION } from './charClasses';
import { bandLabel, LENGTH_BANDS } from './charDistributionModel';
import { PARAMETER_LOCATIONS } from './parameterDeviation';
import { BIN_COUNT } from './valueFeatures';
import { FORMAT_NAMES } from './valueFormats';

export const PARAMETER_PROFILES_FORMAT = 'sidetap-parameter-profiles/1';

const count = z.number().int().nonnegative();
const featureKeys = [...CLASS_KEYS, ...PUNCTUATION.split('')] as [string, ...string[]];
const bandLabels = Array.from({ length: LENGTH_BANDS }, (_, b) => bandLabel(b)) as [string, ...string[]];

const lengthSchema = z
  .object({
    mean: z.number().nonnegative().describe('Mean length in characters.'),
    variance: z.number().nonnegative().describe('Population variance of the length.'),
    max: count.describe('Longest value learned.'),
  })
  .strict()
  .describe('Length model: the Chebyshev bound uses mean and variance.');

const charsBandSchema = z
  .object({
    lengths: z.enum(bandLabels).describe('Lengths of the values in this band.'),
    samples: count.min(1).describe('Values learned in this band.'),
    bins: z
      // A running mean of shares may round a hair past 1.
      .array(z.number().min(0).max(1 + 1e-9))
      .length(BIN_COUNT)
      .describe('Idealized character distribution: mean share of the most frequent character, ranks 2-4, 5-7, 8-12, 13-16 and the rest.'),
  })
  .strict();

const shapeSchema = z
  .object({
    features: z
      .partialRecord(z.enum(featureKeys), count)
      .describe('Values showing each character class (lower, upper, digit, space, break, control, letter_other, symbol_other, c1, invalid) or punctuation mark.'),
    formats: z.partialRecord(z.enum(FORMAT_NAMES), count).describe('Values matching each format.'),
  })
  .strict()
  .describe('Shape model.');

const enumValueSchema = z.object({ value: z.string(), count: count.min(1) }).strict();

const parameterSchema = z
  .object({
    location: z.enum(PARAMETER_LOCATIONS),
    name: z.string().describe('Query or form key, JSON path, or lower-case header name.'),
    requests: count.describe('Learned requests that carried the parameter.'),
    values: count.describe('Non-secret values learned.'),
    secretValues: count.describe('Values that were redaction hashes (counted, never modelled).'),
    length: lengthSchema,
    chars: z.array(charsBandSchema).describe('Character distribution model, per length band learned.'),
    shape: shapeSchema,
    enum: z
      .array(enumValueSchema)
      .nullable()
      .describe('Distinct values with their counts in first-seen order, or null once the parameter proved free-valued.'),
  })
  .strict();

const orderSchema = z
  .object({
    location: z.enum(['query', 'form']),
    before: z.string(),
    after: z.string(),
    requests: count.min(1).describe('Learned requests where `before` preceded `after`.'),
  })
  .strict();

const endpointSchema = z
  .object({
    method: z.string().min(1),
    endpoint: z.string().min(1).describe('Endpoint template.'),
    requests: count.describe('Requests learned.'),
    parametersDropped: count.describe('Parameters not learned because the table was full.'),
    orderPairsDropped: count.describe('Order pairs not learned because the table was full.'),
    parameters: z.array(parameterSchema),
    order: z.array(orderSchema),
  })
  .strict();

export const parameterProfilesModelSchema = z
  .object({
    format: z.literal(PARAMETER_PROFILES_FORMAT),
    endpoints: z.array(endpointSchema),
  })
  .strict()
  .describe('Parameter profiles learned from traffic (Kruegel & Vigna 2003).');

export type ParameterProfilesModel = z.output<typeof parameterProfilesModelSchema>;
export type ParameterProfileDocument = z.output<typeof parameterSchema>;
export type EndpointProfileDocument = z.output<typeof endpointSchema>;

/** A model document that cannot be loaded; the message names the field and what is wrong. */
export class ParameterProfilesModelError extends Error {
  override readonly name = 'ParameterProfilesModelError';
}
