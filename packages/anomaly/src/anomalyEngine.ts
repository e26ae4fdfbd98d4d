// The anomaly stage: runs every enabled detector over each event in order, turns their drafts
// into findings (deterministic ids, capture quality), drops suppressed ones (counted), joins the
// rest to their actor's incident, and lets window detectors speak when event time moves on.
import { parseIsoTime } from '@sidetap/core';
import type { Event, Finding, Processor, StageContext } from '@sidetap/core';
import type { AnomalyConfig } from './anomalyConfig';
import type { DetectorEnv } from './detector';
import { IncidentCorrelator } from './correlation/incidentCorrelator';
import { buildFinding } from './findingDraft';
import type { FindingDraft } from './findingDraft';
import { LearningGate } from './learningGate';
import { createDetectors } from './registry';
import { ANOMALY_MODELS_FORMAT } from './models/anomalyModels';
import type { AnomalyModels } from './models/anomalyModels';
import { isSuppressed } from './suppression';

export interface AnomalyEngine extends Processor<Event, Finding> {
  /** What the detectors learned, as a model document (`sidetap models train`). */
  exportModels(trainedOn: string[]): AnomalyModels;
}

/**
 * `models`: trained models (from the model store); with them the engine starts learned and
 * skips the learning period.
 */
export function createAnomalyEngine(config: AnomalyConfig, ctx: StageContext, models?: AnomalyModels): AnomalyEngine {
  const detectors = createDetectors(config.detectors, { counters: ctx.counters }, models);
  let firstSeen: number | undefined;
  let lastSeen: number | undefined;
  const learnMs = models === undefined ? config.learnMs : 0;
  const gate = new LearningGate(config.learningHoldMs, config.learningHoldActors, () => ctx.counters.inc('anomaly_learning_hold_forgotten_total'));
  const env: DetectorEnv = {
    state: ctx.state,
    counters: ctx.counters,
    learning: (t) => firstSeen !== undefined && t < firstSeen + learnMs,
    teach: (teach) => gate.defer(teach),
    windowMayTeach: (actorKey, since) => gate.mayTeach(actorKey, since),
  };
  const correlator = new IncidentCorrelator(config.correlation, ctx.state);
  /** `fromEvent`: drafted while observing the current event (rather than as a window closed). */
  const emit = async (drafts: FindingDraft[], out: Finding[], fromEvent: boolean): Promise<void> => {
    for (const d of drafts) {
      const f = buildFinding(d);
      // Suppressed findings were judged benign: their traffic may teach.
      if (isSuppressed(f, config.suppressions)) {
        ctx.counters.inc(`anomaly_findings_suppressed_total{detector="${d.detector}"}`);
        continue;
      }
      if (fromEvent) gate.raisedNow();
      gate.noteFinding(d.actorKey, d.window.end);
      ctx.counters.inc(`anomaly_findings_emitted_total{detector="${d.detector}",category="${d.rule.category}"}`);
      await correlator.correlate(f);
      out.push(f);
    }
  };
  return {
    async process(events) {
      ctx.counters.inc('anomaly_events_received_total', events.length);
      const out: Finding[] = [];
      for (const e of events) {
        const t = parseIsoTime(e['@timestamp']);
        if (firstSeen === undefined || t < firstSeen) firstSeen = t;
        if (lastSeen === undefined || t > lastSeen) lastSeen = t;
        for (const d of detectors) {
          const r = d.observe(e, t, env);
          const drafts = Array.isArray(r) ? r : await r;
          if (drafts.length > 0) await emit(drafts, out, true);
        }
        const held = await gate.settle(e.sidetap.actor_key, t);
        if (held > 0) ctx.counters.inc('anomaly_learning_held_total', held);
      }
      return out;
    },
    async flush(watermark) {
      const out: Finding[] = [];
      for (const d of detectors) if (d.flush !== undefined) await emit(await d.flush(watermark, env), out, false);
      // A window that closed has no event of its own: what it deferred teaches now.
      await gate.settle(undefined, watermark);
      return out;
    },
    close: () => [],
    exportModels(trainedOn) {
      const doc: AnomalyModels = { format: ANOMALY_MODELS_FORMAT, trainedAt: new Date().toISOString(), trainedOn, detectors: {} };
      if (firstSeen !== undefined) doc.learnedFrom = new Date(firstSeen).toISOString();
      if (lastSeen !== undefined) doc.learnedUntil = new Date(lastSeen).toISOString();
      for (const d of detectors) if (d.exportModel !== undefined) doc.detectors[d.name] = d.exportModel();
      return doc;
    },
  };
}
