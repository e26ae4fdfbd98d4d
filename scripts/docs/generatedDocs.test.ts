// The committed reference docs are exactly what the code renders, so they cannot drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DOCS } from './renderDocs';

describe('generated docs', () => {
  it.each(Object.keys(GENERATED_DOCS))('%s is up to date (run `npm run docs`)', (file) => {
    const render = GENERATED_DOCS[file];
    expect(readFileSync(join(__dirname, '../..', file), 'utf8')).toBe(render?.());
  });
});
