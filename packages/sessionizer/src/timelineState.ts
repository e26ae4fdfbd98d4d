// What the sessionizer remembers per timeline between requests, kept in the state store as one
// JSON value (memory embedded, Redis distributed) so any member can pick a timeline up.
import { createHash } from 'node:crypto';
import type { ActorKind, SessionCloseReason, SessionSummary } from '@sidetap/core';

export interface OpenSession {
  id: string;
  /** Event times (ms) of the first and the latest request. */
  start: number;
  last: number;
  seq: number;
  actorKey: string;
  actorKind: ActorKind;
  actorId: string;
  userId?: string;
  userName?: string;
  endpoints: string[];
  /** Distinct endpoints beyond the kept list, counted. */
  endpointsOver: number;
  ips: string[];
  countries: string[];
  devices: string[];
  actors: string[];
  bytesSent: number;
  bytesReceived: number;
  errors: number;
}

export interface TimelineState {
  session?: OpenSession;
  /** Last device fingerprint per actor key (credential) on this timeline, most recent last. */
  devices: [string, string][];
}

export const emptyTimeline = (): TimelineState => ({ devices: [] });

/** Deterministic: the same timeline and first request give the same id on every replay. */
export function sessionId(timeline: string, firstEventId: string): string {
  return 's-' + createHash('sha256').update(timeline).update('\0').update(firstEventId).digest('base64url').slice(0, 22);
}

/** Adds `value` to a capped first-seen list; true when it was new. */
export function addCapped(list: string[], value: string, max: number): boolean {
  if (list.includes(value)) return false;
  if (list.length < max) list.push(value);
  return true;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function summarize(timeline: string, s: OpenSession, closedBy: SessionCloseReason): SessionSummary {
  const user = s.userId !== undefined || s.userName !== undefined ? { user: { ...(s.userId ? { id: s.userId } : {}), ...(s.userName ? { name: s.userName } : {}) } } : {};
  return {
    '@timestamp': iso(s.start),
    event: {
      id: s.id,
      kind: 'event',
      dataset: 'sidetap.session',
      start: iso(s.start),
      end: iso(s.last),
      duration: Math.max(0, s.last - s.start) * 1_000_000,
    },
    ...user,
    sidetap: {
      actor_key: s.actorKey,
      actor: { kind: s.actorKind, id: s.actorId },
      session: {
        id: s.id,
        timeline,
        requests: s.seq,
        endpoints: s.endpoints.length + s.endpointsOver,
        endpoint_list: s.endpoints,
        client_ips: s.ips,
        countries: s.countries,
        devices: s.devices,
        actors: s.actors,
        bytes_sent: s.bytesSent,
        bytes_received: s.bytesReceived,
        errors: s.errors,
        error_ratio: s.seq === 0 ? 0 : s.errors / s.seq,
        closed_by: closedBy,
      },
    },
  };
}
