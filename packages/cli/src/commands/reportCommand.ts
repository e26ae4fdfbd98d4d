// `sidetap report`: one self-contained HTML page of what the store holds — charts of the findings
// and the evidence of the riskiest incidents — that opens offline in any browser. The store is
// streamed once, findings then sessions, into aggregates and a bounded evidence sample.
import { open, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { kindExists, newestFindingTime, readStoreRecords, STORE_KINDS } from '@sidetap/indexer';
import type { StoreReadProblem } from '@sidetap/indexer';
import { parseCommandArgs, stringOption } from '../args';
import { ReportAggregator } from '../report/reportAggregator';
import { reportLimitsSchema } from '../report/reportLimits';
import { renderReport } from '../report/renderReport';
import { parseTimeOrAge } from '../timeOption';
import { storeProblemsText } from '../storeProblems';
import { UsageError } from '../usageError';
import type { CommandIo } from './commandIo';

export const REPORT_USAGE = 'sidetap report --out FILE [--store DIR] [--since T] [--until T]';

const NAMED_PROBLEMS = 3;

export async function reportCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('report', argv, {
    store: { type: 'string' },
    out: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
  });
  const [extra] = args.positionals;
  if (extra !== undefined) throw new UsageError(`sidetap report: unexpected argument "${extra}" (${REPORT_USAGE}).`);
  const out = stringOption(args, 'out');
  if (out === undefined || out === '') throw new UsageError(`sidetap report: --out FILE is required, the HTML page to write (${REPORT_USAGE}).`);
  const store = stringOption(args, 'store') ?? '.sidetap';
  const sinceText = stringOption(args, 'since');
  const untilText = stringOption(args, 'until');
  // Checked before the store is read, so a bad flag is reported as one even on an empty store.
  const since = sinceText === undefined ? undefined : parseTimeOrAge('--since', sinceText);
  const until = untilText === undefined ? undefined : parseTimeOrAge('--until', untilText);
  await checkStore(store);
  if (since?.ago !== undefined || until?.ago !== undefined) {
    // "The last 24 hours" of a capture: before its newest finding, not before now.
    const newest = newestFindingTime(store) ?? NaN;
    if (since?.ago !== undefined) since.ms = newest - since.ago;
    if (until?.ago !== undefined) until.ms = newest - until.ago;
  }
  if (since !== undefined && until !== undefined && until.ms <= since.ms) {
    throw new UsageError(`--until ${untilText}: must be later than --since ${sinceText}.`);
  }
  const range = { sinceMs: finite(since?.ms), untilMs: finite(until?.ms) };
  // Open the output before reading the store, so a path that cannot be written fails at once; the
  // page goes to a temporary file renamed over --out at the end, so a failure never leaves half a
  // page or destroys the previous report.
  const temp = await openOutput(out);

  try {
    const limits = reportLimitsSchema.parse({});
    const aggregate = new ReportAggregator(limits, range);
    // The first few damaged lines are named on stderr; the summary line and the page count them all.
    const problems: StoreReadProblem[] = [];
    const onProblem = (kind: 'finding' | 'session') => (p: StoreReadProblem) => {
      aggregate.unreadable(kind);
      if (problems.length < NAMED_PROBLEMS) problems.push(p);
    };
    for await (const f of readStoreRecords<unknown>(store, 'alert', { onProblem: onProblem('finding') })) aggregate.addFinding(f);
    for await (const s of readStoreRecords<unknown>(store, 'session', { onProblem: onProblem('session') })) aggregate.addSession(s);
    const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
    const data = aggregate.finish({ source: store, since: iso(range.sinceMs), until: iso(range.untilMs) });
    const html = renderReport(data);
    await temp.handle.writeFile(html, 'utf8');
    await temp.handle.close();
    await rename(temp.path, out);
    io.stderr.write(
      `sidetap report: ${count(data.findings.total, 'finding')}, ${count(data.incidents.total, 'incident')}, ${count(data.sessions.total, 'session')} → ${out} (${Math.ceil(Buffer.byteLength(html) / 1024)} KiB)` +
        `${data.findings.skipped + data.sessions.skipped > 0 ? `; ${data.findings.skipped + data.sessions.skipped} unreadable records left out` : ''}.\n`,
    );
    io.stderr.write(storeProblemsText('report', problems));
    return 0;
  } catch (err) {
    await temp.handle.close().catch(() => undefined);
    await unlink(temp.path).catch(() => undefined);
    throw err;
  }
}

/** An age resolved against a store with no findings gives NaN: no bound then, the page says "no findings". */
function finite(ms: number | undefined): number | undefined {
  return ms !== undefined && Number.isFinite(ms) ? ms : undefined;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

async function checkStore(store: string): Promise<void> {
  const s = await stat(store).catch(() => undefined);
  if (s === undefined) throw new UsageError(`--store ${store}: no such directory; run \`sidetap replay <capture> --store ${store}\` first.`);
  if (!s.isDirectory()) throw new UsageError(`--store ${store}: not a directory; name the store directory a replay wrote.`);
  if (!STORE_KINDS.some((kind) => kindExists(store, kind))) {
    throw new UsageError(`--store ${store}: holds no findings, sessions or events; run \`sidetap replay <capture> --store ${store}\` first.`);
  }
}

async function openOutput(out: string): Promise<{ path: string; handle: Awaited<ReturnType<typeof open>> }> {
  const existing = await stat(out).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`--out ${out}: is a directory; name the HTML file to write.`);
  const path = join(dirname(out), `.${process.pid}.sidetap-report.tmp`);
  try {
    return { path, handle: await open(path, 'w') };
  } catch (err) {
    throw new UsageError(`--out ${out}: cannot write the report there (${why(err)}).`);
  }
}

function why(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'its directory does not exist';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return code ?? (err as Error).message;
  }
}
