// enumeration: one actor walking object ids on a templated endpoint, most answered 403 or 404
// (a BOLA walk: ids that are not its own). Counted per timeline and endpoint template.
import { z } from 'zod';
import type { Event } from '@sidetap/core';
import type { Detector } from '../../detector';
import { KeyMemo } from '../../keyMemo';
import { actorOf } from '../../findingDraft';
import type { FindingDraft } from '../../findingDraft';
import { addDistinct, addToWindow, countDistinct, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';

const MINUTE = 60_000;

export const enumerationConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    windowMs: z.number().int().min(1000).default(10 * MINUTE).describe('Sliding window (event time).'),
    minIds: z.number().int().min(2).default(15).describe('Distinct object ids one actor requests on one endpoint within the window.'),
    minDeniedRatio: z.number().min(0).max(1).default(0.5).describe('Share of those ids answered 401, 403 or 404.'),
  })
  .strict();

export type EnumerationConfig = z.output<typeof enumerationConfigSchema>;

/** For each non-empty segment of a template, whether it is a slot; null for a template without slots. */
type TemplateSlots = readonly boolean[] | null;

/** Each template taken apart once. */
const templateSlots = new KeyMemo((template): TemplateSlots => {
  const segments = template.split('/').filter((s) => s !== '');
  return segments.some((s) => s.includes('{')) ? segments.map((s) => s.includes('{')) : null;
});

/** The values of a path that stand where the template has slots, or undefined when they do not line up. */
export function slotValues(template: string, path: string): string | undefined {
  // Every event asks: the template's shape is remembered, and the path is walked without splitting it.
  const slots = templateSlots.of(template);
  if (slots === null) return undefined;
  let values: string | undefined;
  let segment = 0;
  let start = 0;
  while (start <= path.length) {
    let end = path.indexOf('/', start);
    if (end < 0) end = path.length;
    if (end > start) {
      if (segment === slots.length) return undefined;
      if (slots[segment]) values = values === undefined ? path.slice(start, end) : `${values}/${path.slice(start, end)}`;
      segment++;
    }
    start = end + 1;
  }
  return segment === slots.length ? values : undefined;
}

const denied = (e: Event): boolean => {
  const s = e.http.response?.status_code;
  return s === 401 || s === 403 || s === 404;
};

export function createEnumeration(config: EnumerationConfig): Detector {
  const { windowMs } = config;
  interface Keys {
    base: string;
    /** Evidence: the denied requests, by event time. */
    denied: string;
    /** Distinct ids requested, and distinct ids denied, counted over the same buckets. */
    ids: string;
    deniedIds: string;
  }
  /** Per timeline and endpoint, the keys of each method (counted on every request to an id slot). */
  const keys = new KeyMemo(() => new Map<string, Keys>());
  const keysOf = (e: Event): Keys => {
    const byMethod = keys.of(e.sidetap.session.timeline, e.sidetap.endpoint);
    const method = e.http.request.method;
    let k = byMethod.get(method);
    if (k === undefined) {
      const base = `en:${e.sidetap.session.timeline}:${method} ${e.sidetap.endpoint}`;
      k = { base, denied: `${base}:denied`, ids: `${base}:ids`, deniedIds: `${base}:denied-ids` };
      // Methods are whatever clients send: a few are kept, the rest built each time.
      if (byMethod.size < 16) byMethod.set(method, k);
    }
    return k;
  };
  return {
    name: 'enumeration',
    categories: ['enumeration'],
    observe(e, t, env) {
      const ids = slotValues(e.sidetap.endpoint, e.url.path);
      // Only endpoints with an id slot are walked: every other event is answered without touching the state.
      if (ids === undefined) return [];
      return (async (): Promise<FindingDraft[]> => {
        const k = keysOf(e);
        const refused = denied(e);
        const deniedCount = refused ? await addToWindow(env.state, k.denied, t, evidenceMember(e), windowMs) : await env.state.zCount(k.denied, t - windowMs + 1, t);
        // An actor that was refused nothing lately is not walking ids it may not see.
        if (deniedCount === 0) return [];
        const distinct = await addDistinct(env.state, k.ids, t, windowMs, ids);
        // The share is of ids, both counts over the same buckets: a count of requests in another
        // window (one that had just started afresh) made 1 refusal in 2 requests of a user's
        // ordinary browsing over 15 products look like a walk.
        const deniedNow = refused ? await addDistinct(env.state, k.deniedIds, t, windowMs, ids) : undefined;
        if (distinct < config.minIds) return [];
        const deniedIds = deniedNow ?? (await countDistinct(env.state, k.deniedIds, t, windowMs));
        if (deniedIds / distinct < config.minDeniedRatio) return [];
        if (!(await firstFiring(env.state, `${k.base}:fired`, t, windowMs))) return [];
        const ev = await windowEvidence(env.state, k.denied, t - windowMs + 1, t);
        return [
          {
            detector: 'enumeration',
            rule: { id: 'enumeration.object_ids', name: 'Object id enumeration (BOLA walk)', category: 'enumeration' },
            severity: 3,
            confidence: Math.min(1, distinct / (config.minIds * 2)),
            owasp: 'API1:2023',
            ...actorOf(e, true),
            window: { start: ev.start, end: ev.end },
            exchangeIds: ev.exchangeIds,
            excerpts: ev.excerpts,
            observed: `${distinct} ids, ${deniedIds} denied`,
            expected: `fewer than ${config.minIds} ids or under ${Math.round(config.minDeniedRatio * 100)}% denied`,
            message: `${e.sidetap.session.timeline} requested ${distinct} different ids on ${e.http.request.method} ${e.sidetap.endpoint} within ${Math.round(windowMs / MINUTE)} minutes; ${deniedIds} of them were denied.`,
          },
        ];
      })();
    },
  };
}
