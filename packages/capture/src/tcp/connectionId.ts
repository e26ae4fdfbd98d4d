// Deterministic connection ids: the same capture gives the same ids on every run, so exchange ids
// derived from them are stable across replays.
import type { Endpoint } from './streamConsumer';

/** `<startUs>-<a>-<b>[-vlan<id.id>][-<tunnel><vni>]`, e.g. `1700000000123456-10.0.0.1:51000-10.0.0.2:80`. */
export function connectionId(
  startUs: number,
  a: Endpoint,
  b: Endpoint,
  vlan: readonly number[] | undefined,
  vni: number | undefined,
  tunnel: 'vxlan' | 'geneve' | undefined,
): string {
  let id = `${Math.floor(startUs)}-${endpointText(a)}-${endpointText(b)}`;
  if (vlan !== undefined && vlan.length > 0) id += `-vlan${vlan.join('.')}`;
  if (vni !== undefined) id += `-${tunnel ?? 'vni'}${vni}`;
  return id;
}

function endpointText(endpoint: Endpoint): string {
  return endpoint.ip.includes(':') ? `[${endpoint.ip}]:${endpoint.port}` : `${endpoint.ip}:${endpoint.port}`;
}
