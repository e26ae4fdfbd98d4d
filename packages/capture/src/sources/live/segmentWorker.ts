// A segment worker's entry: TCP reassembly and HTTP parsing for the connections the live source
// routes to it (one shard of the flow hash), answering every message with what it completed.
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { Counters, createActorKeyOptions, createRedactor } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { SegmentCapture } from '../../segmentCapture';
import { readSegmentBatch } from './segmentBatch';
import type { MainToSegmentWorker, SegmentWorkerData, SegmentWorkerReply } from './segmentWorkerMessages';

const ENCODER = new TextEncoder();

function runSegmentWorker(port: MessagePort, data: SegmentWorkerData): void {
  // A header or cookie that names the actor carries a secret: its value is hashed in the exchange too.
  const extraHeaders = [...data.config.redactHeaders, ...(data.actor?.apiKeyHeaders ?? [])];
  const redactor = createRedactor({ key: Buffer.from(data.redactionKey), extraHeaders, secretCookies: data.actor?.sessionCookies ?? [] });
  // Main loaded the same key files before starting the workers, so a fault here is a file changed since.
  const actor = data.actor === undefined ? { redactor } : createActorKeyOptions(data.actor, redactor);
  const counters = new Counters();
  let out: HttpExchange[] = [];
  const capture = new SegmentCapture({ config: data.config, counters, redactor, actor, source: data.source, onExchange: (ex) => out.push(ex) });
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
    // UTF-8 JSON in a buffer of its own, moved rather than copied: cheaper across the thread
    // boundary than a structured clone of the records.
    const exchanges = out.length === 0 ? undefined : ENCODER.encode(JSON.stringify(out));
    const reply: SegmentWorkerReply = { type: message.type, exchanges, openFlows: capture.openFlows, counters: withCounters ? counters.snapshot() : undefined };
    out = [];
    port.postMessage(reply, exchanges === undefined ? [] : [exchanges.buffer as ArrayBuffer]);
    if (message.type === 'stop') port.close();
  });
}

if (parentPort === null) throw new Error('segmentWorker must run in a worker thread');
runSegmentWorker(parentPort, workerData as SegmentWorkerData);
