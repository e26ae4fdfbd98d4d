// A segment worker's entry: TCP reassembly and HTTP parsing for the connections the live source
// routes to it (one shard of the flow hash), answering every message with what it completed.
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { Counters, createActorKeyOptions, createRedactor } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { SegmentCapture } from '../../segmentCapture';
import { createExchangeRecordCodec, EncodedExchangeWriter } from './encodedExchanges';
import { readSegmentBatch } from './segmentBatch';
import type { MainToSegmentWorker, SegmentWorkerData, SegmentWorkerReady, SegmentWorkerReply } from './segmentWorkerMessages';

const ENCODER = new TextEncoder();

/** What a worker collects its exchanges into between replies, and how it packs them. */
interface Outbox {
  add(exchange: HttpExchange): void;
  /** The reply's payload fields, and the buffers to transfer with it; empties the outbox. */
  take(): { fields: Pick<SegmentWorkerReply, 'exchanges' | 'records'>; transfer: ArrayBuffer[] };
}

function jsonOutbox(): Outbox {
  let out: HttpExchange[] = [];
  return {
    add: (exchange) => void out.push(exchange),
    take() {
      // UTF-8 JSON in a buffer of its own, moved rather than copied: cheaper across the thread
      // boundary than a structured clone of the records.
      const exchanges = out.length === 0 ? undefined : ENCODER.encode(JSON.stringify(out));
      out = [];
      return { fields: { exchanges, records: undefined }, transfer: exchanges === undefined ? [] : [exchanges.buffer as ArrayBuffer] };
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
      const records = writer.count === 0 ? undefined : writer.take();
      return { fields: { exchanges: undefined, records }, transfer: records === undefined ? [] : [records.buffer] };
    },
  };
}

function runSegmentWorker(port: MessagePort, data: SegmentWorkerData): void {
  // A header or cookie that names the actor carries a secret: its value is hashed in the exchange too.
  const extraHeaders = [...data.config.redactHeaders, ...(data.actor?.apiKeyHeaders ?? [])];
  const redactor = createRedactor({ key: Buffer.from(data.redactionKey), extraHeaders, secretCookies: data.actor?.sessionCookies ?? [] });
  // Main loaded the same key files before starting the workers, so a fault here is a file changed since.
  const actor = data.actor === undefined ? { redactor } : createActorKeyOptions(data.actor, redactor);
  const counters = new Counters();
  const outbox = data.output === 'records' ? recordOutbox() : jsonOutbox();
  const capture = new SegmentCapture({ config: data.config, counters, redactor, actor, source: data.source, onExchange: (ex) => outbox.add(ex) });
  const onSegment = capture.onSegment.bind(capture);

  port.on('message', (message: MainToSegmentWorker) => {
    switch (message.type) {
      case 'segments':
        readSegmentBatch(message.buffer, message.bytes, onSegment);
        break;
      case 'tick':
        capture.advanceClock(message.nowUs);
        break;
      case 'stop':
        capture.closeAll(message.reason, message.tsUs);
        break;
    }
    const withCounters = message.type !== 'segments';
    const { fields, transfer } = outbox.take();
    const reply: SegmentWorkerReply = { type: message.type, ...fields, openFlows: capture.openFlows, counters: withCounters ? counters.snapshot() : undefined };
    port.postMessage(reply, transfer);
    if (message.type === 'stop') port.close();
  });
  const ready: SegmentWorkerReady = { type: 'ready' };
  port.postMessage(ready);
}

if (parentPort === null) throw new Error('segmentWorker must run in a worker thread');
runSegmentWorker(parentPort, workerData as SegmentWorkerData);
