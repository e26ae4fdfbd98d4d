// lateral_movement: a person's credentials where people never go. While learning, each
// destination (the Host asked for, else the server address) records whether any user timeline
// (a person: tied to a login or a named user, or seen from a public address) used it; after,
// a user timeline reaching a destination only services ever called is reported, and so is a user
// refused on several endpoints it never used before (probing functions above its role).
import { z } from 'zod';
import type { Event } from '@sidetap/core';
import type { Detector } from '../../detector';
import { KeyMemo } from '../../keyMemo';
import { LearnedValues } from '../../learnedValues';
import { actorOf } from '../../findingDraft';
import { addDistinct, addToWindow, eventEvidence, evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';

const HOUR = 3_600_000;
const MINUTE = 60_000;

export const lateralMovementConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    minServiceRequests: z.number().int().min(1).default(20).describe('Requests a destination must have served while learning to count as a service-only destination.'),
    windowMs: z.number().int().min(MINUTE).default(15 * MINUTE).describe('Window for refused requests on never-used endpoints.'),
    minRefusedEndpoints: z.number().int().min(2).default(3).describe('Distinct never-used endpoints a user is refused (401/403) on within the window.'),
  })
  .strict();

export type LateralMovementConfig = z.output<typeof lateralMovementConfigSchema>;

/** A person: tied to a login or a named user, or seen calling from a public address while learning. */
const seenAsPerson = (e: Event): boolean => e.sidetap.session.timeline.startsWith('user:') || e.sidetap.geo?.scope === 'public';
const destinationOf = (e: Event): string => e.url.domain ?? `${e.destination.ip}:${e.destination.port}`;

// Keys are built only on the paths that use them: most events use none of them.
const publicKey = (who: string): string => `lm:public:${who}`;
/** A destination's key, made once per destination: every event reads it. */
const destKeys = new KeyMemo((dest) => `lm:dest:${dest}`);
const usedKey = (e: Event): string => `lm:used:${e.sidetap.session.timeline}:${e.http.request.method} ${e.sidetap.endpoint}`;

/** A destination's `requests,people` value, read as `text.split(',').map(Number)` would, without the arrays. */
export function readDestination(text: string): [number, number] {
  const first = text.indexOf(',');
  if (first < 0) return [Number(text), NaN];
  const second = text.indexOf(',', first + 1);
  return [Number(text.slice(0, first)), Number(second < 0 ? text.slice(first + 1) : text.slice(first + 1, second))];
}

export function createLateralMovement(config: LateralMovementConfig): Detector {
  let learnedValues: LearnedValues | undefined;
  const draft = (e: Event, t: number, rule: string, name: string, ev: { exchangeIds: string[]; excerpts: string[]; start: number; end: number }, message: string) => ({
    detector: 'lateral_movement',
    rule: { id: `lateral_movement.${rule}`, name, category: 'lateral_movement' as const },
    severity: 3 as const,
    confidence: 0.8,
    owasp: 'API5:2023' as const,
    techniques: ['T1021'],
    ...actorOf(e, true),
    window: { start: ev.start, end: Math.max(ev.end, t) },
    exchangeIds: ev.exchangeIds,
    excerpts: ev.excerpts,
    message,
  });
  return {
    name: 'lateral_movement',
    categories: ['lateral_movement'],
    async observe(e, t, env) {
      learnedValues ??= new LearnedValues(env.state);
      const learned = learnedValues;
      const dest = destinationOf(e);
      if (env.learning(t)) {
        const person = seenAsPerson(e);
        // Marked on both the timeline and the actor: a token replayed later may not be linked to its user.
        if (person && e.sidetap.actor.kind !== 'ip') {
          await env.state.set(publicKey(e.sidetap.session.timeline), '1', { now: t, ttlMs: 30 * 24 * HOUR });
          await env.state.set(publicKey(e.sidetap.actor_key), '1', { now: t, ttlMs: 30 * 24 * HOUR });
        }
        const key = destKeys.of(dest);
        const [n, people] = readDestination((await env.state.get(key, t)) ?? '0,0');
        await env.state.set(key, `${n + 1},${people + (person ? 1 : 0)}`, { now: t, ttlMs: 30 * 24 * HOUR });
        if (person) await env.state.set(usedKey(e), '1', { now: t, ttlMs: 30 * 24 * HOUR });
        return [];
      }
      const person =
        e.sidetap.actor.kind !== 'ip' &&
        (seenAsPerson(e) ||
          (await learned.get(publicKey(e.sidetap.session.timeline), t, false)) !== undefined ||
          (await learned.get(publicKey(e.sidetap.actor_key), t, false)) !== undefined);
      if (!person) return [];
      const [n, people] = readDestination((await learned.get(destKeys.of(dest), t, false)) ?? '0,0');
      if (n >= config.minServiceRequests && people === 0 && (await firstFiring(env.state, `lm:fired:${e.sidetap.session.timeline}:${dest}`, t, HOUR))) {
        return [
          draft(e, t, 'service_destination', 'User credentials on a service-only destination', { ...eventEvidence(e), start: t, end: t },
            `${e.sidetap.session.timeline} called ${dest}, which only services called in ${n} learned requests.`),
        ];
      }
      const status = e.http.response?.status_code;
      if (status !== 401 && status !== 403) return [];
      if ((await learned.get(usedKey(e), t, false)) !== undefined) return [];
      const base = `lm:refused:${e.sidetap.session.timeline}`;
      await addToWindow(env.state, base, t, evidenceMember(e), config.windowMs);
      const endpoints = await addDistinct(env.state, `${base}:ep`, t, config.windowMs, `${e.http.request.method} ${e.sidetap.endpoint}`);
      if (endpoints < config.minRefusedEndpoints || !(await firstFiring(env.state, `${base}:fired`, t, config.windowMs))) return [];
      const ev = await windowEvidence(env.state, base, t - config.windowMs + 1, t);
      return [
        draft(e, t, 'refused_functions', 'Refused on functions never used before', ev,
          `${e.sidetap.session.timeline} was refused on ${endpoints} endpoints it never used while learning, within ${Math.round(config.windowMs / MINUTE)} minutes.`),
      ];
    },
  };
}
