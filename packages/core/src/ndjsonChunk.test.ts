import { NdjsonChunk } from './ndjsonChunk';

describe('NdjsonChunk', () => {
  it('gathers records as UTF-8 lines, growing past its first size, into buffers of their own', () => {
    const chunk = new NdjsonChunk(16);
    expect(chunk.take()).toBeUndefined();
    const records = [{ a: 'é€😀' }, { b: 'x'.repeat(5000) }, [1, null, 'ü']];
    for (const r of records) chunk.add(r);
    expect(chunk.records).toBe(3);
    const bytes = chunk.take();
    expect(bytes).toBeDefined();
    expect(Buffer.from(bytes!).toString('utf8')).toBe(records.map((r) => JSON.stringify(r) + '\n').join(''));
    expect(bytes!.byteOffset).toBe(0);
    chunk.add({ c: 1 });
    const next = chunk.take();
    expect(next!.buffer).not.toBe(bytes!.buffer);
    expect(Buffer.from(next!).toString('utf8')).toBe('{"c":1}\n');
    expect(chunk.records).toBe(0);
  });
});
