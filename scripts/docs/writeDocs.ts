// `npm run docs`: writes the generated reference docs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DOCS } from './renderDocs';

for (const [file, render] of Object.entries(GENERATED_DOCS)) {
  writeFileSync(join(__dirname, '../..', file), render());
  process.stdout.write(`wrote ${file}\n`);
}
