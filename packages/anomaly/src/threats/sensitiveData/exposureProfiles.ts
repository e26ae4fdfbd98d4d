// What each endpoint returned while the baseline was learned: of its responses with a body
// sample, how many held each kind of sensitive data, in which fields, and the most of a bulk kind
// one response held. After learning, a kind an endpoint routinely returns (the user's own masked
// card, an admin list of emails) is expected there; a kind it never returned is news.
import { z } from 'zod';
import type { Counters } from '@sidetap/core';
import type { SensitiveHit } from './scanContext';
import { SENSITIVE_KINDS } from './sensitiveKinds';
import type { SensitiveKind } from './sensitiveKinds';

export const EXPOSURE_PROFILES_FORMAT = 'sidetap-sensitive-data/1';

const count = z.number().int().nonnegative();

export const exposureProfilesModelSchema = z
  .object({
    format: z.literal(EXPOSURE_PROFILES_FORMAT),
    endpoints: z.array(
      z
        .object({
          endpoint: z.string().min(1).describe('Method and endpoint template, such as GET /api/v1/users/{id}.'),
          responses: count.describe('Learned responses with a body sample.'),
          kinds: z.array(
            z
              .object({
                kind: z.enum(SENSITIVE_KINDS),
                responses: count.describe('Learned responses holding this kind.'),
                maxCount: count.describe('Most distinct values of this kind one response held.'),
                fields: z.array(z.object({ field: z.string(), responses: count }).strict()).describe('Where it was, and in how many responses.'),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();

export type ExposureProfilesModel = z.output<typeof exposureProfilesModelSchema>;

interface KindProfile {
  responses: number;
  maxCount: number;
  fields: Map<string, number>;
}

interface EndpointProfile {
  responses: number;
  kinds: Map<SensitiveKind, KindProfile>;
}

export interface ExposureLimits {
  maxEndpoints: number;
  maxFieldsPerKind: number;
}

/** How a hit compares with what its endpoint returned while learning. */
export type Novelty =
  /** No learned profile, or too few learned responses to judge by. */
  | { verdict: 'unlearned'; responses: number }
  /** The endpoint never returned this kind. */
  | { verdict: 'new'; responses: number }
  /** Returned now and then, or routinely but never in this field or never this many. */
  | { verdict: 'seen'; responses: number; share: number; reason: string }
  /** Returned in at least the routine share of learned responses, in this field. */
  | { verdict: 'routine'; responses: number; share: number };

const NO_FIELD = '';

export class ExposureProfiles {
  private readonly endpoints = new Map<string, EndpointProfile>();

  constructor(
    private readonly limits: ExposureLimits,
    private readonly counters: Counters,
  ) {}

  get size(): number {
    return this.endpoints.size;
  }

  /** One learned response of `endpoint` with a body sample, and what it held. */
  learn(endpoint: string, hits: readonly SensitiveHit[]): void {
    let p = this.endpoints.get(endpoint);
    if (p === undefined) {
      if (this.endpoints.size >= this.limits.maxEndpoints) {
        this.counters.inc('anomaly_sensitive_endpoints_dropped_total');
        return;
      }
      p = { responses: 0, kinds: new Map() };
      this.endpoints.set(endpoint, p);
    }
    p.responses++;
    const perKind = new Map<SensitiveKind, { count: number; fields: Set<string> }>();
    for (const h of hits) {
      let k = perKind.get(h.kind);
      if (k === undefined) perKind.set(h.kind, (k = { count: 0, fields: new Set() }));
      k.count += h.count;
      k.fields.add(h.field ?? NO_FIELD);
    }
    for (const [kind, seen] of perKind) {
      let k = p.kinds.get(kind);
      if (k === undefined) p.kinds.set(kind, (k = { responses: 0, maxCount: 0, fields: new Map() }));
      k.responses++;
      k.maxCount = Math.max(k.maxCount, seen.count);
      for (const f of seen.fields) {
        const had = k.fields.get(f);
        if (had !== undefined) k.fields.set(f, had + 1);
        else if (k.fields.size < this.limits.maxFieldsPerKind) k.fields.set(f, 1);
        else this.counters.inc('anomaly_sensitive_fields_dropped_total');
      }
    }
  }

  judge(endpoint: string, hit: SensitiveHit, minResponses: number, routineShare: number): Novelty {
    const p = this.endpoints.get(endpoint);
    if (p === undefined || p.responses < minResponses) return { verdict: 'unlearned', responses: p?.responses ?? 0 };
    const k = p.kinds.get(hit.kind);
    if (k === undefined) return { verdict: 'new', responses: p.responses };
    const share = k.responses / p.responses;
    if (share < routineShare) return { verdict: 'seen', responses: p.responses, share, reason: 'occasionally' };
    const field = hit.field ?? NO_FIELD;
    // A full field table cannot say a field is new.
    if (!k.fields.has(field) && k.fields.size < this.limits.maxFieldsPerKind) return { verdict: 'seen', responses: p.responses, share, reason: 'in other fields' };
    if (hit.count > Math.max(10 * k.maxCount, 10)) return { verdict: 'seen', responses: p.responses, share, reason: `at most ${k.maxCount} at a time` };
    return { verdict: 'routine', responses: p.responses, share };
  }

  /** The learned fields of `kind` at `endpoint`, for the finding's expected line. */
  fieldsOf(endpoint: string, kind: SensitiveKind): string[] {
    return [...(this.endpoints.get(endpoint)?.kinds.get(kind)?.fields.keys() ?? [])].filter((f) => f !== NO_FIELD).slice(0, 3);
  }

  exportModel(): ExposureProfilesModel {
    const endpoints = [...this.endpoints.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([endpoint, p]) => ({
        endpoint,
        responses: p.responses,
        kinds: [...p.kinds.entries()]
          .sort(([a], [b]) => SENSITIVE_KINDS.indexOf(a) - SENSITIVE_KINDS.indexOf(b))
          .map(([kind, k]) => ({
            kind,
            responses: k.responses,
            maxCount: k.maxCount,
            fields: [...k.fields.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([field, responses]) => ({ field, responses })),
          })),
      }));
    return { format: EXPOSURE_PROFILES_FORMAT, endpoints };
  }

  /** Profiles from a model document; one sentence naming the bad part when it is not one. */
  static importModel(doc: unknown, limits: ExposureLimits, counters: Counters): ExposureProfiles {
    const parsed = exposureProfilesModelSchema.safeParse(doc);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`model of sensitive_data_exposure: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'} (expected a ${EXPOSURE_PROFILES_FORMAT} document)`);
    }
    const profiles = new ExposureProfiles(limits, counters);
    for (const e of parsed.data.endpoints) {
      if (profiles.endpoints.size >= limits.maxEndpoints) {
        counters.inc('anomaly_sensitive_endpoints_dropped_total');
        break;
      }
      const kinds = new Map<SensitiveKind, KindProfile>();
      for (const k of e.kinds) {
        kinds.set(k.kind, { responses: k.responses, maxCount: k.maxCount, fields: new Map(k.fields.slice(0, limits.maxFieldsPerKind).map((f) => [f.field, f.responses])) });
      }
      profiles.endpoints.set(e.endpoint, { responses: e.responses, kinds });
    }
    return profiles;
  }

  summary(): string {
    const withKinds = [...this.endpoints.entries()].filter(([, p]) => p.kinds.size > 0);
    const lines = [`${this.endpoints.size} endpoints learned, ${withKinds.length} returned sensitive data.`];
    for (const [endpoint, p] of withKinds.slice(0, 20)) {
      const kinds = [...p.kinds.entries()].map(([kind, k]) => `${kind} ${Math.round((100 * k.responses) / p.responses)}%`).join(', ');
      lines.push(`  ${endpoint}: ${kinds} of ${p.responses} responses`);
    }
    if (withKinds.length > 20) lines.push(`  ... and ${withKinds.length - 20} more`);
    return lines.join('\n');
  }
}
