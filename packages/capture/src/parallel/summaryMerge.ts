// Merges the workers' summaries into the one a single-threaded run gives. Every worker decodes
// every packet, so decode-level counters, packets, bytes and the fault come from worker 0; what
// happens after the shard filter (TCP, flows, HTTP, exchanges) is split across workers and summed.
import { CaptureFileError } from '../sources';
import type { CaptureSummary } from '../capturePipeline';
import type { WorkerSummary } from './workerMessages';

const DECODE_COUNTER_PREFIXES = ['capture_packets_', 'capture_ip_', 'capture_tunnel_'];
const TLS_SERVER_NAMES_SHOWN = 20;

export function isDecodeCounter(name: string): boolean {
  return DECODE_COUNTER_PREFIXES.some((prefix) => name.startsWith(prefix));
}

export function mergeWorkerSummaries(summaries: readonly WorkerSummary[]): CaptureSummary {
  const first = summaries[0];
  if (first === undefined) throw new Error('no worker summaries to merge');
  const counters = new Map<string, number>();
  const names = new Map<string, number>();
  let exchanges = 0;
  let openFlowsAtEnd = 0;
  for (const [worker, summary] of summaries.entries()) {
    exchanges += summary.exchanges;
    openFlowsAtEnd += summary.openFlowsAtEnd;
    for (const [name, n] of Object.entries(summary.counters)) {
      if (isDecodeCounter(name) && worker !== 0) continue;
      counters.set(name, (counters.get(name) ?? 0) + n);
    }
    for (const [name, n] of summary.tlsServerNames) names.set(name, (names.get(name) ?? 0) + n);
  }
  const sortedCounters: Record<string, number> = {};
  for (const name of [...counters.keys()].sort()) sortedCounters[name] = counters.get(name) ?? 0;
  // The same order BoundedTally.top gives, with `other` (names past its cap) kept last.
  const other = names.get('other');
  names.delete('other');
  const tlsServerNames = [...names.entries()]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, TLS_SERVER_NAMES_SHOWN);
  if (other !== undefined) tlsServerNames.push(['other', other]);
  const fault = first.fault;
  return {
    files: first.files,
    packets: first.packets,
    fileBytes: first.fileBytes,
    exchanges,
    openFlowsAtEnd,
    counters: sortedCounters,
    tlsServerNames,
    fault: fault === undefined ? undefined : new CaptureFileError(fault.file, fault.offset, fault.reason),
  };
}
