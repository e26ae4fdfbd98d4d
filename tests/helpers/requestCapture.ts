// Writes a small capture of chosen requests with the fixture generator's TCP and HTTP builders, for
// tests that need particular headers on the wire. jest here does not transform .mjs, so the
// generator's modules run in a child process.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const FIXTURE_MODULES = join(__dirname, '../../scripts/fixtures');

export interface CapturedRequest {
  target: string;
  headers: Array<[string, string]>;
}

/**
 * A classic pcap at `file`: each request a GET on its own connection (handshake, request, 204,
 * close) from its own client address, 192.0.2.10 onwards, so the connections spread over shards.
 */
export function writeRequestCapture(file: string, requests: readonly CapturedRequest[]): void {
  const code = `
import { writeFileSync } from 'node:fs';
import { CaptureBuilder } from './captureBuilder.mjs';
import { httpRequest, httpResponse } from './httpMessage.mjs';
import { encodePcap, LINKTYPE } from './pcapWriter.mjs';
import { createPrng } from './prng.mjs';
const requests = ${JSON.stringify(requests)};
const cap = new CaptureBuilder(createPrng(1));
requests.forEach(({ target, headers }, i) => {
  const s = cap.session(i * 1_000_000_000, { client: { ip: '192.0.2.' + (10 + i), port: cap.port() }, server: { ip: '10.0.0.80', port: 80 } });
  s.handshake();
  cap.exchange(s, httpRequest({ target, host: 'api.example.com', headers }), httpResponse({ status: 204, framing: 'none' }));
  s.close(true);
});
writeFileSync(${JSON.stringify(file)}, encodePcap(cap.finish().packets, { linktype: LINKTYPE.ETHERNET }));
`;
  execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: FIXTURE_MODULES, stdio: 'pipe' });
}
