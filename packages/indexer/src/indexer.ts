// The indexer stage: writes findings, session summaries and, when configured, events to the
// local store, Elasticsearch, or both. A batch returns only once every sink has it, so the runner
// commits nothing a sink has not taken.
import type { ClientOptions } from '@elastic/elasticsearch';
import type { Event, Finding, Processor, SessionSummary, StageContext } from '@sidetap/core';
import { createElasticSink } from './elastic/elasticSink';
import type { ElasticSink } from './elastic/elasticSink';
import type { IndexerConfig } from './indexerConfig';
import { LocalStore } from './localStore';

export interface IndexerDeps {
  /** Replaces the Elasticsearch client's HTTP layer only (tests pass Elastic's mock connection). */
  elasticConnection?: ClientOptions['Connection'];
}

export async function createIndexer(config: IndexerConfig, ctx: StageContext, deps: IndexerDeps = {}): Promise<Processor<Event | Finding | SessionSummary, never>> {
  const store = config.sink === 'elasticsearch' ? undefined : new LocalStore(ctx.storeDir, config.store, { counters: ctx.counters, logger: ctx.logger });
  const elastic: ElasticSink | undefined =
    config.sink === 'local'
      ? undefined
      : createElasticSink(config.elasticsearch, {
          storeDir: ctx.storeDir,
          counters: ctx.counters,
          logger: ctx.logger,
          ...(deps.elasticConnection ? { connection: deps.elasticConnection } : {}),
        });
  if (elastic !== undefined) {
    try {
      await elastic.ready(config.elasticsearch.startupTimeoutMs);
    } catch (err) {
      await elastic.close();
      throw err;
    }
  }
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
      if (!config.events) events.length = 0;
      // The local write is quick and the one `sidetap findings` reads, so it goes first: an
      // Elasticsearch outage then holds the pipeline with the batch already on disk locally.
      if (store !== undefined) {
        await store.append('session', sessions);
        await store.append('alert', findings);
        await store.append('event', events);
      }
      if (elastic !== undefined) {
        await elastic.write('session', sessions);
        await elastic.write('alert', findings);
        await elastic.write('event', events);
      }
      ctx.counters.inc('indexer_sessions_written_total', sessions.length);
      ctx.counters.inc('indexer_findings_written_total', findings.length);
      ctx.counters.inc('indexer_events_written_total', events.length);
      return [];
    },
    flush: () => [],
    interrupt: () => elastic?.interrupt(),
    async close() {
      await store?.close();
      await elastic?.close();
      return [];
    },
  };
}
