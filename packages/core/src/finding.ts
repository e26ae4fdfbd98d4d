// The Finding contract (DESIGN.md §2): an ECS alert saying what is wrong, with the evidence that
// shows it, and findingId(), which makes its id from that evidence so it is never duplicated.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CAPTURE_FLAG_NAMES, INCOMPLETE_CAPTURE_FLAGS } from './captureFlags';
import { endpointSchema, eventSchema, userSchema } from './event';
import { httpExchangeSchema } from './httpExchange';
import { owaspApiSchema } from './owaspApi';
import { ruleCategorySchema } from './ruleCategory';

// 128 bits of the digest: collisions stay negligible (the birthday bound is ~2^64 findings) at half
// the length of a full sha256, which matters as it is also the Elasticsearch _id of every finding.
const FINDING_ID_HEX_CHARS = 32;

const exchange = httpExchangeSchema.shape;

// A measurement or a fact, so either a number (412 requests a minute) or a string ("alg=none").
const evidenceValue = z.union([z.number(), z.string()]);

const evidenceSchema = z
  .object({
    exchange_ids: z
      .array(z.string())
      .min(1)
      .describe('event.id of each exchange the finding rests on (a sample of them when the detector caps the list).'),
    excerpts: z.array(z.string()).describe('Short excerpts of those exchanges that show the problem, secrets already redacted.'),
    window: z
      .object({
        start: z.iso.datetime().describe('Capture time of the first evidence exchange, ISO 8601, UTC.'),
        end: z.iso.datetime().describe('Capture time of the last evidence exchange, ISO 8601, UTC.'),
      })
      // Written so an unparseable time (NaN) passes here: its own format issue already names it.
      .refine((w) => !(Date.parse(w.end) < Date.parse(w.start)), { message: 'window.end is before window.start', path: ['end'] })
      .describe('Event-time span the evidence covers.'),
    observed: evidenceValue
      .optional()
      .describe('What was measured or seen, such as 412 (requests a minute) or "alg=none"; indexed as a keyword, numbers included.'),
    expected: evidenceValue.optional().describe('What the baseline, threshold or specification allows, such as 60.'),
  })
  .describe('What the finding rests on.');

const captureQualitySchema = z
  .object({
    complete: z
      .boolean()
      .describe('False when any evidence exchange carries a flag of an incomplete capture (gap, midstream, truncated_body, ...): the evidence may not be what was sent.'),
    flags: z.array(z.enum(CAPTURE_FLAG_NAMES)).describe('Distinct capture flags of the evidence exchanges (see docs/capture-flags.md).'),
  })
  // Both fields are stored so Kibana can filter on `complete`; they must never contradict.
  .refine((q) => q.complete === !q.flags.some((f) => INCOMPLETE_CAPTURE_FLAGS.has(f)), {
    message: 'complete must be false exactly when flags holds an incomplete-capture flag',
    path: ['complete'],
  })
  .describe('How far the evidence can be trusted, given how it was captured.');

const incidentSchema = z
  .object({
    id: z
      .string()
      .regex(new RegExp(`^[0-9a-f]{${FINDING_ID_HEX_CHARS}}$`))
      .describe('Deterministic incident id: the actor\'s findings close together in event time share it.'),
    risk_score: z
      .number()
      .min(0)
      .max(100)
      .describe('Risk of the whole incident when this finding joined it: each rule\'s risk decayed over event time, combined so several weak signals add up.'),
    findings: z.number().int().min(1).describe('Findings in the incident so far, this one included.'),
    categories: z.array(ruleCategorySchema).min(1).describe('Distinct rule categories in the incident so far.'),
    start: z.iso.datetime().describe('Event time of the incident\'s first finding, ISO 8601, UTC.'),
  })
  .describe('Correlation of one actor\'s findings.');

