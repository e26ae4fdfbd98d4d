import { ChunkSequencer } from './chunkSequencer';

function drain<T>(s: ChunkSequencer<T>): T[] {
  const out: T[] = [];
  for (let n = s.next(); n !== undefined; n = s.next()) out.push(n.item);
  return out;
}

describe('ChunkSequencer', () => {
  it('hands out chunks round-robin by sequence, then finals in worker order, whatever the arrival order', () => {
    const s = new ChunkSequencer<string>(3);
    s.addChunk(2, 0, 'c0');
    s.addChunk(1, 0, 'b0');
    expect(drain(s)).toEqual([]); // waits for worker 0
    s.addChunk(0, 0, 'a0');
    s.addChunk(0, 1, 'a1');
    expect(drain(s)).toEqual(['a0', 'b0', 'c0', 'a1']);
    s.finish(0, 2, 'aF');
    s.addChunk(2, 1, 'c1');
    s.addChunk(1, 1, 'b1');
    s.finish(2, 2, 'cF');
    expect(drain(s)).toEqual(['b1', 'c1']);
    expect(s.ended).toBe(false);
    s.finish(1, 2, 'bF');
    expect(drain(s)).toEqual(['aF', 'bF', 'cF']);
    expect(s.ended).toBe(true);
  });

  it('skips a worker that posted fewer chunks', () => {
    const s = new ChunkSequencer<string>(2);
    s.addChunk(0, 0, 'a0');
    s.addChunk(0, 1, 'a1');
    s.finish(1, 0, 'bF');
    s.finish(0, 2, 'aF');
    expect(drain(s)).toEqual(['a0', 'a1', 'aF', 'bF']);
    expect(s.ended).toBe(true);
  });

  it('rejects chunks out of order', () => {
    const s = new ChunkSequencer<string>(1);
    expect(() => s.addChunk(0, 1, 'x')).toThrow(/out of order/);
    expect(() => s.finish(0, 3, 'x')).toThrow(/finished after 3 chunks/);
  });
});
