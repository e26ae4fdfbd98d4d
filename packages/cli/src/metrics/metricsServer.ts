// The HTTP endpoint every `sidetap run <stage>` process serves: /metrics for Prometheus (the
// stage's counters plus process metrics) and /healthz for orchestrators, on node:http alone.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { renderPrometheusText } from './prometheusText';

export interface HealthReport {
  ok: boolean;
  detail: Record<string, unknown>;
}

/** What the server logs through; a pino Logger fits. */
export interface MetricsServerLogger {
  error(fields: Record<string, unknown>, message: string): void;
}

export interface MetricsServerOptions {
  /** Address to bind; the caller chooses it (127.0.0.1 keeps it local, 0.0.0.0 exposes it). */
  host: string;
  /** 0 picks a free port; the server reports the real one. */
  port: number;
  /** Counter snapshot taken at every scrape, keys as Counters writes them. */
  metrics: () => Record<string, number>;
  /** HELP text by metric name. */
  help?: Record<string, string> | undefined;
  /** Metric names that are gauges although they end in `_total`. */
  gauges?: readonly string[] | undefined;
  health: () => HealthReport;
  logger?: MetricsServerLogger | undefined;
}

export interface MetricsServer {
  /** Base URL with the bound port, such as http://127.0.0.1:9464. */
  url: string;
  port: number;
  /** Stops listening and resolves once the port is free. */
  close(): Promise<void>;
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const PROCESS_HELP: Record<string, string> = {
  process_resident_memory_bytes: 'Resident memory size in bytes.',
  process_cpu_seconds_total: 'User and system CPU time spent, in seconds.',
  process_start_time_seconds: 'Start time of the process since the Unix epoch, in seconds.',
  nodejs_heap_size_used_bytes: 'V8 heap in use, in bytes.',
  nodejs_eventloop_lag_seconds: 'Mean event-loop delay since the previous scrape, in seconds (NaN when nothing was sampled).',
  nodejs_eventloop_lag_max_seconds: 'Longest event-loop delay since the previous scrape, in seconds (NaN when nothing was sampled).',
};

// performance.timeOrigin is when this process started, so it does not move with the wall clock.
const PROCESS_START_SECONDS = Math.round(performance.timeOrigin) / 1000;

// The histogram is fed by a libuv timer every 10 ms without running any JavaScript: cheap enough
// to leave on for the life of the server.
const EVENT_LOOP_RESOLUTION_MS = 10;

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const loopDelay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  const help = { ...PROCESS_HELP, ...options.help };

  const processMetrics = (): Record<string, number> => {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const sampled = loopDelay.count > 0;
    const out = {
      process_resident_memory_bytes: memory.rss,
      process_cpu_seconds_total: (cpu.user + cpu.system) / 1e6,
      process_start_time_seconds: PROCESS_START_SECONDS,
      nodejs_heap_size_used_bytes: memory.heapUsed,
      // The histogram records nanoseconds; reset per scrape as prom-client does, so the value is
      // about the last interval rather than the whole life of the process.
      nodejs_eventloop_lag_seconds: sampled ? loopDelay.mean / 1e9 : NaN,
      nodejs_eventloop_lag_max_seconds: sampled ? loopDelay.max / 1e9 : NaN,
    };
    loopDelay.reset();
    return out;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    // Only the path matters; a scraper may add a query string.
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path !== '/metrics' && path !== '/healthz') return send(req, res, 404, 'text/plain; charset=utf-8', 'not found: try /metrics or /healthz\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(req, res, 405, 'text/plain; charset=utf-8', `${String(req.method)} not allowed: use GET or HEAD\n`);
    }
    if (path === '/metrics') {
      let text: string;
      try {
        text = renderPrometheusText({ ...processMetrics(), ...options.metrics() }, { help, gauges: options.gauges });
      } catch (err) {
        options.logger?.error({ err: errorMessage(err) }, 'metrics callback failed; answered 500');
        return send(req, res, 500, 'text/plain; charset=utf-8', 'metrics unavailable\n');
      }
      return send(req, res, 200, METRICS_CONTENT_TYPE, text);
    }
    let body: string;
    let ok: boolean;
    try {
      const report = options.health();
      ok = report.ok === true;
      body = `${JSON.stringify({ ok, detail: report.detail })}\n`;
    } catch (err) {
      // A broken check is not the same fact as an unhealthy stage: 500 keeps them apart.
      options.logger?.error({ err: errorMessage(err) }, 'health callback failed; answered 500');
      return send(req, res, 500, 'application/json', `${JSON.stringify({ ok: false, error: 'health check failed' })}\n`);
    }
    send(req, res, ok ? 200 : 503, 'application/json', body);
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      // Last line of defence: nothing a request does may take the stage's process down.
      options.logger?.error({ err: errorMessage(err) }, 'metrics request failed');
      if (!res.headersSent) send(req, res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(new Error(`metrics server cannot listen on ${options.host}:${options.port}: ${err.message}`));
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => options.logger?.error({ err: err.message }, 'metrics server error'));
  loopDelay.enable();

  const { port } = server.address() as AddressInfo;
  // An IPv6 literal needs brackets in a URL.
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostPart}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        loopDelay.disable();
        server.close((err) => (err === undefined ? resolve() : reject(err)));
        // Keep-alive sockets (fetch keeps them) would hold the port until their timeout otherwise;
        // a scrape in flight is a few milliseconds, so cutting it is no loss.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function send(req: IncomingMessage, res: ServerResponse, status: number, contentType: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  // Every answer is a reading of live state; a cache in between would serve stale numbers.
  res.setHeader('Cache-Control', 'no-store');
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
