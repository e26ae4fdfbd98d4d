export { END_OF_STREAM } from './bus';
export type { Batch, Bus, ConsumeOptions, EncodedRecord, Keyed, Subscription, Topic, Watermark } from './bus';
export { MemoryBus, memoryBusConfigSchema } from './memoryBus';
export type { MemoryBusConfig } from './memoryBus';
export { KafkaBus } from './kafka/kafkaBus';
export type { TopicSetupResult, TopicSpec } from './kafka/kafkaBus';
export { kafkaConfigSchema } from './kafka/kafkaConfig';
export type { KafkaConfig } from './kafka/kafkaConfig';
export { WatermarkTracker } from './watermarkTracker';
export { createStateStore } from './state/createStateStore';
export { MemoryStateStore } from './state/memoryStateStore';
export { RedisStateStore } from './state/redisStateStore';
export { STATE_COUNTERS } from './state/stateCounters';
export type { StateKind } from './state/stateCounters';
export { stateStoreConfigSchema, memoryStateStoreConfigSchema, redisStateStoreConfigSchema } from './state/stateStoreConfig';
export type {
  StateStoreConfig,
  StateStoreConfigInput,
  MemoryStateStoreConfig,
  MemoryStateStoreConfigInput,
  RedisStateStoreConfig,
  RedisStateStoreConfigInput,
  StateStoreLimits,
} from './state/stateStoreConfig';
export { DirectoryModelStore } from './models/directoryModelStore';
export { RedisModelStore } from './models/redisModelStore';
export type { RedisModelStoreOptions } from './models/redisModelStore';
