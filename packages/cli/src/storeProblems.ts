// What a command says about store lines it skipped while reading: a torn last line (a write cut
// short by a crash) or a damaged one, each named by file and byte offset, the first few in full.
import type { StoreReadProblem } from '@sidetap/indexer';

const NAMED = 3;

export function storeProblemsText(command: string, problems: readonly StoreReadProblem[]): string {
  let text = '';
  for (const p of problems.slice(0, NAMED)) {
    const what = p.reason === 'torn_tail' ? 'a torn last line (a write cut short)' : 'a damaged line (not a JSON object)';
    text += `sidetap ${command}: skipped ${what} in ${p.file} at byte offset ${p.offset}.\n`;
  }
  if (problems.length > NAMED) text += `sidetap ${command}: skipped ${problems.length - NAMED} more unreadable lines.\n`;
  return text;
}
