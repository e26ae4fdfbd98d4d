// The pipeline's topics (DESIGN.md §1): names, record codecs, and the key each record is routed
// by, so one actor's records stay in order on one partition.
import { createRecordCodec, eventSchema, findingSchema, httpExchangeSchema, sessionSummarySchema } from '@sidetap/core';
import type { Event, Finding, HttpExchange, SessionSummary } from '@sidetap/core';
import type { Topic } from '@sidetap/bus';

export interface PipelineTopic<T> extends Topic<T> {
  keyOf(record: T): string;
}

export const TOPICS = {
  exchanges: {
    name: 'sidetap.exchanges',
    codec: createRecordCodec('exchange', httpExchangeSchema),
    keyOf: (r: HttpExchange) => r.sidetap.actor_key,
  } satisfies PipelineTopic<HttpExchange>,
  events: {
    name: 'sidetap.events',
    codec: createRecordCodec('event', eventSchema),
    keyOf: (r: Event) => r.sidetap.actor_key,
  } satisfies PipelineTopic<Event>,
  sessions: {
    name: 'sidetap.sessions',
    codec: createRecordCodec('session', sessionSummarySchema),
    keyOf: (r: SessionSummary) => r.sidetap.actor_key,
  } satisfies PipelineTopic<SessionSummary>,
  findings: {
    name: 'sidetap.findings',
    codec: createRecordCodec('finding', findingSchema),
    // A finding about no single actor still needs a stable key: its source, else its rule.
    keyOf: (r: Finding) => r.sidetap.actor_key ?? r.source?.ip ?? r.rule.id,
  } satisfies PipelineTopic<Finding>,
} as const;

export type TopicName = keyof typeof TOPICS;
