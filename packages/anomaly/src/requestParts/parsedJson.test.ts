import { NOT_JSON, parseJsonOnce } from './parsedJson';

describe('parseJsonOnce', () => {
  afterEach(() => jest.restoreAllMocks());

  it('parses the same body once for the detectors reading it one after the other', () => {
    const parse = jest.spyOn(JSON, 'parse');
    const body = JSON.stringify({ items: [{ qty: 2 }], note: 'x' });
    const first = parseJsonOnce(body);
    expect(parseJsonOnce(body)).toBe(first);
    expect(first).toEqual({ items: [{ qty: 2 }], note: 'x' });
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('answers each body by its own text, and NOT_JSON for text that does not parse, however they alternate', () => {
    const bodies = ['{"a":1}', '{"a":', '[1,2]', '{"a":1}', '{"a":', 'null', '"s"'];
    expect(bodies.map((b) => parseJsonOnce(b))).toEqual([{ a: 1 }, NOT_JSON, [1, 2], { a: 1 }, NOT_JSON, null, 's']);
  });
});
