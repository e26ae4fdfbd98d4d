// Starts `sidetap run <stage>` as a separate process, as an operator would, and reads its
// /metrics; stopped by PID (SIGTERM to drain, SIGKILL to simulate a crash).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '../../packages/cli/bin/sidetap.js');

export interface StageProcess {
  child: ChildProcess;
  stderr(): string;
  /** Resolves with the stage's /metrics URL once it is consuming. */
  ready: Promise<string>;
  counter(name: string): Promise<number>;
  /** SIGTERM and wait for the exit status. */
  stop(): Promise<number | null>;
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

export function startStage(args: string[], env: NodeJS.ProcessEnv): StageProcess {
  const child = spawn(process.execPath, [BIN, 'run', ...args, '--metrics', '127.0.0.1:0'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /metrics on (http:\/\/[^\s]+)\/metrics/.exec(err);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`sidetap run ${args[0]} exited with ${code}: ${err.slice(-2000)}`)));
  });
  return {
    child,
    stderr: () => err,
    ready,
    exited,
    async counter(name) {
      const url = await ready;
      const text = await (await fetch(`${url}/metrics`)).text();
      let sum = 0;
      for (const line of text.split('\n')) {
        if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
      return sum;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
