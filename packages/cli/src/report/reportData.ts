// What the report shows, aggregated from the store: the contract between ReportAggregator, which
// streams the records, and renderReport, which only lays this out.
import type { IncidentSummary } from './incidentBoard';
import type { FindingView } from './recordViews';
import type { TimeSeries } from './timeHistogram';

export interface Ranked {
  key: string;
  /** What to call it on the page: a user name when the findings name one, else the key. */
  label: string;
  findings: number;
  /** How far `findings` may overcount (0: exact), once the counter had to let keys go. */
  overcount: number;
  maxRisk: number;
  categories: string[];
  /** Actors: a client address of their findings. */
  ip?: string | undefined;
}

export interface ActorContext {
  sessions: number;
  requests: number;
  errors: number;
  clientIps: string[];
  countries: string[];
  devices: number;
}

export interface ReportData {
  /** Where the records came from (the store directory), shown in the header. */
  source: string;
  /** The --since / --until cut, ISO 8601, when given. */
  since: string | undefined;
  until: string | undefined;
  findings: {
    total: number;
    /** Records that were not readable findings, skipped and counted. */
    skipped: number;
    /** Findings stored more than once (a capture replayed again into the store), counted once. */
    repeated: number;
    first: string | undefined;
    last: string | undefined;
    maxRisk: number;
    /** Findings of severity 1 (low) to 4 (critical), at index 0 to 3. */
    bySeverity: [number, number, number, number];
  };
  timeline: TimeSeries;
  /** Categories with findings, most first; family from the taxonomy ('other' for unknown values). */
  byCategory: Array<{ category: string; family: string; count: number }>;
  /** Every OWASP API Top 10 risk in rank order, zeros included, then findings that name none. */
  byOwasp: Array<{ id: string; title: string; count: number }>;
  topActors: { rows: Ranked[]; exact: boolean; distinctAtLeast: number; withoutActor: number };
  topEndpoints: { rows: Ranked[]; exact: boolean; distinctAtLeast: number; withoutEndpoint: number };
  incidents: { total: number; shown: IncidentSummary[] };
  /** Findings outside any incident (no single actor), riskiest first. */
  loneFindings: { total: number; shown: FindingView[] };
  sessions: { total: number; skipped: number; requests: number; errors: number; bytesSent: number; bytesReceived: number };
  /** Session context of the actors on the page (top actors and incident actors), by actor key. */
  actors: Map<string, ActorContext>;
}
