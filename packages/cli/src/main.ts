// The `sidetap` command: dispatches to subcommands and maps failures to exit statuses
// (0 success, 2 bad usage or bad input, 1 a bug).
import { CAPTURE_USAGE, captureCommand } from './commands/captureCommand';
import type { CommandIo } from './commands/commandIo';
import { KAFKA_USAGE, kafkaCommand } from './commands/kafkaCommand';
import { MODELS_USAGE, modelsCommand } from './commands/modelsCommand';
import { REPLAY_USAGE, replayCommand } from './commands/replayCommand';
import { RUN_USAGE, runCommand } from './commands/runCommand';
import { TIMELINE_USAGE, timelineCommand } from './commands/timelineCommand';
import { UsageError } from './usageError';

const HELP = `sidetap: out-of-band API security analyzer

usage:
  ${REPLAY_USAGE}
      Replay captures through the whole pipeline in this process (no server needed) and report
      what it found; events and findings go to the store directory.
  ${CAPTURE_USAGE}
      Print one ECS JSON document per HTTP exchange (NDJSON) on stdout; summary on stderr.
      --workers N  threads, each rebuilding a share of the connections (default: the CPUs, at
      most 4; 1 = single-threaded). Without --workers, inputs of 8 MB or less run in one
      thread: starting workers (~50-100 ms) costs more than they save there.
  ${TIMELINE_USAGE}
      One actor's sessions and requests from the store (after replay): a user name or id, a
      timeline or actor key, a token hash, or an IP address.
  ${MODELS_USAGE}
      Replay a labelled capture (labels: scripts/fixtures/incidents/README.md) and print recall,
      precision and time to detect per category.
  ${RUN_USAGE}
      Run one stage as its own process over Kafka (the distributed mode); /metrics and /healthz
      on --metrics (default 127.0.0.1:9461-9465 by stage). Stops cleanly on SIGINT/SIGTERM.
  ${KAFKA_USAGE}
      Create the pipeline's topics (sidetap.exchanges, .events, .sessions, .findings).
  sidetap help

Captures: pcap (micro- or nanosecond, either byte order), pcapng, and either gzipped;
- reads standard input (tcpdump -w - | sidetap capture - --ndjson).
--store DIR (default ./.sidetap) holds the key secrets in traffic are hashed with, and the
embedded store (events.ndjson, findings.ndjson).
--config FILE: one YAML or JSON file; SIDETAP_<SECTION>__<KEY> variables override it.
`;

const COMMANDS: Record<string, (argv: string[], io: CommandIo) => Promise<number>> = {
  capture: captureCommand,
  kafka: kafkaCommand,
  models: modelsCommand,
  replay: replayCommand,
  run: runCommand,
  timeline: timelineCommand,
};

export async function main(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    io.stderr.write(`sidetap: unknown command "${command}"; run \`sidetap help\` for the list.\n`);
    return 2;
  }
  try {
    return await run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
