// Records real traffic: tcpdump on the loopback interface while a real Node HTTP server and
// client talk, so tests can compare sidetap's exchanges with what the client really sent and got.
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export function canCaptureLoopback(): { ok: boolean; why: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'live loopback capture needs root (tcpdump on lo)' };
  try {
    execFileSync('tcpdump', ['--version'], { stdio: 'ignore' });
  } catch {
    return { ok: false, why: 'tcpdump is not installed; run scripts/setup as root' };
  }
  return { ok: true, why: '' };
}

export class LoopbackRecorder {
  private proc: ChildProcess | undefined;
  /** What tcpdump said, including its closing packet and drop counts. */
  log = '';

  constructor(private readonly file: string, private readonly port: number) {}

  /** Starts tcpdump and resolves once it is listening, so no early packet is missed. */
  async start(): Promise<void> {
    const proc = spawn('tcpdump', ['-i', 'lo', '--immediate-mode', '-B', '65536', '-U', '-s', '0', '-w', this.file, `tcp port ${this.port}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.proc = proc;
    await new Promise<void>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${err}`)), 10_000);
      proc.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
        this.log += d.toString();
        if (err.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`tcpdump exited (${code}): ${err}`));
      });
    });
  }

  /** Stops tcpdump (by its PID) after the last packets had time to be written. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGINT');
    await exited;
  }

  /** Packets tcpdump's kernel buffer dropped (on lo the filter sees each packet twice, so "received" is not compared). */
  get droppedByKernel(): number {
    const dropped = /(\d+) packets? dropped by kernel/.exec(this.log)?.[1];
    if (dropped === undefined) throw new Error(`tcpdump reported no statistics: ${this.log}`);
    return Number(dropped);
  }
}
