// The three lookups that enrich an event, as the sessionizer uses them: endpoint templates, geo
// and device fingerprints, each built from its own config section (endpoints/, geo/, device/).
import type { DeviceFingerprint, DeviceFingerprinter } from './device';
import type { EndpointTemplater } from './endpoints';
import type { GeoLookup, GeoResult } from './geo';

export type GeoInfo = GeoResult;
export type DeviceInfo = DeviceFingerprint;

export interface Enrichers {
  endpoints: Pick<EndpointTemplater, 'match'>;
  geo: Pick<GeoLookup, 'lookup'> | undefined;
  devices: Pick<DeviceFingerprinter, 'fingerprint'> | undefined;
}
