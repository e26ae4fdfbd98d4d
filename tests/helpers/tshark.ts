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

function fields(file: string, filter: string, names: string[], httpPorts: number[]): string[][] {
  // Decode the given ports as HTTP whatever they are, as sidetap recognises HTTP by content.
  const decodeAs = httpPorts.flatMap((p) => ['-d', `tcp.port==${p},http`]);
  const out = execFileSync(
    'tshark',
    ['-n', '-r', file, ...decodeAs, '-o', 'tcp.desegment_tcp_streams:TRUE', '-o', 'http.desegment_body:TRUE',
      '-Y', filter, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=f', ...names.flatMap((n) => ['-e', n])],
    { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

export function tsharkRequests(file: string, httpPorts: number[]): TsharkRequest[] {
  return fields(file, 'http.request', ['http.request.method', 'http.request.uri', 'http.host'], httpPorts).map(
    ([method = '', uri = '', host = '']) => ({ method, uri, host }),
  );
}

export function tsharkStatusCodes(file: string, httpPorts: number[]): number[] {
  return fields(file, 'http.response', ['http.response.code'], httpPorts).map(([code = '']) => Number(code));
}
