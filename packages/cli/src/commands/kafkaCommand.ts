// `sidetap kafka setup --brokers host:9092`: creates the pipeline's topics with the partitions,
// replication and retention from the config, and reports the ones that already exist.
import { KafkaBus } from '@sidetap/bus';
import { createLogger, stageLogger } from '@sidetap/core';
import { parseCommandArgs, stringOption } from '../args';
import { checkpoint } from '../commandCheck';
import { TOPICS } from '../runner/topics';
import { loadSidetapConfig } from '../sidetapConfig';
import { UsageError } from '../usageError';
import type { CommandIo } from './commandIo';
import { withBrokers } from './runCommand';

export const KAFKA_USAGE = 'sidetap kafka setup --brokers host:9092[,host:9092] [--config sidetap.yaml]';

export async function kafkaCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('kafka', argv, { brokers: { type: 'string' }, config: { type: 'string' } });
  if (args.positionals[0] !== 'setup' || args.positionals.length !== 1) {
    throw new UsageError(`sidetap kafka: the one subcommand is setup (${KAFKA_USAGE}).`);
  }
  const config = withBrokers(loadSidetapConfig(stringOption(args, 'config')), stringOption(args, 'brokers'));
  checkpoint(io, 'kafka setup');
  const logger = createLogger({ level: config.logging.level });
  const bus = new KafkaBus(config.bus.kafka, stageLogger(logger, 'kafka-setup'));
  const layout = config.bus.kafka.topics;
  const specs = (['exchanges', 'events', 'sessions', 'findings'] as const).map((t) => ({ name: TOPICS[t].name, ...layout[t] }));
  try {
    for (const r of await bus.ensureTopics(specs)) {
      const hours = Math.round(r.retentionMs / 3_600_000);
      if (r.created) io.stdout.write(`${r.name}: created, ${r.actualPartitions} partitions, retention ${hours} h\n`);
      else {
        const note = r.actualPartitions === r.partitions ? '' : ` (config asks for ${r.partitions}; left as it is)`;
        io.stdout.write(`${r.name}: exists, ${r.actualPartitions} partitions${note}\n`);
      }
    }
  } catch (err) {
    throw new UsageError(`--brokers ${config.bus.kafka.brokers.join(',')}: topic setup failed: ${(err as Error).message}.`);
  } finally {
    await bus.close();
  }
  return 0;
}
