// Starts a segment worker (segmentWorker.js beside this file, or its source under jest and tsx).
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../workerStart';
import type { SegmentWorkerData } from './segmentWorkerMessages';

export function startSegmentWorker(data: SegmentWorkerData): Worker {
  return startWorker(__dirname, 'segmentWorker', data);
}
