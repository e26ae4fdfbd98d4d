// Cloud traffic mirroring over UDP: a listener for VXLAN (RFC 7348; AWS VPC Traffic Mirroring,
// Azure virtual network TAP) or GENEVE (RFC 8926; AWS Gateway Load Balancer). A datagram whose
// tunnel header is broken is counted by reason and dropped; the others go down the same decode
// path as a capture file's packets (outer headers put back, see outerHeaders.ts), which takes
// the tunnel off and keeps its VNI, so one 5-tuple in two virtual networks stays two connections.
import { createSocket } from 'node:dgram';
import type { RemoteInfo, Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { SKIP_BAD_HEADER, SKIP_TRUNCATED } from '../../decode/decodeCounters';
import { parseGeneve, parseVxlan } from '../../decode/tunnels';
import type { TunnelOut } from '../../decode/tunnels';
import type { CaptureConfig } from '../../captureConfig';
import type { CaptureSummary } from '../../capturePipeline';
import { LINKTYPE } from '../linktypes';
import type { PacketView } from '../packetView';
import { CaptureSourceError } from './captureSourceError';
import { LiveEngine } from './liveEngine';
import type { LiveEngineOptions } from './liveEngine';
import { OuterHeaders } from './outerHeaders';
import { readUdpSocketDrops } from './udpSocketDrops';
import { wallClockUs } from './wallClock';
import { startLiveTicker } from './liveTicker';

export type TunnelKind = 'vxlan' | 'geneve';

export interface TunnelListenerOptions extends Omit<LiveEngineOptions, 'source'> {
  kind: TunnelKind;
  /** Address to bind (0.0.0.0 or :: for every interface). */
  host: string;
  /** UDP port; 0 picks a free one (see address()). */
  port: number;
  /** Socket receive buffer asked for, in bytes (default 8 MiB; the kernel caps it at net.core.rmem_max). */
  receiveBufferBytes?: number | undefined;
  /** How often the clock ticks without traffic, in ms (default 1000). */
  tickMs?: number | undefined;
  /** The flag named in start-up errors (default `--vxlan` / `--geneve`). */
  flag?: string | undefined;
}

export interface TunnelListener {
  readonly kind: TunnelKind;
  readonly engine: LiveEngine;
  /** Where it listens (the port the system picked when asked for 0). */
  address(): { host: string; port: number };
  /** The receive buffer the kernel granted, in bytes. */
  readonly receiveBufferBytes: number;
  /** Stops listening, closes every connection (emitting what each holds) and summarises. */
  stop(): Promise<CaptureSummary>;
}

export const DEFAULT_RECEIVE_BUFFER_BYTES = 8 << 20;
/** Turns of the event loop stop() spends reading what the socket still holds. */
const MAX_DRAIN_TURNS = 1000;

const counterNames = (kind: TunnelKind) => ({
  received: `capture_tunnel_datagrams_received_total{kind="${kind}"}`,
  socketDropped: `capture_tunnel_socket_dropped_total{kind="${kind}"}`,
  dropped: (reason: string) => `capture_tunnel_datagrams_dropped_total{kind="${kind}",reason="${reason}"}`,
});

/** Why a datagram was not decapsulated, by the skip code its header parser returned. */
function reasonOf(code: number): string {
  if (code === SKIP_TRUNCATED) return 'truncated';
  if (code === SKIP_BAD_HEADER) return 'bad_header';
  return 'unsupported_payload';
}

/** Binds the socket and starts decapsulating; throws a CaptureSourceError naming the flag when it cannot bind. */
export async function startTunnelListener(options: TunnelListenerOptions): Promise<TunnelListener> {
  const { kind } = options;
  const flag = options.flag ?? `--${kind}`;
  const where = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
  const family = isIPv6(options.host) ? 6 : 4;
  const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4', reuseAddr: false });
  await bind(socket, options.host, options.port).catch((err: NodeJS.ErrnoException) => {
    socket.close();
    throw new CaptureSourceError(bindFailure(flag, where, err));
  });
  let receiveBufferBytes = 0;
  try {
    socket.setRecvBufferSize(options.receiveBufferBytes ?? DEFAULT_RECEIVE_BUFFER_BYTES);
  } catch {
    // Kept at the system default; the granted size is reported below either way.
  }
  receiveBufferBytes = socket.getRecvBufferSize();

  const tunnelPorts = decoderPorts(kind, options.config);
  let engine: LiveEngine;
  try {
    engine = new LiveEngine({ ...options, config: tunnelPorts.config, source: kind });
  } catch (err) {
    socket.close();
    throw err;
  }
  const counters = engine.counters;
  const names = counterNames(kind);
  const tunnel: TunnelOut = { vni: 0, innerType: 0 };
  const bound = socket.address();
  const outer = new OuterHeaders(bound.address, tunnelPorts.port);
  const view: PacketView = { tsUs: 0, linktype: LINKTYPE.RAW, buf: Buffer.alloc(0), offset: 0, caplen: 0, origLen: 0, iface: 0, fileOffset: 0 };
  const parse = kind === 'vxlan' ? parseVxlan : parseGeneve;
  let received = 0;
  socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
    received += 1;
    counters.inc(names.received);
    const inner = parse(msg, 0, msg.length, tunnel);
    if (inner < 0) {
      counters.inc(names.dropped(reasonOf(inner)));
      return;
    }
    const packet = outer.wrap(msg, rinfo.address, rinfo.port);
    view.tsUs = wallClockUs();
    view.buf = packet.buf;
    view.caplen = packet.length;
    view.origLen = packet.length;
    engine.feed(view);
  });
  // A socket error after binding (rare on UDP) must not crash the process: it is counted.
  socket.on('error', () => counters.inc(names.dropped('socket_error')));

  const port = bound.port;
  const ticker = startLiveTicker(engine, counters, names.socketDropped, () => readUdpSocketDrops(port, family), options.tickMs ?? 1000);

  let summary: Promise<CaptureSummary> | undefined;
  return {
    kind,
    engine,
    receiveBufferBytes,
    address: () => ({ host: bound.address, port }),
    stop(): Promise<CaptureSummary> {
      summary ??= (async () => {
        ticker.stop();
        // Datagrams already queued in the socket are read before it closes: libuv reads a few
        // dozen per turn of the loop, so turn it until a turn brings none.
        let seen = -1;
        for (let turns = 0; turns < MAX_DRAIN_TURNS && seen !== received; turns++) {
          seen = received;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        await new Promise<void>((resolve) => socket.close(() => resolve()));
        ticker.sampleDrops();
        const open = engine.openFlows;
        await engine.stop(wallClockUs());
        return engine.summary(open);
      })();
      return summary;
    },
  };
}

