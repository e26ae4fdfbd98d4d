import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { HttpExchange } from '@sidetap/core';
import { defaultCaptureConfig } from '../../captureConfig';
import { CaptureFileError } from '../captureFileError';
import { isHarFile, isHarFileName } from './harInput';
import { readHarFile } from './readHarFile';
import { fixture, testRedactor } from './testMirror';

const dir = mkdtempSync(join(tmpdir(), 'sidetap-har-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, content: string | Buffer): string => {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
};
const options = (into: HttpExchange[]) => ({ config: defaultCaptureConfig(), redactor: testRedactor, onExchange: (x: HttpExchange) => into.push(x) });

describe('isHarFile', () => {
  it('knows a HAR by its name, or by a JSON object at its start (after gunzip, a BOM or white space)', async () => {
    const har = fixture('browser-session.har');
    expect(isHarFileName('a.HAR')).toBe(true);
    expect(isHarFileName('a.har.gz')).toBe(true);
    expect(isHarFileName('a.pcap')).toBe(false);
    expect(await isHarFile(write('plain.json', har))).toBe(true);
    expect(await isHarFile(write('zipped.bin', gzipSync(har)))).toBe(true);
    expect(await isHarFile(write('bom.txt', Buffer.concat([Buffer.from('\ufeff \n\t'), har])))).toBe(true);
    // Packet captures, arrays, text, an empty file and a missing one go to the packet reader.
    expect(await isHarFile(write('cap.pcap', Buffer.from('d4c3b2a102000400', 'hex')))).toBe(false);
    expect(await isHarFile(write('cap.gz', gzipSync(Buffer.from('0a0d0d0a1c000000', 'hex'))))).toBe(false);
    expect(await isHarFile(write('list.json', '[{"log":{}}]'))).toBe(false);
    expect(await isHarFile(write('empty', ''))).toBe(false);
    expect(await isHarFile(join(dir, 'missing'))).toBe(false);
  });
});

describe('readHarFile', () => {
  it('reads a gzipped HAR as the plain one, emitting entries in start order and draining as it goes', async () => {
    const doc = JSON.parse(fixture('browser-session.har').toString()) as { log: { entries: Array<{ startedDateTime: string }> } };
    doc.log.entries.reverse();
    const text = JSON.stringify(doc);
    const plain: HttpExchange[] = [];
    await readHarFile(write('reversed.har', text), options(plain));
    const times = plain.map((x) => x['@timestamp']);
    expect(times).toEqual([...times].sort());
    const zipped: HttpExchange[] = [];
    let drains = 0;
    const summary = await readHarFile(write('reversed.har.gz', gzipSync(text)), { ...options(zipped), drain: () => void drains++ });
    expect(zipped.map((x) => x.event.id)).toEqual(plain.map((x) => x.event.id));
    expect(summary).toMatchObject({ entries: 4, exchanges: 4, fileBytes: gzipSync(text).length });
    expect(drains).toBeGreaterThan(0);
  });

  it('names the file and the decompressed offset of a truncated gzipped HAR', async () => {
    const zipped = gzipSync(fixture('browser-session.har'));
    const file = write('cut.har.gz', zipped.subarray(0, Math.floor(zipped.length / 2)));
    const got: HttpExchange[] = [];
    const err = (await readHarFile(file, options(got)).catch((e: unknown) => e)) as CaptureFileError;
    expect(err).toBeInstanceOf(CaptureFileError);
    expect(err.message).toMatch(new RegExp(`^${file}: is not valid gzip \\(unexpected end of file\\) at byte offset \\d+$`));
    expect(err.offset).toBeGreaterThan(0);
    expect(got).toEqual([]);
  });

  it('says a JSON document without log.entries is not a HAR, at byte offset 0', async () => {
    const file = write('other.json', '{"entries": []}');
    await expect(readHarFile(file, options([]))).rejects.toThrow(new CaptureFileError(file, 0, 'not a HAR document (no log.entries list)'));
  });
});
