// The metrics server over real HTTP on 127.0.0.1 with a free port, as Prometheus and a kubelet
// would reach it.
import { createServer } from 'node:net';
import { METRICS_CONTENT_TYPE, startMetricsServer } from './metricsServer';
import type { HealthReport, MetricsServer, MetricsServerOptions } from './metricsServer';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(overrides: Partial<MetricsServerOptions> = {}): Promise<MetricsServer> {
  const server = await startMetricsServer({
    host: '127.0.0.1',
    port: 0,
    metrics: () => ({ 'bus_records_consumed_total{topic="sidetap.events",group="anomaly"}': 42, capture_packets_read_total: 7 }),
    health: () => ({ ok: true, detail: { bus: 'connected' } }),
    ...overrides,
  });
  servers.push(server);
  return server;
}

/** Whether something can bind the port again: the proof close() let go of it. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('startMetricsServer', () => {
  it('serves the counters and process metrics as Prometheus text on /metrics', async () => {
    const server = await start({ help: { capture_packets_read_total: 'Packets read.' } });
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(METRICS_CONTENT_TYPE);
    const text = await res.text();
    expect(text).toContain('# TYPE bus_records_consumed_total counter\nbus_records_consumed_total{topic="sidetap.events",group="anomaly"} 42\n');
    expect(text).toContain('# HELP capture_packets_read_total Packets read.\n# TYPE capture_packets_read_total counter\ncapture_packets_read_total 7\n');
    expect(text).toMatch(/^# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes [1-9]\d*$/m);
    expect(text).toMatch(/^# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total \d+(\.\d+)?(e-\d+)?$/m);
    const startTime = Number(/^process_start_time_seconds (\S+)$/m.exec(text)?.[1]);
    expect(startTime).toBeGreaterThan(Date.now() / 1000 - 3600);
    expect(startTime).toBeLessThanOrEqual(Date.now() / 1000);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds (NaN|\d)/m);
  });

  it('takes a fresh snapshot at every scrape', async () => {
    let n = 0;
    const server = await start({ metrics: () => ({ stage_scrapes_seen_total: ++n }) });
    await fetch(`${server.url}/metrics`).then((r) => r.text());
    const text = await fetch(`${server.url}/metrics`).then((r) => r.text());
    expect(text).toMatch(/^stage_scrapes_seen_total 2$/m);
  });

  it('answers /healthz with 200 and the detail while healthy, 503 when not', async () => {
    let report: HealthReport = { ok: true, detail: { bus: 'connected', lag: 3 } };
    const server = await start({ health: () => report });
    const healthy = await fetch(`${server.url}/healthz`);
    expect(healthy.status).toBe(200);
    expect(healthy.headers.get('content-type')).toBe('application/json');
    expect(await healthy.json()).toEqual({ ok: true, detail: { bus: 'connected', lag: 3 } });

    report = { ok: false, detail: { bus: 'brokers unreachable' } };
    const sick = await fetch(`${server.url}/healthz`);
    expect(sick.status).toBe(503);
    expect(await sick.json()).toEqual({ ok: false, detail: { bus: 'brokers unreachable' } });
  });

  it('answers HEAD with the headers and no body', async () => {
    const server = await start();
    const res = await fetch(`${server.url}/metrics`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await res.text()).toBe('');
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const server = await start();
    expect((await fetch(`${server.url}/`)).status).toBe(404);
    expect((await fetch(`${server.url}/metricsx`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics?name[]=x`)).status).toBe(200);
    const post = await fetch(`${server.url}/metrics`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${server.url}/healthz`, { method: 'DELETE' })).status).toBe(405);
  });

  it('answers 500 and logs when a callback throws, and keeps serving', async () => {
    const logged: string[] = [];
    let fail = true;
    const server = await start({
      metrics: () => {
        if (fail) throw new Error('counters gone');
        return { stage_ok_total: 1 };
      },
      health: () => {
        throw new Error('no health');
      },
      logger: { error: (fields, message) => void logged.push(`${message}: ${String(fields.err)}`) },
    });
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('counters gone');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(500);
    expect(logged).toEqual(['metrics callback failed; answered 500: counters gone', 'health callback failed; answered 500: no health']);
    fail = false;
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });

  it('answers 500 when the health detail cannot be written as JSON', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const server = await start({ health: () => ({ ok: true, detail: circular }), logger: { error: () => undefined } });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(500);
  });

  it('frees the port on close, even with a keep-alive connection open', async () => {
    const server = await start();
    // fetch keeps the connection alive after this answer.
    await fetch(`${server.url}/metrics`).then((r) => r.text());
    expect(await portIsFree(server.port)).toBe(false);
    await server.close();
    await server.close(); // a second close is harmless
    expect(await portIsFree(server.port)).toBe(true);
  });

  it('rejects with the address when the port is taken', async () => {
    const first = await start();
    await expect(start({ port: first.port })).rejects.toThrow(`metrics server cannot listen on 127.0.0.1:${first.port}`);
  });
});
