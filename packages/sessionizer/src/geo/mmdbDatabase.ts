// One MaxMind DB file: checked at start-up, read into memory only when first asked, so a
// capture holding only IPv4 clients never pays for the IPv6 file (and the reverse).
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { ConfigError } from '@sidetap/core';
import { Reader } from 'mmdb-lib';
import type { Response } from 'mmdb-lib';

// The metadata section sits in the last 128 KiB of every MaxMind DB file, after this marker.
const METADATA_MARKER = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'); // \xAB\xCD\xEF + "MaxMind.com"
const METADATA_MAX_BYTES = 128 * 1024;
const DATA_SECTION_SEPARATOR_BYTES = 16;

/** The option that chose a file, and the end of an error sentence saying how to put it right. */
export interface FileSource {
  readonly option: string;
  readonly remedy: string;
}

export class GeoDatabaseUnavailable extends Error {
  override readonly name = 'GeoDatabaseUnavailable';
}

export class MmdbDatabase {
  private reader: Reader<Response> | undefined;
  private failure: string | undefined;

  /**
   * Checks the file now, so a wrong path fails at start-up with one sentence naming the file and
   * the option (`source` says which option chose the file and what to do), and defers the read of
   * the whole file to the first lookup.
   */
  constructor(
    readonly file: string,
    private readonly source: FileSource,
    /** Told once, when the file fails to load after passing the start-up check. */
    private readonly onLoadFailure: (message: string) => void,
  ) {
    checkMmdbFile(file, source);
  }

  /** The decoded record for an address (null when the database has none); throws GeoDatabaseUnavailable once loading failed. */
  get(ip: string, family: 4 | 6): unknown {
    const reader = this.reader ?? this.load();
    // An IPv4-only tree walked with 128 bits would answer with whatever the first 32 bits reach.
    if (family === 6 && reader.metadata.ipVersion === 4) return null;
    return reader.get(ip);
  }

  private load(): Reader<Response> {
    if (this.failure !== undefined) throw new GeoDatabaseUnavailable(this.failure);
    try {
      const buffer = readFileSync(this.file);
      const reader = new Reader<Response>(buffer);
      // mmdb-lib trusts the metadata; a file cut short would send lookups past its end.
      if (reader.metadata.searchTreeSize + DATA_SECTION_SEPARATOR_BYTES > buffer.length) throw new Error('search tree runs past the end of the file');
      this.reader = reader;
      return reader;
    } catch (err) {
      this.failure = `${this.file}: cannot be loaded (${(err as Error).message}); ${this.source.remedy}.`;
      this.onLoadFailure(this.failure);
      throw new GeoDatabaseUnavailable(this.failure);
    }
  }
}

/** Throws a ConfigError unless `file` is a readable file ending in a MaxMind DB metadata section. */
export function checkMmdbFile(file: string, source: FileSource): void {
  const fail = (what: string): ConfigError => new ConfigError(`${file}: ${what}; ${source.remedy}.`, file, source.option);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'file not found' : `cannot be opened (${code ?? (err as Error).message})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw fail('not a file');
    const length = Math.min(stat.size, METADATA_MAX_BYTES);
    const tail = Buffer.alloc(length);
    readSync(fd, tail, 0, length, stat.size - length);
    if (tail.lastIndexOf(METADATA_MARKER) < 0) throw fail('not a MaxMind DB file (no metadata section found)');
  } finally {
    closeSync(fd);
  }
}