export const findingSchema = z
  .object({
    '@timestamp': z
      .iso.datetime()
      .describe('Event time of the finding: the capture time of the exchange that completed the evidence, never the wall clock. ISO 8601, UTC.'),
    event: z
      .object({
        kind: z.literal('alert').describe('ECS event kind: findings are alerts.'),
        id: z
          .string()
          .regex(new RegExp(`^[0-9a-f]{${FINDING_ID_HEX_CHARS}}$`))
          .describe('Deterministic finding id from findingId(): the same rule, evidence and window give the same id, so a replay or a retry overwrites instead of duplicating.'),
        severity: z.number().int().min(1).max(4).describe('Severity: 1 low, 2 medium, 3 high, 4 critical.'),
        risk_score: z.number().min(0).max(100).describe('Risk score from 0 to 100, set by the detector from severity and confidence.'),
        dataset: z.literal('sidetap.finding').describe('ECS dataset of finding records.'),
      })
      .describe('ECS event fields.'),
    rule: z
      .object({
        id: z.string().min(1).describe('Stable id of the rule that fired; suppressions and feedback refer to it.'),
        name: z.string().min(1).describe('Short name of the rule for people.'),
        category: ruleCategorySchema,
      })
      .describe('ECS rule fields: what fired.'),
    threat: z
      .object({
        technique: z
          .object({
            id: z
              .array(z.string().regex(/^T\d{4}(\.\d{3})?$/))
              .min(1)
              .describe('MITRE ATT&CK technique or sub-technique ids, such as T1110.004.'),
          })
          .describe('ECS threat technique fields.'),
      })
      .optional()
      .describe('ECS threat fields; absent when no MITRE ATT&CK technique fits.'),
    user: userSchema.optional(),
    source: z
      .object({ ip: exchange.source.shape.ip, geo: eventSchema.shape.source.shape.geo })
      .optional()
      .describe('The client, when the finding concerns one address.'),
    message: z
      .string()
      .min(1)
      .meta({ esType: 'text' })
      .describe('One sentence a person understands: what happened, by whom, against what.'),
    sidetap: z
      .object({
        detector: z.string().min(1).describe('Detector that raised the finding.'),
        owasp_api: owaspApiSchema.optional(),
        actor_key: exchange.sidetap.shape.actor_key
          .optional()
          .describe('Actor the finding is about, the key findings are routed by; absent when it concerns no single actor (a distributed attack, a posture gap).'),
        endpoint: endpointSchema.optional().describe('Endpoint template the finding concerns, such as /api/v1/accounts/{id}.'),
        location: z
          .object({
            part: z
              .enum(['path', 'query', 'form', 'multipart', 'json', 'xml', 'header', 'cookie'])
              .describe('Part of the request: a path segment, a query parameter, a form field, a multipart part, a JSON leaf, XML text, a header or a cookie.'),
            name: z
              .string()
              .describe('Its name: parameter or field name, JSON path such as $.items[0].name, XML element path, header or cookie name, or path segment index (1 is the first).'),
          })
          .optional()
          .describe('Where in the request the finding points, for request threats; `sidetap models feedback --benign` suppresses the rule for this endpoint and this part:name only.'),
        evidence: evidenceSchema,
        capture_quality: captureQualitySchema,
        incident: incidentSchema.optional().describe('The incident this finding joined; absent for findings about no single actor.'),
      })
      .describe('sidetap fields.'),
  })
  .describe('One finding: an attack, an abuse or a posture gap, with its evidence.');

export type Finding = z.infer<typeof findingSchema>;

export interface FindingIdParts {
  ruleId: string;
  /** event.id of the evidence exchanges, in any order. */
  exchangeIds: readonly string[];
  window: { readonly start: string; readonly end: string };
}

/**
 * The deterministic `event.id` of a finding: sha256 over the rule id, the evidence exchange ids and
 * the window, cut to 128 bits of hex. The ids are sorted and de-duplicated first because detectors
 * gather evidence in arrival order, which differs between one process and a partitioned run; the
 * window strings are used as given (they are event times, the same on every replay).
 */
export function findingId(parts: FindingIdParts): string {
  const ids = [...new Set(parts.exchangeIds)].sort();
  // JSON keeps the parts apart whatever characters an id holds, which a separator could not.
  const key = JSON.stringify([parts.ruleId, ids, parts.window.start, parts.window.end]);
  return createHash('sha256').update(key).digest('hex').slice(0, FINDING_ID_HEX_CHARS);
}
