// `npx tsx scripts/kibana/writeSavedObjects.ts`: rewrites deploy/kibana/*.ndjson from the
// definitions here; tests/kibanaSavedObjects.test.ts fails while the committed files differ.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KIBANA_DIR, renderKibanaFiles } from './kibanaFiles';

const dir = join(__dirname, '../..', KIBANA_DIR);
mkdirSync(dir, { recursive: true });
const files = renderKibanaFiles();
// A dashboard renamed or dropped here must not linger as a stale file that setup still imports.
for (const name of readdirSync(dir)) if (name.endsWith('.ndjson') && !(name in files)) rmSync(join(dir, name));
for (const [name, text] of Object.entries(files)) {
  writeFileSync(join(dir, name), text);
  process.stdout.write(`wrote ${KIBANA_DIR}/${name}\n`);
}
