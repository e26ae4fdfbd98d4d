// `sidetap capture <file>... --ndjson`: exchanges only, one ECS JSON document per line on stdout,
// the summary on stderr.
import { parseCommandArgs, stringOption } from '../args';
import { runCapture } from '../captureRun';
import { loadCaptureConfig } from '../config';
import { checkInputFiles } from '../inputFiles';
import { NdjsonWriter } from '../ndjsonWriter';
import { reportFault, summaryText } from '../summaryText';
import type { CommandIo } from './commandIo';

export const CAPTURE_USAGE = 'sidetap capture <capture>... [--ndjson] [--config sidetap.json] [--store DIR] [--quiet]';

export async function captureCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('capture', argv, {
    ndjson: { type: 'boolean' },
    config: { type: 'string' },
    store: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  });
  checkInputFiles('capture', args.positionals);
  const config = loadCaptureConfig(stringOption(args, 'config'));
  const writer = new NdjsonWriter(io.stdout);
  const result = await runCapture(args.positionals, {
    config,
    storeDir: stringOption(args, 'store') ?? '.sidetap',
    onExchange: (ex) => writer.write(ex),
    drain: () => writer.drain(),
    stderr: io.stderr,
  });
  await writer.end();
  if (args.values['quiet'] !== true) io.stderr.write(summaryText('capture', result.summary, result.seconds));
  return reportFault('capture', result.summary, io);
}
