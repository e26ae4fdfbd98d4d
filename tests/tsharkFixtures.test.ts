// tshark as a second, independent oracle: on every bundled fixture, the HTTP requests and
// response codes Wireshark's dissector finds are the ones sidetap reports.
import { join } from 'node:path';
import { readTruths } from '../scripts/fixtures/testHelpers';
import { captureToArray } from './helpers/captureToArray';
import { hasTshark, tsharkRequests, tsharkStatusCodes } from './helpers/tshark';

const root = join(__dirname, '..');
const truths = readTruths(join(root, 'fixtures'));

// Where tshark sees less than is there (the generator's ground truth, checked in
// fixtureTruth.test.ts, has the rest), sidetap must still see all tshark sees; elsewhere, exactly that.
const TSHARK_SEES_LESS: Record<string, string> = {
  gap: 'tshark drops a request whose head lost a segment; sidetap keeps it from the lines that arrived',
  midstream: 'tshark does not parse a response that began before the capture did',
  vxlan: 'tshark follows TCP by 4-tuple only, so two VNIs carrying the same 4-tuple merge and it loses requests',
  'edge-http': 'tshark shows no response whose body the capture truncated',
};

/** Multiset containment: every item of `small` is in `big` as often. */
function missingFrom<T>(big: T[], small: T[]): T[] {
  const left = [...big];
  return small.filter((x) => {
    const i = left.indexOf(x);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

const portOf = (endpoint: string): number => Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));

if (!hasTshark()) throw new Error('tshark is not installed; run scripts/setup as root');

describe('sidetap agrees with tshark on the bundled fixtures', () => {
  it.each(truths.map((t) => [t.scenario, t] as const))('%s', async (name, truth) => {
    const file = join(root, 'fixtures/pcaps', truth.file);
    const ports = [...new Set(truth.exchanges.map((e) => portOf(e.server)))];
    const { exchanges } = await captureToArray([file]);
    const ours = exchanges
      .filter((ex) => ex.http.request.method !== '')
      .map((ex) => `${ex.http.request.method} ${ex.url.original} ${ex.url.domain ?? ''}`)
      .sort();
    const theirs = tsharkRequests(file, ports).map((r) => `${r.method} ${r.uri} ${r.host}`).sort();
    const ourCodes = exchanges.flatMap((ex) => (ex.http.response ? [ex.http.response.status_code] : [])).sort();
    // Interim 1xx responses are part of an exchange in sidetap, separate responses in tshark.
    const theirCodes = tsharkStatusCodes(file, ports).filter((c) => c >= 200 || c === 101).sort();
    if (name in TSHARK_SEES_LESS) {
      expect(theirs.length).toBeGreaterThan(0);
      expect(missingFrom(ours, theirs)).toEqual([]);
      expect(missingFrom(ourCodes, theirCodes)).toEqual([]);
    } else {
      expect(ours).toEqual(theirs);
      expect(ourCodes).toEqual(theirCodes);
    }
  });
});
