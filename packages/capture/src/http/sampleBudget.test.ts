import { harness } from './__tests__/connectionHarness';

const request = (path: string, body: string) =>
  `POST ${path} HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

describe('shared raw sample budget', () => {
  it('stops sampling when all bodies together hold the budget, flags and counts it, and keeps counting true sizes', () => {
    const h = harness({ sampleBudgetBytes: 3000, config: { bodyRawSampleBytes: 2048 } });
    const big = `{"a":"${'x'.repeat(1990)}"}`;
    // Pipelined requests wait for their responses while holding their samples.
    h.send(0, request('/1', big) + request('/2', big));
    expect(h.ctx.sampleBudget.used).toBeLessThanOrEqual(3000);
    h.send(1, 'HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n');
    const [first, second] = h.exchanges;
    expect(first?.http.request.body.content).toBe(big);
    expect(first?.sidetap.capture.flags).not.toContain('body_sample_capped');
    expect(second?.http.request.body.bytes).toBe(big.length);
    expect(second?.sidetap.capture.flags).toContain('body_sample_capped');
    expect(h.counters.get('capture_http_samples_refused_total')).toBe(1);
  });

  it('gives every sample back once its exchange is written, whatever way the connection ends', () => {
    for (const reason of ['fin', 'rst', 'idle_timeout', 'flow_evicted', 'capture_ended'] as const) {
      const h = harness();
      h.send(0, request('/done', '{"x":1}'));
      h.send(1, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello');
      h.send(0, request('/pending', '{"y":2}'));
      h.send(1, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nhalf');
      h.send(0, 'POST /cut HTTP/1.1\r\nContent-Length: 50\r\n\r\n{"z":');
      expect(h.ctx.sampleBudget.used).toBeGreaterThan(0);
      h.close(reason);
      expect({ reason, held: h.ctx.sampleBudget.used }).toEqual({ reason, held: 0 });
    }
  });
});
