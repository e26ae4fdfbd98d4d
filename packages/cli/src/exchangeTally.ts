// What `sidetap replay` reports about the traffic it saw, until the detection stages stand
// behind it: who talked to what, how it answered, and which exchanges capture flagged.
import { BoundedTally } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';

const NAMES_KEPT = 10_000;

export interface TallyReport {
  exchanges: number;
  clients: number;
  actors: number;
  statusClasses: Record<string, number>;
  topEndpoints: Array<[string, number]>;
  topActors: Array<[string, number]>;
  flaggedExchanges: number;
  flags: Array<[string, number]>;
}

/** `2xx` and its kind, made once rather than per exchange. */
const STATUS_CLASSES = Array.from({ length: 10 }, (_, i) => `${i}xx`);
const statusClass = (status: number): string => STATUS_CLASSES[Math.floor(status / 100)] ?? `${Math.floor(status / 100)}xx`;

export class ExchangeTally {
  private exchanges = 0;
  private flagged = 0;
  private readonly clients = new BoundedTally(NAMES_KEPT);
  private readonly actors = new BoundedTally(NAMES_KEPT);
  private readonly endpoints = new BoundedTally(NAMES_KEPT);
  private readonly statuses = new BoundedTally(16);
  private readonly flags = new BoundedTally(256);

  add(ex: HttpExchange): void {
    this.exchanges += 1;
    this.clients.add(ex.source.ip);
    this.actors.add(ex.sidetap.actor_key);
    if (ex.http.request.method !== '') this.endpoints.add(`${ex.http.request.method} ${ex.url.domain ?? ex.destination.ip}${ex.url.path}`);
    const status = ex.http.response?.status_code;
    this.statuses.add(status === undefined ? 'none' : statusClass(status));
    if (ex.sidetap.capture.flags.length > 0) this.flagged += 1;
    for (const flag of ex.sidetap.capture.flags) this.flags.add(flag);
  }

  report(top = 10): TallyReport {
    return {
      exchanges: this.exchanges,
      clients: this.clients.top().length,
      actors: this.actors.top().length,
      statusClasses: Object.fromEntries(this.statuses.top().sort((a, b) => (a[0] < b[0] ? -1 : 1))),
      topEndpoints: this.endpoints.top(top),
      topActors: this.actors.top(top),
      flaggedExchanges: this.flagged,
      flags: this.flags.top(),
    };
  }
}

export function tallyText(r: TallyReport): string {
  const lines = [
    `${r.exchanges} exchanges from ${r.clients} client addresses and ${r.actors} actors`,
    `  responses: ${Object.entries(r.statusClasses).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`,
    '  top endpoints:',
    ...r.topEndpoints.map(([name, n]) => `    ${String(n).padStart(7)}  ${name}`),
    '  top actors:',
    ...r.topActors.map(([name, n]) => `    ${String(n).padStart(7)}  ${name}`),
    `  exchanges with capture flags: ${r.flaggedExchanges}${r.flags.length > 0 ? ` (${r.flags.map(([f, n]) => `${f} ${n}`).join(', ')})` : ''}`,
  ];
  return lines.join('\n') + '\n';
}
