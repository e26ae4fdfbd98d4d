// The bench captures: generated once per size into bench-out/ (gitignored) and reused.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
export const OUT_DIR = join(ROOT, 'bench-out');

/** bench-out/bench-<n>.pcap with n exchanges, generated when missing. */
export function benchCapture(n) {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `bench-${n}.pcap`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} (${n} exchanges)...\n`);
    execFileSync(process.execPath, [join(ROOT, 'scripts/fixtures/generate.mjs'), '--bench', String(n), '--out', file], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return file;
}
