/**
 * Reads the payload corpora under fixtures/payloads/xss: one value per line, `#` lines are
 * comments, and `\n`, `\t`, `\0` stand for newline, tab and NUL so a value can hold them.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CORPUS_DIR = join(__dirname, '../../../../../fixtures/payloads/xss');

export function readCorpus(name: string): string[] {
  return readFileSync(join(CORPUS_DIR, name), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.replace(/\\[nt0]/g, (e) => (e === '\\n' ? '\n' : e === '\\t' ? '\t' : '\0')));
}
