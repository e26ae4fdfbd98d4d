// Builders of events for the anomaly engine's tests: what the sessionizer hands it.
import type { Event } from '@sidetap/core';

export interface EventSpec {
  id: string;
  at: number;
  ip?: string;
  method?: string;
  path?: string;
  endpoint?: string;
  status?: number;
  actor?: string;
  user?: string;
  login?: { user?: string; outcome: 'success' | 'failure' };
  credential?: string;
  geo?: { lat: number; lon: number; country: string; confidence?: 'high' | 'low'; scope?: 'public' | 'internal' };
  facts?: NonNullable<Event['sidetap']['facts']>;
  device?: { id: string; browser?: string };
}

export function event(s: EventSpec): Event {
  const path = s.path ?? '/api/v1/items/1';
  const ip = s.ip ?? '203.0.113.9';
  const actorKey = s.actor ?? `ip:${ip}`;
  const [kind, ...rest] = actorKey.split(':');
  const e: Event = {
    '@timestamp': new Date(s.at).toISOString(),
    event: { id: s.id, kind: 'event', category: ['network'], type: ['connection', 'protocol'], dataset: 'sidetap.event' },
    source: { ip, port: 40000, bytes: 200 },
    destination: { ip: '10.0.0.9', port: 80, bytes: 400 },
    network: { transport: 'tcp', type: 'ipv4', protocol: 'http' },
    http: {
      version: '1.1',
      request: { method: s.method ?? 'GET', headers: {}, body: { bytes: 0 } },
      response: { status_code: s.status ?? 200, headers: {}, body: { bytes: 0 } },
    },
    url: { original: path, path },
    sidetap: {
      capture: { source: 'pcap', flags: [] },
      actor_key: actorKey,
      actor: { kind: kind as Event['sidetap']['actor']['kind'], id: rest.join(':') },
      session: { id: `s-${actorKey}`, seq: 1, timeline: s.user !== undefined ? `user:${s.user}` : actorKey },
      endpoint: s.endpoint ?? path,
    },
  };
  if (s.user !== undefined) e.user = { name: s.user };
  if (s.login !== undefined) e.sidetap.login = s.login;
  if (s.credential !== undefined) e.sidetap.credential = { hash: s.credential };
  if (s.facts !== undefined) e.sidetap.facts = s.facts;
  if (s.device !== undefined) e.sidetap.device = s.device;
  if (s.geo !== undefined) {
    e.source.geo = { country_iso_code: s.geo.country, location: { lat: s.geo.lat, lon: s.geo.lon } };
    e.sidetap.geo = { scope: s.geo.scope ?? 'public', confidence: s.geo.confidence ?? 'high' };
  }
  return e;
}
