// Starts a capture worker (dist/parallel/captureWorker.js, or its source under jest and tsx).
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workerStart';
import type { CaptureWorkerData } from './workerMessages';

export function startCaptureWorker(data: CaptureWorkerData): Worker {
  return startWorker(__dirname, 'captureWorker', data);
}
