// `sidetap findings`: the store's findings, filtered by category, severity, actor, endpoint and
// event time, as a table or as the stored NDJSON. Answered from the segments' indexes (no finding
// is parsed), so 100,000 findings list in a few tenths of a second beyond the CLI's own start-up
// (scripts/bench/findingsBench.mjs).
import { existsSync } from 'node:fs';
import { emptyQueryStats, kindDir, queryFindingLines, queryFindingPages } from '@sidetap/indexer';
import type { StoreReadProblem } from '@sidetap/indexer';
import { parseCommandArgs, stringOption } from '../args';
import { FINDINGS_FILTER_OPTIONS, FINDINGS_FILTER_USAGE, findingsFilterOf } from '../findingsFilterOptions';
import { findingsTableHeader, findingsTableLine } from '../findingsTable';
import { storeProblemsText } from '../storeProblems';
import { UsageError } from '../usageError';
import type { CommandIo } from './commandIo';
import { FINDINGS_EXPORT_USAGE, findingsExportCommand } from './findingsExportCommand';

export const FINDINGS_USAGE = `sidetap findings ${FINDINGS_FILTER_USAGE} [--ndjson]\n  ${FINDINGS_EXPORT_USAGE}`;

const FLUSH_AT = 256 * 1024;

export async function findingsCommand(argv: string[], io: CommandIo): Promise<number> {
  if (argv[0] === 'export') return findingsExportCommand(argv.slice(1), io);
  const args = parseCommandArgs('findings', argv, { ...FINDINGS_FILTER_OPTIONS, ndjson: { type: 'boolean' } });
  const [extra] = args.positionals;
  if (extra !== undefined) throw new UsageError(`sidetap findings: unexpected argument "${extra}"; see \`sidetap help\`.`);
  const store = stringOption(args, 'store') ?? '.sidetap';
  const filter = findingsFilterOf(args, store);
  if (filter === undefined) return nothing(io, store);

  const ndjson = args.values['ndjson'] === true;
  const out = new ChunkedOutput(io.stdout);
  const stats = emptyQueryStats();
  const problems: StoreReadProblem[] = [];
  const query = { stats, onProblem: (p: StoreReadProblem) => problems.push(p) };
  if (ndjson) {
    // The stored lines as written, many to a write.
    for await (const lines of queryFindingLines(store, filter, query)) {
      if (out.closed) break;
      out.add(lines);
      await out.flush();
    }
  } else {
    let first = true;
    for await (const page of queryFindingPages(store, filter, query)) {
      if (out.closed) break;
      if (first) out.add(findingsTableHeader());
      first = false;
      for (const m of page) {
        if (out.closed) break;
        out.add(findingsTableLine(m));
        if (out.pending >= FLUSH_AT) await out.flush();
      }
    }
  }
  await out.flush();
  const shown = Math.min(stats.matched, filter.limit ?? Infinity);
  io.stderr.write(storeProblemsText('findings', problems));
  if (stats.matched === 0) return nothing(io, store);
  if (stats.matched > shown) io.stderr.write(`sidetap findings: ${shown} of ${stats.matched} findings shown (--limit).\n`);
  return 0;
}

function nothing(io: CommandIo, store: string): number {
  const where = existsSync(kindDir(store, 'alert')) ? 'match' : 'are stored';
  io.stderr.write(`sidetap findings: no findings ${where} in ${store}.\n`);
  return 0;
}

/** Gathers output into large writes and waits when the reader is slow; stops quietly if it goes away (`| head`). */
class ChunkedOutput {
  private text = '';
  private buffers: Buffer[] = [];
  pending = 0;
  closed = false;
  private failure: Error | undefined;

  constructor(private readonly out: CommandIo['stdout']) {
    out.on('error', (err: NodeJS.ErrnoException) => {
      this.closed = true;
      if (err.code !== 'EPIPE') this.failure = err;
    });
  }

  /** Table lines are strings, NDJSON comes as buffers; one command writes only one kind. */
  add(part: Buffer | string): void {
    if (typeof part === 'string') this.text += part;
    else this.buffers.push(part);
    this.pending += part.length;
  }

  async flush(): Promise<void> {
    if (this.failure !== undefined) throw new Error(`sidetap findings: cannot write the output: ${this.failure.message}`);
    if (this.pending === 0 || this.closed) return;
    const chunk = this.buffers.length === 0 ? this.text : this.buffers.length === 1 ? this.buffers[0]! : Buffer.concat(this.buffers);
    this.text = '';
    this.buffers = [];
    this.pending = 0;
    if (!this.out.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.out.off('drain', done);
          this.out.off('close', done);
          resolve();
        };
        this.out.once('drain', done);
        this.out.once('close', done);
      });
    }
  }
}
