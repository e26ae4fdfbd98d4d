// Checks every capture file named on the command line before any is read, so a typo in the
// third name does not surface only after the first two were processed.
import { accessSync, constants, statSync } from 'node:fs';
import { UsageError } from './usageError';

export function checkInputFiles(command: string, files: readonly string[]): void {
  if (files.length === 0) throw new UsageError(`sidetap ${command}: name at least one capture file (pcap, pcapng, or either gzipped).`);
  for (const file of files) {
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
      accessSync(file, constants.R_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? 'error'})`}.`);
    }
    if (!isFile) throw new UsageError(`${file}: is not a regular file.`);
  }
}
