// Wireshark's own writers as an oracle for the readers: fixtures rewritten by editcap as pcapng,
// nanosecond pcap and modified pcap (and that pcapng gzipped) give exactly the original's exchanges.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { captureToArray } from './helpers/captureToArray';

const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'sidetap-editcap-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const FIXTURES = ['demo', 'keepalive', 'vxlan', 'ipv6', 'ip-fragments', 'sll'];
const FORMATS = ['pcapng', 'nsecpcap', 'modpcap'] as const;
/** The exchanges of a capture, with the file name left out so different files compare. */
const exchangesOf = async (file: string): Promise<string[]> =>
  (await captureToArray([file])).exchanges.map((ex) => JSON.stringify({ ...ex, sidetap: { ...ex.sidetap, capture: { ...ex.sidetap.capture, file: '' } } }));

describe('captures rewritten by editcap', () => {
  it.each(FIXTURES)('%s reads the same in every format Wireshark writes it in', async (name) => {
    const original = join(root, 'fixtures/pcaps', `${name}.pcap`);
    const want = await exchangesOf(original);
    expect(want.length).toBeGreaterThan(0);
    for (const format of FORMATS) {
      const out = join(work, `${name}.${format}`);
      execFileSync('editcap', ['-F', format, original, out], { stdio: 'pipe' });
      expect({ format, got: await exchangesOf(out) }).toEqual({ format, got: want });
    }
    const gz = join(work, `${name}.pcapng.gz`);
    writeFileSync(gz, gzipSync(readFileSync(join(work, `${name}.pcapng`))));
    expect({ format: 'pcapng.gz', got: await exchangesOf(gz) }).toEqual({ format: 'pcapng.gz', got: want });
  });
});
