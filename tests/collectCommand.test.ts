// `sidetap collect` end to end: live sources (VXLAN and GENEVE over loopback UDP, the gateway
// mirror listener, the loopback interface) feed the whole embedded pipeline, collection stops on
// --max-exchanges, --duration or SIGINT with everything flushed, and the findings are in the
// store for `sidetap findings`. Bad flags and ports in use are one sentence and exit status 2.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Event, Finding } from '@sidetap/core';
import { main } from '@sidetap/cli';
import { captureConfigSchema, CaptureSourceError, startLiveCapture } from '@sidetap/capture';
import { readStoreRecords } from '@sidetap/indexer';
import { startKafkaMock } from '../scripts/kafkaMock/kafkaMock';
import { TEST_REDACTION_KEY } from './helpers/captureToArray';
import { geneve, pcapFrames, sendUdp, vxlan } from './helpers/tunnelFrames';

const root = join(__dirname, '..');
const SMUGGLING = join(root, 'fixtures/pcaps/smuggling.pcap');
const BIN = join(root, 'packages/cli/bin/sidetap.js');
const work = mkdtempSync(join(tmpdir(), 'sidetap-collect-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let stores = 0;
const newStore = (): string => join(work, `store-${++stores}`);

interface Running {
  done: Promise<{ code: number; stdout: string; stderr: string }>;
  /** The line collect prints once every source is listening. */
  ready: Promise<string>;
}

/** Runs `sidetap collect` in this process, as cli.test.ts runs commands. */
function collect(argv: string[], tty = false): Running {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  let stderr = '';
  let announce: (line: string) => void = () => undefined;
  const ready = new Promise<string>((resolve) => (announce = resolve));
  const write = (s: string): boolean => {
    stderr += s;
    const m = /^sidetap collect: .*SIGINT.*$/m.exec(stderr);
    if (m) announce(m[0]);
    return true;
  };
  const done = main(['collect', ...argv], { stdout, stderr: { isTTY: tty, write } }).then((code) => ({ code, stdout: Buffer.concat(chunks).toString('utf8'), stderr }));
  // A command that ends before it is ready (bad usage) must not leave `ready` waiting.
  void done.then((r) => announce(r.stderr));
  return { done, ready };
}

const portOf = (line: string, label: string): number => {
  const m = new RegExp(`${label} (?:http://)?127\\.0\\.0\\.1:(\\d+)`).exec(line);
  if (!m) throw new Error(`no ${label} address in "${line}"`);
  return Number(m[1]);
};

async function storedFindings(store: string): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const f of readStoreRecords<Finding>(store, 'alert')) out.push(f);
  return out;
}

async function findingsCommand(store: string): Promise<string> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const code = await main(['findings', '--store', store, '--ndjson'], { stdout, stderr: { isTTY: false, write: () => true } });
  expect(code).toBe(0);
  return Buffer.concat(chunks).toString('utf8');
}

describe('sidetap collect over VXLAN and GENEVE', () => {
  it('feeds the pipeline from both listeners, stops after --max-exchanges and stores the findings', async () => {
    const store = newStore();
    const run = collect(['--vxlan', '127.0.0.1:0', '--geneve', '127.0.0.1:0', '--store', store, '--max-exchanges', '10']);
    const line = await run.ready;
    const { frames } = pcapFrames(SMUGGLING);
    await sendUdp(portOf(line, 'vxlan'), frames.map((f) => vxlan(1, f)));
    await sendUdp(portOf(line, 'geneve'), frames.map((f) => geneve(2, f)));
    const r = await run.done;
    expect(r.code).toBe(0);
    // The same summary replay prints: traffic on stdout, capture and pipeline counters on stderr.
    expect(r.stdout).toMatch(/^sidetap collect: vxlan 127\.0\.0\.1:\d+, geneve 127\.0\.0\.1:\d+\n/);
    expect(r.stdout).toMatch(/finding/i);
    expect(r.stderr).toMatch(/sidetap collect: 0 files, \d+ packets, .* 10 exchanges in/);
    expect(r.stderr).toContain('capture_tunnel_datagrams_received_total{kind="vxlan"}');
    expect(r.stderr).toContain('capture_tunnel_datagrams_received_total{kind="geneve"}');

    // Every exchange went through the pipeline as an event, each network's with its source and VNI.
    const events: Event[] = [];
    for await (const e of readStoreRecords<Event>(store, 'event')) events.push(e);
    const origins = events.map((e) => `${e.sidetap.capture.source} ${e.sidetap.capture.vni}`).sort();
    expect(origins).toEqual([...Array<string>(5).fill('geneve 2'), ...Array<string>(5).fill('vxlan 1')]);

    const findings = await storedFindings(store);
    expect(findings.map((f) => f.rule.category)).toContain('request_smuggling');
    // Its evidence names exchanges that came in through the tunnels (the detector reports the
    // same actor's repeat once, so one network's exchanges may carry it for both).
    const byId = new Map(events.map((e) => [e.event.id, e]));
    for (const f of findings.filter((f) => f.rule.category === 'request_smuggling')) {
      for (const id of f.sidetap.evidence.exchange_ids) expect(['vxlan', 'geneve']).toContain(byId.get(id)?.sidetap.capture.source);
    }
    expect(await findingsCommand(store)).toContain('request_smuggling');
  });

  it('stops after --duration with nothing received, and says so', async () => {
    const run = collect(['--vxlan', '127.0.0.1:0', '--store', newStore(), '--duration', '300ms']);
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/sidetap collect: 0 files, 0 packets, .* 0 exchanges in/);
  });

  it('draws a status line with exchanges per second and drops on a terminal', async () => {
    const r = await collect(['--vxlan', '127.0.0.1:0', '--store', newStore(), '--duration', '1500ms'], true).done;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\r\x1b\[K\d+s {2}0 exchanges \(0\/s\) {2}0 packets {2}0 dropped/);
  });
});

