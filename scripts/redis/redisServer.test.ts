// The test Redis launcher: it answers, it is gone after stop(), and a missing binary says what to run.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { startRedis } from './redisServer';

function send(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(command));
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.endsWith('\r\n')) {
        socket.destroy();
        resolve(reply);
      }
    });
    socket.once('error', reject);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startRedis', () => {
  it('starts an empty, non-persisting server on a free local port and stops it by PID', async () => {
    const server = await startRedis();
    try {
      expect(server.url).toBe(`redis://127.0.0.1:${server.port}/0`);
      expect(await send(server.port, 'PING\r\n')).toBe('+PONG\r\n');
      expect(await send(server.port, 'DBSIZE\r\n')).toBe(':0\r\n');
      expect(await send(server.port, 'CONFIG GET save\r\n')).toContain('$0\r\n');
      expect(await send(server.port, 'CONFIG GET appendonly\r\n')).toContain('no');
      const dir = (await send(server.port, 'CONFIG GET dir\r\n')).split('\r\n')[4]!;
      expect(existsSync(dir)).toBe(true);
      await server.stop();
      expect(alive(server.pid)).toBe(false);
      expect(existsSync(dir)).toBe(false);
    } finally {
      await server.stop();
    }
  });

  it('kills a server that ignores SIGTERM once the stop timeout passes', async () => {
    const server = await startRedis({ stopTimeoutMs: 200 });
    process.kill(server.pid, 'SIGSTOP'); // a stopped process cannot act on SIGTERM
    await server.stop();
    expect(alive(server.pid)).toBe(false);
  });

  it('fails, naming scripts/setup, when redis-server is missing', async () => {
    await expect(startRedis({ binary: '/nonexistent/redis-server' })).rejects.toThrow(/run scripts\/setup/);
  });
});
