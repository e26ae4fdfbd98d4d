// A segment worker's entry: TCP reassembly and HTTP parsing for the connections a live source or
// parallel file capture routes to it (one shard of the flow hash), answering every message with
// what it completed.
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { NdjsonChunk } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { createShardCapture } from '../../segmentCapture';
import { createExchangeRecordCodec, EncodedExchangeWriter } from './encodedExchanges';
import { readSegmentBatch } from './segmentBatch';
import type { MainToSegmentWorker, SegmentWorkerData, SegmentWorkerReady, SegmentWorkerReply } from './segmentWorkerMessages';

const ENCODER = new TextEncoder();

/** What a worker collects its exchanges into between replies, and how it packs them. */
interface Outbox {
  add(exchange: HttpExchange): void;
  /** The reply's payload fields, and the buffers to transfer with it; empties the outbox. */
  take(): { fields: Pick<SegmentWorkerReply, 'exchanges' | 'records' | 'count'>; transfer: ArrayBuffer[] };
}

function jsonOutbox(): Outbox {
  let out: HttpExchange[] = [];
  return {
    add: (exchange) => void out.push(exchange),
    take() {
      // UTF-8 JSON in a buffer of its own, moved rather than copied: cheaper across the thread
      // boundary than a structured clone of the records.
      const count = out.length;
      const exchanges = count === 0 ? undefined : ENCODER.encode(JSON.stringify(out));
      out = [];
      return { fields: { exchanges, records: undefined, count }, transfer: exchanges === undefined ? [] : [exchanges.buffer as ArrayBuffer] };
    },
  };
}

function ndjsonOutbox(): Outbox {
  const chunk = new NdjsonChunk();
  return {
    add: (exchange) => chunk.add(exchange),
    take() {
      const count = chunk.records;
      // NdjsonChunk's buffers own their ArrayBuffer (never Buffer's shared pool), so moving them is safe.
      const exchanges = chunk.take();
      return { fields: { exchanges, records: undefined, count }, transfer: exchanges === undefined ? [] : [exchanges.buffer as ArrayBuffer] };
    },
  };
}

function recordOutbox(): Outbox {
  // Encoded here, on this worker's core, so the source thread only forwards bytes.
  const codec = createExchangeRecordCodec();
  const writer = new EncodedExchangeWriter();
  return {
    add: (exchange) => writer.addExchange(codec, exchange),
    take() {
      const count = writer.count;
      const records = count === 0 ? undefined : writer.take();
      return { fields: { exchanges: undefined, records, count }, transfer: records === undefined ? [] : [records.buffer] };
    },
  };
}

function runSegmentWorker(port: MessagePort, data: SegmentWorkerData): void {
  const outbox = data.output === 'records' ? recordOutbox() : data.output === 'ndjson' ? ndjsonOutbox() : jsonOutbox();
  const capture = createShardCapture(data, (ex) => outbox.add(ex));
  const counters = capture.counters;
  const onSegment = capture.onSegment.bind(capture);
  const onTick = capture.advanceClock.bind(capture);

  port.on('message', (message: MainToSegmentWorker) => {
    let stopped: SegmentWorkerReply['stopped'];
    switch (message.type) {
      case 'segments':
        if (message.file !== undefined) capture.setFile(message.file);
        readSegmentBatch(message.buffer, message.bytes, onSegment, onTick);
        break;
      case 'tick':
        capture.advanceClock(message.nowUs);
        break;
      case 'stop':
        stopped = capture.closeAndReport(message.reason, message.tsUs);
        break;
    }
    const withCounters = message.type !== 'segments';
    const { fields, transfer } = outbox.take();
    const reply: SegmentWorkerReply = {
      type: message.type,
      ...fields,
      openFlows: capture.openFlows,
      counters: withCounters ? counters.snapshot() : undefined,
      stopped,
    };
    port.postMessage(reply, transfer);
    if (message.type === 'stop') port.close();
  });
  const ready: SegmentWorkerReady = { type: 'ready' };
  port.postMessage(ready);
}

if (parentPort === null) throw new Error('segmentWorker must run in a worker thread');
runSegmentWorker(parentPort, workerData as SegmentWorkerData);
