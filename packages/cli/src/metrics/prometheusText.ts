// Renders sidetap counter snapshots (`name{label="value",...}` keys, as Counters writes them) in
// the Prometheus text exposition format 0.0.4, grouped by metric name and sorted so two scrapes of
// the same values are byte-identical.

export type MetricType = 'counter' | 'gauge';

export interface RenderOptions {
  /** HELP text by metric name (after sanitizing); names without one get no HELP line. */
  help?: Readonly<Record<string, string>> | undefined;
  /** Metric names to type as gauges even though they end in `_total`. */
  gauges?: readonly string[] | undefined;
}

export interface Series {
  name: string;
  /** Label pairs in the order the key gave them, values raw (not escaped). */
  labels: Array<[string, string]>;
}

/** Written into every exposition so a key that could not be rendered is seen, never silently lost. */
export const INVALID_SERIES_METRIC = 'sidetap_metrics_invalid_series';

const INVALID_SERIES_HELP =
  'Counter keys left out of this scrape because they could not be parsed or collided with another key after their names were sanitized.';

/** Metric names allow colons; label names do not (the spec reserves colons for recording rules). */
export function sanitizeMetricName(raw: string): string {
  const name = raw.replace(/[^a-zA-Z0-9_:]/g, '_');
  return name === '' || /^[0-9]/.test(name) ? `_${name}` : name;
}

export function sanitizeLabelName(raw: string): string {
  const name = raw.replace(/[^a-zA-Z0-9_]/g, '_');
  return name === '' || /^[0-9]/.test(name) ? `_${name}` : name;
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes backslash and newline only: a double quote is literal there. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * Counters are named `<stage>_<noun>_<verb>_total` by convention, and Prometheus reserves the
 * `_total` suffix for counters, so anything else (`_lag`, `_records`, `_bytes`, ...) is a level
 * that can go down: a gauge.
 */
export function metricType(name: string, gauges: ReadonlySet<string>): MetricType {
  return !gauges.has(name) && name.endsWith('_total') ? 'counter' : 'gauge';
}

/**
 * Splits a counter key into name and labels. Label values in keys are raw, as code writes them
 * with template strings (`topic="${name}"`), so a value ends at the quote that is followed by the
 * end of the label set or by `,<label>="`, which lets a value hold quotes or commas of its own.
 * Returns undefined when the key is not of that form.
 */
export function parseSeriesKey(key: string): Series | undefined {
  const open = key.indexOf('{');
  if (open === -1) return { name: key, labels: [] };
  if (!key.endsWith('}')) return undefined;
  const name = key.slice(0, open);
  const labels: Array<[string, string]> = [];
  const body = key.slice(open + 1, -1);
  let at = 0;
  while (at < body.length) {
    const head = /^\s*([^=,"\s]+)\s*="/.exec(body.slice(at));
    if (head === null) return undefined;
    const valueStart = at + head[0].length;
    const end = closingQuote(body, valueStart);
    if (end === -1) return undefined;
    labels.push([head[1]!, body.slice(valueStart, end)]);
    at = end + 1;
    if (at < body.length) {
      if (body[at] !== ',') return undefined;
      at += 1;
      // A trailing comma is allowed by the exposition format, so accept it here too.
      if (body.slice(at).trim() === '') break;
    }
  }
  return { name, labels };
}

function closingQuote(body: string, from: number): number {
  for (let i = body.indexOf('"', from); i !== -1; i = body.indexOf('"', i + 1)) {
    const rest = body.slice(i + 1);
    if (rest.trim() === '' || /^\s*,\s*([^=,"\s]+)\s*="/.test(rest) || /^\s*,\s*$/.test(rest)) return i;
  }
  return -1;
}

interface Sample {
  /** Labels sorted by name: equal label sets compare equal whatever order the key wrote them in. */
  identity: string;
  line: string;
}

// Plain code-unit order: localeCompare would depend on the ICU data of the machine.
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The exposition of `values`: `# HELP`/`# TYPE` then the samples of each metric, names sorted. */
export function renderPrometheusText(values: Readonly<Record<string, number>>, options: RenderOptions = {}): string {
  const gauges = new Set((options.gauges ?? []).map(sanitizeMetricName));
  const metrics = new Map<string, Map<string, Sample>>();
  let invalid = 0;
  for (const key of Object.keys(values).sort(byString)) {
    const value = values[key];
    const series = parseSeriesKey(key);
    // The snapshot comes from a callback typed as numbers, but a wrong value must not reach the text.
    if (typeof value !== 'number' || series === undefined || series.name === INVALID_SERIES_METRIC) {
      invalid += 1;
      continue;
    }
    const name = sanitizeMetricName(series.name);
    const labels = series.labels.map(([label, value]): [string, string] => [sanitizeLabelName(label), value]);
    const labelNames = labels.map(([label]) => label);
    // The same label twice makes the whole scrape unparseable to Prometheus.
    if (new Set(labelNames).size !== labelNames.length) {
      invalid += 1;
      continue;
    }
    const identity = [...labels]
      .sort(([a], [b]) => byString(a, b))
      .map(([label, value]) => `${label}=${JSON.stringify(value)}`)
      .join(',');
    let samples = metrics.get(name);
    if (samples === undefined) metrics.set(name, (samples = new Map()));
    // Two keys that sanitize to one series (`a-b` and `a_b`) would be a duplicate sample, which
    // fails the whole scrape; the first in key order is kept and the other counted.
    if (samples.has(identity)) {
      invalid += 1;
      continue;
    }
    const labelText = labels.length === 0 ? '' : `{${labels.map(([label, value]) => `${label}="${escapeLabelValue(value)}"`).join(',')}}`;
    samples.set(identity, { identity, line: `${name}${labelText} ${formatValue(value)}` });
  }
  metrics.set(INVALID_SERIES_METRIC, new Map([['', { identity: '', line: `${INVALID_SERIES_METRIC} ${invalid}` }]]));

  const help = new Map(Object.entries(options.help ?? {}).map(([name, text]) => [sanitizeMetricName(name), text]));
  help.set(INVALID_SERIES_METRIC, INVALID_SERIES_HELP);
  const lines: string[] = [];
  for (const name of [...metrics.keys()].sort(byString)) {
    const text = help.get(name);
    if (text !== undefined) lines.push(`# HELP ${name} ${escapeHelp(text)}`);
    lines.push(`# TYPE ${name} ${metricType(name, gauges)}`);
    const samples = [...metrics.get(name)!.values()].sort((a, b) => byString(a.identity, b.identity));
    for (const sample of samples) lines.push(sample.line);
  }
  // The format requires the last line to end in a line feed.
  return `${lines.join('\n')}\n`;
}
