// What real captures hold and the generator does not make, through the whole capture stage:
// snap lengths, offloads, SPAN copies, reordering, port reuse, aborted and half-closed transfers.
import { captureBytes, Conversation, pcapFile, pcapngFile, summary, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, T0, WireBench } from './testWire';
import type { FilePacket } from './testWire';

const GET = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: api.test\r\n\r\n`;
const OK = (body: string, extra = ''): string => `HTTP/1.1 200 OK\r\n${extra}Content-Length: ${body.length}\r\n\r\n${body}`;

function run(bench: WireBench, frames: Buffer[]): void {
  for (const frame of frames) bench.feed(frame);
}

describe('snap length', () => {
  it('a request cut by the snap length is a gap at once, so its response still pairs with it', () => {
    const bench = new WireBench();
    const c = new Conversation();
    run(bench, c.handshake());
    const head = `GET /long HTTP/1.1\r\nHost: api.test\r\nUser-Agent: ${'x'.repeat(300)}\r\n\r\n`;
    bench.feed(c.frame(0, { payload: head }), { caplen: 128 });
    bench.feed(c.frame(1, { payload: OK('{"a":1}') }), { caplen: 128 });
    run(bench, [c.frame(0, { payload: GET('/next') }), c.frame(1, { payload: OK('{}') })]);
    run(bench, c.close());
    expect(summary(bench.end())).toEqual([
      ['GET /long', 200, ['gap']],
      ['GET /next', 200, []],
    ]);
    expect(bench.counters.get('capture_packets_snapped_total')).toBe(1);
  });

  it('a body cut by the snap length is counted at its true size, never shifted', () => {
    const bench = new WireBench();
    const c = new Conversation();
    run(bench, c.handshake());
    bench.feed(c.frame(0, { payload: GET('/file') }));
    const body = 'a'.repeat(1400) + 'b'.repeat(1400) + 'c'.repeat(1400);
    const frames = c.data(1, OK(body));
    expect(frames).toHaveLength(3);
    bench.feed(frames[0]!, { caplen: 200 });
    bench.feed(frames[1]!, { caplen: 200 });
    bench.feed(frames[2]!);
    run(bench, [c.frame(0, { payload: GET('/after') }), c.frame(1, { payload: OK('done') })]);
    const [file, after] = bench.end();
    expect(file?.http.response?.body.bytes).toBe(4200);
    expect(file?.sidetap.capture.flags).toEqual(['gap']);
    // The sample holds what came before the first cut, and nothing from after it.
    expect(file?.http.response?.body.content).toBe('a'.repeat(200 - 54 - 'HTTP/1.1 200 OK\r\nContent-Length: 4200\r\n\r\n'.length));
    expect(after?.http.response?.body.content).toBe('done');
    expect(after?.sidetap.capture.flags).toEqual([]);
  });

  it('a capture taken with a short snap length (tcpdump -s 96) still shows every exchange of a connection', () => {
    const bench = new WireBench();
    const c = new Conversation();
    const cut = (frames: Buffer[]): void => frames.forEach((frame) => bench.feed(frame, { caplen: 96 }));
    cut(c.handshake());
    for (let i = 0; i < 3; i++) {
      cut(c.data(0, `POST /item/${i} HTTP/1.1\r\nHost: api.test\r\nCookie: ${'k'.repeat(200)}\r\nContent-Length: 3000\r\n\r\n${'p'.repeat(3000)}`));
      cut(c.data(1, `HTTP/1.1 20${i} OK\r\nServer: x\r\nContent-Length: 5000\r\n\r\n${'r'.repeat(5000)}`));
      cut([c.frame(0)]);
    }
    cut(c.close());
    expect(summary(bench.end())).toEqual([
      ['POST /item/0', 200, ['gap']],
      ['POST /item/1', 201, ['gap']],
      ['POST /item/2', 202, ['gap']],
    ]);
  });
});

describe('offloads', () => {
  it('takes segments far larger than the MTU (TSO/GRO) and IPv4 total length 0', () => {
    const bench = new WireBench();
    const c = new Conversation();
    run(bench, c.handshake());
    const body = 'z'.repeat(60_000);
    bench.feed(c.frame(0, { payload: `POST /up HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`, totalLength: 0 }));
    bench.feed(c.frame(1, { payload: OK(body) }));
    const [x] = bench.end();
    expect(x?.http.request.body.bytes).toBe(60_000);
    expect(x?.http.response?.body.bytes).toBe(60_000);
    expect(x?.sidetap.capture.flags).toEqual(['body_sample_capped']);
  });

  it('a total-length-0 frame cut by the snap length gives the bytes past the cut as a gap', () => {
    const bench = new WireBench();
    const c = new Conversation();
    run(bench, c.handshake());
    bench.feed(c.frame(0, { payload: GET('/a') }));
    bench.feed(c.frame(1, { payload: OK('q'.repeat(20_000)), totalLength: 0 }), { caplen: 1514 });
    run(bench, [c.frame(0, { payload: GET('/b') }), c.frame(1, { payload: OK('r') })]);
    const [a, b] = bench.end();
    expect(a?.http.response?.body.bytes).toBe(20_000);
    expect(a?.sidetap.capture.flags).toEqual(['gap']);
    expect(b?.http.response?.body.content).toBe('r');
  });

  it('keeps packets whose IP and TCP checksums were left to the NIC', () => {
    const bench = new WireBench();
    const c = new Conversation();
    run(bench, [...c.handshake(), c.frame(0, { payload: GET('/sum') }), c.frame(1, { payload: OK('1') }), ...c.close()]);
    expect(summary(bench.end())).toEqual([['GET /sum', 200, []]]);
  });
});

/** The frame as a second SPAN source delivers it: another TTL and, for a tagged frame, another VLAN id. */
function spanCopy(frame: Buffer, vlan?: number): Buffer {
  const copy = Buffer.from(frame);
  const tagged = copy.readUInt16BE(12) === 0x8100;
  if (tagged && vlan !== undefined) copy.writeUInt16BE(vlan, 14);
  copy[(tagged ? 18 : 14) + 8] = 63;
  return copy;
}

describe('SPAN copies', () => {
  /** A half-closed exchange whose last segment carries both data and the FIN. */
  function halfClosed(c: Conversation): Buffer[] {
    return [
      ...c.handshake(),
      c.frame(0, { payload: GET('/once') }),
      c.frame(0, { flags: TCP_FIN | TCP_ACK }),
      c.frame(1, { payload: OK('{"n":1}', 'Connection: close\r\n'), flags: TCP_FIN | TCP_ACK }),
      c.frame(0),
    ];
  }

  it('every packet seen twice gives one exchange, even when the last one carries data and FIN', () => {
    const bench = new WireBench();
    for (const frame of halfClosed(new Conversation())) {
      bench.feed(frame);
      bench.feed(frame);
    }
    expect(summary(bench.end())).toEqual([['GET /once', 200, []]]);
    expect(bench.counters.get('capture_flows_created_total')).toBe(1);
  });

  it('every packet seen twice with another VLAN tag and TTL gives one exchange, on the first VLAN', () => {
    const bench = new WireBench();
    for (const frame of halfClosed(new Conversation({ vlans: [{ tpid: 0x8100, vid: 10 }] }))) {
      bench.feed(frame);
      bench.feed(spanCopy(frame, 20));
    }
    const exchanges = bench.end();
    expect(summary(exchanges)).toEqual([['GET /once', 200, []]]);
    expect(exchanges[0]?.sidetap.capture.vlan).toEqual([10]);
    expect(bench.counters.get('capture_flows_created_total')).toBe(1);
  });

  it('one direction seen twice, its copies late, the other once: one exchange per request', () => {
    const bench = new WireBench();
    const c = new Conversation();
    const clientFrames: Buffer[] = [];
    const all: Array<[0 | 1, Buffer]> = [
      ...c.handshake().map((f, i): [0 | 1, Buffer] => [i === 1 ? 1 : 0, f]),
      [0, c.frame(0, { payload: GET('/a') })],
      [1, c.frame(1, { payload: OK('1') })],
      [0, c.frame(0, { payload: GET('/b') })],
      [1, c.frame(1, { payload: OK('2') })],
      [0, c.frame(0, { flags: TCP_FIN | TCP_ACK })],
      [1, c.frame(1, { flags: TCP_FIN | TCP_ACK })],
      [0, c.frame(0)],
    ];
    for (const [side, frame] of all) {
      bench.feed(frame);
      if (side === 0) clientFrames.push(spanCopy(frame));
    }
    // The second copy of the client's packets comes through a slower path, after the close.
    for (const frame of clientFrames) bench.feed(frame);
    expect(summary(bench.end())).toEqual([
      ['GET /a', 200, []],
      ['GET /b', 200, []],
    ]);
    expect(bench.counters.get('capture_flows_created_total')).toBe(1);
  });
});

describe('connection lifetimes', () => {
  it('a new SYN on the endpoints of a connection that ended (FIN or RST) or went quiet opens a new connection', () => {
    const bench = new WireBench();
    const first = new Conversation({ clientIsn: 100 });
    run(bench, [...first.handshake(), first.frame(0, { payload: GET('/1') }), first.frame(1, { payload: OK('a') }), ...first.close()]);
    const second = new Conversation({ clientIsn: 2_000_000_000, serverIsn: 7 });
    run(bench, [...second.handshake(), second.frame(0, { payload: GET('/2') }), second.frame(1, { payload: OK('b') })]);
    bench.feed(second.frame(0, { flags: TCP_RST }));
    const third = new Conversation({ clientIsn: 3_000_000_000, serverIsn: 9 });
    run(bench, [...third.handshake(), third.frame(0, { payload: GET('/3') }), third.frame(1, { payload: OK('c') })]);
    // Quiet for a minute (a NAT dropped it, no FIN), then the port is used again.
    const fourth = new Conversation({ clientIsn: 4_000_000_000, serverIsn: 11 });
    const [syn, ...rest] = fourth.handshake();
    bench.feed(syn!, { tsUs: bench.nowUs + 60_000_000 });
    run(bench, [...rest, fourth.frame(0, { payload: GET('/4') }), fourth.frame(1, { payload: OK('d') }), ...fourth.close()]);
    expect(summary(bench.end())).toEqual([
      ['GET /1', 200, []],
      ['GET /2', 200, []],
      ['GET /3', 200, []],
      ['GET /4', 200, []],
    ]);
    expect(bench.counters.get('capture_flows_created_total')).toBe(4);
  });

  it('a RST in the middle of a response truncates it; segments still in flight open nothing', () => {
    const bench = new WireBench();
    const c = new Conversation();
    run(bench, [...c.handshake(), c.frame(0, { payload: GET('/video') })]);
    const frames = c.data(1, OK('v'.repeat(20_000)));
    run(bench, frames.slice(0, 3));
    bench.feed(c.frame(0, { flags: TCP_RST | TCP_ACK }));
    run(bench, frames.slice(3, 6));
    expect(summary(bench.end())).toEqual([['GET /video', 200, ['truncated_body']]]);
    expect(bench.counters.get('capture_flows_created_total')).toBe(1);
    expect(bench.counters.get('capture_flows_skipped_total{kind="other"}')).toBe(0);
  });

  it('half-close: the client sends FIN after its request, the server still sends the response', () => {
    const bench = new WireBench();
    const c = new Conversation();
    run(bench, [...c.handshake(), c.frame(0, { payload: GET('/half') }), c.frame(0, { flags: TCP_FIN | TCP_ACK })]);
    run(bench, [...c.data(1, OK('h'.repeat(3000))), c.frame(1, { flags: TCP_FIN | TCP_ACK }), c.frame(0)]);
    const [x] = bench.end();
    expect(summary([x!])).toEqual([['GET /half', 200, []]]);
    expect(x?.http.response?.body.bytes).toBe(3000);
  });
});

describe('capture time', () => {
  it('a response stamped a little before its request (multi-queue NIC) still pairs with it', () => {
    const bench = new WireBench();
    const c = new Conversation();
    run(bench, c.handshake());
    bench.feed(c.frame(0, { payload: GET('/skew') }), { tsUs: T0 + 10_050 });
    bench.feed(c.frame(1, { payload: OK('s') }), { tsUs: T0 + 10_020 });
    run(bench, c.close());
    const [x] = bench.end();
    expect(summary([x!])).toEqual([['GET /skew', 200, []]]);
    expect(x?.event.duration).toBe(0);
  });

  it('a response written to the file before its request (timestamps going backwards) still pairs with it', () => {
    const bench = new WireBench();
    const c = new Conversation();
    run(bench, c.handshake());
    const request = c.frame(0, { payload: GET('/late') });
    const response = c.frame(1, { payload: OK('r') });
    bench.feed(response, { tsUs: T0 + 10_300 });
    bench.feed(request, { tsUs: T0 + 10_100 });
    run(bench, [c.frame(0, { payload: GET('/next') }), c.frame(1, { payload: OK('n') }), ...c.close()]);
    const exchanges = bench.end();
    expect(summary(exchanges)).toEqual([
      ['GET /late', 200, []],
      ['GET /next', 200, []],
    ]);
    expect(exchanges[0]?.event.duration).toBe(200_000);
  });
});

describe('capture files', () => {
  it('pcapng with two interfaces of different timestamp resolution, interleaved and a little out of order', async () => {
    // A host capturing on two NICs with asymmetric routing: requests come in on one (µs), responses leave by the other (ns).
    const c = new Conversation();
    const packets: FilePacket[] = [];
    let t = T0;
    const add = (iface: number, frames: Buffer[], step = 40): void => {
      for (const frame of frames) packets.push({ frame, tsUs: (t += step), iface });
    };
    add(0, [c.frame(0, { flags: TCP_SYN })]);
    add(1, [c.frame(1, { flags: TCP_SYN | TCP_ACK })]);
    add(0, [c.frame(0), c.frame(0, { payload: GET('/one') })]);
    add(1, [c.frame(1, { payload: OK('1') })]);
    // The second response leaves the NIC before the second request is written by the other one.
    const request = c.frame(0, { payload: GET('/two') });
    const response = c.frame(1, { payload: OK('22') });
    packets.push({ frame: response, tsUs: t + 90, iface: 1 }, { frame: request, tsUs: t + 30, iface: 0 });
    t += 100;
    add(0, [c.frame(0, { flags: TCP_FIN | TCP_ACK })]);
    add(1, [c.frame(1, { flags: TCP_FIN | TCP_ACK })]);
    add(0, [c.frame(0)]);
    const { exchanges, summary: run } = await captureBytes(pcapngFile([6, 9], packets));
    expect(run.fault).toBeUndefined();
    expect(summary(exchanges)).toEqual([
      ['GET /one', 200, []],
      ['GET /two', 200, []],
    ]);
    expect(exchanges.map((x) => x.event.duration)).toEqual([40_000, 60_000]);
  });

  it('reads a classic pcap whose records are longer than the snaplen its header gives', async () => {
    const c = new Conversation();
    const frames = [...c.handshake(), c.frame(0, { payload: GET('/snap') }), c.frame(1, { payload: OK('x'.repeat(300)) }), ...c.close()];
    const { exchanges, summary: run } = await captureBytes(pcapFile(frames.map((frame, i) => ({ frame, tsUs: T0 + i * 100 })), 96));
    expect(run.fault).toBeUndefined();
    expect(summary(exchanges)).toEqual([['GET /snap', 200, []]]);
    expect(exchanges[0]?.http.response?.body.bytes).toBe(300);
  });
});

describe('HTTP on real connections', () => {
  it('an early 413 while the client uploads, the server closing: one exchange, the upload cut short', () => {
    const bench = new WireBench();
    const c = new Conversation();
    run(bench, [...c.handshake(), ...c.data(0, `PUT /upload HTTP/1.1\r\nContent-Length: 100000\r\n\r\n${'u'.repeat(4000)}`)]);
    run(bench, [c.frame(1, { payload: 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', flags: TCP_FIN | TCP_ACK })]);
    run(bench, [...c.data(0, 'u'.repeat(3000)), c.frame(1, { flags: TCP_RST })]);
    const [x, ...rest] = bench.end();
    expect(rest).toEqual([]);
    expect(summary([x!])).toEqual([['PUT /upload', 413, ['truncated_body']]]);
    expect(x?.http.request.body.bytes).toBe(7000);
  });

  it('pipelined requests whose middle response the capture lost entirely', () => {
    const bench = new WireBench();
    const c = new Conversation();
    run(bench, [...c.handshake(), c.frame(0, { payload: GET('/1') + GET('/2') + GET('/3') })]);
    bench.feed(c.frame(1, { payload: OK('one') }));
    c.frame(1, { payload: OK('two') });
    run(bench, [c.frame(1, { payload: OK('three') }), c.frame(0), ...c.close()]);
    expect(summary(bench.end())).toEqual([
      ['GET /1', 200, []],
      ['GET /2', undefined, ['gap', 'unanswered_request', 'pipelined']],
      ['GET /3', 200, ['gap', 'pipelined']],
    ]);
  });

  it('Connection: close frames the body by Content-Length, then by the close when there is none', () => {
    const bench = new WireBench();
    const first = new Conversation({ clientIsn: 10 });
    run(bench, [...first.handshake(), first.frame(0, { payload: GET('/cl') })]);
    run(bench, [first.frame(1, { payload: OK('{"a":1}', 'Connection: close\r\n') }), ...first.close()]);
    const second = new Conversation({ clientIsn: 1e9, client: { ip: '10.1.0.1', port: 50_001 } });
    run(bench, [...second.handshake(), second.frame(0, { payload: 'GET /eof HTTP/1.1\r\nConnection: close\r\n\r\n' })]);
    run(bench, [second.frame(1, { payload: 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil ' }), second.frame(1, { payload: 'the end' })]);
    run(bench, [second.frame(1, { flags: TCP_FIN | TCP_ACK }), second.frame(0, { flags: TCP_FIN | TCP_ACK }), second.frame(1)]);
    const exchanges = bench.end();
    expect(summary(exchanges)).toEqual([
      ['GET /cl', 200, []],
      ['GET /eof', 200, ['http_close_delimited']],
    ]);
    expect(exchanges.map((x) => x.http.response?.body.content)).toEqual(['{"a":1}', 'until the end']);
  });

  it('a 40 KB header section over many segments, and a chunked request body with extensions and trailers', () => {
    const bench = new WireBench();
    const c = new Conversation();
    const cookie = `big=${'c'.repeat(40_000)}`;
    run(bench, [...c.handshake(), ...c.data(0, `GET /cookie HTTP/1.1\r\nHost: api.test\r\nX-Trace: ${cookie}\r\n\r\n`)]);
    run(bench, [c.frame(1, { payload: OK('k') })]);
    const chunked = 'POST /stream HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;name=v\r\nhello\r\n6\r\n world\r\n0\r\nDigest: x\r\n\r\n';
    run(bench, [...c.data(0, chunked, 7), c.frame(1, { payload: OK('ok') }), ...c.close()]);
    const exchanges = bench.end();
    expect(summary(exchanges)).toEqual([
      ['GET /cookie', 200, []],
      ['POST /stream', 200, ['http_chunk_extension', 'http_trailers']],
    ]);
    expect(exchanges[0]?.http.request.headers['x-trace']).toHaveLength(cookie.length);
    expect(exchanges[1]?.http.request.body).toEqual({ bytes: 11, content: 'hello world' });
  });
});
