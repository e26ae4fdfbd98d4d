// Records real traffic: tcpdump on the loopback interface while a real Node HTTP server and
// client talk, so tests can compare sidetap's exchanges with what the client really sent and got.
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export function canCaptureLoopback(): { ok: boolean; why: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'live loopback capture needs root (tcpdump and dumpcap on lo)' };
  for (const tool of ['tcpdump', 'dumpcap']) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
    } catch {
      return { ok: false, why: `${tool} is not installed; run scripts/setup as root` };
    }
  }
  return { ok: true, why: '' };
}

/** The recording tools: tcpdump writes classic pcap through libpcap, dumpcap (Wireshark's) pcapng. */
export type RecorderTool = 'tcpdump' | 'dumpcap';

interface ToolSpec {
  args(file: string, port: number): string[];
  /** Printed on stderr once the tool is capturing. */
  ready: string;
  /** Captures the number of packets the kernel dropped from the tool's closing statistics. */
  dropped: RegExp;
  /** dumpcap says it is capturing before its filter is attached: wait this long more. */
  settleMs: number;
}

const TOOLS: Record<RecorderTool, ToolSpec> = {
  tcpdump: {
    args: (file, port) => ['-i', 'lo', '--immediate-mode', '-B', '65536', '-U', '-s', '0', '-w', file, `tcp port ${port}`],
    ready: 'listening on',
    dropped: /(\d+) packets? dropped by kernel/,
    settleMs: 0,
  },
  dumpcap: {
    args: (file, port) => ['-i', 'lo', '-B', '64', '-f', `tcp port ${port}`, '-w', file, '-q'],
    ready: 'Capturing on',
    dropped: /received\/dropped on interface '.*?': \d+\/(\d+)/,
    settleMs: 1000,
  },
};

export class LoopbackRecorder {
  private proc: ChildProcess | undefined;
  /** What the tool said, including its closing packet and drop counts. */
  log = '';

  constructor(
    private readonly file: string,
    private readonly port: number,
    private readonly tool: RecorderTool = 'tcpdump',
  ) {}

  /** Starts the tool and resolves once it is capturing, so no early packet is missed. */
  async start(): Promise<void> {
    const spec = TOOLS[this.tool];
    const proc = spawn(this.tool, spec.args(this.file, this.port), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    await new Promise<void>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`${this.tool} did not start: ${err}`)), 10_000);
      proc.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
        this.log += d.toString();
        if (err.includes(spec.ready)) {
          clearTimeout(timer);
          setTimeout(resolve, spec.settleMs);
        }
      });
      proc.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.tool} exited (${code}): ${err}`));
      });
    });
  }

  /** Stops the tool (by its PID) after the last packets had time to be written. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGINT');
    await exited;
  }

  /** Packets the kernel dropped before the tool read them (on lo tcpdump's filter sees each packet twice, so "received" is not compared). */
  get droppedByKernel(): number {
    const dropped = TOOLS[this.tool].dropped.exec(this.log)?.[1];
    if (dropped === undefined) throw new Error(`${this.tool} reported no statistics: ${this.log}`);
    return Number(dropped);
  }
}
