// kafkajs, loaded the first time something talks to Kafka rather than when the bus package is
// imported: every command imports the bus, few use Kafka, and kafkajs takes ~0.1 s to load.
import type * as KafkaJs from 'kafkajs';

let loaded: typeof KafkaJs | undefined;

export function kafkajs(): typeof KafkaJs {
  loaded ??= require('kafkajs') as typeof KafkaJs;
  return loaded;
}
