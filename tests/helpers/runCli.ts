// Runs the sidetap CLI in this process, as `main` does for bin/sidetap.js, with the redaction key
// set for the run (and put back after), capturing what it writes.
import { PassThrough } from 'node:stream';
import { main } from '@sidetap/cli';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], redactionKey: string): Promise<CliRun> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  let stderr = '';
  const saved = process.env.SIDETAP_REDACTION_KEY;
  process.env.SIDETAP_REDACTION_KEY = redactionKey;
  try {
    const code = await main(argv, { stdout, stderr: { isTTY: false, write: (s: string) => ((stderr += s), true) } });
    return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr };
  } finally {
    if (saved === undefined) delete process.env.SIDETAP_REDACTION_KEY;
    else process.env.SIDETAP_REDACTION_KEY = saved;
  }
}
