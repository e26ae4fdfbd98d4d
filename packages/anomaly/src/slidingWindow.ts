// Sliding event-time windows in the shared state store: evidence kept as sorted-set members
// (score = event time), distinct counts as HyperLogLog sketches per fixed bucket, and a
// once-per-cooldown latch so a burst raises one finding rather than one per request.
import type { Event, StateStore } from '@sidetap/core';
import { MAX_EVIDENCE } from './findingDraft';

/** A short, secret-free line describing one evidence event (the path, never the query). */
function excerpt(e: Event): string {
  return `${e['@timestamp']} ${e.source.ip} ${e.http.request.method} ${e.url.path.slice(0, 120)} → ${e.http.response?.status_code ?? '-'}`;
}

/** An evidence member: the event id, then its excerpt. */
export function evidenceMember(e: Event): string {
  return `${e.event.id}\t${excerpt(e)}`;
}

/** The evidence of a finding one event shows on its own. */
export function eventEvidence(e: Event): { exchangeIds: string[]; excerpts: string[] } {
  return { exchangeIds: [e.event.id], excerpts: [excerpt(e)] };
}

/** Adds `member` at time t and returns how many members the window (t - windowMs, t] holds. */
export async function addToWindow(state: StateStore, key: string, t: number, member: string, windowMs: number): Promise<number> {
  await state.zAdd(key, t, member);
  await state.zTrim(key, t - windowMs);
  return state.zCount(key, t - windowMs + 1, t);
}

export interface WindowEvidence {
  exchangeIds: string[];
  excerpts: string[];
  start: number;
  end: number;
}

export async function windowEvidence(state: StateStore, key: string, from: number, to: number): Promise<WindowEvidence> {
  const members = await state.zRange(key, from, to, 10_000);
  // The first and the latest pieces of evidence tell the story best: keep both ends.
  const kept = members.length <= MAX_EVIDENCE ? members : [...members.slice(0, MAX_EVIDENCE / 2), ...members.slice(-MAX_EVIDENCE / 2)];
  return {
    exchangeIds: kept.map((m) => m.member.slice(0, m.member.indexOf('\t'))),
    excerpts: kept.map((m) => m.member.slice(m.member.indexOf('\t') + 1)),
    start: members[0]?.score ?? from,
    end: members[members.length - 1]?.score ?? to,
  };
}

/** Adds to the distinct sketch of t's bucket and returns the distinct count over it and the previous bucket. */
export async function addDistinct(state: StateStore, key: string, t: number, windowMs: number, member: string): Promise<number> {
  const bucket = Math.floor(t / windowMs);
  // One string for the add and the count: the store hashes it once.
  const current = `${key}:${bucket}`;
  await state.addDistinct(current, [member], t);
  return state.countDistinct([current, `${key}:${bucket - 1}`]);
}

/** The distinct count addDistinct would return at t, adding nothing. */
export function countDistinct(state: StateStore, key: string, t: number, windowMs: number): Promise<number> {
  const bucket = Math.floor(t / windowMs);
  return state.countDistinct([`${key}:${bucket}`, `${key}:${bucket - 1}`]);
}

/** True the first time per key within cooldownMs of event time. */
export async function firstFiring(state: StateStore, key: string, t: number, cooldownMs: number): Promise<boolean> {
  if ((await state.get(key, t)) !== undefined) return false;
  await state.set(key, '1', { now: t, ttlMs: cooldownMs });
  return true;
}