describe('sidetap collect --mirror-http', () => {
  it('takes a native batch from a gateway and stores its findings', async () => {
    const store = newStore();
    const tokenFile = join(work, 'mirror.token');
    writeFileSync(tokenFile, 'mirror-token-0123456789\n');
    const run = collect(['--mirror-http', '127.0.0.1:0', '--mirror-token-file', tokenFile, '--store', store, '--max-exchanges', '2']);
    const port = portOf(await run.ready, 'mirror-http');
    const record = (id: string, target: string) =>
      JSON.stringify({
        id,
        started_at: '2024-05-14T11:00:00.250Z',
        client: { ip: '198.51.100.23', port: 53312 },
        server: { ip: '10.0.4.2', port: 443 },
        request: { method: 'GET', target, headers: [['Host', 'api.example.com']] },
        response: { status: 200, headers: [['Content-Type', 'application/json']], body: Buffer.from('{"ok":true}').toString('base64') },
      });
    const body = [record('e1', "/api/v1/products?id=1'%20OR%20'1'='1"), record('e2', '/api/v1/products?id=2')].join('\n');
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method: 'POST', path: '/v1/exchanges', headers: { authorization: 'Bearer mirror-token-0123456789', 'content-type': 'application/x-ndjson' } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(answer).toEqual({ status: 200, text: expect.stringContaining('"accepted":2') });
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sidetap collect: mirror-http http:\/\/127\.0\.0\.1:\d+\n/);
    const findings = await storedFindings(store);
    expect(findings.map((f) => f.rule.category)).toContain('sqli');
    expect(await findingsCommand(store)).toContain('sqli');
  });
});

/** Opening lo needs CAP_NET_RAW; anything but a permission error is a failure, not a skip. */
function liveCapturePermitted(): { ok: boolean; why: string } {
  try {
    const probe = startLiveCapture({ iface: 'lo', bpf: 'tcp port 9', config: captureConfigSchema.parse({}), redactionKey: TEST_REDACTION_KEY, onExchange: () => undefined });
    void probe.stop();
    return { ok: true, why: '' };
  } catch (err) {
    if (err instanceof CaptureSourceError && /not permitted/.test(err.message)) return { ok: false, why: err.message };
    throw err;
  }
}
const permitted = liveCapturePermitted();
if (!permitted.ok) console.warn(`sidetap collect --iface test skipped: ${permitted.why}`);

