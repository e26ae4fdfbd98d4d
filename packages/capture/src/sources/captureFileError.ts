// A capture file that cannot be read further: names the file and the byte offset of the fault.

export class CaptureFileError extends Error {
  constructor(
    readonly file: string,
    /** Offset in the decompressed byte stream (the file itself when it is not compressed). */
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`${file}: ${reason} at byte offset ${offset}`);
    this.name = 'CaptureFileError';
  }
}
