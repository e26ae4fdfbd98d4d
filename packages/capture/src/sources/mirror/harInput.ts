// Whether a file named as a capture is a HAR: by its name (.har, .har.gz), else by its first byte
// (after gunzip for a gzipped file): a HAR is a JSON object, and no packet capture format starts
// with `{`. Only the first few kilobytes are read.
import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';

const SNIFF_BYTES = 4096;
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Named as a HAR (`session.har`, `session.har.gz`), whatever it holds. */
export const isHarFileName = (file: string): boolean => /\.har(\.gz)?$/i.test(file);

/** Whether `bytes` (a file's or decompressed stream's first bytes) begin with gzip's magic. */
export const isGzipHead = (bytes: Uint8Array): boolean => bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];

/**
 * Whether `file` is a HAR, to be read by readHarFile instead of the packet reader. A file that
 * cannot be opened is not one: the packet reader then reports it with its byte offset.
 */
export async function isHarFile(file: string): Promise<boolean> {
  if (isHarFileName(file)) return true;
  let head: Buffer;
  try {
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
  if (isGzipHead(head)) head = gunzipHead(head);
  return startsJsonObject(head);
}

/** As much of a gzip stream's start as `head` decompresses to (nothing when it is not gzip). */
function gunzipHead(head: Buffer): Buffer {
  try {
    // A sync flush returns what the bytes given decompress to instead of failing on the cut-off end.
    return gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return Buffer.alloc(0);
  }
}

/** The first byte after any UTF-8 byte order mark and JSON white space is `{`. */
function startsJsonObject(head: Uint8Array): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  return head[i] === 0x7b;
}
