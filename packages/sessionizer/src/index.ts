export { createSessionizer } from './sessionizer';
export { sessionizerConfigSchema } from './sessionizerConfig';
export type { SessionizerConfig } from './sessionizerConfig';
