// Cloud mirroring over real UDP on loopback: fixture captures, each frame wrapped in VXLAN or
// GENEVE (with an option TLV) and sent in two virtual networks at once, must give exactly the
// exchanges replaying the capture gives, once per VNI, with the VNI recorded and the networks
// kept apart. Malformed datagrams are counted by reason and never stop the listener.
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { httpExchangeSchema } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { captureConfigSchema, CaptureSourceError, startTunnelListener } from '@sidetap/capture';
import type { TunnelListener } from '@sidetap/capture';
import { captureToArray, TEST_REDACTION_KEY } from './helpers/captureToArray';
import { geneve, pcapFrames, sendPaced, vxlan } from './helpers/tunnelFrames';

const PCAPS = join(__dirname, '../fixtures/pcaps');
// Ethernet fixtures covering keep-alive, chunked and gzip bodies, pipelining, IPv6, VLAN tags,
// reordering, retransmissions, IP fragments and a sequence gap.
const FIXTURES = ['keepalive', 'chunked', 'gzip', 'pipelining', 'ipv6', 'vlan', 'reorder', 'retransmit', 'ip-fragments', 'gap'];
const config = captureConfigSchema.parse({});

/** An exchange without what differs between a replay and a live run: ids, times, how it came in. */
function comparable(ex: HttpExchange): unknown {
  const { '@timestamp': _t, event, sidetap, ...rest } = ex;
  const { id: _id, duration: _d, ...eventRest } = event;
  const { source: _s, vni: _v, file: _f, ...capture } = sidetap.capture;
  return { ...rest, event: eventRest, sidetap: { ...sidetap, capture } };
}

const sortKey = (x: unknown): string => JSON.stringify(x);
const sorted = (list: HttpExchange[]): string[] => list.map((ex) => sortKey(comparable(ex))).sort();

interface Run {
  listener: TunnelListener;
  exchanges: HttpExchange[];
}

// Every listener a test starts is stopped after it, whether the test passed or not.
const started: TunnelListener[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((l) => l.stop()));
});

async function listen(kind: 'vxlan' | 'geneve', workers = 0): Promise<Run> {
  const exchanges: HttpExchange[] = [];
  const listener = await startTunnelListener({
    kind,
    host: '127.0.0.1',
    port: 0,
    config,
    redactionKey: TEST_REDACTION_KEY,
    workers,
    onExchange: (ex) => exchanges.push(ex),
  });
  started.push(listener);
  return { listener, exchanges };
}

const receivedBy = (listener: TunnelListener, kind: string) => (): number =>
  listener.engine.counters.get(`capture_tunnel_datagrams_received_total{kind="${kind}"}`);

/** Sends every fixture frame once per VNI, the two networks interleaved frame by frame. */
async function sendFixture(run: Run, kind: 'vxlan' | 'geneve', file: string, vnis: [number, number], ipOnly = false): Promise<number> {
  const { frames } = pcapFrames(file);
  const wrap = (vni: number, f: Buffer): Buffer => (kind === 'vxlan' ? vxlan(vni, f) : geneve(vni, f, ipOnly));
  const datagrams = frames.flatMap((f) => [wrap(vnis[0], f), wrap(vnis[1], f)]);
  const { sent } = await sendPaced(run.listener.address().port, datagrams, receivedBy(run.listener, kind));
  return sent;
}

