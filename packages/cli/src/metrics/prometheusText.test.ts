// The exposition text read back with a small parser of the 0.0.4 grammar, so the tests check what a
// scraper would see rather than the exact bytes.
import { INVALID_SERIES_METRIC, parseSeriesKey, renderPrometheusText, sanitizeMetricName } from './prometheusText';

interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Parsed {
  types: Map<string, string>;
  help: Map<string, string>;
  samples: ParsedSample[];
  /** Metric names in the order their TYPE lines appear. */
  order: string[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function unescape(text: string, quote: boolean): string {
  return text.replace(quote ? /\\([\\"n])/g : /\\([\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** Parses the exposition strictly: anything outside the grammar fails the test. */
function parseExposition(text: string): Parsed {
  expect(text.endsWith('\n')).toBe(true);
  const parsed: Parsed = { types: new Map(), help: new Map(), samples: [], order: [] };
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta !== null) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      expect(name).toMatch(NAME);
      if (kind === 'TYPE') {
        expect(parsed.types.has(name)).toBe(false);
        expect(['counter', 'gauge']).toContain(rest);
        parsed.types.set(name, rest);
        parsed.order.push(name);
      } else {
        parsed.help.set(name, unescape(rest, false));
      }
      continue;
    }
    const m = /^([^{\s]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) throw new Error(`not an exposition line: ${JSON.stringify(line)}`);
    const [, name, labelText, value] = m as unknown as [string, string, string | undefined, string];
    expect(name).toMatch(NAME);
    // A sample belongs to the metric whose TYPE line came last.
    expect(parsed.order[parsed.order.length - 1]).toBe(name);
    const labels: Record<string, string> = {};
    let rest = labelText ?? '';
    while (rest !== '') {
      const l = /^([^=]+)="((?:[^"\\]|\\.)*)",?/.exec(rest);
      if (l === null) throw new Error(`bad label set in ${JSON.stringify(line)}`);
      expect(l[1]).toMatch(LABEL);
      expect(labels[l[1]!]).toBeUndefined();
      labels[l[1]!] = unescape(l[2]!, true);
      rest = rest.slice(l[0].length);
    }
    parsed.samples.push({ name, labels, value: value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : Number(value) });
  }
  return parsed;
}

describe('renderPrometheusText', () => {
  const snapshot = {
    'bus_records_consumed_total{topic="sidetap.events",group="anomaly"}': 120,
    'bus_records_consumed_total{topic="sidetap.events",group="indexer"}': 80,
    'bus_records_consumed_total{topic="sidetap.exchanges",group="sessionizer"}': 300,
    capture_packets_read_total: 4096,
    'bus_consumer_lag{topic="sidetap.events"}': 7,
    sessionizer_sessions_open_records: 12,
    capture_reassembly_buffer_bytes: 65536,
  };

  it('gives one TYPE line per metric name, counters for _total and gauges for levels', () => {
    const parsed = parseExposition(renderPrometheusText(snapshot));
    expect(Object.fromEntries(parsed.types)).toEqual({
      bus_consumer_lag: 'gauge',
      bus_records_consumed_total: 'counter',
      capture_packets_read_total: 'counter',
      capture_reassembly_buffer_bytes: 'gauge',
      sessionizer_sessions_open_records: 'gauge',
      [INVALID_SERIES_METRIC]: 'gauge',
    });
    const consumed = parsed.samples.filter((s) => s.name === 'bus_records_consumed_total');
    expect(consumed).toEqual([
      { name: 'bus_records_consumed_total', labels: { topic: 'sidetap.events', group: 'anomaly' }, value: 120 },
      { name: 'bus_records_consumed_total', labels: { topic: 'sidetap.events', group: 'indexer' }, value: 80 },
      { name: 'bus_records_consumed_total', labels: { topic: 'sidetap.exchanges', group: 'sessionizer' }, value: 300 },
    ]);
    expect(parsed.samples.find((s) => s.name === INVALID_SERIES_METRIC)?.value).toBe(0);
  });

  it('sorts metrics by name and series by labels, whatever order the snapshot has', () => {
    const reversed = Object.fromEntries(Object.entries(snapshot).reverse());
    const text = renderPrometheusText(reversed);
    expect(text).toBe(renderPrometheusText(snapshot));
    const parsed = parseExposition(text);
    expect(parsed.order).toEqual([...parsed.order].sort());
    const groups = parsed.samples.filter((s) => s.name === 'bus_records_consumed_total').map((s) => s.labels.group);
    expect(groups).toEqual(['anomaly', 'indexer', 'sessionizer']);
  });

  it('types an explicitly listed _total metric as a gauge', () => {
    const parsed = parseExposition(renderPrometheusText({ queue_depth_total: 3, capture_packets_read_total: 1 }, { gauges: ['queue_depth_total'] }));
    expect(parsed.types.get('queue_depth_total')).toBe('gauge');
    expect(parsed.types.get('capture_packets_read_total')).toBe('counter');
  });

  it('writes HELP lines with backslash and newline escaped, only for metrics that have one', () => {
    const help = { capture_packets_read_total: 'Packets read from "the" capture\\source\nsecond line' };
    const text = renderPrometheusText(snapshot, { help });
    expect(text).toContain('# HELP capture_packets_read_total Packets read from "the" capture\\\\source\\nsecond line\n# TYPE capture_packets_read_total counter\n');
    const parsed = parseExposition(text);
    expect(parsed.help.get('capture_packets_read_total')).toBe(help.capture_packets_read_total);
    expect(parsed.help.has('bus_consumer_lag')).toBe(false);
  });

  it('escapes backslash, double quote and newline in label values', () => {
    const value = 'a\\b"c\nd';
    const text = renderPrometheusText({ [`bus_records_published_total{topic="${value}"}`]: 1 });
    expect(text).toContain('bus_records_published_total{topic="a\\\\b\\"c\\nd"} 1\n');
    expect(parseExposition(text).samples[0]?.labels).toEqual({ topic: value });
  });

  it('keeps quotes and commas inside raw label values', () => {
    const key = 'bus_records_published_total{topic="a",b="c",group="g"}';
    expect(parseSeriesKey(key)).toEqual({ name: 'bus_records_published_total', labels: [['topic', 'a'], ['b', 'c'], ['group', 'g']] });
    // The quote before `,x` does not start a label, so it belongs to the value.
    expect(parseSeriesKey('m{topic="say "hi", bye"}')).toEqual({ name: 'm', labels: [['topic', 'say "hi", bye']] });
  });

  it('sanitizes metric and label names to the allowed characters', () => {
    expect(sanitizeMetricName('capture.packets-read total')).toBe('capture_packets_read_total');
    expect(sanitizeMetricName('9lives')).toBe('_9lives');
    expect(sanitizeMetricName('rule:rate_5m')).toBe('rule:rate_5m');
    const parsed = parseExposition(renderPrometheusText({ 'capture.packets-read_total{te:am="x",9a="y"}': 5 }));
    expect(parsed.samples[0]).toEqual({ name: 'capture_packets_read_total', labels: { te_am: 'x', _9a: 'y' }, value: 5 });
  });

  it('formats special values the way the format spells them', () => {
    const parsed = parseExposition(renderPrometheusText({ a_lag: NaN, b_lag: Infinity, c_lag: -Infinity, d_bytes: 1.5e21 }));
    const value = (name: string) => parsed.samples.find((s) => s.name === name)?.value;
    expect(value('a_lag')).toBeNaN();
    expect(value('b_lag')).toBe(Infinity);
    expect(value('c_lag')).toBe(-Infinity);
    expect(value('d_bytes')).toBe(1.5e21);
  });

  it('leaves out and counts keys it cannot render instead of breaking the scrape', () => {
    const text = renderPrometheusText({
      good_total: 1,
      'broken_total{topic="unterminated}': 2,
      'dup_total{a="1",a="2"}': 3,
      'same-name_total': 4,
      same_name_total: 5,
      'reordered_total{a="1",b="2"}': 6,
      'reordered_total{b="2",a="1"}': 7,
      'not_a_number_total': 'x' as unknown as number,
    });
    const parsed = parseExposition(text);
    expect(parsed.samples.map((s) => s.name)).not.toContain('broken_total');
    expect(parsed.samples.map((s) => s.name)).not.toContain('dup_total');
    expect(parsed.samples.map((s) => s.name)).not.toContain('not_a_number_total');
    // Of two keys that become one series, the first in key order stays.
    expect(parsed.samples.filter((s) => s.name === 'same_name_total').map((s) => s.value)).toEqual([4]);
    expect(parsed.samples.filter((s) => s.name === 'reordered_total').map((s) => s.value)).toEqual([6]);
    expect(parsed.samples.find((s) => s.name === INVALID_SERIES_METRIC)?.value).toBe(5);
  });
});
