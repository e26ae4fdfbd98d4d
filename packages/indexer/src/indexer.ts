// The indexer stage: writes findings, and events when configured, to the sink.
import type { Event, Finding, Processor, SessionSummary, StageContext } from '@sidetap/core';
import type { IndexerConfig } from './indexerConfig';
import { LocalStore } from './localStore';

export function createIndexer(config: IndexerConfig, ctx: StageContext): Processor<Event | Finding | SessionSummary, never> {
  const store = new LocalStore(ctx.storeDir);
  return {
    async process(records) {
      const findings: Finding[] = [];
      const events: Event[] = [];
      const sessions: SessionSummary[] = [];
      for (const r of records) {
        if (r.event.kind === 'alert') findings.push(r as Finding);
        else if (r.event.dataset === 'sidetap.session') sessions.push(r as SessionSummary);
        else events.push(r as Event);
      }
      await store.append('session', sessions);
      ctx.counters.inc('indexer_sessions_written_total', sessions.length);
      await store.append('alert', findings);
      ctx.counters.inc('indexer_findings_written_total', findings.length);
      if (config.events) {
        await store.append('event', events);
        ctx.counters.inc('indexer_events_written_total', events.length);
      }
      return [];
    },
    flush: () => [],
    close: () => [],
  };
}
