import { HeadScanner } from './headScanner';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

function scanPieces(pieces: string[], max = 1024) {
  const s = new HeadScanner(max);
  let pos = 0;
  let out = '';
  for (const p of pieces) {
    pos = s.feed(b(p), 0, 'either', false, true);
    if (s.result !== 'need_more') {
      out = s.headBuf.toString('latin1', s.headStart, s.headEnd);
      break;
    }
  }
  return { result: s.result, head: out, pos, kind: s.kind, idle: s.idle };
}

describe('HeadScanner', () => {
  const head = 'GET / HTTP/1.1\r\nHost: h\r\n\r\n';
  it('finds a head in one piece in place and returns the offset after it', () => {
    const r = scanPieces([head + 'body']);
    expect(r).toEqual({ result: 'complete', head, pos: head.length, kind: 'request', idle: true });
  });
  it('finds the same head split at every byte boundary, and byte by byte', () => {
    for (let cut = 1; cut < head.length; cut++) {
      const r = scanPieces([head.slice(0, cut), head.slice(cut) + 'xx']);
      expect([cut, r.result, r.head, r.pos]).toEqual([cut, 'complete', head, head.length - cut]);
    }
    expect(scanPieces([...head]).head).toBe(head);
  });
  it('skips empty lines before the start line', () => {
    const r = scanPieces(['\r\n\r\n', '\n' + head]);
    expect([r.result, r.head]).toEqual(['complete', head]);
  });
  it('reports a bad start line as soon as the first line ends', () => {
    const r = scanPieces(['hello world\r\nHost: h\r\n']);
    expect([r.result, r.pos]).toEqual(['bad_start', 13]);
    expect(scanPieces(['HTTP/1.1 200 OK\r\n\r\n']).kind).toBe('status');
  });
  it('cuts a head over the limit to its whole lines', () => {
    const big = 'GET / HTTP/1.1\r\nA: 1\r\n' + 'X: ' + 'y'.repeat(100) + '\r\n';
    const r = scanPieces([big.slice(0, 30), big.slice(30)], 60);
    expect([r.result, r.head]).toEqual(['too_large', 'GET / HTTP/1.1\r\nA: 1\r\n']);
    const one = scanPieces([big], 60);
    expect([one.result, one.head]).toEqual(['too_large', 'GET / HTTP/1.1\r\nA: 1\r\n']);
  });
  it('gives no head when the start line alone is over the limit', () => {
    const r = scanPieces(['GET /' + 'a'.repeat(100)], 50);
    expect([r.result, r.head]).toEqual(['too_large', '']);
  });
});
