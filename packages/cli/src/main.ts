// The `sidetap` command: dispatches to subcommands and maps failures to exit statuses
// (0 success, 2 bad usage or bad input, 1 a bug). A command's module is loaded only when it runs:
// loading them all (the pipeline's stages, the Elasticsearch and Kafka clients) would cost every
// quick command, such as `sidetap findings`, a good part of a second.
import { CHECKED_COMMANDS, CheckPassed } from './commandCheck';
import type { CommandIo } from './commands/commandIo';
import { UsageError } from './usageError';

async function helpText(): Promise<string> {
  const u = await usages();
  return `sidetap: out-of-band API security analyzer

usage:
  ${u.REPLAY_USAGE}
      Replay captures through the whole pipeline in this process (no server needed) and report
      what it found; events and findings go to the store directory.
  ${u.CAPTURE_USAGE}
      Print one ECS JSON document per HTTP exchange (NDJSON) on stdout; summary on stderr.
      --workers N  threads, each rebuilding a share of the connections (default: the CPUs, at
      most 4; 1 = single-threaded). Without --workers, standard input and inputs of 8 MB
      or less run in one thread: starting workers (~50-100 ms) costs more than they save there.
  ${u.COLLECT_USAGE}
      Live traffic through the whole pipeline, from several sources at once: an interface
      (libpcap; root or CAP_NET_RAW), VXLAN/GENEVE cloud mirroring, gateway mirror streams.
      Stops on SIGINT/SIGTERM, --duration or --max-exchanges, flushing everything; with
      --brokers it publishes exchanges to Kafka instead (docs/collect.md).
  ${u.FINDINGS_USAGE}
      The store's findings as a table (or the stored NDJSON), each id once. --severity high is
      high and above (=high: exactly); --category takes categories or families, comma-separated;
      --endpoint a template, * for any run of characters; T: ISO 8601 (UTC unless it names a
      zone) or an age such as 24h or 7d, counted back from the newest finding (docs/store.md).
  ${u.TIMELINE_USAGE}
      One actor's sessions and requests from the store (after replay): a user name or id, a
      timeline or actor key, a token hash, or an IP address.
  ${u.REPORT_USAGE}
      Write one self-contained HTML page (opens offline, no script) of the store's findings:
      charts over time, by category, severity, OWASP API risk, top actors and endpoints, and
      the evidence of the riskiest incidents (docs/report.md). T as for findings.
  ${u.MODELS_USAGE}
      Replay a labelled capture (labels: scripts/fixtures/incidents/README.md) and print recall,
      precision and time to detect per category.
  ${u.RUN_USAGE}
      Run one stage as its own process over Kafka (the distributed mode); /metrics and /healthz
      on --metrics (default 127.0.0.1:9461-9465 by stage). Stops cleanly on SIGINT/SIGTERM.
  ${u.ES_USAGE}
      Install sidetap's index templates, ILM policies and data streams in Elasticsearch 8.x/9.x,
      and with --kibana import the dashboards under deploy/kibana (docs/kibana.md).
  ${u.KAFKA_USAGE}
      Create the pipeline's topics (sidetap.exchanges, .events, .sessions, .findings).
  sidetap help

Captures: pcap (micro- or nanosecond, either byte order), pcapng, HAR (.har, or any file holding
a JSON object), and any of them gzipped, read in the order named; - reads standard input (pcap or
pcapng: tcpdump -w - | sidetap capture - --ndjson).
--store DIR (default ./.sidetap) holds the key secrets in traffic are hashed with, and the
embedded store (findings/, sessions/, events/: segments with retention; docs/store.md).
--config FILE: one YAML or JSON file; SIDETAP_<SECTION>__<KEY> variables override it.
sidetap --check <command> ...: validate the flags, config and files of a replay, capture, collect,
run, kafka or es command line as a run would, print "ok: sidetap <command>" and stop before
connecting to anything or writing anything (docs/deployment.md).
`;
}

type Command = (argv: string[], io: CommandIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  capture: async () => (await import('./commands/captureCommand')).captureCommand,
  collect: async () => (await import('./commands/collectCommand')).collectCommand,
  es: async () => (await import('./commands/esCommand')).esCommand,
  findings: async () => (await import('./commands/findingsCommand')).findingsCommand,
  kafka: async () => (await import('./commands/kafkaCommand')).kafkaCommand,
  models: async () => (await import('./commands/modelsCommand')).modelsCommand,
  replay: async () => (await import('./commands/replayCommand')).replayCommand,
  report: async () => (await import('./commands/reportCommand')).reportCommand,
  run: async () => (await import('./commands/runCommand')).runCommand,
  timeline: async () => (await import('./commands/timelineCommand')).timelineCommand,
};

async function usages(): Promise<Record<string, string>> {
  const modules = await Promise.all([
    import('./commands/captureCommand'),
    import('./commands/collectCommand'),
    import('./commands/esCommand'),
    import('./commands/findingsCommand'),
    import('./commands/kafkaCommand'),
    import('./commands/modelsCommand'),
    import('./commands/replayCommand'),
    import('./commands/reportCommand'),
    import('./commands/runCommand'),
    import('./commands/timelineCommand'),
  ]);
  return Object.assign({}, ...modules) as Record<string, string>;
}

export async function main(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const check = argv[0] === '--check';
  const [command, ...rest] = check ? argv.slice(1) : argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.stdout.write(await helpText());
    return command === undefined ? 2 : 0;
  }
  const load = COMMANDS[command];
  if (load === undefined) {
    io.stderr.write(`sidetap: unknown command "${command}"; run \`sidetap help\` for the list.\n`);
    return 2;
  }
  if (check && !CHECKED_COMMANDS.includes(command)) {
    io.stderr.write(`sidetap --check: checks ${CHECKED_COMMANDS.join(', ')} command lines, not "${command}".\n`);
    return 2;
  }
  try {
    const run = await load();
    return await run(rest, check ? { ...io, check } : io);
  } catch (err) {
    if (err instanceof CheckPassed) {
      io.stdout.write(`${err.message}\n`);
      return 0;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
