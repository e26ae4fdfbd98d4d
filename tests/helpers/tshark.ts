// tshark as an independent oracle: the HTTP requests and responses Wireshark's dissector sees.
import { execFileSync } from 'node:child_process';

export interface TsharkRequest {
  method: string;
  uri: string;
  host: string;
}

export function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const AGGREGATOR = '\x1f';

/** One row per HTTP message: a frame carrying several pipelined messages gives several rows. */
function fields(file: string, filter: string, names: string[], httpPorts: number[]): string[][] {
  // Decode the given ports as HTTP whatever they are, as sidetap recognises HTTP by content.
  const decodeAs = httpPorts.flatMap((p) => ['-d', `tcp.port==${p},http`]);
  const out = execFileSync(
    'tshark',
    ['-n', '-r', file, ...decodeAs, '-o', 'tcp.desegment_tcp_streams:TRUE', '-o', 'tcp.reassemble_out_of_order:TRUE', '-o', 'http.desegment_body:TRUE',
      '-Y', filter, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', `aggregator=${AGGREGATOR}`, ...names.flatMap((n) => ['-e', n])],
    { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const rows: string[][] = [];
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const columns = line.split('\t').map((c) => c.split(AGGREGATOR));
    const count = Math.max(...columns.map((c) => c.length));
    for (let i = 0; i < count; i++) rows.push(columns.map((c) => c[i] ?? ''));
  }
  return rows;
}

export function tsharkRequests(file: string, httpPorts: number[]): TsharkRequest[] {
  return fields(file, 'http.request', ['http.request.method', 'http.request.uri', 'http.host'], httpPorts).map(
    ([method = '', uri = '', host = '']) => ({ method, uri, host: hostWithoutPort(host) }),
  );
}

export function tsharkStatusCodes(file: string, httpPorts: number[]): number[] {
  return fields(file, 'http.response', ['http.response.code'], httpPorts).map(([code = '']) => Number(code));
}

/** The Host header without its port, as ECS url.domain holds it. */
function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon >= 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
}
