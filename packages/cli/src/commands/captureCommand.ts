// `sidetap capture <file>... --ndjson`: exchanges only, one ECS JSON document per line on stdout,
// the summary on stderr.
import { parseCommandArgs, stringOption } from '../args';
import { checkpoint } from '../commandCheck';
import { runCapture, runParallelCapture } from '../captureRun';
import type { CaptureRunResult } from '../captureRun';
import { chooseCaptureWorkers } from '../captureWorkers';
import { anyHarInput } from '../runner/captureInputs';
import { loadSidetapConfig } from '../sidetapConfig';
import { checkInputFiles } from '../inputFiles';
import { NdjsonWriter } from '../ndjsonWriter';
import { reportFault, summaryText } from '../summaryText';
import { UsageError } from '../usageError';
import type { CommandIo } from './commandIo';

export const CAPTURE_USAGE = 'sidetap capture <capture|file.har>... [--ndjson] [--workers N] [--config sidetap.yaml] [--store DIR] [--quiet]';

export async function captureCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('capture', argv, {
    ndjson: { type: 'boolean' },
    workers: { type: 'string' },
    config: { type: 'string' },
    store: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  });
  checkInputFiles('capture', args.positionals);
  const workers = await workersFor(stringOption(args, 'workers'), args.positionals);
  const { capture: config, actor } = loadSidetapConfig(stringOption(args, 'config'));
  const storeDir = stringOption(args, 'store') ?? '.sidetap';
  checkpoint(io, 'capture', storeDir);
  let result: CaptureRunResult;
  try {
    if (workers > 1) {
      result = await runParallelCapture(args.positionals, { config, actor, storeDir, workers, output: io.stdout, stderr: io.stderr });
    } else {
      const writer = new NdjsonWriter(io.stdout);
      result = await runCapture(args.positionals, {
        config,
        actor,
        storeDir,
        onExchange: (ex) => writer.write(ex),
        drain: () => writer.drain(),
        stderr: io.stderr,
      });
      await writer.end();
    }
  } catch (err) {
    // The reader went away (`sidetap capture big.pcap | head`): it has all it wanted, so stop
    // quietly, as Unix tools do on a closed pipe.
    if (isBrokenPipe(err)) return 0;
    throw err;
  }
  if (args.values['quiet'] !== true) io.stderr.write(summaryText('capture', result.summary, result.seconds));
  return reportFault('capture', result.summary, io);
}

/** chooseCaptureWorkers, except that HAR files are read whole in one thread (--workers above 1 is refused with one). */
async function workersFor(option: string | undefined, files: readonly string[]): Promise<number> {
  const workers = chooseCaptureWorkers(option, files);
  if (workers === 1 || !(await anyHarInput(files))) return workers;
  if (option !== undefined) throw new UsageError('sidetap capture: --workers above 1 needs packet captures only; HAR files are read in one thread.');
  return 1;
}

function isBrokenPipe(err: unknown): boolean {
  for (let e: unknown = err; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') return true;
  }
  return false;
}
