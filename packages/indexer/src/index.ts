export { createIndexer } from './indexer';
export { indexerConfigSchema } from './indexerConfig';
export type { IndexerConfig } from './indexerConfig';
export { LocalStore, LOCAL_STORE_FILES } from './localStore';
