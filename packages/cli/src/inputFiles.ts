// Checks every capture file named on the command line before any is read, so a typo in the
// third name does not surface only after the first two were processed. `-` is standard input.
import { accessSync, constants, statSync } from 'node:fs';
import { STDIN_FILE } from '@sidetap/capture';
import { UsageError } from './usageError';

export function checkInputFiles(command: string, files: readonly string[]): void {
  if (files.length === 0) throw new UsageError(`sidetap ${command}: name at least one capture file (pcap, pcapng or HAR, or any of them gzipped).`);
  if (files.filter((f) => f === STDIN_FILE).length > 1) throw new UsageError(`sidetap ${command}: standard input (-) can be named once.`);
  for (const file of files) {
    if (file === STDIN_FILE) continue;
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
