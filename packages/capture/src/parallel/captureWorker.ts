// The capture worker's entry: runs captureFiles over every file for one shard of the flows,
// serialises its exchanges to NDJSON, and posts them chunk by chunk, waiting for credit so it
// never runs more than a few chunks ahead of what the main thread has written.
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { createActorKeyOptions, createRedactor } from '@sidetap/core';
import { captureFiles } from '../capturePipeline';
import type { CaptureProgress } from '../capturePipeline';
import { NdjsonChunk } from '@sidetap/core';
import type { CaptureWorkerData, ChunkMessage, DoneMessage, MainToWorkerMessage } from './workerMessages';

async function runCaptureWorker(port: MessagePort, data: CaptureWorkerData): Promise<void> {
  // A header or cookie that names the actor carries a secret: its value is hashed in the exchange too.
  const extraHeaders = [...data.config.redactHeaders, ...(data.actor?.apiKeyHeaders ?? [])];
  const redactor = createRedactor({ key: Buffer.from(data.redactionKey), extraHeaders, secretCookies: data.actor?.sessionCookies ?? [] });
  // Main loaded the same key files before starting the workers, so a fault here is a file changed since.
  const actor = data.actor === undefined ? { redactor } : createActorKeyOptions(data.actor, redactor);
  const chunk = new NdjsonChunk();
  let seq = 0;
  let creditUpTo = data.creditChunks;
  let progress: CaptureProgress | undefined;
  let wakeOnCredit: (() => void) | undefined;

  port.on('message', (message: MainToWorkerMessage) => {
    if (message.type !== 'credit') return;
    creditUpTo = Math.max(creditUpTo, message.upTo);
    if (wakeOnCredit !== undefined && seq < creditUpTo) {
      const wake = wakeOnCredit;
      wakeOnCredit = undefined;
      wake();
    }
  });

  const takeLines = (): { ndjson: Uint8Array | undefined; exchanges: number } => {
    const exchanges = chunk.records;
    return { ndjson: chunk.take(), exchanges };
  };

  const summary = await captureFiles(data.files, {
    config: data.config,
    redactor,
    actor,
    shard: data.shard,
    onExchange: (exchange) => {
      chunk.add(exchange);
    },
    ...(data.reportProgress ? { onProgress: (p: CaptureProgress) => (progress = p) } : {}),
    drain: async () => {
      const { ndjson, exchanges } = takeLines();
      const message: ChunkMessage = { type: 'chunk', seq, exchanges, ndjson, progress };
      port.postMessage(message, transferList(ndjson));
      progress = undefined;
      seq += 1;
      if (seq >= creditUpTo) await new Promise<void>((resolve) => (wakeOnCredit = resolve));
    },
  });

  const { ndjson, exchanges } = takeLines();
  const { fault, ...rest } = summary;
  const done: DoneMessage = {
    type: 'done',
    chunks: seq,
    exchanges,
    ndjson,
    summary: { ...rest, fault: fault === undefined ? undefined : { file: fault.file, offset: fault.offset, reason: fault.reason } },
  };
  port.postMessage(done, transferList(ndjson));
  // Nothing more will come from main that matters: let the thread end once its queue is empty.
  port.unref();
}

/** NdjsonChunk's buffers own their ArrayBuffer (never Buffer's shared pool), so moving them is safe. */
function transferList(bytes: Uint8Array | undefined): ArrayBuffer[] {
  return bytes === undefined ? [] : [bytes.buffer as ArrayBuffer];
}

if (parentPort === null) throw new Error('captureWorker must run in a worker thread');
const port = parentPort;
runCaptureWorker(port, workerData as CaptureWorkerData).catch((err: unknown) => {
  // An exception here must end the worker with an 'error' event in main, never leave it waiting.
  process.nextTick(() => {
    throw err;
  });
});