(permitted.ok ? describe : describe.skip)('sidetap collect --iface lo', () => {
  it('captures a real HTTP server and client and stores the injection it saw', async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end(JSON.stringify({ ok: true })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const store = newStore();
      const run = collect(['--iface', 'lo', '--bpf', `tcp port ${port}`, '--store', store, '--max-exchanges', '2', '--workers', '1']);
      expect(await run.ready).toContain(`live lo (tcp port ${port})`);
      for (const path of ["/api/v1/products?id=1'%20OR%20'1'='1", '/api/v1/products?id=2']) {
        await new Promise<void>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port, path, headers: { host: 'api.test' } }, (res) => {
            res.resume();
            res.on('end', () => resolve());
          });
          req.on('error', reject);
          req.end();
        });
      }
      const r = await run.done;
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/ 2 exchanges in/);
      const findings = await storedFindings(store);
      expect(findings.map((f) => f.rule.category)).toContain('sqli');
      expect(await findingsCommand(store)).toContain('sqli');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('sidetap collect as a process', () => {
  it('stops on SIGINT, flushing every exchange into the store', async () => {
    const store = newStore();
    const child = spawn(process.execPath, [BIN, 'collect', '--vxlan', '127.0.0.1:0', '--store', store], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /^sidetap collect: .*SIGINT.*$/m.exec(stderr);
          if (m) resolve(m[0]);
        });
        void exited.then((code) => reject(new Error(`collect exited with ${code}: ${stderr}`)));
      });
      await sendUdp(portOf(line, 'vxlan'), pcapFrames(SMUGGLING).frames.map((f) => vxlan(9, f)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(stderr).toMatch(/ 5 exchanges in/);
    expect(stdout).toContain('sidetap collect: vxlan 127.0.0.1:');
    expect((await storedFindings(store)).map((f) => f.rule.category)).toContain('request_smuggling');
  });
});

describe('sidetap collect --brokers', () => {
  it('publishes the exchanges to Kafka for the distributed stages', async () => {
    const mock = await startKafkaMock({ topics: { 'sidetap.exchanges': 2, 'sidetap.events': 2, 'sidetap.sessions': 1, 'sidetap.findings': 1 } });
    try {
      const run = collect(['--vxlan', '127.0.0.1:0', '--brokers', mock.brokers.join(','), '--metrics', '127.0.0.1:0', '--store', newStore(), '--max-exchanges', '5']);
      const line = await run.ready;
      await sendUdp(portOf(line, 'vxlan'), pcapFrames(SMUGGLING).frames.map((f) => vxlan(3, f)));
      const r = await run.done;
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/sidetap collect: writing sidetap\.exchanges; metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/);
      expect(r.stderr).toMatch(/ 5 exchanges in/);
      expect(r.stderr).toContain('bus_records_published_total{topic="sidetap.exchanges"} 5');
    } finally {
      await mock.stop();
    }
  });
});

describe('sidetap collect usage errors', () => {
  const usage = async (argv: string[]): Promise<{ code: number; stderr: string }> => {
    const r = await collect([...argv, '--store', newStore()]).done;
    return { code: r.code, stderr: r.stderr };
  };

  it.each([
    [[], 'sidetap collect: name at least one source: --iface, --vxlan, --geneve or --mirror-http.'],
    [['--vxlan', '127.0.0.1:0', '--bpf', 'tcp'], '--bpf: only applies with --iface.'],
    [['--vxlan', 'localhost:x'], '--vxlan takes HOST:PORT (such as 0.0.0.0:9400), not "localhost:x".'],
    [['--geneve', '127.0.0.1:0', '--duration', 'soon'], '--duration: expected a duration such as 30s, 5m or 2h (at most 24 days), got "soon".'],
    [['--vxlan', '127.0.0.1:0', '--max-exchanges', '0'], '--max-exchanges: expected a whole number from 1 to 9007199254740991, got "0".'],
    [['--iface', 'lo', '--snaplen', 'big'], '--snaplen: expected a whole number from 64 to 65535, got "big".'],
    [['--vxlan', '127.0.0.1:0', '--mirror-token-file', 'x'], '--mirror-token-file: only applies with --mirror-http.'],
    [['--mirror-http', '127.0.0.1:0'], 'The mirror listener needs a token (--mirror-token-file) or client certificates (--mirror-tls-ca).'],
    [['--iface', 'no-such-if0'], /^--iface no-such-if0: no such interface \(libpcap sees .*\)\.$/],
    [['--vxlan', '127.0.0.1:0', 'capture.pcap'], 'sidetap collect: takes no capture files (got "capture.pcap"); `sidetap replay` reads files.'],
    [['--vxlan', '127.0.0.1:0', '--metrics', '127.0.0.1:0'], '--metrics: only applies with --brokers.'],
  ] as Array<[string[], string | RegExp]>)('%j', async (argv, message) => {
    const r = await usage(argv);
    expect(r.code).toBe(2);
    const line = r.stderr.trim();
    if (typeof message === 'string') expect(line).toBe(message);
    else expect(line).toMatch(message);
  });

  it('names the flag when its port is in use, after stopping the sources already started', async () => {
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', () => resolve()));
    const port = holder.address().port;
    try {
      const r = await usage(['--vxlan', '127.0.0.1:0', '--geneve', `127.0.0.1:${port}`]);
      expect(r).toEqual({ code: 2, stderr: `--geneve 127.0.0.1:${port}: the port is already in use by another process.\n` });
    } finally {
      holder.close();
    }
  });
});
