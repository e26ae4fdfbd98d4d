// `sidetap report` in a real browser: a store built by replaying captures with attacks (and
// findings carrying whole XSS payloads, written through the store API) becomes a page that Debian's
// chromium, headless, opens from disk. Driven over the DevTools protocol on a pipe
// (--remote-debugging-pipe: no port, no WebSocket client), the test reads what the page rendered,
// measures every chart's drawn geometry, and hears every console message, CSP violation, uncaught
// exception and network request. Control pages prove the listener hears what it must catch.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { findingId } from '@sidetap/core';
import type { Finding } from '@sidetap/core';
import { LocalStore } from '@sidetap/indexer';
import { main } from '@sidetap/cli';
import { writeRequestCapture } from './helpers/requestCapture';

const CHROMIUM = '/usr/bin/chromium';
const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'sidetap-report-browser-'));
const store = join(work, 'store');
const page = join(work, 'report.html');

/** Payloads that run script if any of them reaches the page as markup; console.error tells the test. */
const PAYLOADS = [
  '<script>console.error("xss-script")</script>',
  '<img src=x onerror=console.error("xss-img")>',
  '"><svg onload=console.error("xss-svg")>',
  "'><iframe srcdoc=\"<script>parent.console.error('xss-frame')</script>\">",
  '</title></style></code></pre><script>console.error("xss-breakout")</script>',
];

async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const saved = process.env.SIDETAP_REDACTION_KEY;
  process.env.SIDETAP_REDACTION_KEY = 'test-key-0123456789abcdef';
  try {
    const code = await main(argv, { stdout: new PassThrough(), stderr: { isTTY: false, write: (s: string) => ((stderr += s), true) } });
    return { code, stderr };
  } finally {
    if (saved === undefined) delete process.env.SIDETAP_REDACTION_KEY;
    else process.env.SIDETAP_REDACTION_KEY = saved;
  }
}

/** A finding as a detector would write it, with a payload in every string an attacker can steer. */
function hostileFinding(payload: string, i: number): Finding {
  const at = new Date(Date.parse('2023-11-14T22:17:00Z') + i * 1000).toISOString();
  const window = { start: at, end: at };
  const exchange = `ex-${i}-${payload}`;
  return {
    '@timestamp': at,
    event: { kind: 'alert', id: findingId({ ruleId: 'xss.script', exchangeIds: [exchange], window }), severity: 4, risk_score: 95, dataset: 'sidetap.finding' },
    rule: { id: 'xss.script', name: `Cross-site scripting ${payload}`, category: 'xss' },
    user: { name: payload },
    source: { ip: '198.51.100.77' },
    message: `Cross-site scripting in query q of GET /search from 198.51.100.77: ${payload}`,
    sidetap: {
      detector: 'request_threats',
      owasp_api: 'API8:2023',
      actor_key: `cookie:${payload}`,
      endpoint: `/search/${payload}`,
      evidence: { exchange_ids: [exchange], excerpts: [`query q: ${payload}`], window, observed: payload },
      capture_quality: { complete: true, flags: [] },
      incident: { id: findingId({ ruleId: 'incident', exchangeIds: [payload], window }), risk_score: 95, findings: 1, categories: ['xss'], start: at },
    },
  };
}

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/** What the browser said while loading a page: console messages, log entries, exceptions and requests. */
interface PageRun {
  problems: string[];
  console: string[];
  requests: string[];
  probe: Probe;
}

interface ChartBox {
  id: string;
  width: number;
  height: number;
  bars: number;
  drawnBars: number;
  barsInside: boolean;
  labels: number;
  labelsOutside: number;
}

interface Probe {
  title: string;
  sections: string[];
  incidents: number;
  findings: number;
  scripts: number;
  frames: number;
  images: number;
  handlers: string[];
  text: string;
  styled: string;
  charts: ChartBox[];
}

// Runs inside the page through the DevTools protocol (the page's CSP forbids its own scripts, not
// DevTools): what rendered, and the laid-out size of each chart, its bars and its labels.
const PROBE = `(() => {
  const charts = [...document.querySelectorAll('svg[data-chart]')].map((svg) => {
    const box = svg.getBoundingClientRect();
    const bars = [...svg.querySelectorAll('rect.bar')].map((r) => r.getBoundingClientRect());
    const drawn = bars.filter((b) => b.width > 0 && b.height > 0);
    const texts = [...svg.querySelectorAll('text')].map((t) => t.getBoundingClientRect()).filter((b) => b.width > 0);
    return {
      id: svg.dataset.chart, width: box.width, height: box.height, bars: bars.length, drawnBars: drawn.length,
      barsInside: drawn.every((b) => b.left >= box.left - 0.5 && b.right <= box.right + 0.5 && b.top >= box.top - 0.5 && b.bottom <= box.bottom + 0.5),
      labels: texts.length,
      labelsOutside: texts.filter((b) => b.left < box.left - 0.5 || b.right > box.right + 0.5).length,
    };
  });
  return {
    title: document.title,
    sections: [...document.querySelectorAll('main > section')].map((s) => s.id),
    incidents: document.querySelectorAll('article.incident').length,
    findings: document.querySelectorAll('li.finding').length,
    scripts: document.scripts.length,
    frames: document.querySelectorAll('iframe, frame, object, embed').length,
    images: document.images.length,
    handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => e.tagName + ' ' + a.name)),
    text: document.body.innerText,
    styled: getComputedStyle(document.querySelector('article.incident') || document.body).borderTopLeftRadius,
    charts,
  };
})()`;

