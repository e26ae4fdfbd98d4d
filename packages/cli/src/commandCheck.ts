// `sidetap --check <command> ...`: the command's own parsing and validation (flags, the config
// with its environment, the files it names) runs as in a real run, and stops where the command
// would first open a socket, a store or an output, so a deployment's command line can be checked
// without the services it talks to (tests/deployExamples.test.ts checks deploy/ this way).
import type { CommandIo } from './commands/commandIo';
import { checkRedactionKey } from './redactionKey';

/** The commands that call checkpoint(); `--check` refuses the others rather than run them for real. */
export const CHECKED_COMMANDS: readonly string[] = ['capture', 'collect', 'es', 'kafka', 'replay', 'run'];

/** Thrown at the checkpoint of a check run; main prints its message and exits 0. */
export class CheckPassed extends Error {
  override readonly name = 'CheckPassed';
  constructor(label: string) {
    super(`ok: sidetap ${label}`);
  }
}

/**
 * Where a command has validated everything it can without I/O: a check run ends here. A command
 * that hashes secrets names its store (`keyStore`), so the check also refuses the redaction key the
 * run would refuse, without making one.
 */
export function checkpoint(io: CommandIo, label: string, keyStore?: string): void {
  if (io.check !== true) return;
  if (keyStore !== undefined) checkRedactionKey(keyStore);
  throw new CheckPassed(label);
}
