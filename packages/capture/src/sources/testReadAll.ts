// Test helper for the reader tests: writes bytes to a temporary file and reads every packet back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCaptureFileInChunks } from './readCaptureFile';

export interface Got {
  tsUs: number;
  linktype: number;
  data: string;
  origLen: number;
  iface: number;
  fileOffset: number;
}

/** A reader over a fresh temporary directory, removed by cleanup(). */
export function packetReader(prefix: string): {
  readAll(bytes: Buffer, chunk?: number, maxPacketBytes?: number): Promise<{ got: Got[]; error: unknown }>;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let n = 0;
  return {
    async readAll(bytes, chunk = 1 << 20, maxPacketBytes) {
      const file = join(dir, `f${n++}`);
      writeFileSync(file, bytes);
      const got: Got[] = [];
      let error: unknown = null;
      try {
        await readCaptureFileInChunks(
          file,
          (p) => {
            got.push({ tsUs: p.tsUs, linktype: p.linktype, data: p.buf.toString('hex', p.offset, p.offset + p.caplen), origLen: p.origLen, iface: p.iface, fileOffset: p.fileOffset });
          },
          maxPacketBytes === undefined ? {} : { maxPacketBytes },
          chunk,
        );
      } catch (err) {
        error = err;
      }
      return { got, error };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