/** Headless chromium on a DevTools pipe: fd 3 takes commands, fd 4 gives replies and events, NUL-separated. */
class Chromium {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(m: CdpMessage) => void>();
  private readonly exited: Promise<number | null>;
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    const input = child.stdio[4] as Readable;
    let buffered = '';
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\0')) !== -1) {
        const message = JSON.parse(buffered.slice(0, end)) as CdpMessage;
        buffered = buffered.slice(end + 1);
        this.dispatch(message);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    void this.exited.then((code) => {
      for (const p of this.pending.values()) p.reject(new Error(`chromium exited with ${code}: ${this.stderr}`));
      this.pending.clear();
    });
  }

  static start(profile: string): Chromium {
    const child = spawn(
      CHROMIUM,
      [
        '--headless',
        // Root in a container has no user namespace for the sandbox; the page is our own file.
        '--no-sandbox',
        '--disable-gpu',
        '--remote-debugging-pipe',
        `--user-data-dir=${profile}`,
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-extensions',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--window-size=1200,900',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
    );
    return new Chromium(child);
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params, ...(sessionId !== undefined ? { sessionId } : {}) });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      (this.child.stdio[3] as Writable).write(`${message}\0`);
    });
  }

  /** Loads `url` in a fresh tab and reports everything the page said and did, then closes the tab. */
  async load(url: string): Promise<PageRun> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const problems: string[] = [];
    const consoleLines: string[] = [];
    const requests: string[] = [];
    let loaded!: () => void;
    const loadFired = new Promise<void>((resolve) => (loaded = resolve));
    const listen = (m: CdpMessage): void => {
      if (m.sessionId !== sessionId || m.method === undefined) return;
      const p = m.params ?? {};
      if (m.method === 'Runtime.consoleAPICalled') {
        const text = ((p['args'] as Array<{ value?: unknown; description?: string }>) ?? []).map((a) => String(a.value ?? a.description)).join(' ');
        consoleLines.push(`console.${String(p['type'])}: ${text}`);
        if (p['type'] === 'error' || p['type'] === 'warning' || p['type'] === 'assert') problems.push(`console.${String(p['type'])}: ${text}`);
      } else if (m.method === 'Log.entryAdded') {
        const entry = p['entry'] as { level: string; source: string; text: string };
        consoleLines.push(`log ${entry.level} (${entry.source}): ${entry.text}`);
        if (entry.level === 'error' || entry.level === 'warning') problems.push(`log ${entry.level} (${entry.source}): ${entry.text}`);
      } else if (m.method === 'Runtime.exceptionThrown') {
        const details = p['exceptionDetails'] as { text: string; exception?: { description?: string } };
        problems.push(`exception: ${details.exception?.description ?? details.text}`);
      } else if (m.method === 'Network.requestWillBeSent') {
        requests.push((p['request'] as { url: string }).url);
      } else if (m.method === 'Page.loadEventFired') {
        loaded();
      }
    };
    this.listeners.add(listen);
    try {
      for (const domain of ['Runtime', 'Log', 'Page', 'Network']) await this.send(`${domain}.enable`, {}, sessionId);
      const navigated = await this.send('Page.navigate', { url }, sessionId);
      if (typeof navigated['errorText'] === 'string') throw new Error(`chromium could not open ${url}: ${navigated['errorText']}`);
      await loadFired;
      const evaluated = (await this.send('Runtime.evaluate', { expression: PROBE, returnByValue: true }, sessionId)) as {
        result: { value?: Probe };
        exceptionDetails?: { text: string };
      };
      if (evaluated.exceptionDetails !== undefined || evaluated.result.value === undefined) throw new Error(`probe failed: ${JSON.stringify(evaluated)}`);
      return { problems, console: consoleLines, requests, probe: evaluated.result.value };
    } finally {
      this.listeners.delete(listen);
      await this.send('Target.closeTarget', { targetId });
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await Promise.race([this.send('Browser.close').catch(() => undefined), this.exited]);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  private dispatch(m: CdpMessage): void {
    if (m.id !== undefined) {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(`DevTools: ${m.error.message}`));
      else p?.resolve(m.result ?? {});
      return;
    }
    for (const listen of this.listeners) listen(m);
  }
}

