// The anomaly stage: runs every enabled detector over each event in order, turns their drafts
// into findings (deterministic ids, capture quality), drops suppressed ones (counted), and lets
// window detectors speak when event time moves on.
import type { Event, Finding, Processor, StageContext } from '@sidetap/core';
import type { AnomalyConfig } from './anomalyConfig';
import type { DetectorEnv } from './detector';
import { buildFinding } from './findingDraft';
import type { FindingDraft } from './findingDraft';
import { createDetectors } from './registry';
import { isSuppressed } from './suppression';

export function createAnomalyEngine(config: AnomalyConfig, ctx: StageContext): Processor<Event, Finding> {
  const detectors = createDetectors(config.detectors, { counters: ctx.counters });
  let firstSeen: number | undefined;
  const env: DetectorEnv = {
    state: ctx.state,
    counters: ctx.counters,
    learning: (t) => firstSeen !== undefined && t < firstSeen + config.learnMs,
  };
  const emit = (drafts: FindingDraft[], out: Finding[]): void => {
    for (const d of drafts) {
      const f = buildFinding(d);
      if (isSuppressed(f, config.suppressions)) {
        ctx.counters.inc(`anomaly_findings_suppressed_total{detector="${d.detector}"}`);
        continue;
      }
      ctx.counters.inc(`anomaly_findings_emitted_total{detector="${d.detector}",category="${d.rule.category}"}`);
      out.push(f);
    }
  };
  return {
    async process(events) {
      ctx.counters.inc('anomaly_events_received_total', events.length);
      const out: Finding[] = [];
      for (const e of events) {
        const t = Date.parse(e['@timestamp']);
        if (firstSeen === undefined || t < firstSeen) firstSeen = t;
        for (const d of detectors) emit(await d.observe(e, t, env), out);
      }
      return out;
    },
    async flush(watermark) {
      const out: Finding[] = [];
      for (const d of detectors) if (d.flush !== undefined) emit(await d.flush(watermark, env), out);
      return out;
    },
    close: () => [],
  };
}
