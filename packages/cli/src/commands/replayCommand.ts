// `sidetap replay <file>...`: runs captures through the pipeline and reports what it found. For now
// the pipeline is the capture stage; later stages join behind it without changing this command.
import { parseCommandArgs, stringOption } from '../args';
import { runCapture } from '../captureRun';
import { loadCaptureConfig } from '../config';
import { ExchangeTally, tallyText } from '../exchangeTally';
import { checkInputFiles } from '../inputFiles';
import { reportFault, summaryText } from '../summaryText';
import type { CommandIo } from './commandIo';

export const REPLAY_USAGE = 'sidetap replay <capture>... [--config sidetap.json] [--store DIR] [--json]';

export async function replayCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('replay', argv, {
    config: { type: 'string' },
    store: { type: 'string' },
    json: { type: 'boolean' },
  });
  checkInputFiles('replay', args.positionals);
  const config = loadCaptureConfig(stringOption(args, 'config'));
  const tally = new ExchangeTally();
  const result = await runCapture(args.positionals, {
    config,
    storeDir: stringOption(args, 'store') ?? '.sidetap',
    onExchange: (ex) => tally.add(ex),
    stderr: io.stderr,
  });
  const { fault, ...summary } = result.summary;
  if (args.values['json'] === true) {
    const doc = { ...summary, seconds: result.seconds, traffic: tally.report(), ...(fault ? { fault: fault.message } : {}) };
    io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  } else {
    io.stdout.write(`sidetap replay: ${args.positionals.join(', ')}\n`);
    io.stdout.write(tallyText(tally.report()));
    io.stderr.write(summaryText('replay', result.summary, result.seconds));
  }
  return reportFault('replay', result.summary, io);
}
