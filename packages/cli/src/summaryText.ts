// The human summary of a capture run, printed on stderr: what was read, what came out, and every
// flag and drop counter, so nothing is lost silently.
import type { CaptureSummary } from '@sidetap/capture';
import { formatBytes } from './progress';

export function summaryText(command: string, summary: CaptureSummary, seconds: number): string {
  const c = summary.counters;
  const flows = c['capture_flows_created_total'] ?? 0;
  const rate = seconds > 0 ? Math.round(summary.exchanges / seconds) : summary.exchanges;
  const lines = [
    `sidetap ${command}: ${summary.files} file${summary.files === 1 ? '' : 's'}, ${summary.packets} packets, ` +
      `${formatBytes(summary.fileBytes)}, ${flows} TCP flows, ${summary.exchanges} exchanges in ${seconds.toFixed(2)} s (${rate}/s)`,
  ];
  const flags = Object.entries(c)
    .filter(([name]) => name.startsWith('capture_http_flags_total{'))
    .map(([name, n]) => `${name.slice(name.indexOf('"') + 1, name.lastIndexOf('"'))} ${n}`);
  if (flags.length > 0) lines.push(`  flags: ${flags.join(', ')}`);
  const skipped = Object.entries(c)
    .filter(([name]) => name.startsWith('capture_flows_skipped_total{'))
    .map(([name, n]) => `${name.slice(name.indexOf('"') + 1, name.lastIndexOf('"'))} ${n}`);
  if (skipped.length > 0) lines.push(`  non-HTTP flows skipped: ${skipped.join(', ')}`);
  if (summary.tlsServerNames.length > 0)
    lines.push(`  TLS server names: ${summary.tlsServerNames.map(([name, n]) => `${name} ${n}`).join(', ')}`);
  lines.push('  counters:');
  for (const [name, n] of Object.entries(c)) {
    if (name.startsWith('capture_http_flags_total{')) continue;
    lines.push(`    ${name} ${n}`);
  }
  return lines.join('\n') + '\n';
}

/** Prints the fault that ended a capture, if any, and gives the exit status (2 for a bad file). */
export function reportFault(command: string, summary: CaptureSummary, io: { stderr: { write(s: string): boolean } }): number {
  if (summary.fault === undefined) return 0;
  io.stderr.write(
    `sidetap ${command}: ${summary.fault.message}; the ${summary.exchanges} exchanges before it were processed.\n`,
  );
  return 2;
}

/** The stages' counters after a pipeline run: every record in, out and dropped, by stage. */
export function pipelineCountersText(counters: Record<string, number>, storeDir: string): string {
  const lines = ['  pipeline:'];
  for (const [name, n] of Object.entries(counters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) lines.push(`    ${name} ${n}`);
  lines.push(`  store: ${storeDir}`);
  return lines.join('\n') + '\n';
}

/** What the sessionizer made of the traffic: sessions, and requests by what identified their actor. */
export function sessionsText(counters: Record<string, number>): string {
  const byKind: [string, number][] = [];
  for (const [name, n] of Object.entries(counters)) {
    const m = /^sessionizer_events_total\{actor_kind="([a-z_]+)"\}$/.exec(name);
    if (m) byKind.push([m[1]!, n]);
  }
  if (byKind.length === 0) return '';
  byKind.sort((a, b) => b[1] - a[1]);
  const unresolved = byKind.find(([k]) => k === 'ip')?.[1] ?? 0;
  const linked = counters['sessionizer_credentials_linked_total'] ?? 0;
  return (
    `sessions: ${counters['sessionizer_sessions_opened_total'] ?? 0}; requests by actor kind: ${byKind.map(([k, n]) => `${k} ${n}`).join(', ')}; ` +
    `unresolved (address only): ${unresolved}; credentials tied to users by login or refresh: ${linked}\n`
  );
}
