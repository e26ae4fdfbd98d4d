// The anomaly stage. Its detector registry is still empty, so it reads and counts events and
// emits no findings; detectors plug in here without changing how the stage is run.
import type { Event, Finding, Processor, StageContext } from '@sidetap/core';
import type { AnomalyConfig } from './anomalyConfig';

export function createAnomalyEngine(_config: AnomalyConfig, ctx: StageContext): Processor<Event, Finding> {
  return {
    process(events) {
      ctx.counters.inc('anomaly_events_received_total', events.length);
      return [];
    },
    flush: () => [],
    close: () => [],
  };
}