/**
 * The tunnel port the put-back UDP header carries, and a decoder config that decapsulates it as
 * `kind` whatever the configured port lists say (the listener's own port may be any).
 */
function decoderPorts(kind: TunnelKind, config: CaptureConfig): { port: number; config: CaptureConfig } {
  const mine = kind === 'vxlan' ? config.vxlanPorts : config.genevePorts;
  const theirs = kind === 'vxlan' ? config.genevePorts : config.vxlanPorts;
  const port = mine.find((p) => !theirs.includes(p)) ?? (kind === 'vxlan' ? 4789 : 6081);
  const ownList = mine.includes(port) ? mine : [port, ...mine];
  const otherList = theirs.filter((p) => p !== port);
  return {
    port,
    config: kind === 'vxlan' ? { ...config, vxlanPorts: ownList, genevePorts: otherList } : { ...config, genevePorts: ownList, vxlanPorts: otherList },
  };
}

function bind(socket: Socket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

function bindFailure(flag: string, where: string, err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return `${flag} ${where}: the port is already in use by another process.`;
    case 'EACCES':
      return `${flag} ${where}: not permitted to bind this port (ports below 1024 need root or CAP_NET_BIND_SERVICE).`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `${flag} ${where}: this host has no such address to listen on.`;
    default:
      return `${flag} ${where}: cannot listen (${err.message}).`;
  }
}
