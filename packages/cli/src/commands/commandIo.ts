// The streams a command talks to, passed in so tests can run commands in-process.
import type { Writable } from 'node:stream';

export interface CommandIo {
  stdout: Writable;
  stderr: NodeJS.WriteStream | { isTTY?: boolean; write(s: string): boolean };
  /** `sidetap --check`: stop at the command's checkpoint, before any socket, store or output is opened. */
  check?: boolean;
}