describe('VXLAN and GENEVE listeners', () => {
  it.each(FIXTURES.flatMap((name) => [['vxlan', name] as const, ['geneve', name] as const]))('%s: %s gives the replay exchanges in each of two VNIs', async (kind, name) => {
    const file = join(PCAPS, `${name}.pcap`);
    const replay = await captureToArray([file]);
    expect(replay.exchanges.length).toBeGreaterThan(0);
    const run = await listen(kind);
    const vnis: [number, number] = kind === 'vxlan' ? [100, 200] : [300, 16_777_215];
    const sent = await sendFixture(run, kind, file, vnis);
    const summary = await run.listener.stop();

    // Loopback UDP may drop under bursts: the sender paces itself, and any drop is shown, not hidden.
    const received = summary.counters[`capture_tunnel_datagrams_received_total{kind="${kind}"}`];
    const socketDrops = summary.counters[`capture_tunnel_socket_dropped_total{kind="${kind}"}`] ?? 0;
    expect({ received, socketDrops }).toEqual({ received: sent, socketDrops: 0 });
    expect(summary.counters[`capture_tunnel_packets_total{kind="${kind}"}`]).toBe(sent);

    for (const ex of run.exchanges) {
      expect(httpExchangeSchema.safeParse(ex).success).toBe(true);
      expect(ex.sidetap.capture.source).toBe(kind);
    }
    const want = sorted(replay.exchanges);
    for (const vni of vnis) {
      const mine = run.exchanges.filter((ex) => ex.sidetap.capture.vni === vni);
      expect({ vni, exchanges: sorted(mine) }).toEqual({ vni, exchanges: want });
    }
    expect(run.exchanges).toHaveLength(2 * replay.exchanges.length);
    // The same connection in two networks is two connections, with two sets of ids.
    const ids = new Set(run.exchanges.map((ex) => ex.event.id));
    expect(ids.size).toBe(run.exchanges.length);
    expect(summary.exchanges).toBe(run.exchanges.length);
  });

  it('GENEVE carrying IP packets without an Ethernet header (as Gateway Load Balancer sends them)', async () => {
    const file = join(PCAPS, 'gzip.pcap');
    const replay = await captureToArray([file]);
    const run = await listen('geneve');
    await sendFixture(run, 'geneve', file, [0, 7], true);
    await run.listener.stop();
    for (const vni of [0, 7]) expect(sorted(run.exchanges.filter((ex) => ex.sidetap.capture.vni === vni))).toEqual(sorted(replay.exchanges));
  });

  it('reassembles on worker threads sharded by flow and gives the same exchanges', async () => {
    const file = join(PCAPS, 'keepalive.pcap');
    const replay = await captureToArray([file]);
    const run = await listen('vxlan', 2);
    await sendFixture(run, 'vxlan', file, [11, 12]);
    const summary = await run.listener.stop();
    for (const vni of [11, 12]) expect(sorted(run.exchanges.filter((ex) => ex.sidetap.capture.vni === vni))).toEqual(sorted(replay.exchanges));
    expect(summary.counters['capture_worker_segments_dropped_total'] ?? 0).toBe(0);
    // TCP and HTTP counters come back from the workers.
    expect(summary.counters['capture_exchanges_emitted_total']).toBe(2 * replay.exchanges.length);
  });

  it('counts malformed datagrams by reason and keeps going', async () => {
    const file = join(PCAPS, 'gzip.pcap');
    const replay = await captureToArray([file]);
    const vx = await listen('vxlan');
    const ge = await listen('geneve');
    const frame = pcapFrames(file).frames[0]!;
    const noIFlag = vxlan(5, frame);
    noIFlag[0] = 0;
    const badVersion = geneve(5, frame);
    badVersion[0] = 0x40 | (badVersion[0]! & 0x3f);
    const badProtocol = geneve(5, frame);
    badProtocol.writeUInt16BE(0x88cc, 2);
    const optionsPastEnd = Buffer.from([0x3f, 0, 0x65, 0x58, 0, 0, 5, 0]);
    const hostile = [Buffer.from([1, 2, 3]), Buffer.alloc(0), noIFlag, vxlan(5, Buffer.from([1, 2, 3, 4]))];
    await sendPaced(vx.listener.address().port, hostile, receivedBy(vx.listener, 'vxlan'));
    await sendPaced(ge.listener.address().port, [Buffer.from([0]), badVersion, badProtocol, optionsPastEnd], receivedBy(ge.listener, 'geneve'));
    // Good traffic after the hostile datagrams is still reported.
    await sendFixture(vx, 'vxlan', file, [1, 2]);
    const vs = await vx.listener.stop();
    const gs = await ge.listener.stop();
    expect(vs.counters).toMatchObject({
      'capture_tunnel_datagrams_dropped_total{kind="vxlan",reason="truncated"}': 2,
      'capture_tunnel_datagrams_dropped_total{kind="vxlan",reason="bad_header"}': 1,
    });
    // A VXLAN header with a 4-byte inner frame passes the listener; the decoder counts the frame as truncated.
    expect(vs.counters['capture_packets_skipped_total{reason="truncated"}']).toBe(1);
    expect(gs.counters).toMatchObject({
      'capture_tunnel_datagrams_dropped_total{kind="geneve",reason="truncated"}': 2,
      'capture_tunnel_datagrams_dropped_total{kind="geneve",reason="bad_header"}': 1,
      'capture_tunnel_datagrams_dropped_total{kind="geneve",reason="unsupported_payload"}': 1,
    });
    expect(vx.exchanges).toHaveLength(2 * replay.exchanges.length);
  });

  it('names the flag and the port when the port is taken', async () => {
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', () => resolve()));
    const port = holder.address().port;
    try {
      const start = startTunnelListener({ kind: 'vxlan', host: '127.0.0.1', port, config, redactionKey: TEST_REDACTION_KEY, onExchange: () => undefined });
      await expect(start).rejects.toThrow(CaptureSourceError);
      await expect(start).rejects.toThrow(`--vxlan 127.0.0.1:${port}: the port is already in use by another process.`);
    } finally {
      holder.close();
    }
  });
});
