// The encoded output of the live engine must be the object output, record for record: the
// same exchanges (decoded), under their actor keys and request times, in the bytes the bus
// itself would have written, whether the workers encode them or this thread does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpExchange } from '@sidetap/core';
import { defaultCaptureConfig } from '../../captureConfig';
import type { PacketView } from '../packetView';
import { createExchangeRecordCodec, readEncodedExchanges } from './encodedExchanges';
import type { EncodedExchangeBatch } from './encodedExchanges';
import { LiveEngine } from './liveEngine';
import { WORKER_SEGMENTS_DROPPED } from './segmentWorkerPool';

const PCAPS = join(__dirname, '../../../../../fixtures/pcaps');
const config = defaultCaptureConfig();
const redactionKey = Buffer.from('live-engine-test-key-0123456789');
/** Packets handed over per turn of the event loop, as libpcap or a socket delivers a burst. */
const BURST = 16;

/** The packets of a little-endian classic pcap with their capture times, as views into the file. */
function packetsOf(file: string): PacketView[] {
  const b = readFileSync(file);
  if (b.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${file}: not a little-endian microsecond pcap`);
  const linktype = b.readUInt32LE(20) & 0xffff;
  const out: PacketView[] = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const caplen = b.readUInt32LE(o + 8);
    out.push({ tsUs: b.readUInt32LE(o) * 1e6 + b.readUInt32LE(o + 4), linktype, buf: b, offset: o + 16, caplen, origLen: b.readUInt32LE(o + 12), iface: 0, fileOffset: o });
    o += 16 + caplen;
  }
  return out;
}

async function feed(engine: LiveEngine, packets: readonly PacketView[]): Promise<void> {
  for (let i = 0; i < packets.length; i += BURST) {
    for (const p of packets.slice(i, i + BURST)) engine.feed(p);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await engine.stop(packets[packets.length - 1]!.tsUs + 1);
}

async function asObjects(packets: readonly PacketView[]): Promise<HttpExchange[]> {
  const out: HttpExchange[] = [];
  const engine = new LiveEngine({ config, redactionKey, source: 'live', onExchange: (ex) => out.push(ex) });
  await feed(engine, packets);
  expect(engine.exchanges).toBe(out.length);
  return out;
}

interface Encoded {
  key: string;
  tsMs: number;
  bytes: Buffer;
}

async function asRecords(packets: readonly PacketView[], workers: number): Promise<{ records: Encoded[]; batches: number; engine: LiveEngine }> {
  const records: Encoded[] = [];
  let batches = 0;
  const onEncoded = (batch: EncodedExchangeBatch): void => {
    batches += 1;
    expect(batch.count).toBeGreaterThan(0);
    readEncodedExchanges(batch, (key, tsMs, bytes) => records.push({ key, tsMs, bytes: Buffer.from(bytes) }));
  };
  const failures: Error[] = [];
  // A queue deep enough never to drop while the workers start (under jest they compile first):
  // this compares outputs, not loss.
  const engine = new LiveEngine({ config, redactionKey, source: 'live', workers, workerQueueBatches: 1 << 20, onEncoded, onError: (err) => failures.push(err) });
  await engine.ready();
  await feed(engine, packets);
  expect(failures).toEqual([]);
  expect(engine.exchanges).toBe(records.length);
  return { records, batches, engine };
}

const byId = (a: HttpExchange, b: HttpExchange): number => (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0);

/** Checks the encoded records against the object run: same exchanges, keys, times and bytes. */
function expectSameAsObjects(records: readonly Encoded[], objects: readonly HttpExchange[]): void {
  const codec = createExchangeRecordCodec();
  const decoded = records.map((r) => ({ ...r, exchange: codec.decode(r.bytes) }));
  expect(decoded.map((d) => d.exchange).sort(byId)).toEqual([...objects].sort(byId));
  const want = new Map(objects.map((ex) => [ex.event.id, ex]));
  for (const d of decoded) {
    const ex = want.get(d.exchange.event.id)!;
    expect({ key: d.key, tsMs: d.tsMs }).toEqual({ key: ex.sidetap.actor_key, tsMs: Date.parse(ex['@timestamp']) });
    // Byte for byte what the bus's publish() would have sent for the object.
    expect(d.bytes.equals(Buffer.from(codec.encode(ex)))).toBe(true);
  }
}

describe('LiveEngine encoded output', () => {
  it.each([['keepalive.pcap'], ['demo.pcap'], ['sessions.pcap'], ['vxlan.pcap'], ['large-bodies.pcap'], ['gap.pcap'], ['smuggling.pcap']])(
    '%s: two workers give, decoded, exactly the exchanges the main thread gives',
    async (name) => {
      const packets = packetsOf(join(PCAPS, name));
      const objects = await asObjects(packets);
      expect(objects.length).toBeGreaterThan(0);
      const { records, engine } = await asRecords(packets, 2);
      expectSameAsObjects(records, objects);
      const counters = engine.snapshot();
      expect(counters[WORKER_SEGMENTS_DROPPED] ?? 0).toBe(0);
      expect(counters['capture_exchanges_emitted_total']).toBe(objects.length);
    },
    60_000,
  );

  it('encodes on this thread, in one batch per burst, when there are no workers', async () => {
    const packets = packetsOf(join(PCAPS, 'demo.pcap'));
    const objects = await asObjects(packets);
    const { records, batches } = await asRecords(packets, 0);
    expectSameAsObjects(records, objects);
    // Batched, not one message per exchange.
    expect(batches).toBeLessThan(records.length);
  });

  it('wants exactly one of onExchange and onEncoded', () => {
    expect(() => new LiveEngine({ config, redactionKey, source: 'live' })).toThrow('LiveEngine: set exactly one of onExchange and onEncoded');
    expect(() => new LiveEngine({ config, redactionKey, source: 'live', onExchange: () => undefined, onEncoded: () => undefined })).toThrow(
      'LiveEngine: set exactly one of onExchange and onEncoded',
    );
  });
});
