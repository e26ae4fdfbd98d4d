// The sessionizer as the runner makes it: its enrichers built from their config sections, so a
// bad spec or geo file fails at start-up with one sentence naming the option.
import type { Event, HttpExchange, Processor, SessionSummary, StageContext } from '@sidetap/core';
import { createDeviceFingerprinter } from './device';
import { createEndpointTemplater } from './endpoints';
import { createGeoLookup } from './geo';
import { createSessionizer } from './sessionizer';
import type { SessionizerConfig } from './sessionizerConfig';

export function createSessionizerStage(config: SessionizerConfig, ctx: StageContext): Processor<HttpExchange, Event | SessionSummary> {
  const counters = ctx.counters;
  return createSessionizer(config, ctx, {
    endpoints: createEndpointTemplater(config.endpoints, { counters }),
    geo: config.geo.enabled ? createGeoLookup(config.geo, { counters, logger: ctx.logger }) : undefined,
    devices: config.device.enabled ? createDeviceFingerprinter(config.device, { counters }) : undefined,
  });
}