let browser: Chromium;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; \`npm run setup\` installs Debian's chromium.`);
  browser = Chromium.start(join(work, 'profile'));
  const hostile = join(work, 'hostile.pcap');
  writeRequestCapture(hostile, [
    { target: '/api/v1/search?q=%3Cscript%3Econsole.error(%27xss-query%27)%3C%2Fscript%3E', headers: [] },
    { target: '/api/v1/search?q=%3Cimg%20src%3Dx%20onerror%3Dconsole.error(%27xss-img%27)%3E', headers: [] },
    { target: '/api/v1/products?page=3', headers: [['User-Agent', '<svg/onload=console.error("xss-ua")>']] },
  ]);
  const replay = await run(['replay', join(root, 'fixtures/pcaps/demo.pcap'), hostile, '--store', store]);
  expect(replay.code).toBe(0);
  const s = new LocalStore(store);
  await s.append('alert', PAYLOADS.map(hostileFinding));
  await s.close();
  const report = await run(['report', '--store', store, '--out', page]);
  expect(report.stderr).toMatch(/^sidetap report: \d+ findings/);
  expect(report.code).toBe(0);
});

afterAll(async () => {
  await browser?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('the report in headless chromium', () => {
  let loaded: PageRun;
  beforeAll(async () => {
    loaded = await browser.load(pathToFileURL(page).href);
  });

  it('renders every section, the incidents and their findings', () => {
    const p = loaded.probe;
    expect(p.title).toMatch(/^sidetap report: \d+ findings$/);
    expect(p.sections).toEqual(['overview', 'findings', 'actors', 'incidents', 'other-findings']);
    // demo.pcap's attacker, its stuffing and enumeration, the three hostile requests and the five
    // stored findings each make an incident; all are shown (the default shows 20).
    expect(p.incidents).toBeGreaterThanOrEqual(3 + PAYLOADS.length);
    expect(p.findings).toBeGreaterThanOrEqual(p.incidents);
    for (const heading of ['Findings over time', 'By severity', 'By category', 'OWASP API Security Top 10 (2023)', 'Incidents']) expect(p.text).toContain(heading);
    expect(p.text).toMatch(/Top \d+ actors/);
    expect(p.text).toContain('SQL injection in query id of GET /api/v1/products from 203.0.113.250');
    // The stylesheet the CSP allows by hash was applied.
    expect(p.styled).toBe('8px');
  });

  it('draws every chart with bars and labels of real size inside it', () => {
    const charts = new Map(loaded.probe.charts.map((c) => [c.id, c]));
    expect([...charts.keys()].sort()).toEqual(['chart-actors', 'chart-category', 'chart-endpoints', 'chart-owasp', 'chart-severity', 'chart-time']);
    for (const c of charts.values()) {
      expect({ id: c.id, wide: c.width > 300, tall: c.height > 40 }).toEqual({ id: c.id, wide: true, tall: true });
      expect(c.drawnBars).toBeGreaterThan(0);
      expect(c.drawnBars).toBe(c.bars);
      expect(c.barsInside).toBe(true);
      expect(c.labels).toBeGreaterThan(2);
      expect({ id: c.id, labelsOutside: c.labelsOutside }).toEqual({ id: c.id, labelsOutside: 0 });
    }
    // Severity: critical (the stored findings), high (the detectors') and medium at least.
    expect(charts.get('chart-severity')!.drawnBars).toBeGreaterThanOrEqual(3);
  });

  it('logs no console error or warning, throws nothing, and loads nothing but itself', () => {
    expect(loaded.problems).toEqual([]);
    expect(loaded.requests).toEqual([pathToFileURL(page).href]);
  });

  it('shows attacker-controlled strings as text and runs none of them', () => {
    const p = loaded.probe;
    for (const payload of PAYLOADS) expect(p.text).toContain(payload);
    // What the detectors quoted from the hostile capture.
    expect(p.text).toContain('query q: <script>');
    expect(p.scripts).toBe(0);
    expect(p.frames).toBe(0);
    expect(p.images).toBe(0);
    expect(p.handlers).toEqual([]);
    expect(loaded.console.filter((l) => l.includes('xss'))).toEqual([]);
  });
});

describe('the console check', () => {
  const html = (): string => readFileSync(page, 'utf8');

  it('hears a console.error and an uncaught exception from a script the page runs', async () => {
    const control = join(work, 'control-script.html');
    const relaxed = html().replace('default-src &#39;none&#39;;', 'default-src &#39;none&#39;; script-src &#39;unsafe-inline&#39;;');
    expect(relaxed).not.toBe(html());
    writeFileSync(control, relaxed.replace('</body>', '<script>console.error("injected-console-error"); throw new Error("injected-exception");</script></body>'));
    const r = await browser.load(pathToFileURL(control).href);
    expect(r.problems).toEqual(expect.arrayContaining([expect.stringContaining('console.error: injected-console-error'), expect.stringContaining('injected-exception')]));
  });

  it('hears the CSP refusing a script that got into the report, so an escaping slip fails the test above', async () => {
    const control = join(work, 'control-csp.html');
    writeFileSync(control, html().replace('</body>', `${PAYLOADS[1]}${PAYLOADS[0]}</body>`));
    const r = await browser.load(pathToFileURL(control).href);
    expect(r.problems.some((p) => /Content Security Policy/.test(p))).toBe(true);
    expect(r.requests.length).toBeGreaterThanOrEqual(1);
  });
});
