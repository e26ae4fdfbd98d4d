// A throwaway redis-server for tests: its own free port on 127.0.0.1, its own temporary directory,
// nothing persisted, stopped by PID. A missing redis-server is an error that says how to fix it,
// never a reason to skip.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface RedisServer {
  /** redis://127.0.0.1:<port>/0 */
  url: string;
  port: number;
  pid: number;
  /** SIGTERM, then SIGKILL after stopTimeoutMs; removes the temporary directory. */
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Path of redis-server; found on PATH when absent. */
  binary?: string;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

const MISSING = 'redis-server is not installed (the Redis store tests need it): run scripts/setup';
/** Last bytes of the server's output kept for error messages. */
const OUTPUT_TAIL = 4096;

/** The redis-server executable on PATH (or the usual system directories), if any. */
export function findRedisServer(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin', '/usr/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A port nobody listens on right now (another process may still take it: startRedis retries). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when a server on the port answers PING with +PONG. */
function ping(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const binary = options.binary ?? findRedisServer();
  if (binary === undefined) throw new Error(MISSING);
  let lastFailure = '';
  // A port found free can be taken before redis binds it; a fresh one is tried then.
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = await startOnce(binary, await freePort(), options);
    if ('server' in started) return started.server;
    lastFailure = started.failure;
  }
  throw new Error(`redis-server did not start: ${lastFailure}`);
}

async function startOnce(
  binary: string,
  port: number,
  options: StartRedisOptions,
): Promise<{ server: RedisServer } | { failure: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sidetap-redis-'));
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let spawnError: NodeJS.ErrnoException | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Should the test process die without calling stop(), the server must not outlive it.
  const killOnExit = (): void => {
    if (child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), options.stopTimeoutMs ?? 5_000);
      });
      const stopped = await Promise.race([exited.then(() => true), timeout]);
      clearTimeout(timer);
      if (!stopped) {
        process.kill(child.pid, 'SIGKILL');
        await exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    if (spawnError !== undefined) {
      await stop();
      throw new Error(spawnError.code === 'ENOENT' ? `${MISSING} (no ${binary})` : `cannot run ${binary}: ${spawnError.message}`);
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      return { failure: `exited (${child.exitCode ?? child.signalCode}) on port ${port}: ${output.trim()}` };
    }
    if (child.pid !== undefined && (await ping(port))) {
      const pid = child.pid;
      return { server: { url: `redis://127.0.0.1:${port}/0`, port, pid, stop } };
    }
    await sleep(20);
  }
  await stop();
  return { failure: `no answer to PING on port ${port} within the start timeout: ${output.trim()}` };
}
