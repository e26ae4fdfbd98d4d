// A worker sees only its own shard's segments, yet its connections must go idle and close at the
// capture times they would in one thread: a connection whose last packet is early closes by idle
// timeout while other shards' traffic goes on, not when the capture ends.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createRedactor } from '@sidetap/core';
import { defaultCaptureConfig } from '../captureConfig';
import { captureFiles } from '../capturePipeline';
import { blankTcpSegment } from '../decode/tcpSegment';
import { ethernet, ipv4, tcp } from '../decode/testPackets';
import { captureFilesParallel } from './parallelCapture';
import { ShardRouter } from './shardRouter';

const key = Buffer.from('idle-expiry-test-key-0123456789');
const config = { ...defaultCaptureConfig(), flowIdleTimeoutSec: 5 };
const work = mkdtempSync(join(tmpdir(), 'sidetap-idle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SERVER = '10.0.0.80';
const client = (i: number): string => `192.0.2.${10 + i}`;

/** The first client whose connection to port 80 from `port` lands in worker shard 1 of 2, and one that stays in shard 0. */
function clientsByShard(port: number): { worker: number; reader: number } {
  const router = new ShardRouter(2);
  const shardOf = (i: number): number => router.shardOf({ ...blankTcpSegment(), srcIp: client(i), dstIp: SERVER, srcPort: port, dstPort: 80 });
  const all = [...Array(50).keys()];
  return { worker: all.find((i) => shardOf(i) === 1)!, reader: all.find((i) => shardOf(i) === 0)! };
}

function capture(): string {
  const { worker, reader } = clientsByShard(40000);
  const frames: Array<[number, Buffer]> = [];
  const send = (sec: number, i: number, payload: string, seq: number): void => {
    const body = Buffer.from(payload, 'latin1');
    frames.push([sec, ethernet(0x0800, ipv4(tcp(body, { srcPort: 40000, dstPort: 80, seq, ack: 1, flags: 0x18 }), { src: client(i), dst: SERVER }))]);
  };
  // The worker's client asks once at t=0 and never hears back: idle from then on.
  send(0, worker, 'GET /lonely HTTP/1.1\r\nhost: api.example\r\n\r\n', 1000);
  // The reader's client keeps the capture's clock moving for 20 s, one request a second.
  let seq = 5000;
  for (let sec = 0; sec <= 20; sec++) {
    const request = `GET /tick/${sec} HTTP/1.1\r\nhost: api.example\r\n\r\n`;
    send(sec, reader, request, seq);
    seq += request.length;
  }
  const u32 = (...words: number[]): Buffer => Buffer.concat(words.map((w) => { const b = Buffer.alloc(4); b.writeUInt32LE(w >>> 0); return b; }));
  const header = Buffer.concat([u32(0xa1b2c3d4), Buffer.from([2, 0, 4, 0]), u32(0, 0, 65535, 1)]);
  const file = join(work, 'idle.pcap');
  writeFileSync(file, Buffer.concat([header, ...frames.flatMap(([sec, f], i) => [u32(1_700_000_000 + sec, i, f.length, f.length), f])]));
  return file;
}

describe('captureFilesParallel idle expiry', () => {
  it('closes a worker\'s idle connection by idle timeout, as one thread does, with the same exchanges', async () => {
    const file = capture();
    const lines: string[] = [];
    const want = await captureFiles([file], { config, redactor: createRedactor({ key }), onExchange: (ex) => lines.push(JSON.stringify(ex)) });
    expect(want.counters['capture_flows_closed_total{reason="idle_timeout"}']).toBe(1);
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (c: Buffer) => chunks.push(c));
    const got = await captureFilesParallel([file], { config, redactionKey: key, workers: 2, output });
    expect(got.counters).toEqual(want.counters);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.split('\n').filter((l) => l !== '').sort()).toEqual(lines.sort());
  });
});

describe('ShardRouter', () => {
  it('gives the reading thread a smaller share than each worker, and both directions of a connection one shard', () => {
    for (const shards of [2, 3, 4]) {
      const router = new ShardRouter(shards);
      const counts = new Array<number>(shards).fill(0);
      for (let port = 1024; port < 9024; port++) {
        const there = { ...blankTcpSegment(), srcIp: '10.1.0.1', dstIp: '10.2.0.2', srcPort: port, dstPort: 443 };
        const back = { ...there, srcIp: there.dstIp, dstIp: there.srcIp, srcPort: 443, dstPort: port };
        const shard = router.shardOf(there);
        expect(router.shardOf(back)).toBe(shard);
        counts[shard]! += 1;
      }
      const workerMin = Math.min(...counts.slice(1));
      expect(counts[0]).toBeGreaterThan(0);
      expect(counts[0]).toBeLessThan(workerMin);
    }
    expect(() => new ShardRouter(0)).toThrow(RangeError);
  });
});
